/*
 * copy_target_mssql.c: a SQL Server database as the target of a copy
 * (copy_side.h): its catalog (copy_catalog_mssql.c), the ledger
 * [dbo].[UPKIT_COPY_LEDGER] and [dbo].[UPKIT_RAISE_RECID_FLOOR] of the
 * T-SQL runtime (procs/mssql/), the bcp writer and the INSERT writer.
 *
 * The writer is db-lib's bulk copy on the target's DBPROCESS (its login
 * has BCP_SETL): bcp_init(dbproc, "[schema].[table]", NULL, NULL, DB_IN),
 * bcp_bind per column, then per row bcp_colptr / bcp_collen and
 * bcp_sendrow, bcp_batch every batch_size rows and bcp_done at the end;
 * --table-lock adds the TABLOCK hint with bcp_options(BCPHINTS), which
 * FreeTDS passes into its INSERT BULK statement (its db-lib knows ORDER,
 * ROWS_PER_BATCH, KILOBYTES_PER_BATCH, TABLOCK, CHECK_CONSTRAINTS and
 * FIRE_TRIGGERS, one hint at a time).  The rows of bcp_batch and bcp_done
 * add up to the rows the target took.
 *
 * All of it runs inside the range's transaction (BEGIN TRANSACTION after
 * the ledger claim, COMMIT after the ledger's done): a bulk load in an open
 * transaction is part of it, so bcp_batch bounds what db-lib buffers but
 * commits nothing on its own, and a copier killed at any point leaves the
 * range neither half there nor marked done (copy_ledger.h).
 *
 * Values go as db-lib read them (copy_mssql_bcp.c says how each is bound,
 * and why an empty string needs a NOT NULL column with DEFAULT '').
 *
 * A table whose IDENTITY column the mapping fills gets the second writer
 * (copy_mssql_writer.c chooses): db-lib's bulk copy cannot keep identity
 * values (FreeTDS's bcp_control takes BCPKEEPIDENTITY only with a host
 * file).  Inside the same range transaction it runs SET IDENTITY_INSERT
 * [schema].[table] ON, multi-row INSERT ... VALUES statements of at most
 * COPY_MSSQL_INSERT_ROWS (1000, SQL Server's limit for a VALUES list) rows
 * and about COPY_MSSQL_INSERT_BYTES of text, every value a literal of
 * copy_mssql_literal.c (the one place values become SQL text), then SET
 * IDENTITY_INSERT ... OFF, on the error path too: "At any time, only one
 * table in a session can have the IDENTITY_INSERT property set to ON", and
 * "If the value inserted is larger than the current identity value for the
 * table, SQL Server automatically uses the new inserted value as the
 * current identity value" (SET IDENTITY_INSERT (Transact-SQL), SQL Server
 * 2012, learn.microsoft.com ms188059), so the table's next identity value
 * is above every copied one without a DBCC CHECKIDENT; the login needs
 * ALTER on the table (same page).  A multi-row INSERT goes in whole or not
 * at all, so the rows of its statements add up to the rows taken.
 *
 * A computed column is no field of the load (the
 * server computes it; FreeTDS leaves it out of INSERT BULK, and bcp_bind
 * numbers the table's columns with it).  Every other
 * column of the target table must get a value from the mapping: a column
 * left to its default would need db-lib to send NULL for a column that may
 * be of a fixed, NOT NULL type (FreeTDS issue #478), so the range is
 * refused, naming the field.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conn_mssql.h"
#include "copy_catalog_mssql.h"
#include "copy_mssql.h"
#include "copy_side.h"
#include "ident.h"

static const struct copy_ledger_sql ledger_mssql = {
	.name = "[dbo].[UPKIT_COPY_LEDGER]",
	.install = "install the upkit runtime there (upkit install --dialect mssql --runtime)",
	.exists = "SELECT CASE WHEN OBJECT_ID(N'[dbo].[UPKIT_COPY_LEDGER]', N'U') IS NULL THEN 0 ELSE 1 END",
	.read = "SELECT [RANGE_NO], [RANGE_LO], [RANGE_HI], CAST([DONE] AS INT), [ROWS], [BYTES], [MAPPING_HASH]"
	"  FROM [dbo].[UPKIT_COPY_LEDGER] WHERE [TARGET_SCHEMA] = @P1 AND [TARGET_TABLE] = @P2"
	" ORDER BY [RANGE_NO]",
	.insert = "INSERT INTO [dbo].[UPKIT_COPY_LEDGER] ([TARGET_SCHEMA], [TARGET_TABLE], [RANGE_NO], [NRANGES],"
	" [SOURCE_TABLE], [RANGE_LO], [RANGE_HI], [MAPPING_HASH])"
	" VALUES (@P1, @P2, @P3, @P4, @P5, @P6, @P7, @P8)",
	.claim = "SELECT 1 FROM [dbo].[UPKIT_COPY_LEDGER] WITH (UPDLOCK, ROWLOCK, HOLDLOCK)"
	" WHERE [TARGET_SCHEMA] = @P1 AND [TARGET_TABLE] = @P2 AND [RANGE_NO] = @P3"
	"   AND [DONE] = 0 AND [MAPPING_HASH] = @P4",
	.done = "UPDATE [dbo].[UPKIT_COPY_LEDGER] SET [DONE] = 1, [ROWS] = @P4, [BYTES] = @P5,"
	"       [COPIED_AT] = GETUTCDATE()"
	" WHERE [TARGET_SCHEMA] = @P1 AND [TARGET_TABLE] = @P2 AND [RANGE_NO] = @P3",
	.totals = "SELECT COALESCE(SUM(CASE WHEN [DONE] = 1 THEN [ROWS] END), 0),"
	"       COALESCE(SUM(CASE WHEN [DONE] = 0 THEN 1 ELSE 0 END), 0)"
	"  FROM [dbo].[UPKIT_COPY_LEDGER] WHERE [TARGET_SCHEMA] = @P1 AND [TARGET_TABLE] = @P2",
};

static int
ms_catalog(struct upkit_conn *c, const char *schema, struct copy_db_desc *out,
		   struct upkit_diags *diags)
{
	return copy_catalog_mssql_read(c, schema, UPKIT_DIALECT_MSSQL, out, diags);
}

static int
ms_has_rows(struct upkit_conn *c, const char *schema, const char *table)
{
	struct strbuf sql = STRBUF_INIT;
	struct strbuf v = STRBUF_INIT;
	int			rc;

	sb_append(&sql, "SELECT CASE WHEN EXISTS (SELECT 1 FROM ");
	upkit_quote_catalog_qualified(&sql, schema, table, UPKIT_DIALECT_MSSQL);
	sb_append(&sql, ") THEN 1 ELSE 0 END");
	rc = upkit_query_value(c, sb_str(&sql), 0, NULL, &v);
	if (rc == 1)
		rc = strcmp(sb_str(&v), "1") == 0;
	sb_free(&sql);
	sb_free(&v);
	return rc;
}

/* The runtime's procedure works on [dbo].[SYSTEMSEQUENCES]. */
static int
ms_raise_floor(struct upkit_conn *c, const char *schema, int tabid, long long floor,
			   struct strbuf *newval)
{
	char		tab[24],
				fl[24];
	const char *p[] = {tab, fl};

