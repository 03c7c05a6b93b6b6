/*
 * kind.h: the registry of spec kinds.  One table (kind.c) says, for each
 * value of a spec's "kind", how to read and validate it, free it, render it
 * for each dialect and what it needs from the database; nothing else in
 * the generator names a kind.
 *
 * Adding a kind (DESIGN.md "Adding a spec kind"): spec_NAME.c with the
 * reader, the destructor and the needs; render_NAME_pg.c and
 * render_NAME_mssql.c (with procs/<dialect>/NAME.sql.in templates) that
 * append the spec's units; and one entry in kind.c.
 */
#ifndef UPKIT_KIND_H
#define UPKIT_KIND_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "dialect.h"
#include "needs.h"
#include "specread.h"
#include "strbuf.h"
#include "units.h"

struct upkit_spec;

/*
 * Append the units of spec (valid for the renderer's dialect) to out.
 * 0, or -1 with a reason in err (a bug or a missing template, not a spec
 * problem: those are found by read).
 */
typedef int (*upkit_render_fn) (struct upkit_units *out, const struct upkit_spec *spec,
								char *err, size_t errn);

struct upkit_kind
{
	const char *name;			/* the value of "kind" */
	/*
	 * Read and validate the document for r->dialect: every problem to r
	 * (sr_problem), carrying on after each.  Returns the kind's struct (the
	 * "body"), or NULL.
	 */
	void	   *(*read) (struct upkit_spec_reader *r, const cJSON *root);
	void		(*free_body) (void *body);
	/* What the body needs from the database, and the objects it creates (needs.h). */
	void		(*needs) (const void *body, struct upkit_spec_needs *n);
	/* One renderer per dialect, indexed by enum upkit_dialect. */
	upkit_render_fn render[UPKIT_DIALECT_COUNT];
};

/* The kind of this name, or NULL. */
const struct upkit_kind *upkit_kind_find(const char *name);
/* Append the known names for a message: "\"insert\", \"delta\"". */
void		upkit_kind_names(struct strbuf *sb);

#endif
