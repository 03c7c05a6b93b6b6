/*
 * script.c: print units as one script (see script.h).
 */
#include "runtime.h"
#include "script.h"

void
upkit_script_print(struct strbuf *out, enum upkit_dialect d, int nspecs,
				   const struct upkit_units *units)
{
	upkit_script_header(out, d, nspecs > 0 ? "upkit procedures" : "upkit runtime");
	sb_append(out, upkit_dialect_words(d)->run_hint);
	upkit_units_print(units, out);
}
