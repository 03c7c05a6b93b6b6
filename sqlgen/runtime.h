/*
 * runtime.h: the runtime a dialect's generated procedures need, as units
 * (units.h).
 *
 * SQL Server: the T-SQL scripts in functions/mssql/NAME.sql, then
 * procs/mssql/NAME.sql, each idempotent and made of GO-separated batches,
 * one unit each (runtime_mssql.c says what each file creates).
 * PostgreSQL: CREATE EXTENSION upkit (and ALTER EXTENSION upkit UPDATE, so an
 * older version in the database is brought up to date), then functions/pg/NAME.sql and
 * procs/pg/NAME.sql (runtime_pg.c).
 */
#ifndef UPKIT_RUNTIME_H
#define UPKIT_RUNTIME_H

#include <stddef.h>

#include "dialect.h"
#include "strbuf.h"
#include "units.h"

/* What one runtime file creates and touches. */
struct upkit_runtime_file
{
	const char *path;			/* "procs/mssql/UPKIT_RESERVE_RECIDS.sql" */
	const char *kind;			/* "procedure", "function", "table" */
	const char *schema;
	const char *name;
	enum upkit_unit_replace replace;
	int			needs_transaction;
	/* Tables its calls touch: up to four, in the object's schema. */
	struct
	{
		const char *name;
		unsigned	access;
	}			tables[4];
};

/* A dialect's runtime: its folders, its files, and units before them. */
struct upkit_runtime
{
	const char *dirs[3];		/* embedded folders, in order; NULL-terminated */
	const struct upkit_runtime_file *files;
	int			n_files;
	void		(*prelude) (struct upkit_units *out);	/* may be NULL */
};

extern const struct upkit_runtime upkit_runtime_pg;
extern const struct upkit_runtime upkit_runtime_mssql;

/*
 * Append the runtime's units for the dialect to out.  0, or -1 with a
 * reason in err (an embedded runtime file that runtime_<dialect>.c does not
 * describe: a bug of this build).
 */
int			upkit_runtime_units(struct upkit_units *out, enum upkit_dialect d,
								char *err, size_t errn);

/* Append the header comment every generated script starts with. */
void		upkit_script_header(struct strbuf *out, enum upkit_dialect d,
								const char *what);

#endif
