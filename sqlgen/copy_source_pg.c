/*
 * copy_source_pg.c: a PostgreSQL database as the source of a copy
 * (copy_side.h).  Planning exports a snapshot (pg_export_snapshot) from a
 * REPEATABLE READ transaction; every range reads in a transaction that
 * imports it, so all ranges and the final count see one state of the
 * source.  The rows leave as COPY (SELECT ...) TO STDOUT (FORMAT binary)
 * chunks (conn.h), so there is no row reader here.
 */
#include <stdlib.h>

#include "copy_catalog.h"
#include "copy_side.h"
#include "ident.h"

static int
pg_plan_begin(struct upkit_conn *src, char **snapshot)
{
	struct strbuf snap = STRBUF_INIT;

	*snapshot = NULL;
	if (src->ops->exec(src, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") != 0 ||
		upkit_query_value(src, "SELECT pg_catalog.pg_export_snapshot()", 0, NULL, &snap) != 1)
	{
		sb_free(&snap);
		return -1;
	}
	*snapshot = snap.data;
	return 0;
}

static int
pg_catalog(struct upkit_conn *c, const char *schema, enum upkit_dialect spell,
		   struct copy_db_desc *out, struct upkit_diags *diags)
{
	(void) spell;				/* a PostgreSQL source feeds a PostgreSQL target only */
	if (copy_catalog_read(c, schema, out) == 0)
		return 0;
	upkit_diag_msg(diags, "cannot read the tables of schema %s (PostgreSQL at %s): %s", schema,
				   c->where, sb_str(&c->error));
	return -1;
}

static void
pg_ltrim(struct strbuf *sb, const char *expr, const char *type)
{
	sb_appendf(sb, "CAST(pg_catalog.ltrim(%s) AS %s)", expr, type);
}

static int
pg_read_begin(struct upkit_conn *src, const char *snapshot)
{
	struct strbuf sql = STRBUF_INIT;
	int			rc = src->ops->exec(src, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");

	if (rc == 0 && snapshot)
	{
		sb_append(&sql, "SET TRANSACTION SNAPSHOT ");
		upkit_quote_literal(&sql, snapshot, UPKIT_DIALECT_PG);
		rc = src->ops->exec(src, sb_str(&sql));
	}
	sb_free(&sql);
	return rc;
}

static void
pg_read_end(struct upkit_conn *src)
{
	src->ops->rollback(src);	/* it only read */
}

const struct copy_source_ops copy_source_pg = {
	.default_schema = "public",
	.plan_begin = pg_plan_begin,
	.catalog = pg_catalog,
	.ready = copy_catalog_ready,
	.estimate = copy_catalog_estimate,
	.count_rows = "count(*)",
	.ltrim = pg_ltrim,
	.read_begin = pg_read_begin,
	.read_end = pg_read_end,
};
