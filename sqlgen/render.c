/*
 * render.c: spec files to SQL (see render.h): read and validate every file
 * first, so that every problem of every file is reported, and render only
 * valid specs; the renderer is chosen by the spec's kind and dialect.
 */
#include <stdio.h>
#include <stdlib.h>

#include "render.h"
#include "render_delta.h"
#include "render_insert.h"

static int
render_one(struct strbuf *out, enum upkit_dialect d, const struct upkit_spec *s,
		   char *err, size_t errn)
{
	switch (s->kind)
	{
		case UPKIT_SPEC_INSERT:
			return d == UPKIT_DIALECT_MSSQL ? upkit_render_insert_mssql(out, s, err, errn)
				: upkit_render_insert_pg(out, s, err, errn);
		case UPKIT_SPEC_DELTA:
			return d == UPKIT_DIALECT_MSSQL ? upkit_render_delta_mssql(out, s, err, errn)
				: upkit_render_delta_pg(out, s, err, errn);
		default:
			snprintf(err, errn, "no renderer for kind \"%s\"", s->kind_name);
			return -1;
	}
}

struct upkit_spec **
upkit_specs_read(char *const *paths, int n, enum upkit_dialect d, struct upkit_diags *diags)
{
	struct upkit_spec **specs = calloc((size_t) n + 1, sizeof *specs);

	if (specs == NULL)
		abort();
	for (int i = 0; i < n; i++)
		specs[i] = upkit_spec_read_file(paths[i], d, diags);
	return specs;
}

void
upkit_specs_free(struct upkit_spec **specs, int n)
{
	if (specs == NULL)
		return;
	for (int i = 0; i < n; i++)
		upkit_spec_free(specs[i]);
	free(specs);
}

int
upkit_render_specs(struct strbuf *out, enum upkit_dialect d, struct upkit_spec *const *specs,
				   int n, struct upkit_diags *diags)
{
	for (int i = 0; i < n; i++)
	{
		char		err[512];

		sb_append(out, "\n");
		if (render_one(out, d, specs[i], err, sizeof err) != 0)
		{
			upkit_diag_add(diags, specs[i]->file, "$", "%s", err);
			return -1;
		}
	}
	return 0;
}
