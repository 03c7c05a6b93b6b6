/*
 * dataareaid.c: refuse expressions that compare two DATAAREAIDs (see
 * dataareaid.h).  The expression has passed upkit_expr_check, so its
 * literals and quoted names are closed and its parentheses balance; this
 * file only needs to tell references, operators and parentheses apart.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dataareaid.h"
#include "strbuf.h"

enum tk
{
	TK_OTHER, TK_REF, TK_DA, TK_CMP, TK_IN, TK_NOT, TK_LP, TK_RP, TK_COMMA
};

struct tok
{
	enum tk		kind;
	size_t		start;
	size_t		end;
};

struct toks
{
	struct tok *v;
	int			n;
};

static void
push(struct toks *t, enum tk kind, size_t start, size_t end)
{
	XGROW(t->v, t->n);
	t->v[t->n].kind = kind;
	t->v[t->n].start = start;
	t->v[t->n].end = end;
	t->n++;
}

static int
word_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '$' || c == '@' || c == '#' || c >= 0x80;
}

/* One name: plain or quoted.  Sets *end after it and the unquoted text in name. */
static int
read_name(const char *e, size_t i, enum upkit_dialect d, size_t *end, struct strbuf *name)
{
	sb_free(name);
	if (e[i] == '"' || (e[i] == '[' && d == UPKIT_DIALECT_MSSQL))
	{
		char		close = e[i] == '"' ? '"' : ']';

		for (i++; e[i]; i++)
		{
			if (e[i] == close && e[i + 1] == close)
			{
				sb_appendf(name, "%c", close);
				i++;
			}
			else if (e[i] == close)
				break;
			else
				sb_appendf(name, "%c", e[i]);
		}
		*end = e[i] ? i + 1 : i;
		return 1;
	}
	if (isalpha((unsigned char) e[i]) || e[i] == '_' || (unsigned char) e[i] >= 0x80)
	{
		size_t		s = i;

		while (word_char((unsigned char) e[i]))
			i++;
		sb_appendf(name, "%.*s", (int) (i - s), e + s);
		*end = i;
		return 1;
	}
	return 0;
}

static size_t
skip_space(const char *e, size_t i)
{
	while (e[i] && isspace((unsigned char) e[i]))
		i++;
	return i;
}

static int
word_is(const char *e, size_t s, size_t end, const char *w)
{
	return end - s == strlen(w) && strncasecmp(e + s, w, end - s) == 0;
}

static void
tokenize(const char *e, enum upkit_dialect d, struct toks *t)
{
	struct strbuf name = STRBUF_INIT;
	size_t		i = 0;

	while (e[i])
	{
		size_t		end;
		unsigned char c = (unsigned char) e[i];

		if (isspace(c))
		{
			i++;
			continue;
		}
		if (c == '\'')
		{
			size_t		s = i;

			for (i++; e[i]; i++)
				if (e[i] == '\'' && e[i + 1] == '\'')
					i++;
				else if (e[i] == '\'')
					break;
			if (e[i])
				i++;
			push(t, TK_OTHER, s, i);
			continue;
		}
		if (read_name(e, i, d, &end, &name))
		{
			size_t		s = i;
			int			plain = e[i] != '"' && e[i] != '[';

			/* A plain word may be an operator: IN, IS [NOT] DISTINCT FROM. */
			if (plain && word_is(e, s, end, "NOT"))
			{
				push(t, TK_NOT, s, end);
				i = end;
				continue;
			}
			if (plain && word_is(e, s, end, "IN"))
			{
				push(t, TK_IN, s, end);
				i = end;
				continue;
			}
			if (plain && word_is(e, s, end, "IS"))
			{
				size_t		j = skip_space(e, end),
							k;
				struct strbuf w = STRBUF_INIT;

				if (read_name(e, j, d, &k, &w) && strcasecmp(sb_str(&w), "NOT") == 0)
					j = skip_space(e, k);
				if (read_name(e, j, d, &k, &w) && strcasecmp(sb_str(&w), "DISTINCT") == 0 &&
					read_name(e, skip_space(e, k), d, &k, &w) && strcasecmp(sb_str(&w), "FROM") == 0)
				{
					push(t, TK_CMP, s, k);
					i = k;
					sb_free(&w);
					continue;
				}
				sb_free(&w);
			}
			/* A chain a.b."c" */
			for (;;)
			{
				size_t		j = skip_space(e, end);
				size_t		k;

				if (e[j] != '.')
					break;
				j = skip_space(e, j + 1);
				if (!read_name(e, j, d, &k, &name))
					break;
				end = k;
			}
			/* A function call is not a column. */
			push(t, e[skip_space(e, end)] == '(' ? TK_OTHER :
				 strcasecmp(sb_str(&name), "DATAAREAID") == 0 ? TK_DA : TK_REF, s, end);
			i = end;
			continue;
		}
		if (c == '(' || c == ')' || c == ',')
		{
			push(t, c == '(' ? TK_LP : c == ')' ? TK_RP : TK_COMMA, i, i + 1);
			i++;
			continue;
		}
		if ((c == '<' && (e[i + 1] == '>' || e[i + 1] == '=')) ||
			((c == '>' || c == '!') && e[i + 1] == '='))
		{
			push(t, TK_CMP, i, i + 2);
			i += 2;
			continue;
		}
		if (c == '=' || c == '<' || c == '>')
		{
			push(t, TK_CMP, i, i + 1);
			i++;
			continue;
		}
		push(t, TK_OTHER, i, i + 1);
		i++;
	}
	sb_free(&name);
}

