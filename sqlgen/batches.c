/*
 * batches.c: split scripts into batches (see batches.h).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "batches.h"
#include "strbuf.h"

/* Does [s, s+n) hold only "GO" with optional blanks around it? */
static int
is_go_line(const char *s, size_t n)
{
	while (n > 0 && isspace((unsigned char) *s))
		s++, n--;
	while (n > 0 && isspace((unsigned char) s[n - 1]))
		n--;
	return n == 2 && strncasecmp(s, "GO", 2) == 0;
}

static int
is_marker(const char *s, size_t n)
{
	return (n >= 8 && strncmp(s, "-- From ", 8) == 0) ||
		(n >= 10 && strncmp(s, "-- upkit: ", 10) == 0);
}

/*
 * Anything besides blanks and comments?  Both "--" line comments and
 * block comments count; block comments nest, in T-SQL as in PostgreSQL.
 */
static int
has_code(const char *s)
{
	int			depth = 0;

	while (*s)
	{
		if (s[0] == '/' && s[1] == '*')
		{
			depth++;
			s += 2;
		}
		else if (depth > 0 && s[0] == '*' && s[1] == '/')
		{
			depth--;
			s += 2;
		}
		else if (depth > 0 || isspace((unsigned char) *s))
			s++;
		else if (s[0] == '-' && s[1] == '-')
		{
			while (*s && *s != '\n')
				s++;
		}
		else
			return 1;
	}
	return 0;
}

static void
push(struct upkit_batches *out, struct strbuf *cur, int first_line, const char *origin)
{
	struct upkit_batch *b;

	if (!has_code(sb_str(cur)))
	{
		sb_free(cur);
		return;
	}
	out->items = realloc(out->items, sizeof(*out->items) * (out->n + 1));
	if (out->items == NULL)
		abort();
	b = &out->items[out->n++];
	b->text = strdup(sb_str(cur));
	b->first_line = first_line;
	b->origin = origin ? strdup(origin) : NULL;
	sb_free(cur);
}

void
upkit_split_batches(const char *script, enum upkit_dialect d, struct upkit_batches *out)
{
	struct strbuf cur = STRBUF_INIT;
	char	   *origin = NULL;
	const char *p = script;
	int			line = 1;
	int			first = 1;

	out->items = NULL;
	out->n = 0;
	while (*p)
	{
		const char *nl = strchr(p, '\n');
		size_t		n = nl ? (size_t) (nl - p) : strlen(p);
		size_t		text_n = (n > 0 && p[n - 1] == '\r') ? n - 1 : n;

		if (is_marker(p, text_n))
		{
			if (d == UPKIT_DIALECT_PG)
			{
				push(out, &cur, first, origin);
				first = line;
			}
			free(origin);
			origin = strndup(p + 3, text_n - 3);
		}
		if (d == UPKIT_DIALECT_MSSQL && is_go_line(p, text_n))
		{
			push(out, &cur, first, origin);
			first = line + 1;
		}
		else
			sb_append_len(&cur, p, nl ? n + 1 : n);
		p += nl ? n + 1 : n;
		line++;
	}
	push(out, &cur, first, origin);
	free(origin);
}

void
upkit_free_batches(struct upkit_batches *b)
{
	for (int i = 0; i < b->n; i++)
	{
		free(b->items[i].text);
		free(b->items[i].origin);
	}
	free(b->items);
	b->items = NULL;
	b->n = 0;
}
