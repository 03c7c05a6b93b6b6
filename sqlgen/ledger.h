/*
 * ledger.h: the runner's ledger and the other questions the runner asks a
 * database, one implementation per dialect (ledger_pg.c: the tables of the
 * extension's versioned SQL, upkit.runner_runs and upkit.runner_jobs;
 * ledger_mssql.c: the runtime's [dbo].[UPKIT_RUNNER_RUNS] and
 * [dbo].[UPKIT_RUNNER_JOBS]).
 *
 * Every statement takes its values as parameters (conn.h): $1.. on
 * PostgreSQL, @P1.. on SQL Server.  The job statements take (plan, run,
 * job, company) as their first four.
 *
 * Exactly once: job_lock runs first in the job's own transaction and locks
 * the job's row; the runner does nothing when it says 'done'; job_done runs
 * last in the same transaction.  So the work and its 'done' commit
 * together or not at all, and a second runner waits for the first and then
 * finds the job done.
 */
#ifndef UPKIT_LEDGER_H
#define UPKIT_LEDGER_H

#include "conn.h"
#include "plan.h"
#include "specread.h"
#include "strbuf.h"

struct upkit_ledger_sql
{
	/*
	 * Run once on each worker connection, or NULL; it returns the
	 * session's id (as backend does) in its first column, so a session is
	 * set up in one round trip.  PostgreSQL: commits are not waited for
	 * (synchronous_commit off), the job's own included; the runner flushes
	 * at its barriers (flush, below; the argument is in runner_job.c's
	 * header).
	 */
	const char *session;
	/*
	 * A batch that returns when every commit made on the server before it
	 * is on disk (a synchronous commit of a transaction with an id: the WAL
	 * is flushed in order), or NULL when every commit is durable already
	 * (SQL Server 2012: no delayed durability).
	 */
	const char *flush;
	/*
	 * A wrapped SQL job in one batch (BEGIN, job_lock, the script, job_done,
	 * COMMIT; the key from the settings job_start made), or NULL: the runner
	 * sends them one by one.  When the row is done already it fails with
	 * done_mark in the error.
	 */
	int			(*wrapped_script) (struct upkit_conn *c, const char *text);
	const char *done_mark;
	/*
	 * (plan, run, job, company): lock the job's row in the job's
	 * transaction and fail (done_mark in the error when it says done) unless
	 * it says running: what a pipeline sends after job_start, so that
	 * nothing after it runs when job_start did not make the row running.
	 * NULL: no pipeline.
	 */
	const char *job_claim;
	const char *ready;			/* 1 when the ledger tables exist, else 0 */
	const char *missing;		/* what to do when they do not */
	const char *last_run;		/* (plan) -> the latest run, or NULL */
	const char *add_run;		/* (plan, run): create it, or mark it running again */
	/*
	 * (plan, run, state): the run's outcome, in a commit that is also the
	 * run's last barrier (it returns when every commit before it is on
	 * disk, as flush does), so the run ends in one round trip.
	 */
	const char *end_run;
	const char *paused;			/* (plan, run) -> 1 or 0 */
	const char *set_paused;		/* (plan, 1|0) on the latest run -> its number */
	const char *job_states;		/* (plan, run) -> job, company, state */
	/*
	 * (plan, run, job, company) -> 1 (now running), 0 (done already);
	 * PostgreSQL: also the session settings upkit_run.plan, .run, .job and
	 * .company
	 */
	const char *job_start;
	/* (plan, run, job, company) -> state; first in the job's transaction */
	const char *job_lock;
	const char *job_done;		/* (..., rows or NULL, message or NULL); in the job's transaction */
	const char *job_end;		/* (..., state, message): failed, interrupted */
	const char *job_skip;		/* (..., message): skipped, unless done */
	/*
	 * Live jobs (docs/runner.md, "Pause"): the session's id (backend);
	 * live_pause (id): ask the live fill that session runs to stop after
	 * its batch (the live state's control word); live_paused (plan, run,
	 * job, company), on the job's connection after it returned: 1 when a
	 * live fill of this session paused since the job started, else 0.
	 */
	const char *backend;
	const char *live_pause;
	const char *live_paused;
	const char *job_note;		/* (..., message): the message only (the readiness gate's) */
	const char *job_recheck;	/* (..., message): a done readiness job back to pending */
	/*
	 * (plan, run) -> job, company, state, attempts, started (text), seconds,
	 * rows, message
	 */
	const char *status;
	const char *run_info;		/* (plan, run) -> state, paused, started, ended */
	const char *companies;		/* -> DATAAREA's companies that are not virtual */
	const char *table_size;		/* (table) -> its rows, from the catalog's statistics */
	/*
	 * Make the job's id and company ("" unless standard) visible to a SQL
	 * script (docs/runner.md): PostgreSQL current_setting('upkit_run.job') and
	 * current_setting('upkit_run.company'), SQL Server #UPKIT_JOB.[JOB] and
	 * .[COMPANY].  local: inside the job's transaction.
	 */
	int			(*set_context) (struct upkit_conn *c, const char *job, const char *company, int local);
	/*
	 * The call of a generated procedure for a company ("" for none) into
	 * sql, its parameter values into params (at most UPKIT_CALL_MAX_PARAMS,
	 * owned by j or company).  Returns the number of parameters.
	 */
	int			(*call) (struct strbuf *sql, const struct upkit_plan_job *j, const char *company,
						 const char **params);
	/* Run a SQL script file's text (all of it, in the current transaction). */
	int			(*script) (struct upkit_conn *c, const char *text);
};

/*
 * The values of job j's call for a company, in the order of j->call.params
 * (the kind's call hook): the company, "params" or the parameter's
 * fallback; owned by j or company.  Returns how many.  Both dialects' call
 * builders use it.
 */
int			upkit_job_call_args(const struct upkit_plan_job *j, const char *company,
								const char **values);

extern const struct upkit_ledger_sql upkit_ledger_pg;
extern const struct upkit_ledger_sql upkit_ledger_mssql;

const struct upkit_ledger_sql *upkit_ledger_for(enum upkit_dialect d);

#endif
