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
};

/* runner_job_call's work for a copy job: dst is the worker's target connection. */
int			runner_copy_work(void *arg, struct upkit_conn *dst, long long *rows);

/*
 * The sizes of the copied tables from the source's statistics (a copy
 * job's target is empty until it runs); conns[d] may be NULL, then a
 * connection of its own is opened.  Before the other jobs' sizes.
 */
void		runner_copy_sizes(const struct upkit_plan *p, struct upkit_graph *g, struct upkit_conn **conns);

#endif
