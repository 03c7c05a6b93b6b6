/*
 * diag.c: the list of spec problems (see diag.h).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

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
	for (int i = 0; i < d->n; i++)
	{
		if (d->items[i].file == NULL)
			fprintf(f, "upkit: %s\n", d->items[i].reason);
		else
			fprintf(f, "upkit: %s: %s: %s\n", d->items[i].file, d->items[i].path,
					d->items[i].reason);
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
