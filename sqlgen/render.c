/*
 * render.c: spec files to SQL (see render.h).
 *
 * Spec support arrives with the set-based insert generator; until then a
 * spec file is refused with a clear message rather than ignored.
 */
#include "cli.h"
#include "render.h"

int
upkit_render_spec_files(struct strbuf *out, enum upkit_dialect d,
						char *const *paths, int n)
{
	(void) out;
	(void) d;
	upkit_error("%s: spec files are not supported by this version of upkit", paths[0]);
	(void) n;
	return -1;
}
