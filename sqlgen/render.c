/*
 * render.c: spec files to units (see render.h): check every spec first,
 * so that every problem of every file is reported, and render only valid
 * specs; the renderer is the spec's kind's for the dialect (kind.h).
 */
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "runtime.h"

struct upkit_spec **
upkit_specs_read(char *const *paths, int n, struct upkit_diags *diags)
{
	struct upkit_spec **specs = calloc((size_t) n + 1, sizeof *specs);

	if (specs == NULL)
		abort();
	for (int i = 0; i < n; i++)
		specs[i] = upkit_spec_load_file(paths[i], diags);
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
upkit_specs_check(struct upkit_spec *const *specs, int n, enum upkit_dialect d,
				  struct upkit_diags *diags)
{
	int			bad = 0;

	for (int i = 0; i < n; i++)
		if (specs[i] == NULL || upkit_spec_check(specs[i], d, diags) != 0)
			bad = 1;
	return bad ? -1 : 0;
}

/* A blank line before each spec's part of the script: printed, never sent. */
static void
lead_blank_line(struct upkit_unit *u)
{
	struct strbuf t = STRBUF_INIT;

	sb_append(&t, "\n");
	sb_append_len(&t, sb_str(&u->text), u->text.len);
	sb_free(&u->text);
	u->text = t;
	u->text_lines++;
	for (int i = 0; i < u->n_batches; i++)
		u->batch_lines[i]++;
}

int
upkit_render_units(struct upkit_units *out, enum upkit_dialect d, int with_runtime,
				   struct upkit_spec *const *specs, int n, struct upkit_diags *diags)
{
	char		err[512];

	if (upkit_specs_check(specs, n, d, diags) != 0)
		return -1;
	if (with_runtime && upkit_runtime_units(out, d, err, sizeof err) != 0)
	{
		upkit_diag_msg(diags, "%s", err);
		return -1;
	}
	for (int i = 0; i < n; i++)
	{
		int			first = out->n;

		if (specs[i]->kind->render[d](out, specs[i], err, sizeof err) != 0)
		{
			upkit_diag_add(diags, specs[i]->file, "$", "%s", err);
			return -1;
		}
		if (out->n > first)
			lead_blank_line(&out->items[first]);
	}
	return 0;
}
