/*
 * script.h: the whole script that generate prints and install runs: an
 * optional runtime, then one part per spec.
 */
#ifndef UPKIT_SCRIPT_H
#define UPKIT_SCRIPT_H

#include "diag.h"
#include "dialect.h"
#include "spec.h"
#include "strbuf.h"

/*
 * Build the script for the dialect into out, from specs read and validated
 * for it (render.h, upkit_specs_read).  Returns 0, or -1 with the reason
 * added to diags; out is then incomplete and must not be used.
 */
int			upkit_build_script(struct strbuf *out, enum upkit_dialect d, int with_runtime,
							   struct upkit_spec *const *specs, int nspecs,
							   struct upkit_diags *diags);

#endif
