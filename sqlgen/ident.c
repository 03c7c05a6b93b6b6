/*
 * ident.c: checking and quoting names, checking expressions (see ident.h).
 *
 * Shapes are checked with PCRE2 (compiled once, UTF mode, so that invalid
 * UTF-8 is caught too); the expression check is a small lexer, because
 * balance and "outside literals" are not regular.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "batches.h"
#include "comment.h"
#include "ident.h"
#include "keywords.h"

/* A compiled pattern, cached for the life of the process. */
struct pattern
{
	const char *source;
	uint32_t	options;
	pcre2_code *code;
};

/* No C0, DEL, C1 or line/paragraph separator: names also appear in comments (comment.h). */
#define NAME_CHAR "[^\\x00-\\x1F\\x7F-\\x9F\\x{2028}\\x{2029}"
static struct pattern name_shape = {
	/* printable, no blank at either end */
	"^" NAME_CHAR "\\s](?:" NAME_CHAR "]*" NAME_CHAR "\\s])?$", PCRE2_UTF, NULL
};
static struct pattern alias_shape = {"^[A-Za-z_][A-Za-z0-9_]*$", 0, NULL};
static struct pattern any_utf8 = {"", PCRE2_UTF, NULL};	/* matches anything valid */
static struct pattern order_dir = {"^(.*?)\\s+(ASC|DESC)\\s*$", PCRE2_CASELESS | PCRE2_DOTALL, NULL};

/*
 * Match subject against the pattern: 1 match, 0 no match, -1 invalid UTF-8.
 * ovector receives the first capture group when given.
 */
static int
match(struct pattern *p, const char *subject, size_t *g_start, size_t *g_end)
{
	pcre2_match_data *md;
	int			rc;

	if (p->code == NULL)
	{
		int			err;
		PCRE2_SIZE	off;

		p->code = pcre2_compile((PCRE2_SPTR) p->source, PCRE2_ZERO_TERMINATED,
								p->options, &err, &off, NULL);
		if (p->code == NULL)
		{
			fprintf(stderr, "upkit: internal error: bad pattern %s\n", p->source);
			abort();
		}
	}
	md = pcre2_match_data_create_from_pattern(p->code, NULL);
	rc = pcre2_match(p->code, (PCRE2_SPTR) subject, strlen(subject), 0, 0, md, NULL);
	if (rc > 1 && g_start && g_end)
	{
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);

		*g_start = ov[2];
		*g_end = ov[3];
	}
	pcre2_match_data_free(md);
	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	return -1;					/* a UTF-8 error */
}

/* SQL Server's measure of a name: UTF-16 code units (a character above U+FFFF takes two). */
static size_t
utf16_units(const char *s)
{
	size_t		n = 0;

	for (; *s; s++)
	{
		unsigned char c = (unsigned char) *s;

		if ((c & 0xC0) != 0x80)
			n += c >= 0xF0 ? 2 : 1;
	}
	return n;
}

/* Bytes of the first at most max bytes of s that end on a character boundary. */
static int
prefix_len(const char *s, size_t max)
{
	size_t		n = strlen(s);

	if (n <= max)
		return (int) n;
	while (max > 0 && ((unsigned char) s[max] & 0xC0) == 0x80)
		max--;
	return (int) max;
}

char *
upkit_ident_fold(const char *name, enum upkit_dialect d)
{
	char	   *r = strdup(name);

	if (r == NULL)
		abort();
	if (d == UPKIT_DIALECT_PG)
		for (char *p = r; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char) (*p - 'A' + 'a');
	return r;
}

int
upkit_ident_same(const char *a, const char *b, enum upkit_dialect d)
{
	char	   *fa,
			   *fb;
	int			same;

	if (d == UPKIT_DIALECT_MSSQL)
		return strcasecmp(a, b) == 0;
	fa = upkit_ident_fold(a, d);
	fb = upkit_ident_fold(b, d);
	same = strcmp(fa, fb) == 0;
	free(fa);
	free(fb);
	return same;
}

