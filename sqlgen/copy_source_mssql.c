/*
 * copy_source_mssql.c: a SQL Server database as the source of a copy
 * (copy_side.h).  The catalog and readiness are copy_catalog_mssql.c's;
 * the SELECT is the shared one (copy_plan.c) rendered in T-SQL: [quoted]
 * names, LTRIM for the ltrim option, the same shadow joins.
 *
 * Rows are read with db-lib (after SET TEXTSIZE 2147483647, so that no
 * (max), text or image value is cut short): dbcmd / dbsqlexec / dbresults, then dbnextrow
 * and, per column, dbcoltype, dbdata and dbdatlen: each value handed over
 * as db-lib holds it (a NULL is dbdata() == NULL), for the target to write
 * (COPY text on PostgreSQL, bcp on SQL Server).
 *
 * SQL Server cannot hand one session's snapshot to another, so the ranges
 * are read in autocommit READ COMMITTED, each by its own statement: copy
 * from a source no one writes to (as the upgrade does); the counts compared
 * after the copy (copy_run.c) report a source that changed meanwhile.
 */
#include <stdlib.h>

#include "conn_mssql.h"
#include "copy_catalog_mssql.h"
#include "copy_side.h"

static int
ms_plan_begin(struct upkit_conn *src, char **snapshot)
{
	(void) src;
	*snapshot = NULL;
	return 0;
}

static long long
ms_estimate(struct upkit_conn *c, const char *schema, const char *table)
{
	const char *p[] = {schema, table};
	struct strbuf v = STRBUF_INIT;
	long long	n = -1;

	if (upkit_query_value(c, "SELECT SUM(p.[rows]) FROM sys.partitions AS p"
						  " JOIN sys.tables AS t ON t.[object_id] = p.[object_id]"
						  " JOIN sys.schemas AS s ON s.[schema_id] = t.[schema_id]"
						  " WHERE s.[name] = @P1 AND t.[name] = @P2 AND p.[index_id] IN (0, 1)",
						  2, p, &v) == 1 && sb_str(&v)[0])
		n = atoll(sb_str(&v));
	sb_free(&v);
	return n;
}

/* LTRIM keeps its argument's type (nvarchar(n) stays nvarchar(n)). */
static void
ms_ltrim(struct strbuf *sb, const char *expr, const char *type)
{
	(void) type;
	sb_appendf(sb, "LTRIM(%s)", expr);
}

static int
ms_read_begin(struct upkit_conn *src, const char *snapshot)
{
	(void) src;
	(void) snapshot;
	return 0;
}

static void
ms_read_end(struct upkit_conn *src)
{
	(void) src;
}

static int
ms_rows_begin(struct upkit_conn *src, const char *sql, int ncols)
{
	DBPROCESS  *db = upkit_conn_mssql_dbproc(src);
	RETCODE		rc;

	upkit_conn_mssql_start(src);
	/*
	 * TEXTSIZE caps what the server sends of a (max), text or image value
	 * (FreeTDS sets its "text size", 64512 bytes by default, at login): a
	 * longer value would arrive cut short, so lift the cap first.
	 */
	if (dbcmd(db, "SET TEXTSIZE 2147483647; ") == FAIL || dbcmd(db, sql) == FAIL ||
		dbsqlexec(db) == FAIL)
	{
		dbcancel(db);
		upkit_conn_mssql_failed(src);
		return -1;
	}
	/* the first result with columns is the SELECT's */
	while ((rc = dbresults(db)) == SUCCEED && dbnumcols(db) == 0)
		;
	if (rc != SUCCEED || upkit_conn_mssql_failed(src))
	{
		dbcancel(db);
		if (src->error.len == 0)
			sb_append(&src->error, "the SELECT gave no rows to read");
		return -1;
	}
	if (dbnumcols(db) != ncols)
	{
		dbcancel(db);
		upkit_conn_set_error(src, NULL, "the SELECT gave another number of columns than the plan", NULL);
		return -1;
	}
	return 0;
}

static int
ms_rows_next(struct upkit_conn *src, struct copy_cell *cells)
{
	DBPROCESS  *db = upkit_conn_mssql_dbproc(src);
	STATUS		st = dbnextrow(db);

	if (st == NO_MORE_ROWS)
		return upkit_conn_mssql_failed(src) ? -1 : 0;
	if (st != REG_ROW)
	{
		upkit_conn_mssql_failed(src);
		if (src->error.len == 0)
			sb_append(&src->error, "reading a row failed");
		return -1;
	}
	for (int j = 0; j < dbnumcols(db); j++)
	{
		cells[j].type = dbcoltype(db, j + 1);
		cells[j].data = dbdata(db, j + 1);
		cells[j].len = (int) dbdatlen(db, j + 1);
	}
	return 1;
}

static int
ms_rows_end(struct upkit_conn *src)
{
	DBPROCESS  *db = upkit_conn_mssql_dbproc(src);
	RETCODE		rc;

	/* rows not read (an error on the other side) are dropped with the rest */
	if (dbcancel(db) == FAIL)
		return -1;
	while ((rc = dbresults(db)) != NO_MORE_RESULTS && rc != FAIL)
		;
	return upkit_conn_mssql_failed(src) ? -1 : 0;
}

const struct copy_source_ops copy_source_mssql = {
	.default_schema = "dbo",
	.plan_begin = ms_plan_begin,
	.catalog = copy_catalog_mssql_read,
	.ready = copy_catalog_mssql_ready,
	.estimate = ms_estimate,
	.count_rows = "COUNT_BIG(*)",
	.ltrim = ms_ltrim,
	.read_begin = ms_read_begin,
	.read_end = ms_read_end,
	.rows_begin = ms_rows_begin,
	.rows_next = ms_rows_next,
	.rows_end = ms_rows_end,
};
