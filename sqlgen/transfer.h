/*
 * transfer.h: "upkit transfer": move the preprocessing state of a test
 * system (restored from a backup of production) back to production,
 * validated first, then copied, then the number sequences synchronised.
 *
 *   transfer_plan.c    what a runner plan (--plan) says moves: the tables
 *                      its live and delta jobs write, the number sequences
 *                      its jobs name;
 *   transfer_tables.c  what moves (the specs' shadow tables, --table, the
 *                      extension's state tables) and its checks on both
 *                      sides: exists, same columns, production's copy empty
 *                      (or --replace), test's delta complete;
 *   transfer_marker.c  the marker (upkit.transfer_marker): --mark, the
 *                      checks that test comes from production's marked
 *                      backup and production has not preprocessed since,
 *                      and the transfer's start and end;
 *   transfer_seq.c     number sequences and the SYSTEMSEQUENCES rows of
 *                      the moved tables: read, check, apply;
 *   transfer_order.c   the order by the foreign keys between the moved
 *                      tables: copied parents first, emptied children
 *                      first;
 *   transfer_run.c     the copy (copy_plan / copy_run, one range per
 *                      table) and what follows it on production.
 *
 * What each step asks of a system is a statement of its engine
 * (transfer_side.h: transfer_side_pg.c, transfer_side_mssql.c); the files
 * above never ask which engine they talk to.  Both systems are one engine
 * (the test system is a restored backup of production; cmd_transfer.c
 * refuses two).
 *
 * Nothing here prints: problems go to diags, results into the structs;
 * cmd_transfer.c reports.
 */
#ifndef UPKIT_TRANSFER_H
#define UPKIT_TRANSFER_H

#include "conn.h"
#include "copy_run.h"
#include "diag.h"

struct transfer_table
{
	char	   *schema;			/* as the catalog spells it */
	char	   *name;			/* as the catalog spells it (test's) */
	char	   *why;			/* "shadow of SPEC", "--table", "upkit state" */
	int			state;			/* an upkit state table (its ready flags are cleared) */
	long long	test_rows;		/* -1: not counted */
	long long	prod_rows;
	int			tabid;			/* production's SQLDICTIONARY table id, -1: none */
	int			level;			/* 0: references no moved table; else 1 + its parents' highest */
	int			found;			/* the order it was found in (transfer_order's sort is stable) */
};

enum transfer_seq_kind
{
	TRANSFER_SEQ_NUMBER,		/* NUMBERSEQUENCETABLE: NEXTREC, HIGHEST, FORMAT */
	TRANSFER_SEQ_RECID			/* SYSTEMSEQUENCES (ID = -1): NEXTVAL of a moved table */
};

struct transfer_seq
{
	enum transfer_seq_kind kind;
	char	   *company;		/* NUMBER */
	char	   *sequence;		/* NUMBER */
	int			tabid;			/* RECID */
	char	   *label;			/* "dat:CRM_1", "RECID upg_custtable (77)" */
	int			has_backup,
				has_test,
				has_prod;
	long long	backup;			/* the marker's value */
	long long	test,
				prod,
				after;			/* NEXTREC / NEXTVAL */
	long long	test_highest,
				prod_highest,
				highest_after;
	char	   *test_format,
			   *prod_format;
	int			applied;		/* written on production */
};

/* A configuration sequence of the extension (the ids of runs): raised to the larger of both. */
struct transfer_counter
{
	char	   *name;			/* schema.name, as the catalog spells them */
	char	   *quoted;			/* the same, quoted for SQL */
	long long	test,
				prod,
				after;			/* the last value handed out; -1: none */
};

/* What a runner plan says moves (transfer_plan.c). */
struct transfer_plan_names
{
	char	  **tables;			/* [SCHEMA.]NAME as the plan writes them */
	char	  **whys;			/* "plan job ID" */
	int			ntables;
	char	  **sequences;		/* "COMPANY:SEQUENCE" */
	int			nsequences;
};

