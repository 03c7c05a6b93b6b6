/*
 * strbuf.h: a growable, always NUL-terminated string, and xstrdup.  Allocation failure
 * aborts the command (there is nothing sensible to do about it).
 */
#ifndef UPKIT_STRBUF_H
#define UPKIT_STRBUF_H

#include <stddef.h>

struct strbuf
{
	char	   *data;
	size_t		len;
	size_t		cap;
};

#define STRBUF_INIT {NULL, 0, 0}

void		sb_append(struct strbuf *sb, const char *s);
void		sb_append_len(struct strbuf *sb, const char *s, size_t n);
void		sb_appendf(struct strbuf *sb, const char *fmt, ...)
			__attribute__((format(printf, 2, 3)));
void		sb_free(struct strbuf *sb);
/* strdup that aborts on allocation failure, like the buffer functions. */
char	   *xstrdup(const char *s);
/* The same, NULL for NULL. */
char	   *xstrdup_or_null(const char *s);

/* Make room for one more element at arr[n] (realloc; aborts on failure). */
#define XGROW(arr, n) ((arr) = xrealloc((arr), sizeof *(arr) * (size_t) ((n) + 1)))
/* realloc that aborts on allocation failure (n == 0 frees and returns NULL). */
void	   *xrealloc(void *p, size_t n);

/* The contents; "" for an empty buffer, never NULL. */
const char *sb_str(const struct strbuf *sb);

#endif