	(void) schema;
	snprintf(tab, sizeof tab, "%d", tabid);
	snprintf(fl, sizeof fl, "%lld", floor);
	return upkit_query_value(c,
							 "DECLARE @NEXTVAL BIGINT;"
							 " EXEC [dbo].[UPKIT_RAISE_RECID_FLOOR] @TABID = @P1, @FLOOR = @P2,"
							 " @NEXTVAL = @NEXTVAL OUTPUT;"
							 " SELECT @NEXTVAL;", 2, p, newval) == 1 ? 0 : -1;
}

/* ---- the bcp writer ---- */

struct bcp_load
{
	int		   *colno;			/* the table column (1-based) of each plan column */
	int		   *bindtype;		/* its bcp_bind type, once bound */
	int		   *empty_default;	/* NOT NULL with DEFAULT '': an empty string may go as NULL */
	int		   *notnull;		/* NOT NULL: a NULL must not reach it (its DEFAULT would) */
	int			inited;			/* bcp_init succeeded: bcp_done ends it */
	int			writer;			/* enum copy_mssql_writer */
	int			identity_on;	/* SET IDENTITY_INSERT ... ON succeeded: OFF before returning */
	struct strbuf name;			/* [schema].[table] */
	struct strbuf insert;		/* the INSERT being built */
	int			in_insert;		/* its rows */
	int			bound;
	long long	in_batch;		/* rows sent since the last bcp_batch */
};