struct transfer_options
{
	const char *ax_schema;		/* default "public" */
	const char *plan;			/* --plan, or NULL */
	const char *const *specs;	/* NULL-terminated */
	const char *const *tables;
	const char *const *sequences;	/* "COMPANY:SEQUENCE" */
	const char *from_label;		/* --from as given, recorded in the marker */
	int			replace;
};

struct transfer
{
	struct transfer_table *tables;
	int			ntables;
	struct transfer_seq *seqs;
	int			nseqs;
	struct transfer_counter *counters;
	int			ncounters;
	struct transfer_plan_names from_plan;	/* --plan's tables and sequences */
	char	   *marker_id;		/* production's latest marker */
	int			resume;			/* a transfer from this marker was begun and not finished */
	char	   *outside_fkey;	/* "s.child references s.parent": the first foreign key from a
								 * table not moved to a moved one (NULL: none) */
	struct strbuf emptied;		/* how --replace emptied production's copies (empty: not) */
};

/* transfer_tables.c */
int			transfer_collect(struct transfer *tr, struct upkit_conn *test, struct upkit_conn *prod,
							 const struct transfer_options *opt, struct upkit_diags *diags);
int			transfer_check_tables(struct transfer *tr, struct upkit_conn *test, struct upkit_conn *prod,
								  const struct transfer_options *opt, struct upkit_diags *diags);

/* transfer_plan.c: read --plan's staging tables and number sequences; 0, or -1 (diags). */
int			transfer_plan_read(const char *file, struct upkit_conn *test, struct transfer_plan_names *out,
							   struct upkit_diags *diags);
void		transfer_plan_names_free(struct transfer_plan_names *n);

/*
 * transfer_order.c: sort tr->tables by level (parents first); a cycle is a
 * problem; a foreign key from outside into the moved tables is kept in
 * tr->outside_fkey.
 */
int			transfer_order(struct transfer *tr, struct upkit_conn *prod, struct upkit_diags *diags);
/* In prod's open transaction: DELETE every moved table's rows, children first; how says so. */
int			transfer_delete_rows(const struct transfer *tr, struct upkit_conn *prod, struct strbuf *how);

/* transfer_marker.c (--mark per dialect: transfer_mark_pg.c, transfer_mark_mssql.c) */
int			transfer_mark_pg(struct upkit_conn *prod, const char *ax_schema, struct strbuf *id);
int			transfer_mark_mssql(struct upkit_conn *prod, const char *ax_schema, struct strbuf *id);
int			transfer_mark(struct upkit_conn *prod, const char *ax_schema, struct strbuf *id);
int			transfer_check_marker(struct transfer *tr, struct upkit_conn *test, struct upkit_conn *prod,
								  struct upkit_diags *diags);
/* Record the start; with replace, empty production's copies (tr->emptied says how). */
int			transfer_begin(struct transfer *tr, struct upkit_conn *prod, const char *from, int replace);
int			transfer_finish(struct transfer *tr, struct upkit_conn *prod);

/* transfer_seq.c */
int			transfer_read_seqs(struct transfer *tr, struct upkit_conn *test, struct upkit_conn *prod,
							   const struct transfer_options *opt, struct upkit_diags *diags);
int			transfer_apply_seqs(struct transfer *tr, struct upkit_conn *prod, const char *ax_schema,
								struct strbuf *err);

/* transfer_run.c: the copy; out has ntables elements.  Tables failed, or -1. */
int			transfer_copy(struct transfer *tr, struct upkit_conn *test, struct upkit_conn *prod,
						  const struct upkit_conn_target *testt, const struct upkit_conn_target *prodt,
						  int jobs, const struct copy_events *ev,
						  struct copy_outcome *out, struct upkit_diags *diags);
int			transfer_after_copy(struct transfer *tr, struct upkit_conn *prod, const char *ax_schema,
								struct strbuf *err);

void		transfer_free(struct transfer *tr);

#endif
