/*
 * render_updel.h: render an "update" or "delete" spec for a dialect: one
 * procedure of one or more set-based statements.
 *
 * render_updel.c builds what both dialects share (quoted names, company
 * comparisons, join conditions, aggregate joins, EXISTS conditions, the
 * FROM ... JOIN ... WHERE form that checks and T-SQL statements use,
 * comments, the unit); render_updel_pg.c and render_updel_mssql.c hold
 * the statements' dialect forms and fill their templates
 * (procs/<dialect>/update.sql.in, delete.sql.in).  The install-time
 * probes (needs.h) are the same statements with the company parameters
 * replaced by empty literals, so the server checks exactly what will run.
 */
#ifndef UPKIT_RENDER_UPDEL_H
#define UPKIT_RENDER_UPDEL_H

#include <stddef.h>

#include "spec.h"
#include "spec_updel.h"
#include "strbuf.h"
#include "units.h"

struct upkit_updel_words;

struct upkit_updel_ctx
{
	const struct upkit_updel_spec *s;
	const struct upkit_updel_words *w;
	const char *proc_lit;		/* the procedure's name as a literal, for messages */
	int			probe;			/* company parameters as empty literals */
};

struct upkit_updel_words
{
	enum upkit_dialect dialect;
	const char *update_template;
	const char *delete_template;
	const char *param_prefix;	/* p_ / @ */
	int			param_fold;		/* PostgreSQL: parameter names in lower case */
	const char *param_decl;		/* "%s text," / "%s NVARCHAR(4000)," */
	const char *probe_company;	/* '' / N'' */
	/* The statement itself (st's SET items: only one when only >= 0). */
	void		(*update) (struct strbuf *sb, const struct upkit_updel_ctx *c,
						   const struct upkit_updel_stmt *st, int only);
	void		(*delete) (struct strbuf *sb, const struct upkit_updel_ctx *c,
						   const struct upkit_updel_stmt *st);
	/* The run-time uniqueness check before statement i (0-based). */
	void		(*check) (struct strbuf *sb, const struct upkit_updel_ctx *c,
						  const struct upkit_updel_stmt *st, int i);
	/* After statement i: add its row count to the total (and tell it when there are several). */
	void		(*count) (struct strbuf *sb, const struct upkit_updel_ctx *c,
						  const struct upkit_updel_stmt *st, int i);
	/* Refuse a NULL company parameter. */
	void		(*param_check) (struct strbuf *sb, const struct upkit_updel_ctx *c, const char *company);
	void		(*call_example) (struct strbuf *sb, const struct upkit_updel_ctx *c, const char *proc);
	int			needs_transaction_several;	/* several statements: call inside a transaction */
};

/* Append the company parameter's name (or, probing, an empty literal). */
void		upkit_updel_param(struct strbuf *sb, const struct upkit_updel_ctx *c, const char *company);
/* Append "schema.table AS alias". */
void		upkit_updel_table(struct strbuf *sb, const struct upkit_updel_ctx *c,
							  const struct upkit_updel_table *t);
/*
 * Append a join's source: its table, or the aggregate's derived table, with
 * its alias; in is put before each further line (the column it starts at).
 */
void		upkit_updel_join_source(struct strbuf *sb, const struct upkit_updel_ctx *c,
									const struct upkit_updel_join *j, const char *in);
/* Append a join's conditions, each after sep: company, match columns, "on". */
void		upkit_updel_join_conds(struct strbuf *sb, const struct upkit_updel_ctx *c,
								   const struct upkit_updel_join *j, const char *sep);
/* Append the target's conditions, each after sep: company, filter, EXISTS / NOT EXISTS. */
void		upkit_updel_target_conds(struct strbuf *sb, const struct upkit_updel_ctx *c,
									 const struct upkit_updel_stmt *st, const char *sep);
/*
 * Append "  FROM target AS alias\n  JOIN ... ON ...\n WHERE ..." with the
 * joins before upto (all: st->n_joins); first, when not NULL, is the first
 * condition of the WHERE.
 */
void		upkit_updel_from_where(struct strbuf *sb, const struct upkit_updel_ctx *c,
								   const struct upkit_updel_stmt *st, int upto, const char *first);
/* "the join X AS A, the join Y AS B" of the joins marked "check" (for messages). */
void		upkit_updel_checked_joins(struct strbuf *sb, const struct upkit_updel_stmt *st);
/* "SALESLINE (L)": a table for comments and messages, as written. */
void		upkit_updel_table_text(struct strbuf *sb, const struct upkit_updel_table *t);

/* Append the units of spec (an update or delete spec) to out; 0, or -1 with err. */
int			upkit_render_updel(struct upkit_units *out, const struct upkit_spec *spec,
							   const struct upkit_updel_words *w, char *err, size_t errn);

/* The words of each dialect (for the install-time probes). */
extern const struct upkit_updel_words upkit_updel_words_pg;
extern const struct upkit_updel_words upkit_updel_words_mssql;

/* The kind registry's renderers (kind.h). */
int			upkit_render_updel_pg(struct upkit_units *out, const struct upkit_spec *spec,
								  char *err, size_t errn);
int			upkit_render_updel_mssql(struct upkit_units *out, const struct upkit_spec *spec,
									 char *err, size_t errn);

#endif
