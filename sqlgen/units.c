/*
 * units.c: build, print and free unit lists (see units.h).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "batches.h"
#include "ident.h"
#include "units.h"

struct upkit_unit *
upkit_unit_add(struct upkit_units *us, enum upkit_dialect d, const char *kind,
			   const char *schema, const char *name, const char *spec, const char *source)
{
	struct upkit_unit *u;

	XGROW(us->items, us->n);
	u = &us->items[us->n];
	memset(u, 0, sizeof *u);
	u->kind = xstrdup(kind);
	u->object.schema = xstrdup_or_null(schema);
	u->object.name = xstrdup(name);
	u->dialect = d;
	u->spec = xstrdup_or_null(spec);
	u->source = xstrdup_or_null(source);
	u->text = (struct strbuf) STRBUF_INIT;
	u->pending = (struct strbuf) STRBUF_INIT;
	us->n++;
	return u;
}

static int
same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

void
upkit_unit_table(struct upkit_unit *u, const char *schema, const char *name, unsigned access)
{
	for (int i = 0; i < u->n_tables; i++)
		if (same(u->tables[i].name.schema, schema) && same(u->tables[i].name.name, name))
		{
			u->tables[i].access |= access;
			return;
		}
	XGROW(u->tables, u->n_tables);
	u->tables[u->n_tables].name.schema = xstrdup_or_null(schema);
	u->tables[u->n_tables].name.name = xstrdup(name);
	u->tables[u->n_tables].access = access;
	u->n_tables++;
}

void
upkit_unit_table_as_written(struct upkit_unit *u, const char *schema, const char *name,
							unsigned access)
{
	char	   *fs = upkit_ident_fold(schema, u->dialect);
	char	   *fn = upkit_ident_fold(name, u->dialect);

	upkit_unit_table(u, fs, fn, access);
	free(fs);
	free(fn);
}

void
upkit_unit_tabid(struct upkit_unit *u, long long tabid)
{
	for (int i = 0; i < u->n_tabids; i++)
		if (u->tabids[i] == tabid)
			return;
	XGROW(u->tabids, u->n_tabids);
	u->tabids[u->n_tabids++] = tabid;
}

static void
add_text(struct upkit_unit *u, const char *s, size_t n)
{
	sb_append_len(&u->text, s, n);
	for (size_t i = 0; i < n; i++)
		u->text_lines += s[i] == '\n';
}

void
upkit_unit_append(struct upkit_unit *u, const char *s, size_t n)
{
	if (u->pending.len == 0)
		u->pending_line = u->text_lines + 1;
	add_text(u, s, n);
	sb_append_len(&u->pending, s, n);
}

void
upkit_unit_print(struct upkit_unit *u, const char *s, size_t n)
{
	add_text(u, s, n);
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

void
upkit_unit_end_batch(struct upkit_unit *u)
{
	const char *p = sb_str(&u->pending);

	if (has_code(p))
	{
		XGROW(u->batches, u->n_batches);
		XGROW(u->batch_lines, u->n_batches);
		u->batch_lines[u->n_batches] = u->pending_line;
		u->batches[u->n_batches++] = xstrdup(p);
	}
	sb_free(&u->pending);
}

void
upkit_unit_append_script(struct upkit_unit *u, const char *text, size_t n)
{
	const char *p = text;
	const char *end = text + n;

	while (p < end)
	{
		const char *nl = memchr(p, '\n', (size_t) (end - p));
		size_t		len = nl ? (size_t) (nl - p) + 1 : (size_t) (end - p);
		size_t		text_n = len - (nl ? 1 : 0);

		if (text_n > 0 && p[text_n - 1] == '\r')
			text_n--;
		if (upkit_is_go_line(p, text_n))
		{
			upkit_unit_end_batch(u);
			upkit_unit_print(u, p, len);
		}
		else
			upkit_unit_append(u, p, len);
		p += len;
	}
}

void
upkit_units_print(const struct upkit_units *us, struct strbuf *out)
{
	for (int i = 0; i < us->n; i++)
		sb_append_len(out, sb_str(&us->items[i].text), us->items[i].text.len);
}

void
upkit_units_move(struct upkit_units *dst, struct upkit_units *src)
{
	for (int i = 0; i < src->n; i++)
	{
		XGROW(dst->items, dst->n);
		dst->items[dst->n++] = src->items[i];
	}
	free(src->items);
	src->items = NULL;
	src->n = 0;
}

void
upkit_access_words(struct strbuf *sb, unsigned access)
{
	static const struct
	{
		unsigned	bit;
		const char *word;
	}			words[] = {
		{UPKIT_ACCESS_CREATE, "create"},
		{UPKIT_ACCESS_READ, "read"},
		{UPKIT_ACCESS_UPDATE, "update"},
		{UPKIT_ACCESS_DELETE, "delete"},
	};
	int			first = 1;

	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (access & words[i].bit)
		{
			sb_appendf(sb, "%s%s", first ? "" : ", ", words[i].word);
			first = 0;
		}
}

void
upkit_units_free(struct upkit_units *us)
{
	for (int i = 0; i < us->n; i++)
	{
		struct upkit_unit *u = &us->items[i];

		free(u->kind);
		upkit_qname_free(&u->object);
		free(u->spec);
		free(u->source);
		sb_free(&u->text);
		sb_free(&u->pending);
		for (int j = 0; j < u->n_batches; j++)
			free(u->batches[j]);
		free(u->batches);
		free(u->batch_lines);
		for (int j = 0; j < u->n_tables; j++)
			upkit_qname_free(&u->tables[j].name);
		free(u->tables);
		free(u->tabids);
	}
	free(us->items);
	us->items = NULL;
	us->n = 0;
}
