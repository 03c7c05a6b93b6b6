/*
 * transfer_side_pg.c: what "upkit transfer" asks of a PostgreSQL system
 * (transfer_side.h): the upkit extension's tables (sql/upkit--0.2--0.3.sql,
 * section "transfer", and the state tables it lists in
 * pg_extension_config_dump, so that a backup keeps their rows), its
 * configuration sequences as counters, and PostgreSQL's catalog.  Number
 * sequences are reserved transactionally (upkit.reserve_numbers), so the
 * row lock (FOR UPDATE) is all a reservation in flight waits for.
 *
 * --replace empties production's copies with one TRUNCATE of them all
 * (empty_pg below): TRUNCATE is transactional in PostgreSQL (the old
 * files are dropped only at commit), so in the transaction that records
 * the start, a start that fails leaves every row where it was.  It is
 * used only where it does what the DELETE would: no table outside the
 * moved ones references them by a foreign key (TRUNCATE ... RESTRICT
 * refuses that; CASCADE would empty the outside table too), none has a
 * DELETE trigger (TRUNCATE fires none), and the login holds the TRUNCATE
 * privilege on each (a login that may DELETE need not).  CONTINUE IDENTITY: the
 * tables' sequences keep their values as under DELETE (transfer_run.c
 * sets them past the copied rows afterwards, never lower).  Else, a
 * DELETE per table, children first (transfer_delete_rows), and the
 * progress line says why.
 */
#include "ident.h"
#include "transfer.h"
#include "transfer_side.h"

static const char *const ledgers_pg[] = {
	"copy_ledger", "insert_runs", "transfer_marker", "runner_*", NULL
};

/* Serial columns' sequences past the largest value of the moved table. */
static int
sync_serials_pg(struct upkit_conn *prod, const char *schema, const char *table)
{
	struct upkit_rows r = UPKIT_ROWS_INIT;
	const char *p[] = {schema, table};
	int			rc = prod->ops->query(prod,
									  "SELECT a.attname, pg_catalog.pg_get_serial_sequence(pg_catalog.format('%I.%I', $1::text, $2::text), a.attname)"
									  "  FROM pg_catalog.pg_attribute a"
									  " WHERE a.attrelid = pg_catalog.format('%I.%I', $1::text, $2::text)::pg_catalog.regclass"
									  "   AND a.attnum > 0 AND NOT a.attisdropped"
									  "   AND pg_catalog.pg_get_serial_sequence(pg_catalog.format('%I.%I', $1::text, $2::text), a.attname) IS NOT NULL",
									  2, p, &r);

	for (int i = 0; rc == 0 && i < r.nrows; i++)
	{
		struct strbuf sql = STRBUF_INIT;
		const char *sp[] = {upkit_rows_get(&r, i, 1)};

		sb_append(&sql, "SELECT pg_catalog.setval($1::pg_catalog.regclass, GREATEST("
				  "coalesce(pg_catalog.pg_sequence_last_value($1::pg_catalog.regclass), 0), (SELECT coalesce(max(");
		upkit_quote_catalog_name(&sql, upkit_rows_get(&r, i, 0), UPKIT_DIALECT_PG);
		sb_append(&sql, "), 0) FROM ");
		upkit_quote_catalog_qualified(&sql, schema, table, UPKIT_DIALECT_PG);
		sb_append(&sql, "), 1))");
		rc = upkit_query_value(prod, sb_str(&sql), 1, sp, NULL) == 1 ? 0 : -1;
		sb_free(&sql);
	}
	upkit_rows_free(&r);
	return rc;
}

/*
 * Why table $1.$2 cannot be truncated as DELETE would empty it (no row:
 * it can): the login lacks the TRUNCATE privilege (DELETE's own does not
 * grant it), or a user trigger ON DELETE would not fire (TRIGGER_TYPE_DELETE
 * is 1 << 3 in pg_trigger.tgtype).
 */
