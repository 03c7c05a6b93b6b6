/*
 * runner_job.h: one job instance on one connection, with its ledger row
 * (runner_job.c says how a job is done exactly once).  Used by runner.c.
 */
#ifndef UPKIT_RUNNER_JOB_H
#define UPKIT_RUNNER_JOB_H

#include "conn.h"
#include "plan.h"

struct runner_job_call
{
	const char *plan;			/* the plan's name */
	int			run;
	const struct upkit_plan_job *job;
	const char *company;		/* "" unless a standard job's copy */
	const char *script;			/* a SQL job's text */
	/*
	 * Or work that is not one statement (a table's copy, runner_copy.c):
	 * 0, or -1 with the reason in c->error; notes for the ledger in
	 * c->messages; or 1: it stopped on the run's pause with what it did
	 * committed (c->messages says what), and runs again on resume.  It runs
	 * outside the job's transaction.
	 */
	int			(*work) (void *arg, struct upkit_conn *c, long long *rows);
	void	   *work_arg;
	/*
	 * Or NULL: called when the work has failed, before the failure is
	 * recorded, so that the caller stops cancelling statements on c (a
	 * cancel meant for the work must not hit the record).
	 */
	void		(*ending) (void *arg);
	void	   *ending_arg;
};

enum runner_outcome
{
	RUNNER_DONE, RUNNER_DONE_BEFORE, RUNNER_FAILED, RUNNER_INTERRUPTED, RUNNER_PAUSED
};

/*
 * Run it: RUNNER_DONE (rows: the procedure's count or -1; message: the
 * server's messages), RUNNER_DONE_BEFORE (the ledger says done: nothing
 * run), RUNNER_FAILED or RUNNER_INTERRUPTED (stopping() said so) with the
 * error in message, or RUNNER_PAUSED (a job that manages its own
 * transactions ran a live fill that stopped after a batch on a pause, or
 * its work stopped between two steps: a copy between ranges), recorded in
 * the ledger.
 */
enum runner_outcome runner_job_run(struct upkit_conn *c, const struct runner_job_call *jc,
								   int (*stopping) (void), long long *rows,
								   struct strbuf *message);
/* Record the instance as skipped, with why (unless it is done). */
int			runner_job_skip(struct upkit_conn *c, const struct runner_job_call *jc,
							const char *message);

/* Record the instance as failed before it ran (its procedure would not install). */
int			runner_job_fail(struct upkit_conn *c, const struct runner_job_call *jc,
							const char *message);

/*
 * From another connection to the job's database while the job runs in the
 * session whose id is session (the ledger's backend), for seconds now:
 * mark its row 'running' (the ledger's job_mark; nothing once the job's
 * transaction has ended).
 */
int			runner_job_mark(struct upkit_conn *c, const struct runner_job_call *jc, const char *session,
							double seconds);

/*
 * After the readiness gate: put message on the instance's ledger row; with
 * recheck, also set it back from done to pending, so that the next run
 * runs its checks again.
 */
int			runner_job_note(struct upkit_conn *c, const struct runner_job_call *jc, int recheck,
							const char *message);

#endif