static unsigned char no_data[1];

static int
failed(struct strbuf *err, const char *what, struct copy_load *l)
{
	upkit_conn_mssql_failed(l->dst);
	sb_appendf(err, "%s (%s): %s", what, l->dst->where, sb_str(&l->dst->error));
	return -1;
}

/* The target's columns in order, with NOT NULL and DEFAULT; the writer chosen. */
static int
describe(struct copy_load *l, struct bcp_load *b, struct strbuf *err)
{
	const struct copy_table_plan *t = l->t;
	struct strbuf name = STRBUF_INIT;
	struct upkit_rows r = UPKIT_ROWS_INIT;
	struct copy_mssql_tcol *tc;
	const char *p[1];
	int			rc;

	upkit_quote_catalog_qualified(&name, t->dst_schema, t->map->dst->name, UPKIT_DIALECT_MSSQL);
	p[0] = sb_str(&name);
	if (l->dst->ops->query(l->dst,
						   "SELECT c.[name], CAST(c.[is_nullable] AS INT), d.[definition],"
						   "       CAST(c.[is_identity] AS INT), CAST(c.[is_computed] AS INT)"
						   "  FROM sys.columns AS c"
						   "  LEFT JOIN sys.default_constraints AS d ON d.[object_id] = c.[default_object_id]"
						   " WHERE c.[object_id] = OBJECT_ID(@P1)"
						   " ORDER BY c.[column_id]", 1, p, &r) != 0)
	{
		sb_free(&name);
		return failed(err, "cannot read the target table's columns", l);
	}
	tc = calloc((size_t) r.nrows + 1, sizeof *tc);
	if (tc == NULL)
		abort();
	for (int row = 0; row < r.nrows; row++)
	{
		tc[row].name = upkit_rows_get(&r, row, 0);
		tc[row].identity = strcmp(upkit_rows_get(&r, row, 3), "1") == 0;
		tc[row].computed = strcmp(upkit_rows_get(&r, row, 4), "1") == 0;
	}
	rc = copy_mssql_writer_choose(sb_str(&name), tc, r.nrows, t->columns, t->ncolumns, b->colno, err);
	if (rc >= 0)
	{
		b->writer = rc;
		for (int i = 0; i < t->ncolumns; i++)
		{
			int			row = b->colno[i] - 1;

			b->notnull[i] = strcmp(upkit_rows_get(&r, row, 1), "0") == 0;
			b->empty_default[i] = b->notnull[i] &&
				copy_bcp_empty_default(upkit_rows_get(&r, row, 2));
		}
		rc = 0;
	}
	free(tc);
	upkit_rows_free(&r);
	sb_free(&name);
	return rc;
}

static int	ms_load_end(struct copy_load *l, const char *abort_reason, struct strbuf *err);

/* ---- the INSERT writer: a table whose IDENTITY column the mapping fills ---- */

static int
insert_set(struct copy_load *l, struct bcp_load *b, int on)
{
	struct strbuf sql = STRBUF_INIT;
	int			rc;

	copy_mssql_identity_insert(&sql, sb_str(&b->name), on);
	rc = l->dst->ops->exec(l->dst, sb_str(&sql));
	sb_free(&sql);
	return rc;
}

/* Send the INSERT built so far: all its rows go in, or the statement fails. */
static int
insert_flush(struct copy_load *l, struct bcp_load *b, struct strbuf *err)
{
	if (b->in_insert == 0)
		return 0;
	if (l->dst->ops->exec(l->dst, sb_str(&b->insert)) != 0)
		return failed(err, "the target refused an INSERT of the copy", l);
	l->rows += b->in_insert;
	b->in_insert = 0;
	sb_free(&b->insert);
	return 0;
}

static int
insert_row(struct copy_load *l, struct bcp_load *b, const struct copy_cell *cells, struct strbuf *err)
{
	if (copy_mssql_insert_row(&b->insert, b->in_insert, sb_str(&b->name), l->t->table_lock,
							  l->t->columns, l->t->ncolumns, cells, err) != 0)
		return -1;
	if (++b->in_insert >= COPY_MSSQL_INSERT_ROWS || b->insert.len >= COPY_MSSQL_INSERT_BYTES)
		return insert_flush(l, b, err);
	return 0;
}