static const char no_truncate_pg[] =
"SELECT w FROM (SELECT CASE WHEN NOT pg_catalog.has_table_privilege(x.r, 'TRUNCATE')"
"        THEN 'no TRUNCATE privilege for role ' || pg_catalog.quote_ident(current_user::text)"
"        ELSE (SELECT 'the DELETE trigger ' || pg_catalog.quote_ident(t.tgname::text) || ', which TRUNCATE would not fire'"
"                FROM pg_catalog.pg_trigger t WHERE t.tgrelid = x.r AND NOT t.tgisinternal"
"                 AND (t.tgtype & 8) <> 0 ORDER BY t.tgname LIMIT 1) END"
"  FROM (SELECT pg_catalog.format('%I.%I', $1::text, $2::text)::pg_catalog.regclass) AS x(r)) AS y(w)"
" WHERE w IS NOT NULL";

static int
empty_pg(const struct transfer *tr, struct upkit_conn *prod, struct strbuf *how)
{
	struct strbuf why = STRBUF_INIT;
	struct strbuf sql = STRBUF_INIT;
	int			rc = 0;

	if (tr->ntables == 0)
		return 0;
	if (tr->outside_fkey)
		sb_appendf(&why, "%s from outside the moved tables, which TRUNCATE refuses", tr->outside_fkey);
	for (int i = 0; rc == 0 && sb_str(&why)[0] == '\0' && i < tr->ntables; i++)
	{
		const char *p[] = {tr->tables[i].schema, tr->tables[i].name};
		struct strbuf reason = STRBUF_INIT;
		int			found = upkit_query_value(prod, no_truncate_pg, 2, p, &reason);

		if (found < 0)
			rc = -1;
		else if (found == 1)
			sb_appendf(&why, "%s.%s: %s", tr->tables[i].schema, tr->tables[i].name, sb_str(&reason));
		sb_free(&reason);
	}
	if (rc == 0 && sb_str(&why)[0])
	{
		rc = transfer_delete_rows(tr, prod, how);
		sb_appendf(how, ": %s", sb_str(&why));
	}
	else if (rc == 0)
	{
		sb_append(&sql, "TRUNCATE TABLE ");
		for (int i = 0; i < tr->ntables; i++)
		{
			if (i > 0)
				sb_append(&sql, ", ");
			upkit_quote_catalog_qualified(&sql, tr->tables[i].schema, tr->tables[i].name, UPKIT_DIALECT_PG);
		}
		sb_append(&sql, " CONTINUE IDENTITY RESTRICT");
		sb_appendf(how, "one TRUNCATE of the %d table%s (no foreign key from outside them, no DELETE trigger,"
				   " TRUNCATE privilege on each)",
				   tr->ntables, tr->ntables == 1 ? "" : "s");
		rc = prod->ops->exec(prod, sb_str(&sql));
	}
	sb_free(&why);
	sb_free(&sql);
	return rc;
}

