/*
 * copy_plan.h: a bulk copy, planned: the mapping (copy_map.h) completed
 * with what the two databases say now (copy_catalog_pg.c): readiness of the
 * affected tables, whether each target is empty, what the ledger in the
 * target already records, the SELECT that reads each table, its RECID
 * ranges.  --explain prints the plan (copy_explain.c); copy_run.c executes
 * it, table by table or range by range.
 *
 * The ledger (upkit.copy_ledger in the target, sql/upkit--0.2--0.3.sql
 * section "copy") holds one row per table and range, written when the
 * table's copy is planned and marked done in the transaction that copies
 * the range; a re-run goes by it: the ranges, the mapping fingerprint and
 * what is done.
 */
#ifndef UPKIT_COPY_PLAN_H
#define UPKIT_COPY_PLAN_H

#include "conn.h"
#include "copy_map.h"
#include "diag.h"
#include "strbuf.h"

/* A RECID range: lo <= key < hi; has_lo/has_hi 0 for an open end. */
struct copy_range
{
	int			no;
	int			has_lo,
				has_hi;
	long long	lo,
				hi;
	int			done;			/* the ledger says so */
	long long	rows,
				bytes;			/* from the ledger, when done */
};

enum copy_table_state
{
	COPY_STATE_TODO,			/* nothing of it copied yet */
	COPY_STATE_PARTLY,			/* some ranges done: resume */
	COPY_STATE_DONE,			/* every range done */
	COPY_STATE_SKIPPED,			/* table exception DONOTCOPY */
	COPY_STATE_REFUSED			/* a mapping error, not ready, a non-empty target, ... */
};

struct copy_table_plan
{
	struct copy_table_map *map; /* borrowed from the plan's mapping */
	const char *src_schema;
	const char *dst_schema;
	enum copy_table_state state;
	char	   *select_sql;		/* the rows to copy, without a range */
	char	   *from_sql;		/* its " FROM ..." part */
	char	   *key_expr;		/* the RECID expression ranges use, or NULL */
	const char **columns;		/* target columns, in select order */
	int			ncolumns;
	char	   *fingerprint;	/* of select_sql and columns */
	long long	source_rows;	/* estimate (pg_class), for ordering and splitting */
	long long	target_rows;	/* -1: not counted; 0: empty; >0: rows before the copy */
	char	   *ready_note;		/* how readiness was decided (affected tables) */
	struct copy_range *ranges;
	int			nranges;
	long long	batch_size;		/* rows per bcp_batch on a SQL Server target; 0: one batch */
	int			table_lock;		/* bulk load with TABLOCK (SQL Server target) */
	const char *writer;			/* how the target writes it, where it has more than one way */
};

struct copy_plan
{
	struct copy_mapping mapping;
	struct copy_db_desc src,
				dst;
	struct copy_map_result map;
	struct copy_table_plan *tables;
	int			ntables;
	int			has_ledger;		/* upkit.copy_ledger exists in the target */
	char	   *snapshot;		/* the source snapshot every range reads, or NULL */
};

/* Options of a plan. */
struct copy_options
{
	long long	split_rows;		/* split tables with more rows than this; 0: never */
	const char *const *only;	/* --table names (NULL-terminated), or NULL: all */
	long long	batch_size;		/* --batch-size: rows per bcp batch; 0: one per range */
	int			table_lock;		/* --table-lock */
};

/*
 * Read both databases, map, and check what the mapping cannot: readiness,
 * empty targets, the ledger.  plan->mapping must be filled (the mapping
 * file, or empty with the schemas).  src must stay in the transaction this
 * opens (it exports the snapshot the ranges read) until the copy is over.
 * Returns the number of tables that cannot be copied, or -1 when a
 * database could not be read (diags say why).
 */
int			copy_plan_build(struct copy_plan *plan, struct upkit_conn *src, struct upkit_conn *dst,
							const struct copy_options *opt, struct upkit_diags *diags);
void		copy_plan_free(struct copy_plan *plan);

/*
 * The plan's tables from its mapping (plan->map, with plan->src and
 * plan->dst read): those --table asks for, each SKIPPED, REFUSED (a mapping
 * error) or TODO; copy_plan_build then asks the databases about the TODO
 * ones.  Without a server (a catalog from a fixture file) this is the plan
 * --explain prints.
 */
void		copy_plan_tables(struct copy_plan *plan, const struct copy_options *opt);

/*
 * The SELECT of t in the source's dialect: select_sql, from_sql, key_expr,
 * columns and fingerprint (copy_plan_build does it for each table to copy).
 */
void		copy_plan_render(struct copy_table_plan *t, enum upkit_dialect source);

/*
 * For a target whose bulk load sends every field (SQL Server's bcp): refuse
 * t when a target field gets no value from the mapping, naming it.  After
 * copy_plan_render.
 */
void		copy_plan_refuse_unfilled(struct copy_table_plan *t);

/* Refuse a table (state REFUSED) with a table-level error. */
void		copy_plan_refuse(struct copy_table_plan *t, const char *fmt, ...)
			__attribute__((format(printf, 2, 3)));

/* The SELECT of one range (appends select_sql and the range's predicate). */
void		copy_range_sql(struct strbuf *sb, const struct copy_table_plan *t, int range);

/* "schema.table" of both sides, for messages. */
const char *copy_state_name(enum copy_table_state s);

/* The plan as text (--explain) or as JSON (--explain --json). */
void		copy_explain_text(struct strbuf *out, const struct copy_plan *plan);
void		copy_explain_json(struct strbuf *out, const struct copy_plan *plan);

#endif
