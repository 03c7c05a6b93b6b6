/*
 * copy_run.h: execute a copy plan (copy_run.c): tables and RECID ranges
 * in parallel over their own connections, each range one transaction on
 * the target, streamed by the engines' source and target operations
 * (copy_side.h); then row counts compared and SYSTEMSEQUENCES made safe
 * (copy_recid.c).
 *
 * copy_range_run is the unit a runner job calls: one range of one table,
 * on connections the caller owns.  copy_run schedules every range of a plan
 * over N workers and reports through callbacks; it never prints.
 */
#ifndef UPKIT_COPY_RUN_H
#define UPKIT_COPY_RUN_H

#include "conn.h"
#include "copy_plan.h"
#include "diag.h"

/* Live counters of a table, updated while its ranges stream. */
struct copy_progress
{
	long long	rows;
	long long	bytes;
};

struct copy_range_result
{
	long long	rows;
	long long	bytes;
	double		seconds;
	int			skipped;		/* done already (another copier, or an earlier run) */
};

/*
 * Copy range `range` of t: in one transaction on dst, claim the range in
 * the ledger, bulk-load its rows (COPY on PostgreSQL, bcp on SQL Server),
 * check the row counts of both ends, mark it done, commit.  A PostgreSQL
 * src reads in a transaction of its own, from snapshot when given
 * (pg_export_snapshot of the planning session); a SQL Server src reads with
 * one statement (copy_source_mssql.c).  progress may be NULL.  0, or -1
 * with the reason in err (nothing of the range is kept).
 */
int			copy_range_run(struct upkit_conn *src, struct upkit_conn *dst,
						   const struct copy_table_plan *t, int range, const char *snapshot,
						   struct copy_progress *progress, struct copy_range_result *res,
						   struct strbuf *err);

/* What became of one table of the plan. */
struct copy_outcome
{
	struct copy_progress progress;	/* live, while it runs */
	long long	rows;			/* copied in this run */
	long long	bytes;
	double		seconds;		/* summed over its ranges */
	int			ranges_done;	/* in this run */
	int			ranges_skipped;
	int			ranges_failed;
	char	   *error;			/* the first error, or NULL */
	int			verified;		/* counts compared and equal */
	long long	source_count;
	long long	target_count;
	char	   *recid_note;		/* what RECID safety found or did */
	int			recid_failed;
};

struct copy_events
{
	void	   *arg;
	/* A range finished (error NULL) or failed; from a worker thread. */
	void		(*range_end) (void *arg, const struct copy_table_plan *t, int range,
							  const struct copy_range_result *r, const char *error);
	/* About five times a second while ranges run; on the calling thread. */
	void		(*tick) (void *arg, const struct copy_plan *plan, const struct copy_outcome *out);
};

/*
 * Run the plan with `jobs` workers, each with its own connections to
 * srct and dstt; src and dst are the planning connections (src still in
 * the snapshot's transaction).  out has one element per plan table.
 * Returns the number of tables that failed (a copy, verification or RECID
 * safety error), or -1 when the work could not start (diags).
 */
int			copy_run(struct copy_plan *plan, struct upkit_conn *src, struct upkit_conn *dst,
					 const struct upkit_conn_target *srct, const struct upkit_conn_target *dstt,
					 int jobs, const struct copy_events *ev, struct copy_outcome *out,
					 struct upkit_diags *diags);
void		copy_outcomes_free(struct copy_outcome *out, int n);

/*
 * After t's ranges: its ledger must say every range done, and the rows of
 * the source (src: the planning connection, in the snapshot's transaction),
 * of the target and of the ledger must agree.  Sets o->verified and the
 * counts, or o->error (the first error only).
 */
void		copy_table_verify(struct upkit_conn *src, struct upkit_conn *dst,
							  const struct copy_table_plan *t, struct copy_outcome *o);

/*
 * RECID safety of one copied table (copy_recid.c): the target's
 * SYSTEMSEQUENCES NEXTVAL for its table id must be above its largest
 * RECID; where it is not, upkit.raise_recid_floor raises it.  note says
 * what was found or done.  0, or -1 (note says why).
 */
int			copy_recid_make_safe(struct upkit_conn *dst, const struct copy_plan *plan,
								 const struct copy_table_plan *t, struct strbuf *note);

/*
 * In the caller's open transaction on dst: upkit.raise_recid_floor(tabid,
 * floor) with SYSTEMSEQUENCES found in schema (the search_path is set for
 * the transaction only); newval (may be NULL) gets NEXTVAL.  0 or -1.
 */
int			copy_recid_raise_floor(struct upkit_conn *dst, const char *schema, int tabid,
								   long long floor, struct strbuf *newval);

#endif
