/*
 * render_delta.h: render a "delta" spec for a dialect: the classification
 * function, the read-only report and the delta procedure.
 *
 * render_delta.c builds the parts both dialects share (quoted names, the
 * shadow's column and value lists, lookup joins, comments) from a table of
 * dialect words; render_delta_pg.c and render_delta_mssql.c hold those
 * words, the content hash of their engine and the header's examples of
 * calling the objects in their engine's syntax, and fill their template
 * (procs/pg/delta.sql.in, procs/mssql/delta.sql.in).
 */
#ifndef UPKIT_RENDER_DELTA_H
#define UPKIT_RENDER_DELTA_H

#include <stddef.h>

#include "spec.h"
#include "spec_delta.h"
#include "strbuf.h"
#include "units.h"

/* The objects of a delta spec, one unit each (units.h). */
#define UPKIT_DELTA_UNITS 5

struct upkit_delta_unit
{
	const char *key;			/* the template's "--#unit KEY" */
	const char *kind;			/* "function", "procedure" */
	const char *suffix;			/* appended to the procedure's name */
	int			needs_transaction;
	unsigned	shadow_access;	/* besides reading it */
	struct
	{
		const char *schema;
		const char *name;
		unsigned	access;
	}			state[2];		/* the runtime's state tables it touches */
};

/* The header's examples of calling the objects: the template's CALL_EXAMPLE, ... */
enum upkit_delta_example
{
	UPKIT_DELTA_EX_CALL,		/* the procedure */
	UPKIT_DELTA_EX_REPORT,		/* the report, with the RECIDs */
	UPKIT_DELTA_EX_READY,		/* the ready check */
	UPKIT_DELTA_EX_LIVE,		/* the live fill */
	UPKIT_DELTA_EX_LIVE_PAUSE,	/* pausing it */
	UPKIT_DELTA_EXAMPLES
};

/* What the examples name, as render_delta.c spells it for the dialect. */
struct upkit_delta_example_of
{
	int			per_company;	/* the objects take a company ('dat' in the examples) */
	const char *proc;			/* the objects, quoted and qualified */
	const char *report;
	const char *ready;
	const char *live;
	const char *shadow_lit;		/* the shadow's name, a literal */
	const char *scope_lit;		/* the live fill's companies: 'dat', or a shared spec's list */
};

struct upkit_delta_words
{
	enum upkit_dialect dialect;
	const char *template_path;
	const char *company_param;	/* p_dataareaid / @DATAAREAID */
	const char *company_decl;	/* p_dataareaid text / @DATAAREAID NVARCHAR(4000) */
	const char *col_recid;		/* the source's system columns, quoted */
	const char *col_recversion;
	const char *col_dataareaid;
	const char *changes_hash;	/* the changed rows' hash column: c.content_hash */
	const char *concat;			/* string concatenation operator */
	const char *null_hash;		/* the hash of recversion detection */
	const char *source_alias;	/* the templates' aliases of the source */
	const char *shadow_alias;	/* and of the shadow: s, t / S, T */
	/* Append the content hash of alias's columns (already checked). */
	void		(*hash) (struct strbuf *sb, const char *alias, const struct upkit_delta_spec *s);
	/* Append the header's examples, one a strbuf (enum upkit_delta_example). */
	void		(*examples) (struct strbuf ex[UPKIT_DELTA_EXAMPLES], const struct upkit_delta_example_of *x);
	struct upkit_delta_unit units[UPKIT_DELTA_UNITS];
};

/* Append the objects' units for spec (a delta spec) to out; 0, or -1 with err. */
int			upkit_render_delta(struct upkit_units *out, const struct upkit_spec *spec,
							   const struct upkit_delta_words *w, char *err, size_t errn);

/* The kind registry's renderers (kind.h). */
int			upkit_render_delta_pg(struct upkit_units *out, const struct upkit_spec *spec,
								  char *err, size_t errn);
int			upkit_render_delta_mssql(struct upkit_units *out, const struct upkit_spec *spec,
									 char *err, size_t errn);

#endif
