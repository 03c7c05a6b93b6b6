/*
 * strbuf.c: growable strings (see strbuf.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

static void
sb_grow(struct strbuf *sb, size_t extra)
{
	size_t		need = sb->len + extra + 1;

	if (need <= sb->cap)
		return;
	if (sb->cap == 0)
		sb->cap = 256;
	while (sb->cap < need)
		sb->cap *= 2;
	sb->data = realloc(sb->data, sb->cap);
	if (sb->data == NULL)
	{
		fputs("upkit: out of memory\n", stderr);
		abort();
	}
}

void
sb_append_len(struct strbuf *sb, const char *s, size_t n)
{
	sb_grow(sb, n);
	memcpy(sb->data + sb->len, s, n);
	sb->len += n;
	sb->data[sb->len] = '\0';
}

void
sb_append(struct strbuf *sb, const char *s)
{
	sb_append_len(sb, s, strlen(s));
}

void
sb_appendf(struct strbuf *sb, const char *fmt, ...)
{
	va_list		ap;
	int			n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	sb_grow(sb, (size_t) n);
	va_start(ap, fmt);
	vsnprintf(sb->data + sb->len, (size_t) n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t) n;
}

void
sb_free(struct strbuf *sb)
{
	free(sb->data);
	sb->data = NULL;
	sb->len = sb->cap = 0;
}

const char *
sb_str(const struct strbuf *sb)
{
	return sb->data ? sb->data : "";
}

char *
xstrdup(const char *s)
{
	char	   *r = strdup(s);

	if (r == NULL)
	{
		fputs("upkit: out of memory\n", stderr);
		abort();
	}
	return r;
}

char *
xstrdup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void *
xrealloc(void *p, size_t n)
{
	void	   *r;

	if (n == 0)
	{
		free(p);
		return NULL;
	}
	r = realloc(p, n);
	if (r == NULL)
	{
		fputs("upkit: out of memory\n", stderr);
		abort();
	}
	return r;
}
