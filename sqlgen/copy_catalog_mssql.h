/*
 * copy_catalog_mssql.h: what the copy asks of a SQL Server database
 * (copy_catalog_mssql.c): its tables and columns from sys.tables,
 * sys.columns and sys.types, SQLDICTIONARY's table ids, and the readiness
 * of an affected table ([dbo].[UPKIT_DELTA_STATE], or the mapping file's
 * generated NAME_READY function).
 *
 * The answers go through one builder whether they come from a server or
 * from a fixture file (a JSON description of the same rows), so the
 * mapping, --explain and the type mapping are tested without a server.
 * Column types are spelt for the other side of the copy: SQL Server's
 * spelling for a SQL Server target, the PostgreSQL mapping
 * (copy_mssql_types.c) for a PostgreSQL one, so that the mapping rules
 * (copy_map.c) compare like with like and report a mismatch per field.
 */
#ifndef UPKIT_COPY_CATALOG_MSSQL_H
#define UPKIT_COPY_CATALOG_MSSQL_H

#include "conn.h"
#include "copy_map.h"
#include "diag.h"

/*
 * From rows: cols has TABLE, COLUMN, TYPE, MAX_LENGTH, PRECISION, SCALE,
 * IS_NULLABLE (0/1), HAS_DEFAULT (0/1), ordered by table then column
 * position; dict (NULL: no SQLDICTIONARY) has NAME, TABLEID.  A malformed
 * row is a problem in diags naming its index (what is where).  0 or -1.
 */
int			copy_catalog_mssql_build(const char *what, const char *schema,
									 const struct upkit_rows *cols, const struct upkit_rows *dict,
									 enum upkit_dialect spell, struct copy_db_desc *out,
									 struct upkit_diags *diags);

/* From a server: base tables of schema.  0, or -1 with the reason in diags. */
int			copy_catalog_mssql_read(struct upkit_conn *c, const char *schema,
									enum upkit_dialect spell, struct copy_db_desc *out,
									struct upkit_diags *diags);

/*
 * From a fixture file:
 *   {"schema": "dbo",
 *    "columns": [["CUSTTABLE", "ACCOUNTNUM", "nvarchar", 40, 0, 0, 0, 1], ...],
 *    "dictionary": [["CUSTTABLE", 77], ...],          (optional)
 *    "delta_state": [["dbo.SHD_CUSTTABLE", "dat", 1], ...]}   (optional)
 * 0, or -1 with problems in diags (file, JSON path, reason).
 */
int			copy_catalog_mssql_fixture(const char *path, enum upkit_dialect spell,
									   struct copy_db_desc *out, struct upkit_rows *delta_state,
									   struct upkit_diags *diags);

/*
 * Readiness from [dbo].[UPKIT_DELTA_STATE]'s rows for one shadow table
 * (DATAAREAID, READY_TO_COPY): ready when there is a row and every row is
 * ready.  1 or 0; note says how it was decided and, when not, why.
 */
int			copy_catalog_mssql_ready_rows(const struct upkit_rows *state, const char *shadow_key,
										  struct strbuf *note);

/* Is the affected table t ready for copy on the server?  1, 0, -1 (c->error). */
int			copy_catalog_mssql_ready(struct upkit_conn *c, const char *schema,
									 const struct copy_table_map *t, struct strbuf *note);

#endif
