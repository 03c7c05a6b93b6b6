/*
 * runner_copy.h: the copy stage of a run (runner_copy.c): a table's copy
 * job, done with the bulk copy's own units (copy_plan.h, copy_run.h).
 */
#ifndef UPKIT_RUNNER_COPY_H
#define UPKIT_RUNNER_COPY_H

#include "conn.h"
#include "plan.h"

/* The run's copies: each planned once, on first use. */
struct runner_copies;

struct runner_copies *runner_copies_new(const struct upkit_plan *p);
void		runner_copies_free(struct runner_copies *rc);

/* What a table's copy job runs with (runner_job_call's work_arg). */
struct runner_copy_call
{
	struct runner_copies *copies;
	const struct upkit_plan_job *job;
	struct upkit_conn *src;		/* the worker's connection to the copy's source */
	int			(*stopping) (void);
	/*
	 * Asked between two ranges: is the run paused?  Then the job stops
	 * there, to go on with the ranges left when it runs again.
	 */
	int			(*pausing) (void *arg);
	void	   *pausing_arg;
};

/*
 * runner_job_call's work for a copy job: dst is the worker's target
 * connection.  0 done, 1 paused between two ranges (what it did in
 * dst->messages), -1 failed.
 */
int			runner_copy_work(void *arg, struct upkit_conn *dst, long long *rows);

/*
 * Read the tables of every copy declared without "tables" from its
 * source's catalog (and the target's, for where each goes: the mapping
 * file's rules, AX's DEL_ and table-id rules) and expand the copy into
 * one job per table (upkit_plan_copy_set_tables).  0; -1 a database could
 * not be read (diags say why); -2 the expanded plan has a problem (diags).
 */
int			runner_copy_expand(struct upkit_plan *p, struct upkit_diags *diags);

/*
 * The sizes of the copied tables from the source's statistics (a copy
 * job's target is empty until it runs); conns[d] may be NULL, then a
 * connection of its own is opened.  Before the other jobs' sizes.
 */
void		runner_copy_sizes(const struct upkit_plan *p, struct upkit_graph *g, struct upkit_conn **conns);

#endif
