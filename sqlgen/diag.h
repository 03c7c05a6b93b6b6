/*
 * diag.h: collect the problems found in spec files, so that every problem
 * is reported, not just the first.
 *
 * A problem names the file, a JSON path into it ("$.mapping[2].expr", "$"
 * for the file as a whole) and a reason.  upkit_diags_print writes them as
 *
 *     upkit: specs/x.json: $.mapping[2].expr: expression contains ';' ...
 *
 * in the order they were found.  The library reports every problem this
 * way and never prints: only the command writes the list out.  A problem
 * that belongs to no file (a failed connection, a server error) has no
 * file and no path and prints as "upkit: REASON".
 */
#ifndef UPKIT_DIAG_H
#define UPKIT_DIAG_H

#include <stdio.h>

struct upkit_diag
{
	char	   *file;
	char	   *path;
	char	   *reason;
};

struct upkit_diags
{
	struct upkit_diag *items;
	int			n;
};

#define UPKIT_DIAGS_INIT {NULL, 0}

/* Add a problem; path may be NULL (taken as "$"). */
void		upkit_diag_add(struct upkit_diags *d, const char *file, const char *path,
						   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Add a problem that belongs to no spec file. */
void		upkit_diag_msg(struct upkit_diags *d, const char *fmt, ...)
			__attribute__((format(printf, 2, 3)));
/* Print every problem to f, one a line, as "upkit: FILE: PATH: REASON" (or "upkit: REASON"). */
void		upkit_diags_print(const struct upkit_diags *d, FILE *f);
/* Every problem on one line, "FILE: PATH: REASON; ...", appended to out (a struct strbuf). */
struct strbuf;
void		upkit_diags_text(const struct upkit_diags *d, struct strbuf *out);
/* Does any problem mention this path and contain this text in its reason? */
int			upkit_diags_has(const struct upkit_diags *d, const char *path, const char *text);
void		upkit_diags_free(struct upkit_diags *d);

#endif
