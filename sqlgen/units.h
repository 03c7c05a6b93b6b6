/*
 * units.h: what rendering hands to printing and to installing.
 *
 * Rendering (render.h) turns the runtime and every spec into a list of
 * units, one per object created: a procedure, a function, a table, the
 * PostgreSQL extension.  A unit carries everything a caller needs without
 * reading the SQL back: the object (kind, schema, name as the dialect
 * stores them), its dialect, the text "upkit generate" prints for it, the
 * batches "upkit install" sends (in order; on SQL Server the text's GO
 * lines separate them and are never sent, on PostgreSQL a unit is one
 * batch), whether the object must be called inside the caller's
 * transaction, the tables it touches and how, and the TABIDs whose
 * SYSTEMSEQUENCES row it locks.
 *
 * Printing is the units' texts one after the other (script.h); the
 * batches are the same bytes without the GO lines.  Both are built from
 * the templates and runtime files at render time (fill.h,
 * upkit_unit_append_script), never by scanning generated output.
 */
#ifndef UPKIT_UNITS_H
#define UPKIT_UNITS_H

#include "dialect.h"
#include "specread.h"
#include "strbuf.h"

/* How a unit's object touches a table: row access, as a bit set. */
enum upkit_access
{
	UPKIT_ACCESS_CREATE = 1,	/* inserts rows (or creates the table) */
	UPKIT_ACCESS_READ = 2,
	UPKIT_ACCESS_UPDATE = 4,
	UPKIT_ACCESS_DELETE = 8
};

struct upkit_unit_table
{
	struct upkit_qname name;	/* as the dialect stores it (folded) */
	unsigned	access;			/* enum upkit_access bits */
};

/* What installing does to an object that exists already. */
enum upkit_unit_replace
{
	UPKIT_UNIT_REPLACES = 0,	/* dropped and created again, or CREATE OR REPLACE */
	UPKIT_UNIT_KEEPS			/* created only when missing (a table that holds data) */
};

struct upkit_unit
{
	/* The object created. */
	char	   *kind;			/* "procedure", "function", "table", "extension" */
	struct upkit_qname object;	/* as the dialect stores it; schema NULL for the extension */
	enum upkit_unit_replace replace;
	enum upkit_dialect dialect;
	char	   *spec;			/* the spec file it comes from; NULL for the runtime */
	char	   *source;			/* where its text comes from: "procs/mssql/X.sql", a template */
	/* Its SQL. */
	struct strbuf text;			/* what generate prints, GO lines included */
	char	  **batches;		/* what install sends, in order */
	int		   *batch_lines;	/* the line of text each batch starts on (1-based) */
	int			n_batches;
	struct strbuf pending;		/* the batch being built */
	int			pending_line;	/* the line of text it starts on */
	int			text_lines;		/* line ends in text so far */
	/* What running (calling) the object does. */
	int			needs_transaction;	/* call it inside the caller's transaction */
	struct upkit_unit_table *tables;
	int			n_tables;
	long long  *tabids;			/* SYSTEMSEQUENCES rows (TABID, ID -1) it locks */
	int			n_tabids;
};

struct upkit_units
{
	struct upkit_unit *items;
	int			n;
};

#define UPKIT_UNITS_INIT {NULL, 0}

/*
 * Add a unit for an object (schema may be NULL); names are copied as they
 * are (the caller folds them for the dialect).  Returns the new unit (the
 * last of items), valid until the next add moves the list.
 */
struct upkit_unit *upkit_unit_add(struct upkit_units *us, enum upkit_dialect d, const char *kind,
						   const char *schema, const char *name, const char *spec,
						   const char *source);
/* Record a table access; accesses to the same table are merged. */
void		upkit_unit_table(struct upkit_unit *u, const char *schema, const char *name,
							 unsigned access);
/* The same for a name as a spec writes it: folded for the unit's dialect first. */
void		upkit_unit_table_as_written(struct upkit_unit *u, const char *schema, const char *name,
										unsigned access);
void		upkit_unit_tabid(struct upkit_unit *u, long long tabid);

/* Text that is printed and sent (part of the current batch). */
void		upkit_unit_append(struct upkit_unit *u, const char *s, size_t n);
/* Text that is printed only: a batch separator line, a blank line between parts. */
void		upkit_unit_print(struct upkit_unit *u, const char *s, size_t n);
/* End the current batch; a batch of only blanks and comments is not kept (nothing to send). */
void		upkit_unit_end_batch(struct upkit_unit *u);
/*
 * Append a script of our own (a runtime file): its lines are printed as
 * they are, a T-SQL GO line (upkit_is_go_line) ends a batch.  Only for the
 * files shipped in functions/ and procs/, never for generated text.
 */
void		upkit_unit_append_script(struct upkit_unit *u, const char *text, size_t n);

/* Append every unit's text to out, in order (what generate prints after the header). */
void		upkit_units_print(const struct upkit_units *us, struct strbuf *out);
/* Append all of src's units to dst (src is emptied). */
void		upkit_units_move(struct upkit_units *dst, struct upkit_units *src);
/* "created/read/updated/deleted" words for an access set, e.g. "read, update". */
void		upkit_access_words(struct strbuf *sb, unsigned access);
void		upkit_units_free(struct upkit_units *us);

#endif
