/*
 * copy_side.h: what the copy's shared code (copy_plan.c, copy_run.c,
 * copy_ledger.c, copy_recid.c) asks of each side of a copy, per engine:
 * the source (copy_source_pg.c, copy_source_mssql.c) and the target
 * (copy_target_pg.c, copy_target_mssql.c).  The shared code picks the
 * operations by the connection's dialect (copy_side.c) and never asks
 * which engine it talks to.
 *
 * Rows travel in one of two ways:
 *  - chunks: a PostgreSQL source's COPY ... TO STDOUT (FORMAT binary),
 *    passed unparsed to a target that takes the same format (a PostgreSQL
 *    target); rows_begin is NULL;
 *  - cells: a SQL Server source's rows, read with db-lib (dbnextrow,
 *    dbdata, dbdatlen per column), each value as db-lib hands it over
 *    (struct copy_cell); a PostgreSQL target writes them as COPY text
 *    (copy_mssql_encode.c), a SQL Server target sends them with bcp.
 * A PostgreSQL source with a SQL Server target has no path (refused,
 * naming both engines).
 */
#ifndef UPKIT_COPY_SIDE_H
#define UPKIT_COPY_SIDE_H

#include "conn.h"
#include "copy_map.h"
#include "copy_plan.h"
#include "diag.h"
#include "strbuf.h"

/* One value as db-lib hands it over: its type (SYBINT4, ...), data NULL for a NULL. */
struct copy_cell
{
	int			type;
	const unsigned char *data;
	int			len;
};

struct copy_source_ops
{
	const char *default_schema; /* "public", "dbo" */

	/*
	 * Planning begins: PostgreSQL opens the REPEATABLE READ transaction
	 * whose snapshot every range imports (*snapshot, malloc'd); SQL Server
	 * has no snapshot to hand to another session (*snapshot NULL).  0 or -1.
	 */
	int			(*plan_begin) (struct upkit_conn *src, char **snapshot);
	/* Base tables of schema, column types spelt for a target of dialect spell. */
	int			(*catalog) (struct upkit_conn *c, const char *schema, enum upkit_dialect spell,
							struct copy_db_desc *out, struct upkit_diags *diags);
	/* Is the affected table t ready for copy?  1, 0, -1. */
	int			(*ready) (struct upkit_conn *src, const char *schema, const struct copy_table_map *t,
						  struct strbuf *note);
	/* The catalog's row estimate of a table; -1 when it has none. */
	long long	(*estimate) (struct upkit_conn *c, const char *schema, const char *table);
	/* The aggregate that counts rows: "count(*)", "COUNT_BIG(*)" (a bigint). */
	const char *count_rows;
	/* The value of expr without leading spaces, as type (the target field's). */
	void		(*ltrim) (struct strbuf *sb, const char *expr, const char *type);

	/* A range is read between these (in snapshot, when there is one). */
	int			(*read_begin) (struct upkit_conn *src, const char *snapshot);
	void		(*read_end) (struct upkit_conn *src);

	/*
	 * Cells: run sql and hand over its rows one by one.  rows_next fills
	 * cells (as many as the SELECT has columns; valid until the next call)
	 * and gives 1, 0 at the end, -1 on error (src->error); rows_end drains
	 * what is left (0, or -1 when the statement failed).  NULL for a source
	 * that sends chunks.
	 */
	int			(*rows_begin) (struct upkit_conn *src, const char *sql, int ncols);
	int			(*rows_next) (struct upkit_conn *src, struct copy_cell *cells);
	int			(*rows_end) (struct upkit_conn *src);
};

/* The SQL of the ledger (copy_ledger.h) in a target's dialect; values are parameters. */
struct copy_ledger_sql
{
	const char *name;			/* for messages */
	const char *install;		/* how a target gets it, for the message when it has none */
	const char *exists;			/* one row: 1 / t when the ledger table is there */
	const char *read;			/* $1/@P1 schema, 2 table */
	const char *insert;			/* 1 schema .. 8 mapping hash */
	const char *claim;			/* 1 schema, 2 table, 3 range, 4 hash; locks the row */
	const char *done;			/* 1 schema, 2 table, 3 range, 4 rows, 5 bytes */
	const char *totals;			/* 1 schema, 2 table: rows done, ranges not done */
};

/* A bulk load into one target table, for one range. */
struct copy_load
{
	struct upkit_conn *dst;
	const struct copy_table_plan *t;
	long long	rows;			/* rows the target took (load_end) */
	struct strbuf buf;			/* the target's own use */
	void	   *impl;
};

struct copy_target_ops
{
	const char *default_schema;
	const struct copy_ledger_sql *ledger;
	/*
	 * Its bulk load sends every field of the table: a target field that no
	 * source field fills is an error of the table (SQL Server's bcp), not
	 * left to its default (PostgreSQL's COPY with a column list).
	 */
	int			every_field;
	int			(*catalog) (struct upkit_conn *c, const char *schema, struct copy_db_desc *out,
							struct upkit_diags *diags);
	/* Does schema.table have a row?  1, 0, -1. */
	int			(*has_rows) (struct upkit_conn *c, const char *schema, const char *table);
	/*
	 * SYSTEMSEQUENCES' NEXTVAL of a table id: the query, %s for the table
	 * (quoted, qualified), its one parameter the table id.
	 */
	const char *nextval_sql;
	/* In the caller's transaction: raise NEXTVAL to floor (never lower); newval gets it. */
	int			(*raise_floor) (struct upkit_conn *c, const char *schema, int tabid, long long floor,
								struct strbuf *newval);

	/*
	 * Load one range, in the caller's open transaction: load_begin, then
	 * load_chunk (chunks of the same bulk format) or load_row (cells), then
	 * load_end (abort_reason NULL: finish and set l->rows; else abandon).
	 * load_row of NULL on a target without it: no path from that source.
	 * Each 0 or -1 with the reason in err.
	 */
	int			(*load_begin) (struct copy_load *l, int cells, struct strbuf *err);
	/*
	 * For --explain: the writer load_begin will choose for t, from the
	 * target's catalog (a static string); NULL on a target with one writer.
	 */
	const char *(*writer) (const struct copy_table_plan *t);
	int			(*load_chunk) (struct copy_load *l, const char *chunk, int len, struct strbuf *err);
	int			(*load_row) (struct copy_load *l, const struct copy_cell *cells, struct strbuf *err);
	int			(*load_end) (struct copy_load *l, const char *abort_reason, struct strbuf *err);
};

extern const struct copy_source_ops copy_source_pg;
extern const struct copy_source_ops copy_source_mssql;
extern const struct copy_target_ops copy_target_pg;
extern const struct copy_target_ops copy_target_mssql;

/* The operations of an engine, of a connection's engine. */
const struct copy_source_ops *copy_source_for(enum upkit_dialect d);
const struct copy_source_ops *copy_source_of(const struct upkit_conn *c);
const struct copy_target_ops *copy_target_for(enum upkit_dialect d);
const struct copy_target_ops *copy_target_of(const struct upkit_conn *c);

/* The rows of " FROM ..." (from_sql) / of schema.table, counted on c; -1 on error. */
long long	copy_side_count_from(struct upkit_conn *c, const char *from_sql);
long long	copy_side_count_table(struct upkit_conn *c, const char *schema, const char *table);

/* A copy from src's engine to dst's: NULL, or why there is none (a static string). */
const char *copy_side_no_path_for(enum upkit_dialect src, enum upkit_dialect dst);
const char *copy_side_no_path(const struct upkit_conn *src, const struct upkit_conn *dst);

#endif
