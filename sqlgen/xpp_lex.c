/*
 * xpp_lex.c: the X++ tokenizer (see xpp_lex.h).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "strbuf.h"
#include "xpp_lex.h"

static void
push(struct xtoks *out, enum xtok_kind kind, const char *s, size_t n, int line)
{
	struct xtok *t;

	out->t = xrealloc(out->t, sizeof *out->t * (size_t) (out->n + 1));
	t = &out->t[out->n++];
	t->kind = kind;
	t->text = xrealloc(NULL, n + 1);
	memcpy(t->text, s, n);
	t->text[n] = '\0';
	t->line = line;
}

static int
is_word(char c)
{
	return isalnum((unsigned char) c) || c == '_';
}

void
xpp_lex(const char *src, int first_line, struct xtoks *out)
{
	static const char *const ops[] = {"::", "+=", "-=", "==", "!=", "<=", ">=", "&&", "||", "++", "--"};
	const char *p = src;
	int			line = first_line;

	out->t = NULL;
	out->n = 0;
	while (*p)
	{
		if (*p == '\n')
		{
			line++;
			p++;
		}
		else if (isspace((unsigned char) *p))
			p++;
		else if (p[0] == '/' && p[1] == '/')
			while (*p && *p != '\n')
				p++;
		else if (p[0] == '/' && p[1] == '*')
		{
			for (p += 2; *p && !(p[0] == '*' && p[1] == '/'); p++)
				line += *p == '\n';
			if (*p)
				p += 2;
		}
		else if (*p == '\'' || *p == '"' || (*p == '@' && p[1] == '"'))
		{
			int			verbatim = *p == '@';
			char		q = verbatim ? p[1] : *p;
			int			start_line = line;
			struct strbuf s = STRBUF_INIT;

			p += verbatim ? 2 : 1;
			while (*p)
			{
				if (*p == q && verbatim && p[1] == q)
				{
					sb_append_len(&s, p, 1);
					p += 2;
					continue;
				}
				if (*p == q)
				{
					p++;
					break;
				}
				if (*p == '\\' && !verbatim && p[1])
				{
					line += p[1] == '\n';
					sb_append_len(&s, p + 1, 1);
					p += 2;
					continue;
				}
				line += *p == '\n';
				sb_append_len(&s, p, 1);
				p++;
			}
			push(out, XT_STRING, sb_str(&s), s.len, start_line);
			sb_free(&s);
		}
		else if (*p == '#' && (is_word(p[1])))
		{
			const char *b = p++;

			while (is_word(*p) || (*p == '.' && is_word(p[1])))
				p++;
			push(out, XT_MACRO, b, (size_t) (p - b), line);
		}
		else if (isalpha((unsigned char) *p) || *p == '_')
		{
			const char *b = p;

			while (is_word(*p))
				p++;
			push(out, XT_IDENT, b, (size_t) (p - b), line);
		}
		else if (isdigit((unsigned char) *p))
		{
			const char *b = p;

			while (is_word(*p) || *p == '.')
				p++;
			push(out, XT_NUMBER, b, (size_t) (p - b), line);
		}
		else
		{
			size_t		n = 1;

			for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++)
				if (p[0] == ops[k][0] && p[1] == ops[k][1])
					n = 2;
			push(out, XT_PUNCT, p, n, line);
			p += n;
		}
	}
}

void
xpp_toks_free(struct xtoks *toks)
{
	for (int k = 0; k < toks->n; k++)
		free(toks->t[k].text);
	free(toks->t);
	toks->t = NULL;
	toks->n = 0;
}

int
xtok_is(const struct xtoks *toks, int k, const char *word)
{
	return k >= 0 && k < toks->n && toks->t[k].kind == XT_IDENT && strcasecmp(toks->t[k].text, word) == 0;
}

int
xtok_punct(const struct xtoks *toks, int k, const char *p)
{
	return k >= 0 && k < toks->n && toks->t[k].kind == XT_PUNCT && strcmp(toks->t[k].text, p) == 0;
}