static void
refuse(const char *e, const struct tok *a, const struct tok *b, char *why, size_t n)
{
	snprintf(why, n,
			 "compares %.*s with %.*s: a DATAAREAID is compared only with a company parameter or a literal, "
			 "never with another DATAAREAID (virtual companies keep one company's data under different "
			 "DATAAREAIDs in different tables); give each per-company table \"per_company\" and, when it differs, "
			 "its own \"company\" parameter",
			 (int) (a->end - a->start), e + a->start, (int) (b->end - b->start), e + b->start);
}

int
upkit_dataareaid_check(const char *expr, enum upkit_dialect d, char *why, size_t n)
{
	struct toks t = {NULL, 0};
	int			rc = 0;

	tokenize(expr, d, &t);
	for (int i = 0; i < t.n && rc == 0; i++)
	{
		int			l = i - 1,
					r = i + 1;

		if (t.v[i].kind != TK_CMP && t.v[i].kind != TK_IN)
			continue;
		if (t.v[i].kind == TK_IN && l >= 0 && t.v[l].kind == TK_NOT)
			l--;
		while (l >= 0 && t.v[l].kind == TK_RP)
			l--;
		if (l < 0 || t.v[l].kind != TK_DA)
			continue;
		if (t.v[i].kind == TK_CMP)
		{
			while (r < t.n && t.v[r].kind == TK_LP)
				r++;
			if (r < t.n && t.v[r].kind == TK_DA)
			{
				refuse(expr, &t.v[l], &t.v[r], why, n);
				rc = -1;
			}
			continue;
		}
		/* IN (...): any item of the list that is a DATAAREAID, in parentheses or not. */
		if (r >= t.n || t.v[r].kind != TK_LP)
			continue;
		for (int k = r + 1, depth = 1; k < t.n && depth > 0 && rc == 0; k++)
		{
			if (t.v[k].kind == TK_LP)
				depth++;
			else if (t.v[k].kind == TK_RP)
				depth--;
			else if (t.v[k].kind == TK_DA)
			{
				int			p = k - 1;

				while (p > r && t.v[p].kind == TK_LP)
					p--;
				if ((t.v[p].kind == TK_LP || t.v[p].kind == TK_COMMA) &&
					(k + 1 >= t.n || t.v[k + 1].kind == TK_RP || t.v[k + 1].kind == TK_COMMA))
				{
					refuse(expr, &t.v[l], &t.v[k], why, n);
					rc = -1;
				}
			}
		}
	}
	free(t.v);
	return rc;
}
