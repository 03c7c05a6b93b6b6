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

#include "ident.h"

/*
 * PostgreSQL 15 keywords that are not UNRESERVED_KEYWORD (reserved,
 * column-name and type/function-name keywords): quote_ident quotes these.
 * Sorted for bsearch.
 */
static const char *const pg_keywords[] = {
	"all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric",
	"authorization", "between", "bigint", "binary", "bit", "boolean", "both", "case",
	"cast", "char", "character", "check", "coalesce", "collate", "collation", "column",
	"concurrently", "constraint", "create", "cross", "current_catalog", "current_date",
	"current_role", "current_schema", "current_time", "current_timestamp",
	"current_user", "dec", "decimal", "default", "deferrable", "desc", "distinct", "do",
	"else", "end", "except", "exists", "extract", "false", "fetch", "float", "for",
	"foreign", "freeze", "from", "full", "grant", "greatest", "group", "grouping",
	"having", "ilike", "in", "initially", "inner", "inout", "int", "integer",
	"intersect", "interval", "into", "is", "isnull", "join", "lateral", "leading",
	"least", "left", "like", "limit", "localtime", "localtimestamp", "national",
	"natural", "nchar", "none", "normalize", "not", "notnull", "null", "nullif",
	"numeric", "offset", "on", "only", "or", "order", "out", "outer", "overlaps",
	"overlay", "placing", "position", "precision", "primary", "real", "references",
	"returning", "right", "row", "select", "session_user", "setof", "similar",
	"smallint", "some", "substring", "symmetric", "table", "tablesample", "then",
	"time", "timestamp", "to", "trailing", "treat", "trim", "true", "union", "unique",
	"user", "using", "values", "varchar", "variadic", "verbose", "when", "where",
	"window", "with", "xmlattributes", "xmlconcat", "xmlelement", "xmlexists",
	"xmlforest", "xmlnamespaces", "xmlparse", "xmlpi", "xmlroot", "xmlserialize",
	"xmltable"
};

/* Further T-SQL reserved words an alias must not be (besides pg_keywords). */
static const char *const tsql_keywords[] = {
	"alter", "begin", "browse", "by", "close", "commit", "compute", "contains",
	"database", "declare", "delete", "deny", "drop", "exec", "execute", "file",
	"function", "go", "goto", "identity", "if", "index", "insert", "key", "kill",
	"merge", "open", "over", "percent", "pivot", "plan", "print", "proc",
	"procedure", "raiserror", "return", "revoke", "rollback", "rule", "save",
	"schema", "set", "top", "tran", "transaction", "trigger", "truncate",
	"unpivot", "update", "view", "waitfor", "while"
};

static int
cmp_kw(const void *a, const void *b)
{
	return strcmp(*(const char *const *) a, *(const char *const *) b);
}

static int
in_list(const char *lower, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(lower, list[i]) == 0)
			return 1;
	return 0;
}

static int
is_pg_keyword(const char *lower)
{
	return bsearch(&lower, pg_keywords, sizeof pg_keywords / sizeof pg_keywords[0],
				   sizeof(char *), cmp_kw) != NULL;
}

/* A compiled pattern, cached for the life of the process. */
struct pattern
{
	const char *source;
	uint32_t	options;
	pcre2_code *code;
};

static struct pattern name_shape = {
	/* printable, no blank at either end */
	"^[^\\x00-\\x1F\\x7F\\s](?:[^\\x00-\\x1F\\x7F]*[^\\x00-\\x1F\\x7F\\s])?$", PCRE2_UTF, NULL
};
static struct pattern alias_shape = {"^[A-Za-z_][A-Za-z0-9_]*$", 0, NULL};
static struct pattern go_line = {
	/* what SSMS and sqlcmd take for a batch separator, also "GO 5" */
	"^[ \\t]*GO(?:[ \\t]+[0-9]+)?[ \\t]*\\r?$", PCRE2_MULTILINE | PCRE2_CASELESS, NULL
};
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

static size_t
utf8_chars(const char *s)
{
	size_t		n = 0;

	for (; *s; s++)
		if (((unsigned char) *s & 0xC0) != 0x80)
			n++;
	return n;
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
		snprintf(why, n, "name \"%s\" has a control character or a blank at either end", name);
		return -1;
	}
	if (d == UPKIT_DIALECT_PG && strlen(name) > UPKIT_PG_NAME_MAX_BYTES)
	{
		snprintf(why, n, "name \"%.40s...\" is %zu bytes; PostgreSQL allows %d",
				 name, strlen(name), UPKIT_PG_NAME_MAX_BYTES);
		return -1;
	}
	if (d == UPKIT_DIALECT_MSSQL && utf8_chars(name) > UPKIT_MSSQL_NAME_MAX_CHARS)
	{
		snprintf(why, n, "name \"%.40s...\" is %zu characters; SQL Server allows %d",
				 name, utf8_chars(name), UPKIT_MSSQL_NAME_MAX_CHARS);
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
	kw = is_pg_keyword(lower) ||
		in_list(lower, tsql_keywords, sizeof tsql_keywords / sizeof tsql_keywords[0]);
	free(lower);
	if (kw)
	{
		snprintf(why, n, "alias \"%s\" is an SQL keyword", alias);
		return -1;
	}
	return 0;
}

int
upkit_comment_check(const char *text, char *why, size_t n)
{
	for (const unsigned char *p = (const unsigned char *) text; *p; p++)
		if ((*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') || *p == 0x7F)
		{
			snprintf(why, n, "text has a control character (code %d) at offset %zu",
					 *p, (size_t) (p - (const unsigned char *) text));
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
				 "(one expression, not statements; write CHAR(59) for a semicolon in a string)",
				 (size_t) (strchr(expr, ';') - expr));
		return -1;
	}
	if (match(&go_line, expr, NULL, NULL) == 1)
	{
		snprintf(why, n, "expression contains a line that is only GO, a batch separator in SQL Server scripts");
		return -1;
	}
	for (p = expr; *p; p++)
	{
		unsigned char c = (unsigned char) *p;

		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
		{
			snprintf(why, n, "expression has a control character (code %d) at offset %zu",
					 c, (size_t) (p - expr));
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
	return !is_pg_keyword(s);
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

void
upkit_comment_lines(struct strbuf *sb, const char *indent, const char *text)
{
	const char *p = text;

	while (*p)
	{
		const char *nl = strchr(p, '\n');
		size_t		len = nl ? (size_t) (nl - p) : strlen(p);

		while (len > 0 && (p[len - 1] == '\r' || p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		sb_append(sb, indent);
		sb_append(sb, len > 0 ? "-- | " : "-- |");
		sb_append_len(sb, p, len);
		sb_append(sb, "\n");
		if (!nl)
			break;
		p = nl + 1;
	}
}

size_t
upkit_order_split(const char *item, int *desc)
{
	size_t		s = 0,
				e = 0;

	*desc = 0;
	if (match(&order_dir, item, &s, &e) == 1)
	{
		const char *dir = item + e;

		while (isspace((unsigned char) *dir))
			dir++;
		*desc = strncasecmp(dir, "DESC", 4) == 0;
		return e;
	}
	return strlen(item);
}
