/*
 * spec_problems.h: helpers for the spec reader tests.  The including test
 * defines base_head, the start of a spec the helpers complete, before
 * including this file.
 *
 *   problems_of(rest, d, &diags)   read base_head + rest; the problem count
 *   expect_problem(rest, d, path, text, name)
 *                                  one TAP test: a problem at path whose
 *                                  reason contains text
 */
#ifndef UPKIT_SPEC_PROBLEMS_H
#define UPKIT_SPEC_PROBLEMS_H

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "spec.h"
#include "tap.h"

/* Read base_head + rest, for dialect d; returns the number of problems. */
static int
problems_of(const char *rest, enum upkit_dialect d, struct upkit_diags *diags)
{
	char	   *text = malloc(strlen(base_head) + strlen(rest) + 1);
	struct upkit_spec *s;

	strcpy(text, base_head);
	strcat(text, rest);
	upkit_diags_free(diags);
	s = upkit_spec_read_text("t.json", text, d, diags);
	free(text);
	upkit_spec_free(s);
	return diags->n;
}

static void
expect_problem(const char *rest, enum upkit_dialect d, const char *path, const char *text,
			   const char *name)
{
	struct upkit_diags diags = UPKIT_DIAGS_INIT;

	problems_of(rest, d, &diags);
	if (!ok(upkit_diags_has(&diags, path, text), name))
	{
		printf("#   wanted %s: ...%s...\n", path, text);
		for (int i = 0; i < diags.n; i++)
			printf("#   got %s: %s\n", diags.items[i].path, diags.items[i].reason);
	}
	upkit_diags_free(&diags);
}

#endif
