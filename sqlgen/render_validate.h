/*
 * render_validate.h: render a "validate" spec for a dialect: one procedure
 * that runs each check as one set-based statement and logs what it finds
 * in the validation log (DESIGN.md "Readiness checks and the validation
 * log").
 *
 * render_validate.c builds what both dialects share: each check's query of
 * bad rows (RECID, DATAAREAID, key text, detail text) from the dialect's
 * words, the comments, the variables; render_validate_pg.c and
 * render_validate_mssql.c hold the words, the type checks of "fits" and
 * the statement that stores a check's details and logs its count, and fill
 * their template (procs/pg/validate.sql.in, procs/mssql/validate.sql.in).
 */
#ifndef UPKIT_RENDER_VALIDATE_H
#define UPKIT_RENDER_VALIDATE_H

#include <stddef.h>

#include "spec.h"
#include "spec_validate.h"
#include "strbuf.h"
#include "units.h"

/* What a check's statement needs besides its query of bad rows. */
struct upkit_validate_step
{
	const struct upkit_validate_check *check;
	int			number;			/* 1-based, for comments */
	const char *bad;			/* the query of bad rows: upkit_recid, upkit_dataareaid, upkit_key, upkit_detail */
	const char *id_lit;			/* literals */
	const char *level_lit;
	const char *message_lit;
	const char *resolution_lit;
	const char *fits_prelude;	/* "fits": what reads the target's type first; else "" */
};

/*
 * "unique": what the dialect needs to list the rows of the duplicate groups
 * in one read of the table (every expression over the check's alias).
 */
struct upkit_validate_dups
{
	const char *from;			/* the table AS alias */
	const char *where;			/* the rows that count: company, where, no NULL column */
	const char *by;				/* the group: the index's columns (and DATAAREAID) */
	const char *recid;			/* the row's RECID */
	const char *dataareaid;		/* its DATAAREAID (a group column) or a NULL text */
	const char *key;			/* its key text */
	int			key_by_group;	/* the key is made of group columns only */
};

struct upkit_validate_words
{
	enum upkit_dialect dialect;
	const char *template_path;
	const char *company_param;	/* p_dataareaid / @DATAAREAID */
	const char *concat;			/* string concatenation operator, with blanks */
	const char *count;			/* count(*) / COUNT_BIG(*) */
	const char *null_text;		/* a NULL of the text type */
	const char *indent;			/* of a check's statement in the procedure's body */
	/* Append expr as text / as an exact number wide enough for any bigint sum. */
	void		(*text) (struct strbuf *sb, const char *expr);
	void		(*exact) (struct strbuf *sb, const char *expr);
	/* Append the number of '#' in fmt / the number of digits of a whole number. */
	void		(*slots) (struct strbuf *sb, const char *fmt);
	void		(*digits) (struct strbuf *sb, const char *num);
	/*
	 * "fits": append what reads the target's limits (prelude), the
	 * predicate of a value that does not fit and the detail text; col is
	 * the qualified column, name_lit its name as a literal.
	 */
	void		(*fits) (struct strbuf *prelude, struct strbuf *pred, struct strbuf *detail,
						 const struct upkit_validate_check *k, const char *col, const char *name_lit);
	/* Append the statement of one check (the template's CHECKS is these, in order). */
	void		(*step) (struct strbuf *sb, const struct upkit_validate_step *st);
	/*
	 * "unique": append a query of the rows of the groups with more than one
	 * row: upkit_recid, upkit_dataareaid, upkit_key and upkit_n (the group's
	 * row count), reading the table once.
	 */
	void		(*duplicates) (struct strbuf *sb, const struct upkit_validate_dups *d);
	/* Log tables the procedure writes, as the dialect names them. */
	const char *log_schema;
	const char *log_tables[3];
};

/* Append text with indent before each of its lines. */
void		upkit_validate_indent(struct strbuf *sb, const char *text, const char *indent);

int			upkit_render_validate(struct upkit_units *out, const struct upkit_spec *spec,
								  const struct upkit_validate_words *w, char *err, size_t errn);

/* The kind registry's renderers (kind.h). */
int			upkit_render_validate_pg(struct upkit_units *out, const struct upkit_spec *spec,
									 char *err, size_t errn);
int			upkit_render_validate_mssql(struct upkit_units *out, const struct upkit_spec *spec,
										char *err, size_t errn);

#endif
