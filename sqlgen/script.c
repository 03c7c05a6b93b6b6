/*
 * script.c: assemble runtime and rendered specs into one script
 * (see script.h).
 */
#include "render.h"
#include "runtime.h"
#include "script.h"

int
upkit_build_script(struct strbuf *out, enum upkit_dialect d, int with_runtime,
				   struct upkit_spec *const *specs, int nspecs, struct upkit_diags *diags)
{
	upkit_script_header(out, d, nspecs > 0 ? "upkit procedures" : "upkit runtime");
	if (d == UPKIT_DIALECT_MSSQL)
		sb_append(out, "-- Open in SSMS and execute (F5); batches are separated by GO. Installing twice is harmless.\n");
	else
		sb_append(out, "-- Run with psql -v ON_ERROR_STOP=1 -1 -f FILE. Installing twice is harmless.\n");
	if (with_runtime)
		upkit_runtime_script(out, d);
	if (nspecs > 0 && upkit_render_specs(out, d, specs, nspecs, diags) != 0)
		return -1;
	return 0;
}
