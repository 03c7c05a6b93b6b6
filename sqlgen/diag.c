/*
 * diag.c: the list of spec problems (see diag.h).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "comment.h"
#include "diag.h"
#include "strbuf.h"

void
upkit_diag_add(struct upkit_diags *d, const char *file, const char *path,
			   const char *fmt, ...)
{
	struct strbuf reason = STRBUF_INIT;
	struct upkit_diag *it;
	va_list		ap;
	char		buf[2048];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	sb_append(&reason, buf);

	d->items = realloc(d->items, sizeof(*d->items) * (d->n + 1));
	if (d->items == NULL)
		abort();
	it = &d->items[d->n++];
	it->file = xstrdup(file ? file : "(spec)");
	it->path = xstrdup(path && *path ? path : "$");
	it->reason = xstrdup(sb_str(&reason));
	sb_free(&reason);
}

void
upkit_diag_msg(struct upkit_diags *d, const char *fmt, ...)
{
	struct upkit_diag *it;
	va_list		ap;
	char		buf[4096];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	d->items = realloc(d->items, sizeof(*d->items) * (d->n + 1));
	if (d->items == NULL)
		abort();
	it = &d->items[d->n++];
	it->file = NULL;
	it->path = NULL;
	it->reason = xstrdup(buf);
}

void
upkit_diags_print(const struct upkit_diags *d, FILE *f)
{
	/* Control characters from the spec (or its name) are escaped: one problem, one line. */
	for (int i = 0; i < d->n; i++)
	{
		struct strbuf line = STRBUF_INIT;

		sb_append(&line, "upkit: ");
		if (d->items[i].file != NULL)
		{
			upkit_comment_escape(&line, d->items[i].file);
			sb_append(&line, ": ");
			upkit_comment_escape(&line, d->items[i].path);
			sb_append(&line, ": ");
		}
		upkit_comment_escape(&line, d->items[i].reason);
		fprintf(f, "%s\n", sb_str(&line));
		sb_free(&line);
	}
}

void
upkit_diags_text(const struct upkit_diags *d, struct strbuf *out)
{
	for (int i = 0; i < d->n; i++)
	{
		if (i > 0)
			sb_append(out, "; ");
		if (d->items[i].file)
			sb_appendf(out, "%s: %s: ", d->items[i].file, d->items[i].path ? d->items[i].path : "$");
		sb_append(out, d->items[i].reason);
	}
}

int
upkit_diags_has(const struct upkit_diags *d, const char *path, const char *text)
{
	for (int i = 0; i < d->n; i++)
		if ((path == NULL || (d->items[i].path && strcmp(d->items[i].path, path) == 0)) &&
			(text == NULL || strstr(d->items[i].reason, text) != NULL))
			return 1;
	return 0;
}

void
upkit_diags_free(struct upkit_diags *d)
{
	for (int i = 0; i < d->n; i++)
	{
		free(d->items[i].file);
		free(d->items[i].path);
		free(d->items[i].reason);
	}
	free(d->items);
	d->items = NULL;
	d->n = 0;
}
