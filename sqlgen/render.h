/*
 * render.h: turn spec files into SQL for a dialect.
 *
 * Nothing here prints: problems go to the caller's diag list (diag.h).
 */
#ifndef UPKIT_RENDER_H
#define UPKIT_RENDER_H

#include "diag.h"
#include "dialect.h"
#include "spec.h"
#include "strbuf.h"

/*
 * Read and validate every file for the dialect, adding every problem of
 * every file to diags.  Returns an array of n specs (an entry is NULL for
 * a file with a problem); free it with upkit_specs_free.
 */
struct upkit_spec **upkit_specs_read(char *const *paths, int n, enum upkit_dialect d,
									 struct upkit_diags *diags);
void		upkit_specs_free(struct upkit_spec **specs, int n);

/*
 * Render each spec (all valid), appending the SQL to out.  Returns 0, or -1
 * with the reason added to diags.
 */
int			upkit_render_specs(struct strbuf *out, enum upkit_dialect d,
							   struct upkit_spec *const *specs, int n, struct upkit_diags *diags);

#endif