int
upkit_ident_check(const char *name, enum upkit_dialect d, char *why, size_t n)
{
	int			m;

	if (name == NULL || *name == '\0')
	{
		snprintf(why, n, "a name must not be empty");
		return -1;
	}
	m = match(&name_shape, name, NULL, NULL);
	if (m < 0)
	{
		snprintf(why, n, "name is not valid UTF-8");
		return -1;
	}
	if (m == 0)
	{
		char		what[64];
		size_t		off = 0;

		if (upkit_text_find_bad(name, 0, &off, what, sizeof what) != 0)
			snprintf(why, n, "name \"%s\" has a control character (%s) at offset %zu; "
					 "names may not hold control characters or line ends", name, what, off);
		else
			snprintf(why, n, "name \"%s\" has a blank at either end", name);
		return -1;
	}
	if (d == UPKIT_DIALECT_PG && strlen(name) > UPKIT_PG_NAME_MAX_BYTES)
	{
		snprintf(why, n, "name \"%.*s...\" is %zu bytes; PostgreSQL allows %d (NAMEDATALEN - 1)",
				 prefix_len(name, 40), name, strlen(name), UPKIT_PG_NAME_MAX_BYTES);
		return -1;
	}
	if (d == UPKIT_DIALECT_MSSQL && utf16_units(name) > UPKIT_MSSQL_NAME_MAX_UNITS)
	{
		snprintf(why, n, "name \"%.*s...\" is %zu UTF-16 code units; SQL Server allows %d (sysname)",
				 prefix_len(name, 40), name, utf16_units(name), UPKIT_MSSQL_NAME_MAX_UNITS);
		return -1;
	}
	return 0;
}

int
upkit_alias_check(const char *alias, char *why, size_t n)
{
	char	   *lower;
	int			kw;

	if (alias == NULL || *alias == '\0')
	{
		snprintf(why, n, "an alias must not be empty");
		return -1;
	}
	if (match(&alias_shape, alias, NULL, NULL) != 1)
	{
		snprintf(why, n, "alias \"%s\" must be a letter or '_' followed by letters, digits or '_' "
				 "(expressions use it without quotes)", alias);
		return -1;
	}
	if (strlen(alias) > UPKIT_ALIAS_MAX_CHARS)
	{
		snprintf(why, n, "alias \"%s\" is longer than %d characters", alias, UPKIT_ALIAS_MAX_CHARS);
		return -1;
	}
	lower = upkit_ident_fold(alias, UPKIT_DIALECT_PG);
	kw = upkit_is_pg_keyword(lower) || upkit_is_tsql_keyword(lower);
	if (!kw)
		free(lower);
	if (kw)
	{
		snprintf(why, n, "alias \"%s\" is an SQL keyword (reserved in %s)", alias,
				 upkit_is_pg_keyword(lower) && upkit_is_tsql_keyword(lower) ? "PostgreSQL and SQL Server"
				 : upkit_is_pg_keyword(lower) ? "PostgreSQL" : "SQL Server");
		free(lower);
		return -1;
	}
	return 0;
}

static int
ident_char(char c)
{
	return isalnum((unsigned char) c) || c == '_' || (unsigned char) c >= 0x80;
}