static int
start(struct copy_load *l, int cells, struct strbuf *err)
{
	DBPROCESS  *db = upkit_conn_mssql_dbproc(l->dst);
	struct bcp_load *b = calloc(1, sizeof *b);
	struct strbuf name = STRBUF_INIT;
	int			n = l->t->ncolumns;

	if (b == NULL)
		abort();
	l->impl = b;
	if (!cells)
	{
		sb_append(err, "a SQL Server target takes rows read from SQL Server only");
		return -1;
	}
	b->colno = calloc((size_t) n + 1, sizeof *b->colno);
	b->bindtype = calloc((size_t) n + 1, sizeof *b->bindtype);
	b->empty_default = calloc((size_t) n + 1, sizeof *b->empty_default);
	b->notnull = calloc((size_t) n + 1, sizeof *b->notnull);
	if (b->colno == NULL || b->bindtype == NULL || b->empty_default == NULL || b->notnull == NULL)
		abort();
	if (describe(l, b, err) != 0)
		return -1;
	upkit_quote_catalog_qualified(&name, l->t->dst_schema, l->t->map->dst->name, UPKIT_DIALECT_MSSQL);
	if (b->writer == COPY_MSSQL_INSERT)
	{
		/* one table per session may have it ON: load_end turns it OFF */
		sb_appendf(&b->name, "%s", sb_str(&name));
		sb_free(&name);
		if (insert_set(l, b, 1) != 0)
			return failed(err, "the target refused SET IDENTITY_INSERT ON (it needs ALTER on the table)", l);
		b->identity_on = 1;
		return 0;
	}
	upkit_conn_mssql_start(l->dst);
	if (bcp_init(db, sb_str(&name), NULL, NULL, DB_IN) == FAIL)
	{
		sb_free(&name);
		return failed(err, "the target refused the bulk copy (bcp_init)", l);
	}
	b->inited = 1;
	sb_free(&name);
	if (l->t->table_lock && bcp_options(db, BCPHINTS, (BYTE *) "TABLOCK", 7) == FAIL)
		return failed(err, "the bulk copy took no TABLOCK hint (bcp_options)", l);
	return 0;
}

/* Begin the load; on failure nothing of it is left open. */
static int
ms_load_begin(struct copy_load *l, int cells, struct strbuf *err)
{
	struct strbuf ignore = STRBUF_INIT;

	if (start(l, cells, err) == 0)
		return 0;
	ms_load_end(l, "upkit copy: the load could not begin", &ignore);
	sb_free(&ignore);
	return -1;
}

/* Bind every plan column, with the types db-lib read the first row in. */
static int
bind_all(struct copy_load *l, struct bcp_load *b, const struct copy_cell *cells, struct strbuf *err)
{
	DBPROCESS  *db = upkit_conn_mssql_dbproc(l->dst);

	for (int i = 0; i < l->t->ncolumns; i++)
	{
		int			bt = copy_bcp_bind_type(cells[i].type);

		if (bt < 0)
		{
			sb_appendf(err, "field %s: db-lib type %d cannot be bound for the bulk copy",
					   l->t->columns[i], cells[i].type);
			return -1;
		}
		b->bindtype[i] = bt;
		if (bcp_bind(db, no_data, 0, copy_bcp_fixed(bt) ? -1 : 0, NULL, 0, bt, b->colno[i]) == FAIL)
		{
			sb_appendf(err, "field %s: ", l->t->columns[i]);
			return failed(err, "bcp_bind failed", l);
		}
	}
	b->bound = 1;
	return 0;
}

