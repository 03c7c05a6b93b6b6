/*
 * kind.h: the registry of spec kinds.  One table (kind.c) says, for each
 * value of a spec's "kind", how to read and validate it, free it, render it
 * for each dialect and what it needs from the database; nothing else in
 * the generator names a kind.
 *
 * Adding a kind (DESIGN.md "Adding a spec kind"): spec_NAME.c with the
 * reader, the destructor, the needs and the call (how a plan's job calls
 * its procedure); render_NAME_pg.c and
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

/*
 * How a job of a plan (docs/runner.md) calls a spec's procedure, as the
 * kind says it (the call hook): the runner, the plan reader and the
 * ledger's call builders read only this, so a new kind is called without
 * touching them.
 *
 * The parameters are listed in the order both dialects' templates declare
 * them, before any parameter that has a default and is not passed (INOUT
 * counts, @FORCE): PostgreSQL passes them by position ($1..), SQL Server by
 * name (@NAME = @P1..).  A value comes either from the fan-out (the
 * company of a "standard" job's copy) or from the plan job's "params".
 */
enum upkit_call_source
{
	UPKIT_CALL_COMPANY,			/* the company of the job's copy: the procedure works per company */
	UPKIT_CALL_PARAM			/* the plan job's "params" entry KEY */
};

struct upkit_call_param
{
	const char *name;			/* as declared, without p_ or @: "NUMBERSEQUENCE" */
	enum upkit_call_source source;
	/* UPKIT_CALL_PARAM only: */
	const char *key;			/* its key in "params": "numbersequence" */
	const char *fallback;		/* its value when "params" leaves it out; NULL: required */
	const char *const *choices; /* the values it accepts (NULL-terminated), NULL: any */
	const char *why;			/* for messages: "fills a business number" */
};

#define UPKIT_CALL_MAX_PARAMS 8

struct upkit_call
{
	const struct upkit_qname *procedure;	/* as the spec writes it (in the body) */
	struct upkit_call_param params[UPKIT_CALL_MAX_PARAMS];
	int			n_params;
};

/* Append a parameter (at most UPKIT_CALL_MAX_PARAMS; more is a bug: abort). */
void		upkit_call_add(struct upkit_call *c, struct upkit_call_param p);
/* 1 when the procedure takes the company (the job is "standard"), else 0. */
int			upkit_call_per_company(const struct upkit_call *c);
/* The parameter that "params" sets with key, or NULL. */
const struct upkit_call_param *upkit_call_param_find(const struct upkit_call *c, const char *key);

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
	/* How a plan's job calls the procedure the body renders (above). */
	void		(*call) (const void *body, struct upkit_call *c);
	/* One renderer per dialect, indexed by enum upkit_dialect. */
	upkit_render_fn render[UPKIT_DIALECT_COUNT];
};

/* The kind of this name, or NULL. */
const struct upkit_kind *upkit_kind_find(const char *name);
/* Append the known names for a message: "\"insert\", \"delta\"". */
void		upkit_kind_names(struct strbuf *sb);

#endif