int
upkit_expr_check(const char *expr, enum upkit_dialect d, char *why, size_t n)
{
	const char *p;
	int			paren = 0,
				bracket = 0;

	if (expr == NULL)
	{
		snprintf(why, n, "an expression is required");
		return -1;
	}
	for (p = expr; *p && isspace((unsigned char) *p); p++)
		;
	if (*p == '\0')
	{
		snprintf(why, n, "expression is empty");
		return -1;
	}
	if (match(&any_utf8, expr, NULL, NULL) < 0)
	{
		snprintf(why, n, "expression is not valid UTF-8");
		return -1;
	}
	if (strchr(expr, ';'))
	{
		snprintf(why, n, "expression contains ';' at offset %zu: a statement terminator is not allowed "
				 "(one expression, not statements; write %s for a semicolon in a string)",
				 (size_t) (strchr(expr, ';') - expr),
				 d == UPKIT_DIALECT_MSSQL ? "CHAR(59)" : "chr(59)");
		return -1;
	}
	for (p = expr; *p;)
	{
		size_t		len = strcspn(p, "\n");

		if (upkit_is_go_line(p, len))
		{
			snprintf(why, n, "expression contains a line that is only GO (at offset %zu), "
					 "a batch separator in SQL Server scripts", (size_t) (p - expr));
			return -1;
		}
		p += len + (p[len] == '\n');
	}
	{
		char		what[64];
		size_t		off = 0;

		if (upkit_text_find_bad(expr, 1, &off, what, sizeof what) != 0)
		{
			snprintf(why, n, "expression has a control character (%s) at offset %zu; "
					 "only tabs and line breaks (LF or CR LF) may be used", what, off);
			return -1;
		}
	}

	for (p = expr; *p; p++)
	{
		char		c = *p;
		size_t		at = (size_t) (p - expr);

		if (c == '\'' || c == '"' || (c == '[' && d == UPKIT_DIALECT_MSSQL))
		{
			char		close = c == '[' ? ']' : c;
			const char *what = c == '\'' ? "string literal" : "quoted name";

			if (c == '\'' && d == UPKIT_DIALECT_PG && p > expr && (p[-1] == 'E' || p[-1] == 'e') &&
				(p - 1 == expr || !ident_char(p[-2])))
			{
				snprintf(why, n, "escape string E'...' at offset %zu is not allowed; use a standard string '...'",
						 at - 1);
				return -1;
			}
			for (p++;; p++)
			{
				if (*p == '\0')
				{
					snprintf(why, n, "%s opened at offset %zu is not closed", what, at);
					return -1;
				}
				if (c == '\'' && d == UPKIT_DIALECT_PG && *p == '\\')
				{
					snprintf(why, n, "string literal opened at offset %zu holds a backslash, which PostgreSQL reads "
							 "as an escape when standard_conforming_strings is off; write chr(92) instead", at);
					return -1;
				}
				if (*p == '\n' || *p == '\r')
				{
					snprintf(why, n, "%s opened at offset %zu spans lines", what, at);
					return -1;
				}
				if (*p == close)
				{
					if (p[1] == close)
					{
						p++;
						continue;
					}
					break;
				}
			}
			continue;
		}
		if ((c == '-' && p[1] == '-') || (c == '/' && p[1] == '*') || (c == '*' && p[1] == '/'))
		{
			snprintf(why, n, "expression contains the comment marker '%c%c' at offset %zu "
					 "(comments could hide the rest of the statement)", c, p[1], at);
			return -1;
		}
		if (d == UPKIT_DIALECT_PG && c == '$')
		{
			snprintf(why, n, "expression contains '$' at offset %zu outside a literal (dollar quoting is not allowed)", at);
			return -1;
		}
		if (c == '(')
			paren++;
		else if (c == ')' && --paren < 0)
		{
			snprintf(why, n, "expression closes a parenthesis at offset %zu that it did not open", at);
			return -1;
		}
		else if (c == '[')
			bracket++;
		else if (c == ']' && --bracket < 0)
		{
			snprintf(why, n, "expression closes a bracket at offset %zu that it did not open", at);
			return -1;
		}
	}
	if (paren > 0 || bracket > 0)
	{
		snprintf(why, n, "expression leaves %d %s unclosed", paren > 0 ? paren : bracket,
				 paren > 0 ? "parenthesis(es)" : "bracket(s)");
		return -1;
	}
	return 0;
}

static int
pg_plain(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || *s == '_'))
		return 0;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return 0;
	return !upkit_is_pg_keyword(s);
}

void
upkit_quote_ident(struct strbuf *sb, const char *name, enum upkit_dialect d)
{
	char	   *folded = upkit_ident_fold(name, d);

	if (d == UPKIT_DIALECT_PG && pg_plain(folded))
		sb_append(sb, folded);
	else
		upkit_quote_catalog_name(sb, folded, d);
	free(folded);
}

void
upkit_quote_catalog_name(struct strbuf *sb, const char *name, enum upkit_dialect d)
{
	char		open = d == UPKIT_DIALECT_MSSQL ? '[' : '"';
	char		close = d == UPKIT_DIALECT_MSSQL ? ']' : '"';

	sb_append_len(sb, &open, 1);
	for (const char *p = name; *p; p++)
	{
		sb_append_len(sb, p, 1);
		if (*p == close)
			sb_append_len(sb, p, 1);
	}
	sb_append_len(sb, &close, 1);
}

