/*
 * render.c: spec files to SQL (see render.h): read and validate every file
 * first, report every problem of every file, and render only when all of
 * them are valid; the renderer is chosen by the spec's kind and dialect.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "diag.h"
#include "render.h"
#include "render_insert.h"
#include "spec.h"

static int
render_one(struct strbuf *out, enum upkit_dialect d, const struct upkit_spec *s,
		   char *err, size_t errn)
{
	switch (s->kind)
	{
		case UPKIT_SPEC_INSERT:
			return d == UPKIT_DIALECT_MSSQL ? upkit_render_insert_mssql(out, s, err, errn)
				: upkit_render_insert_pg(out, s, err, errn);
		default:
			snprintf(err, errn, "no renderer for kind \"%s\"", s->kind_name);
			return -1;
	}
}

int
upkit_render_spec_files(struct strbuf *out, enum upkit_dialect d,
						char *const *paths, int n)
{
	struct upkit_diags diags = UPKIT_DIAGS_INIT;
	struct upkit_spec **specs = calloc((size_t) n, sizeof *specs);
	int			failed = 0;

	if (specs == NULL)
		abort();
	for (int i = 0; i < n; i++)
		specs[i] = upkit_spec_read_file(paths[i], d, &diags);
	if (diags.n > 0)
	{
		upkit_diags_print(&diags, stderr);
		upkit_error("%d problem%s in the spec file%s; nothing was generated",
					diags.n, diags.n == 1 ? "" : "s", n == 1 ? "" : "s");
		failed = 1;
	}
	for (int i = 0; i < n && !failed; i++)
	{
		char		err[512];

		sb_append(out, "\n");
		if (render_one(out, d, specs[i], err, sizeof err) != 0)
		{
			upkit_error("%s: %s", paths[i], err);
			failed = 1;
		}
	}
	for (int i = 0; i < n; i++)
		upkit_spec_free(specs[i]);
	free(specs);
	upkit_diags_free(&diags);
	return failed ? -1 : 0;
}
