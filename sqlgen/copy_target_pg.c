/*
 * copy_target_pg.c: a PostgreSQL database as the target of a copy
 * (copy_side.h): its catalog, the ledger upkit.copy_ledger (the
 * extension's), SYSTEMSEQUENCES and upkit.raise_recid_floor, and the load:
 * COPY ... FROM STDIN in binary format for chunks from a PostgreSQL source,
 * in text format for rows from SQL Server, each value written by
 * copy_mssql_encode.c.
 */
#include <stdlib.h>
#include <string.h>

#include "copy_catalog.h"
#include "copy_mssql.h"
#include "copy_run.h"
#include "copy_side.h"
#include "ident.h"

/* COPY text is sent in pieces of about this size. */
#define TEXT_CHUNK 65536

static const struct copy_ledger_sql ledger_pg = {
	.name = "upkit.copy_ledger",
	.install = "install the upkit extension 0.3 there (CREATE EXTENSION upkit, or ALTER EXTENSION upkit UPDATE)",
	.exists = "SELECT pg_catalog.to_regclass('upkit.copy_ledger') IS NOT NULL",
	.read = "SELECT range_no, range_lo, range_hi, done, rows, bytes, mapping_hash"
	"  FROM upkit.copy_ledger WHERE target_schema = $1 AND target_table = $2"
	" ORDER BY range_no",
	.insert = "INSERT INTO upkit.copy_ledger (target_schema, target_table, range_no, nranges,"
	" source_table, range_lo, range_hi, mapping_hash)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
	.claim = "SELECT 1 FROM upkit.copy_ledger"
	" WHERE target_schema = $1 AND target_table = $2 AND range_no = $3"
	"   AND NOT done AND mapping_hash = $4 FOR UPDATE",
	.done = "UPDATE upkit.copy_ledger SET done = true, rows = $4, bytes = $5,"
	"       copied_at = pg_catalog.clock_timestamp()"
	" WHERE target_schema = $1 AND target_table = $2 AND range_no = $3",
	.totals = "SELECT coalesce(sum(rows) FILTER (WHERE done), 0), count(*) FILTER (WHERE NOT done)"
	"  FROM upkit.copy_ledger WHERE target_schema = $1 AND target_table = $2",
};

static int
pg_catalog(struct upkit_conn *c, const char *schema, struct copy_db_desc *out,
		   struct upkit_diags *diags)
{
	return copy_source_pg.catalog(c, schema, UPKIT_DIALECT_PG, out, diags);
}

/* ---- the load ---- */

static int
failed(struct strbuf *err, const char *what, struct copy_load *l)
{
	sb_appendf(err, "%s (%s): %s", what, l->dst->where, sb_str(&l->dst->error));
	return -1;
}

static int
pg_load_begin(struct copy_load *l, int cells, struct strbuf *err)
{
	struct upkit_conn *dst = l->dst;
	int			rc = cells
		? dst->ops->copy_in_begin_text(dst, l->t->dst_schema, l->t->map->dst->name, l->t->columns,
									   l->t->ncolumns)
		: dst->ops->copy_in_begin(dst, l->t->dst_schema, l->t->map->dst->name, l->t->columns,
								  l->t->ncolumns);

	return rc == 0 ? 0 : failed(err, "the target refused the COPY", l);
}

static int
pg_load_chunk(struct copy_load *l, const char *chunk, int len, struct strbuf *err)
{
	if (l->dst->ops->copy_in_put(l->dst, chunk, len) == 0)
		return 0;
	return failed(err, "writing the target failed", l);
}

static int
flush_text(struct copy_load *l, struct strbuf *err)
{
	int			rc = 0;

	if (l->buf.len > 0)
		rc = pg_load_chunk(l, l->buf.data, (int) l->buf.len, err);
	sb_free(&l->buf);
	return rc;
}

/* One row in COPY text: the values in the target's column order, tab-separated. */
static int
pg_load_row(struct copy_load *l, const struct copy_cell *cells, struct strbuf *err)
{
	char		msg[200];

	for (int i = 0; i < l->t->ncolumns; i++)
	{
		if (i)
			sb_append(&l->buf, "\t");
		if (copy_text_dblib_value(&l->buf, cells[i].type, cells[i].data, cells[i].len, msg,
								  sizeof msg) != 0)
		{
			sb_appendf(err, "field %s: %s", l->t->columns[i], msg);
			return -1;
		}
	}
	sb_append(&l->buf, "\n");
	return l->buf.len >= TEXT_CHUNK ? flush_text(l, err) : 0;
}

static int
pg_load_end(struct copy_load *l, const char *abort_reason, struct strbuf *err)
{
	if (abort_reason == NULL && flush_text(l, err) != 0)
		abort_reason = "upkit copy: writing the target failed";
	sb_free(&l->buf);
	if (l->dst->ops->copy_in_end(l->dst, abort_reason, &l->rows) != 0)
		return abort_reason ? -1 : failed(err, "writing the target failed", l);
	return abort_reason ? -1 : 0;
}

const struct copy_target_ops copy_target_pg = {
	.default_schema = "public",
	.ledger = &ledger_pg,
	.catalog = pg_catalog,
	.has_rows = copy_catalog_has_rows,
	.nextval_sql = "SELECT nextval FROM %s WHERE id = -1 AND tabid = $1::integer",
	.raise_floor = copy_recid_raise_floor,
	.load_begin = pg_load_begin,
	.load_chunk = pg_load_chunk,
	.load_row = pg_load_row,
	.load_end = pg_load_end,
};
