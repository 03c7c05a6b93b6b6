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
 * Exactly once (runner_job.c has the whole argument): a job the runner
 * wraps in a transaction runs job_enter first in it (the job's own lock,
 * then nothing when the row says 'done'), then the work, then job_finish,
 * which writes 'done' in the same transaction.  So the work and its 'done'
 * commit together or not at all, and a second runner waits on the lock and
 * then finds the job done.  A job that runs for a while is marked
 * 'running' from the runner's own connection (job_mark).
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
	 * A wrapped SQL job of several statements in one batch (job_enter,
	 * job_check, the script, job_finish, COMMIT: one transaction), its key
	 * (plan, run, job, company) given apart from the text; or NULL: the
	 * runner sends them one by one.  When the row is done already it fails
	 * with done_mark in the error.
	 */
	int			(*wrapped_script) (struct upkit_conn *c, const char *const key[4], const char *text);
	/* In the error of job_enter or job_check when the row says done. */
	const char *done_mark;
	/*
	 * (plan, run, job, company): the first statement in a job's transaction.
	 * It takes the job's own lock for the transaction (pg_advisory_xact_lock,
	 * sp_getapplock: a second runner waits here) and returns the
	 * transaction's start, for job_finish.  PostgreSQL: also the settings
	 * upkit_run.plan, .run, .job and .company, local to the transaction.
	 * SQL Server: it also does job_check's work.
	 */
	const char *job_enter;
	/*
	 * (plan, run, job, company): after job_enter, a statement of its own
	 * (it reads the ledger after the lock is held): fail with done_mark when
	 * the row says done.  NULL when job_enter does it.
	 */
	const char *job_check;
	/*
	 * (plan, run, job, company, rows or NULL, message or NULL, start or
	 * NULL): last in the job's transaction: the row 'done' (inserted or
	 * updated, the try counted unless job_mark counted it).  Under the
	 * job's lock after job_check it never finds the row done (a row that
	 * says done stays as it is; SQL Server raises done_mark then).  start
	 * is what job_enter returned (NULL: the transaction's own start).
	 */
	const char *job_finish;
	/*
	 * (plan, run, job, company, session id, seconds running): from another
	 * connection, while the job runs in the session: its row 'running' with
	 * the try counted and the message "running on session N"; nothing when
	 * the job's lock is free (the job's transaction has ended) or the row
	 * says done.  NULL: not marked.
	 */
	const char *job_mark;
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
	 * A job that manages its own transactions: (plan, run, job, company)
	 * -> 1 (its row now says running, committed, the try counted, the
	 * message "running on session N"), 0 (done already); PostgreSQL: also
	 * the session settings upkit_run.plan, .run, .job and .company.
	 */
	const char *job_start;
	const char *job_done;		/* (..., rows or NULL, message or NULL): after job_start */
	/*
	 * (..., state, message, seconds since the try started): failed,
	 * interrupted or paused, in a transaction of its own after the job's
	 * rolled back; inserts the row when there is none, counts the try
	 * unless its 'running' row counted it already; never over 'done'.
	 */
	const char *job_end;
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
