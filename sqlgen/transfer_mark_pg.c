/*
 * transfer_mark_pg.c: "upkit transfer --mark" on a PostgreSQL production
 * (transfer_marker.c says what the marker is for): one INSERT into
 * upkit.transfer_marker (sql/upkit--0.2--0.3.sql, section "transfer") that
 * takes, in the same statement and snapshot, the NEXTREC of every
 * NUMBERSEQUENCETABLE row and the NEXTVAL of every SYSTEMSEQUENCES row
 * (ID = -1) as JSON objects, and the largest delta run id.  A table that is
 * not there gives an empty object.  The schema is a parameter; the table
 * names in the SQL text are catalog names, quoted.
 */
#include "copy_catalog.h"
#include "ident.h"
#include "transfer.h"

/* "(SELECT jsonb_object_agg(...) FROM schema.table WHERE ...)" or '{}' when the table is not there. */
static int
snapshot_expr(struct upkit_conn *prod, struct strbuf *sql, const char *schema, const char *table,
			  const char *key, const char *value, const char *where)
{
	struct strbuf name = STRBUF_INIT;
	int			rc;

	upkit_quote_catalog_qualified(&name, schema, table, UPKIT_DIALECT_PG);
	rc = copy_catalog_relation_exists(prod, sb_str(&name));
	if (rc == 1)
		sb_appendf(sql, "(SELECT coalesce(pg_catalog.jsonb_object_agg(%s, %s), '{}') FROM %s%s)",
				   key, value, sb_str(&name), where);
	else if (rc == 0)
		sb_append(sql, "'{}'::jsonb");
	sb_free(&name);
	return rc < 0 ? -1 : 0;
}

int
transfer_mark_pg(struct upkit_conn *prod, const char *ax_schema, struct strbuf *id)
{
	struct strbuf sql = STRBUF_INIT;
	const char *p[] = {ax_schema};
	int			rc;

	sb_append(&sql, "INSERT INTO upkit.transfer_marker (marker_id, ax_schema, numbers, recids, last_delta_run)"
			  " SELECT pg_catalog.md5(pg_catalog.random()::text || pg_catalog.clock_timestamp()::text"
			  "        || pg_catalog.pg_backend_pid()), $1, ");
	rc = snapshot_expr(prod, &sql, ax_schema, "numbersequencetable",
					   "dataareaid || ':' || numbersequence", "nextrec", "");
	sb_append(&sql, ", ");
	if (rc == 0)
		rc = snapshot_expr(prod, &sql, ax_schema, "systemsequences", "tabid::text", "nextval",
						   " WHERE id = -1");
	sb_append(&sql, ", (SELECT coalesce(max(run_id), 0) FROM upkit.delta_run) RETURNING marker_id");
	if (rc == 0)
		rc = upkit_query_value(prod, sb_str(&sql), 1, p, id) == 1 ? 0 : -1;
	sb_free(&sql);
	return rc;
}

