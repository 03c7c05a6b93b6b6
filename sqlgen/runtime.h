/*
 * runtime.h: the runtime a dialect's generated procedures need.
 *
 * SQL Server: the T-SQL scripts in functions/mssql/NAME.sql, then
 * procs/mssql/NAME.sql, each idempotent and made of GO-separated batches.
 * PostgreSQL: CREATE EXTENSION upkit (and ALTER EXTENSION upkit UPDATE, so an
 * older version in the database is brought up to date), then functions/pg/NAME.sql and
 * procs/pg/NAME.sql.
 */
#ifndef UPKIT_RUNTIME_H
#define UPKIT_RUNTIME_H

#include "dialect.h"
#include "strbuf.h"

/* Append the runtime script for the dialect to out. */
void		upkit_runtime_script(struct strbuf *out, enum upkit_dialect d);

/*
 * The objects of the runtime script besides the PostgreSQL extension
 * (which install reports by its version): one per SQL Server runtime
 * file, dbo.NAME for NAME.sql.  Sets *out (malloc'd) and returns how many.
 */
struct upkit_qname;
int			upkit_runtime_objects(enum upkit_dialect d, struct upkit_qname **out);

/* Append the header comment every generated script starts with. */
void		upkit_script_header(struct strbuf *out, enum upkit_dialect d,
								const char *what);

#endif