static int
ms_load_row(struct copy_load *l, const struct copy_cell *cells, struct strbuf *err)
{
	DBPROCESS  *db = upkit_conn_mssql_dbproc(l->dst);
	struct bcp_load *b = l->impl;

	if (b->writer == COPY_MSSQL_INSERT)
		return insert_row(l, b, cells, err);
	if (!b->bound && bind_all(l, b, cells, err) != 0)
		return -1;
	for (int i = 0; i < l->t->ncolumns; i++)
	{
		int			vl = copy_bcp_varlen(b->bindtype[i], cells[i].data, cells[i].len,
										 b->notnull[i], b->empty_default[i]);

		if (vl == COPY_BCP_NULL)
		{
			/* the load runs without KEEP_NULLS: the field's DEFAULT would take its place */
			sb_appendf(err, "field %s: a NULL for a NOT NULL target field", l->t->columns[i]);
			return -1;
		}
		if (vl == COPY_BCP_EMPTY)
		{
			sb_appendf(err, "field %s: an empty value cannot go through db-lib's bulk copy (a length"
					   " of 0 is NULL to bcp_collen) and the target field is not NOT NULL with"
					   " DEFAULT '' to stand for it", l->t->columns[i]);
			return -1;
		}
		if (bcp_colptr(db, cells[i].data ? (BYTE *) cells[i].data : no_data, b->colno[i]) == FAIL ||
			bcp_collen(db, vl, b->colno[i]) == FAIL)
			return failed(err, "bcp_colptr / bcp_collen failed", l);
	}
	if (bcp_sendrow(db) == FAIL)
		return failed(err, "the target refused a row (bcp_sendrow)", l);
	if (l->t->batch_size > 0 && ++b->in_batch >= l->t->batch_size)
	{
		DBINT		n = bcp_batch(db);

		if (n < 0)
			return failed(err, "the target refused a batch (bcp_batch)", l);
		l->rows += n;
		b->in_batch = 0;
	}
	return 0;
}

static int
ms_load_end(struct copy_load *l, const char *abort_reason, struct strbuf *err)
{
	DBPROCESS  *db = upkit_conn_mssql_dbproc(l->dst);
	struct bcp_load *b = l->impl;
	DBINT		n = -1;
	int			rc = 0;

	/*
	 * bcp_done ends the INSERT BULK either way; on an abort the caller's
	 * ROLLBACK takes back what it sent.
	 */
	if (b && b->inited)
		n = bcp_done(db);
	if (abort_reason)
		rc = -1;
	else if (b && b->writer == COPY_MSSQL_INSERT)
		rc = insert_flush(l, b, err);
	else if (n < 0)
		rc = failed(err, "the target refused the bulk copy's end (bcp_done)", l);
	else
		l->rows += n;
	/* IDENTITY_INSERT goes OFF on every path: only one table per session may have it ON */
	if (b && b->identity_on && insert_set(l, b, 0) != 0 && rc == 0)
		rc = failed(err, "the target refused SET IDENTITY_INSERT OFF", l);
	if (b)
	{
		sb_free(&b->name);
		sb_free(&b->insert);
		free(b->colno);
		free(b->bindtype);
		free(b->empty_default);
		free(b->notnull);
		free(b);
	}
	l->impl = NULL;
	return rc;
}

/* --explain: the writer of t, chosen as load_begin chooses, from the planned catalog. */
static const char *
ms_writer(const struct copy_table_plan *t)
{
	const struct copy_table_desc *d = t->map->dst;
	struct copy_mssql_tcol *tc;
	struct strbuf err = STRBUF_INIT;
	int		   *colno;
	int			w;

	if (d == NULL || t->columns == NULL)
		return NULL;
	tc = calloc((size_t) d->ncols + 1, sizeof *tc);
	colno = calloc((size_t) t->ncolumns + 1, sizeof *colno);
	if (tc == NULL || colno == NULL)
		abort();
	for (int i = 0; i < d->ncols; i++)
	{
		tc[i].name = d->cols[i].name;
		tc[i].identity = d->cols[i].identity;
	}
	w = copy_mssql_writer_choose(d->name, tc, d->ncols, t->columns, t->ncolumns, colno, &err);
	free(tc);
	free(colno);
	sb_free(&err);
	/* a field left unfilled is the plan's refusal (copy_plan_refuse_unfilled), not shown here */
	return w < 0 ? NULL : copy_mssql_writer_name(w);
}

const struct copy_target_ops copy_target_mssql = {
	.default_schema = "dbo",
	.ledger = &ledger_mssql,
	.every_field = 1,
	.catalog = ms_catalog,
	.has_rows = ms_has_rows,
	.nextval_sql = "SELECT [NEXTVAL] FROM %s WHERE [ID] = -1 AND [TABID] = CAST(@P1 AS INT)",
	.raise_floor = ms_raise_floor,
	.load_begin = ms_load_begin,
	.writer = ms_writer,
	.load_row = ms_load_row,
	.load_end = ms_load_end,
};