const struct transfer_side transfer_side_pg = {
	.dialect = UPKIT_DIALECT_PG,
	.install = "install the upkit extension 0.3 or later there (CREATE EXTENSION upkit, or ALTER EXTENSION upkit UPDATE)",
	.marker = "upkit.transfer_marker",
	.delta_state = "upkit.delta_state",
	.live_state = "upkit.live_state",
	.delta_run = "upkit.delta_run",
	.validation_run = "upkit.validation_run",
	.copy_ledger = "upkit.copy_ledger",
	.delta_state_key = "upkit.delta_state",
	.dictionary = "sqldictionary",
	.numbers = "numbersequencetable",
	.systemsequences = "systemsequences",
	.exists = "SELECT pg_catalog.to_regclass($1) IS NOT NULL",
	.resolve = "SELECT c.relname FROM pg_catalog.pg_class c"
	"  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	" WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')"
	"   AND pg_catalog.lower(c.relname) = pg_catalog.lower($2)"
	" ORDER BY c.relname = $2 DESC LIMIT 1",
	.columns = "SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod)"
	"  FROM pg_catalog.pg_attribute a"
	" WHERE a.attrelid = pg_catalog.format('%I.%I', $1::text, $2::text)::pg_catalog.regclass"
	"   AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
	.uncopyable_columns = NULL,
	.table_id = "SELECT tableid FROM %s WHERE fieldid = 0 AND pg_catalog.lower(sqlname) = pg_catalog.lower($1)",
	.state_tables = "SELECT n.nspname, c.relname, c.relkind = 'S',"
	"       CASE c.relkind WHEN 'S' THEN coalesce(pg_catalog.pg_sequence_last_value(c.oid), -1) END"
	"  FROM pg_catalog.pg_extension e"
	"  CROSS JOIN LATERAL pg_catalog.unnest(e.extconfig) AS x(oid)"
	"  JOIN pg_catalog.pg_class c ON c.oid = x.oid AND c.relkind IN ('r', 'S')"
	"  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	" WHERE e.extname = 'upkit' ORDER BY c.relname",
	.ledgers = ledgers_pg,
	.counter_value = "SELECT coalesce(pg_catalog.pg_sequence_last_value($1::pg_catalog.regclass), -1)",
	.foreign_keys = "SELECT cn.nspname, c.relname, pn.nspname, p.relname"
	"  FROM pg_catalog.pg_constraint k"
	"  JOIN pg_catalog.pg_class c ON c.oid = k.conrelid"
	"  JOIN pg_catalog.pg_namespace cn ON cn.oid = c.relnamespace"
	"  JOIN pg_catalog.pg_class p ON p.oid = k.confrelid"
	"  JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace"
	" WHERE k.contype = 'f' AND k.conrelid <> k.confrelid"
	" ORDER BY 1, 2, 3, 4",
	.marker_latest = "SELECT marker_id, transfer_started_at IS NOT NULL, transfer_done_at,"
	"       last_delta_run, marked_at"
	"  FROM upkit.transfer_marker ORDER BY marked_at DESC, marker_id LIMIT 1",
	.delta_runs_since = "SELECT count(*), max(shadow_table || ' company ' || dataareaid || ' at ' || finished_at)"
	"  FROM upkit.delta_run WHERE run_id > $1::bigint",
	.validation_runs_since = "SELECT count(*), max(script || ' company ''' || dataareaid || ''' at ' || started_at)"
	"  FROM upkit.validation_run WHERE started_at > (SELECT marked_at"
	"  FROM upkit.transfer_marker WHERE marker_id = $1)",
	.marker_lock = "SELECT transfer_started_at IS NOT NULL FROM upkit.transfer_marker"
	" WHERE marker_id = $1 AND transfer_done_at IS NULL FOR UPDATE",
	.ledger_forget = "DELETE FROM upkit.copy_ledger WHERE target_schema = $1 AND target_table = $2",
	.marker_start = "UPDATE upkit.transfer_marker SET transfer_started_at = pg_catalog.clock_timestamp(),"
	" transfer_from = $2 WHERE marker_id = $1",
	.marker_done = "UPDATE upkit.transfer_marker SET transfer_done_at = pg_catalog.clock_timestamp()"
	" WHERE marker_id = $1",
	.backup_number = "SELECT numbers ->> $2 FROM upkit.transfer_marker WHERE marker_id = $1",
	.backup_recid = "SELECT recids ->> $2 FROM upkit.transfer_marker WHERE marker_id = $1",
	.delta_not_ready = "SELECT shadow_table, dataareaid, new_rows, updated_rows, deleted_rows"
	"  FROM upkit.delta_state WHERE NOT ready_to_copy ORDER BY 1, 2",
	.live_not_done = "SELECT shadow_table, dataareaid, status FROM upkit.live_state"
	" WHERE status <> 'done' ORDER BY 1, 2",
	.delta_state_rows = "SELECT count(*) FROM upkit.delta_state WHERE shadow_table = $1",
	.clear_ready = "UPDATE upkit.delta_state SET ready_to_copy = false",
	.read_number = "SELECT nextrec, highest, format FROM %s WHERE dataareaid = $1 AND numbersequence = $2%s",
	.read_recid = "SELECT nextval, 0, '' FROM %s WHERE id = -1 AND tabid = $1::integer%s",
	.lock_row = " FOR UPDATE",
	.sync_number = "UPDATE %s SET nextrec = GREATEST(nextrec, $4::bigint), highest = $5::bigint"
	" WHERE dataareaid = $1 AND numbersequence = $2 AND $3::bigint IS NOT NULL",
	.sync_schema = NULL,
	.sync_serials = sync_serials_pg,
	.raise_counter = "SELECT pg_catalog.setval($1::pg_catalog.regclass, GREATEST("
	"coalesce(pg_catalog.pg_sequence_last_value($1::pg_catalog.regclass), 0), $2::bigint))",
	.empty = empty_pg,
};
