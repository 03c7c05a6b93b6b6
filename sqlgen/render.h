/*
 * render.h: turn spec files into SQL for a dialect.
 */
#ifndef UPKIT_RENDER_H
#define UPKIT_RENDER_H

#include "dialect.h"
#include "strbuf.h"

/*
 * Read, validate and render each spec file, appending the SQL to out.
 * Every problem in every file is reported on stderr; returns 0, or -1 when
 * any file had a problem.
 */
int			upkit_render_spec_files(struct strbuf *out, enum upkit_dialect d,
									char *const *paths, int n);

#endif
