/*
 * render.h: spec files to units (units.h), for any dialect.
 *
 * The entry points for every command (generate, install, the runner):
 *   specs = upkit_specs_read(paths, n, &diags);          read once
 *   upkit_render_units(&units, d, with_runtime, specs, n, &diags);
 *   then print them (script.h) or install them (install.h).
 * Nothing here prints: problems go to the caller's diag list (diag.h).
 */
#ifndef UPKIT_RENDER_H
#define UPKIT_RENDER_H

#include "diag.h"
#include "dialect.h"
#include "spec.h"
#include "units.h"

/*
 * Read and parse every file (upkit_spec_load_file), adding every problem
 * of every file to diags.  Returns an array of n specs (an entry is NULL
 * for a file that could not be parsed); free it with upkit_specs_free.
 */
struct upkit_spec **upkit_specs_read(char *const *paths, int n, struct upkit_diags *diags);
void		upkit_specs_free(struct upkit_spec **specs, int n);

/*
 * Check every spec for the dialect (upkit_spec_check), adding every
 * problem of every spec to diags.  0 when all are valid (none NULL), else -1.
 */
int			upkit_specs_check(struct upkit_spec *const *specs, int n, enum upkit_dialect d,
							  struct upkit_diags *diags);

/*
 * The units for a dialect: the runtime's (with_runtime), then each spec's,
 * in order.  Checks the specs first (upkit_specs_check) and renders only
 * when all are valid.  Returns 0, or -1 with every problem added to diags
 * (out may then hold some units; free it anyway).
 */
int			upkit_render_units(struct upkit_units *out, enum upkit_dialect d, int with_runtime,
							   struct upkit_spec *const *specs, int n, struct upkit_diags *diags);

#endif