void
upkit_quote_catalog_qualified(struct strbuf *sb, const char *schema, const char *name,
							  enum upkit_dialect d)
{
	upkit_quote_catalog_name(sb, schema, d);
	sb_append(sb, ".");
	upkit_quote_catalog_name(sb, name, d);
}

void
upkit_quote_qualified(struct strbuf *sb, const char *schema, const char *name,
					  enum upkit_dialect d)
{
	upkit_quote_ident(sb, schema, d);
	sb_append(sb, ".");
	upkit_quote_ident(sb, name, d);
}

void
upkit_quote_literal(struct strbuf *sb, const char *s, enum upkit_dialect d)
{
	int			backslash = d == UPKIT_DIALECT_PG && strchr(s, '\\') != NULL;

	sb_append(sb, d == UPKIT_DIALECT_MSSQL ? "N'" : backslash ? "E'" : "'");
	for (const char *p = s; *p; p++)
	{
		sb_append_len(sb, p, 1);
		if (*p == '\'' || (backslash && *p == '\\'))
			sb_append_len(sb, p, 1);
	}
	sb_append(sb, "'");
}

/*
 * Offset of the first word ASC or DESC outside literals and quoted names
 * (not after a '.', where it is a column name), or -1.  expr has passed
 * upkit_expr_check, so its literals and quoted names are closed.
 */
static long
direction_word(const char *expr, enum upkit_dialect d)
{
	for (const char *p = expr; *p; p++)
	{
		if (*p == '\'' || *p == '"' || (*p == '[' && d == UPKIT_DIALECT_MSSQL))
		{
			char		close = *p == '[' ? ']' : *p;

			for (p++; *p; p++)
				if (*p == close)
				{
					if (p[1] != close)
						break;
					p++;
				}
			if (*p == '\0')
				return -1;
			continue;
		}
		if (ident_char(*p) && (p == expr || (!ident_char(p[-1]) && p[-1] != '.' && p[-1] != '@')))
		{
			size_t		len = 0;

			while (ident_char(p[len]))
				len++;
			if ((len == 3 && strncasecmp(p, "ASC", 3) == 0) || (len == 4 && strncasecmp(p, "DESC", 4) == 0))
				return (long) (p - expr);
			p += len - 1;
		}
	}
	return -1;
}

long
upkit_order_check(const char *item, enum upkit_dialect d, int *desc, char *why, size_t n)
{
	size_t		s = 0,
				e = strlen(item);
	char	   *expr;
	long		at;

	*desc = 0;
	if (match(&order_dir, item, &s, &e) == 1)
	{
		const char *dir = item + e;

		while (isspace((unsigned char) *dir))
			dir++;
		*desc = strncasecmp(dir, "DESC", 4) == 0;
	}
	else
		e = strlen(item);
	expr = strndup(item, e);
	if (expr == NULL)
		abort();
	if (upkit_expr_check(expr, d, why, n) != 0)
	{
		free(expr);
		return -1;
	}
	at = direction_word(expr, d);
	if (at >= 0)
	{
		const char *q = expr + strspn(expr, " \t\r\n");
		size_t		len = strlen(q);

		while (len > 0 && isspace((unsigned char) q[len - 1]))
			len--;
		if ((len == 3 && strncasecmp(q, "ASC", 3) == 0) || (len == 4 && strncasecmp(q, "DESC", 4) == 0))
			snprintf(why, n, "\"%s\" is only a direction: write the expression to order by, then ASC or DESC", item);
		else
			snprintf(why, n, "ASC or DESC at offset %ld: an item is one expression followed by at most one ASC or DESC", at);
		free(expr);
		return -1;
	}
	free(expr);
	return (long) e;
}

void
upkit_display_name(struct strbuf *sb, const char *schema, const char *name, enum upkit_dialect d)
{
	char	   *s = upkit_ident_fold(schema, d);
	char	   *n = upkit_ident_fold(name, d);

	sb_appendf(sb, "%s.%s", s, n);
	free(s);
	free(n);
}
