/*
 * script.h: the whole script that generate prints and install runs: an
 * optional runtime, then one part per spec file.
 */
#ifndef UPKIT_SCRIPT_H
#define UPKIT_SCRIPT_H

#include "dialect.h"
#include "strbuf.h"

/*
 * Build the script for the dialect into out.  Spec problems are reported on
 * stderr (all of them, with file, JSON path and reason).  Returns 0, or -1
 * when any spec was invalid; out is then incomplete and must not be used.
 */
int			upkit_build_script(struct strbuf *out, enum upkit_dialect d,
							   int with_runtime, char *const *specs, int nspecs);

#endif
