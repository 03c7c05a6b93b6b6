/*
 * render_insert.h: render an "insert" spec as a procedure for a dialect.
 *
 * render_insert.c builds the parts both dialects share (quoted names,
 * column lists, WHERE, ORDER BY, comments) from a table of dialect words;
 * render_insert_pg.c and render_insert_mssql.c hold those words and fill
 * their template (procs/pg/insert.sql.in, procs/mssql/insert.sql.in).
 */
#ifndef UPKIT_RENDER_INSERT_H
#define UPKIT_RENDER_INSERT_H

#include <stddef.h>

#include "fill.h"
#include "spec.h"
#include "strbuf.h"
#include "units.h"

/* What differs between the dialects' generated SQL, besides the template. */
struct upkit_insert_words
{
	enum upkit_dialect dialect;
	const char *template_path;
	const char *dataareaid_param;	/* p_dataareaid / @DATAAREAID */
	const char *row_alias;		/* alias of the numbered rows in the INSERT */
	const char *first_recid;	/* v_first_recid / @FIRST_RECID */
	const char *fmt_call;		/* printf format; a %s in it is the row number */
	const char *step_insert_seq;	/* step number of the INSERT with a sequence */
	const char *step_insert_noseq;
	/* Idempotency (the spec's "rerun"). */
	const char *ax_tables_schema;	/* schema of DATAAREA, NUMBERSEQUENCETABLE; NULL: the spec's ax_schema */
	const char *no_company;		/* the record's company for a procedure without one */
	const char *company_fmt;	/* PostgreSQL: " for company \"%\"" in a RAISE format */
	const char *company_arg;	/* PostgreSQL: its argument, " p_dataareaid," */
	const char *company_msg;	/* SQL Server: " + N' for company ...'" appended to a message */
	/* Append the header's example call of the procedure. */
	void		(*call_example) (struct strbuf *sb, const char *proc, int has_daid, int has_seq);
	/* The unit (units.h). */
	int			needs_transaction;	/* a call must be inside the caller's transaction */
	const char *runs_schema;	/* the runtime's record of calls, as stored */
	const char *runs_table;
};

/* Append the procedure's unit for spec (an insert spec) to out; 0, or -1 with err. */
int			upkit_render_insert(struct upkit_units *out, const struct upkit_spec *spec,
								const struct upkit_insert_words *w, char *err, size_t errn);

/* The kind registry's renderers (kind.h). */
int			upkit_render_insert_pg(struct upkit_units *out, const struct upkit_spec *spec,
								   char *err, size_t errn);
int			upkit_render_insert_mssql(struct upkit_units *out, const struct upkit_spec *spec,
									  char *err, size_t errn);

#endif
