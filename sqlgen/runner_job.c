/*
 * runner_job.c: one job instance on one connection, with its ledger row
 * (runner.h, ledger.h).
 *
 * Exactly once.  A job the runner wraps in a transaction runs as one
 * transaction:
 *
 *     job_enter   the job's own lock (pg_advisory_xact_lock on a hash of
 *                 its key; SQL Server sp_getapplock, owned by the
 *                 transaction): a second runner of the same job waits here
 *     job_check   a statement after the lock: 'done' -> the transaction
 *                 fails with done_mark, nothing runs, the job is "done
 *                 before" (SQL Server: part of job_enter's batch)
 *     the work    (CALL the procedure, or the script)
 *     job_finish  the row 'done' (inserted or updated; rows, the start),
 *                 failing with done_mark if it says done already
 *     COMMIT
 *
 * so the work and its 'done' commit together or not at all.  If the runner
 * dies anywhere in between, the server rolls the transaction back when the
 * connection drops: neither the work nor 'done' is there and the next run
 * does the job again; or the server had the whole of it and commits both.
 * Two runners at once: the second waits on the job's lock, then reads
 * 'done' (a statement that starts after the lock is granted sees the
 * first's commit) and does nothing.  A failure rolls back and is recorded
 * ('failed', or 'interrupted' after Ctrl-C) in a transaction of its own
 * (job_end, which inserts the row when there is none).
 *
 * The 'running' row.  Nothing is committed before the job's transaction:
 * a job of a few milliseconds costs one transaction and one row version.
 * A job that runs for a while (RUNNING_MARK seconds, runner.c) is marked
 * 'running' from the runner's own connection to the database (job_mark:
 * the try counted, started_at, "running on session N"), so that 'upkit
 * status' and a DBA's SELECT see it, and a crash leaves it saying
 * 'running' (tests/runner/crash.t).  The mark writes only while the job's
 * lock is held elsewhere, tested under the row's lock (ledger_pg.c), so
 * it never lands after the job's 'done' or its failure; job_finish and
 * job_end count the try only when no mark of this session counted it.  A
 * job killed before it was marked leaves no trace: it simply runs again.
 * Exactly once never depends on the mark, only what the ledger tells its
 * readers meanwhile.
 *
 * On PostgreSQL a wrapped SQL job of one statement is one round trip:
 * BEGIN, job_enter, job_check, the statement, job_finish and COMMIT in
 * one libpq pipeline with one sync point after them (run_pipelined); an
 * error skips the rest, and the runner rolls back.  A generated
 * procedure's job is two (run_pipelined too): the CALL's answer is read
 * before job_finish is sent with its counts.  A longer script is two: its
 * key into the session's settings, then one batch with BEGIN, the lock,
 * the check, the script, 'done' and COMMIT (ledger_pg.c,
 * pg_wrapped_script).  The server's notices go onto the row after the
 * commit (job_note), so a crash in between loses only them.  The
 * pipeline's ledger statements are prepared on the connection the first
 * time (conn_pg.c) and run prepared for every later job.
 *
 * Durability.  The job's transaction, 'done' included, commits without
 * waiting for the disk (synchronous_commit off on the worker sessions).
 * That is safe because the work and its 'done' are one transaction: a
 * server crash that loses the commit loses both together, and the next
 * run does the job again.  And the WAL is written and flushed in order, so
 * no later commit on the same server (a dependant job's, or the next
 * job's) can survive a crash without every commit before it: a dependant
 * never keeps work built on a job whose commit was lost.  What the WAL's
 * order cannot cover, the runner flushes (the ledger's flush: one
 * synchronous commit, which waits for all WAL before it):
 *   - before a job starts in another database while a database has
 *     commits not yet flushed (another server's WAL knows nothing of this
 *     one's; runner.c, flush_others);
 *   - after a job that manages its own transactions (its work may reach
 *     beyond this session's commits), here;
 *   - before 'upkit run' reports and exits (runner.c), so that a run
 *     reported done is on disk: the commit of the run's end row is
 *     synchronous itself (ledger_pg.c, end_run), one round trip for both.
 * SQL Server 2012 has no delayed durability: every commit there is
 * durable, and the ledger's flush is NULL.
 *
 * A SQL script with "transaction": false manages its own transactions (a
 * live job): job_start commits its 'running' row first (the try counted,
 * the session named), and its 'done' is written after it returns, so a crash between its
 * last commit and that write runs it again.  Such a script must therefore
 * be safe to run twice (DESIGN.md "Idempotency"), which docs/runner.md asks
 * of it.  When such a job returns and a live fill of its session paused
 * after a batch since the job started (the runner asked it to, from
 * 'upkit pause', or someone did with upkit.live_control), the job is
 * recorded 'paused', not done: the next call of the live procedure goes on
 * from its checkpoint, which is what running the job again does.  A
 * table's copy job (runner_copy.c) runs the same way: each of its ranges is
 * done exactly once by the copy's own ledger (copy_ledger.h), and running
 * it again after such a crash copies nothing twice.  Its work stops
 * between two ranges when the run is paused (it returns 1): the job is
 * recorded 'paused' with what it did, and running it again copies the
 * ranges left.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "install.h"
#include "ledger.h"
#include "runner.h"
#include "runner_job.h"
#include "script.h"

struct upkit_conn *
upkit_plan_connect(const struct upkit_plan *p, int d, struct strbuf *err)
{
	struct upkit_conn_target t = p->dbs[d].target;

	if (t.dialect == UPKIT_DIALECT_MSSQL)
	{
		t.password = getenv(p->dbs[d].password_env);
		if (t.password == NULL)
		{
			sb_appendf(err, "database \"%s\": set %s to the password of login '%s' (a plan never holds one)",
					   p->dbs[d].name, p->dbs[d].password_env, t.user);
			return NULL;
		}
	}
	return upkit_conn_open(&t, err);
}

struct upkit_conn *
runner_session_open(const struct upkit_plan *p, int d, char **backend, struct strbuf *err)
{
	struct upkit_conn *c = upkit_plan_connect(p, d, err);
	const struct upkit_ledger_sql *L;
	struct strbuf v = STRBUF_INIT;

	*backend = NULL;
	if (c == NULL)
		return NULL;
	L = upkit_ledger_for(c->dialect);
	if (L->session && upkit_query_value(c, L->session, 0, NULL, &v) != 1)
	{
		sb_appendf(err, "cannot set up the connection to %s: %s", c->where,
				   c->error.len ? sb_str(&c->error) : "no row");
		upkit_conn_close(c);
		sb_free(&v);
		return NULL;
	}
	if (L->session || (L->backend && upkit_query_value(c, L->backend, 0, NULL, &v) == 1))
		*backend = xstrdup(sb_str(&v));
	upkit_conn_clear_error(c);
	sb_free(&v);
	return c;
}

/*
 * The job's units were rendered for its database's dialect when the plan
 * was read (plan_read.c); the install-time checks run here, against the
 * database as the earlier jobs left it.
 */
int
runner_install_job(struct upkit_conn *c, const struct upkit_plan_job *j, struct upkit_diags *diags)
{
	struct upkit_spec *const *specs = (struct upkit_spec *const *) &j->spec;
	struct upkit_install_report rep = {NULL, 0, 0};
	int			rc = -1;

	if (upkit_check_specs(c, specs, 1, diags) == 0
		&& upkit_install_units(c, &j->units, &rep, diags) == 0)
		rc = 0;
	upkit_install_report_free(&rep);
	return rc;
}

/* The sum of the numbers in the first row: a procedure's counts. */
static long long
row_sum(const struct upkit_rows *rows)
{
	long long	sum = -1;

	for (int i = 0; rows->nrows > 0 && i < rows->ncols; i++)
	{
		const char *v = upkit_rows_get(rows, 0, i);
		char	   *end;
		long long	n;

		if (v == NULL || *v == '\0')
			continue;
		n = strtoll(v, &end, 10);
		if (*end == '\0')
			sum = (sum < 0 ? 0 : sum) + n;
	}
	return sum;
}

static void
failure(struct upkit_conn *c, struct strbuf *message)
{
	sb_append(message, sb_str(&c->error));
	if (c->detail.len > 0)
		sb_appendf(message, " (%s)", sb_str(&c->detail));
}

/* The work itself, inside the job's transaction or not. */
static int
work(struct upkit_conn *c, const struct runner_job_call *jc, long long *rows)
{
	const struct upkit_ledger_sql *L = upkit_ledger_for(c->dialect);
	const struct upkit_plan_job *j = jc->job;

	if (jc->work)
		return jc->work(jc->work_arg, c, rows);
	if (j->spec)
	{
		struct strbuf sql = STRBUF_INIT;
		struct upkit_rows r = UPKIT_ROWS_INIT;
		const char *params[UPKIT_CALL_MAX_PARAMS];
		int			n = L->call(&sql, j, jc->company, params);
		int			rc = c->ops->query(c, sb_str(&sql), n, params, &r);

		if (rc == 0)
			*rows = row_sum(&r);
		upkit_rows_free(&r);
		sb_free(&sql);
		return rc;
	}
	if (L->set_context(c, j->id, jc->company, j->transaction) != 0)
		return -1;
	return L->script(c, jc->script);
}

/* A ledger statement on the job's key and nextra more values (NULL: SQL NULL). */
static int
key_query(struct upkit_conn *c, const char *sql, const struct runner_job_call *jc, int nextra,
		  const char *const *extra, struct strbuf *value)
{
	char		run[16];
	const char *params[7] = {jc->plan, run, jc->job->id, jc->company, NULL, NULL, NULL};

	snprintf(run, sizeof run, "%d", jc->run);
	for (int i = 0; i < nextra; i++)
		params[4 + i] = extra[i];
	if (value)
		return upkit_query_value(c, sql, 4 + nextra, params, value) < 0 ? -1 : 0;
	return c->ops->query(c, sql, 4 + nextra, params, NULL);
}

/* Seconds since t0, as text for a ledger statement. */
static void
seconds_since(const struct timespec *t0, char *buf, size_t n)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	snprintf(buf, n, "%.3f", (double) (t.tv_sec - t0->tv_sec) + (double) (t.tv_nsec - t0->tv_nsec) / 1e9);
}

/* Record a failure (or interruption, or pause) after the rollback. */
static void
record_end(struct upkit_conn *c, const struct runner_job_call *jc, const struct timespec *t0,
		   const char *state, const char *message)
{
	char		secs[32];
	const char *extra[3] = {state, message, secs};

	if (jc->ending)
		jc->ending(jc->ending_arg);
	seconds_since(t0, secs, sizeof secs);
	/* once more if it fails: a cancel sent for the work may land late, on it */
	for (int try = 0; try < 2; try++)
	{
		if (key_query(c, upkit_ledger_for(c->dialect)->job_end, jc, 3, extra, NULL) == 0)
			return;
		upkit_conn_clear_error(c);	/* a mark's 'running' stays: taken as interrupted */
	}
}

int
runner_job_skip(struct upkit_conn *c, const struct runner_job_call *jc, const char *message)
{
	return key_query(c, upkit_ledger_for(c->dialect)->job_skip, jc, 1, &message, NULL);
}

int
runner_job_note(struct upkit_conn *c, const struct runner_job_call *jc, int recheck, const char *message)
{
	const struct upkit_ledger_sql *L = upkit_ledger_for(c->dialect);

	return key_query(c, recheck ? L->job_recheck : L->job_note, jc, 1, &message, NULL);
}

int
runner_job_fail(struct upkit_conn *c, const struct runner_job_call *jc, const char *message)
{
	const char *extra[3] = {"failed", message, "0"};

	return key_query(c, upkit_ledger_for(c->dialect)->job_end, jc, 3, extra, NULL);
}

int
runner_job_mark(struct upkit_conn *c, const struct runner_job_call *jc, const char *session,
				double seconds)
{
	const struct upkit_ledger_sql *L = upkit_ledger_for(c->dialect);
	char		secs[32];
	const char *extra[2] = {session, secs};

	if (L->job_mark == NULL)
		return 0;
	snprintf(secs, sizeof secs, "%.3f", seconds);
	return key_query(c, L->job_mark, jc, 2, extra, NULL);
}

/*
 * The server's notices of a job whose 'done' is committed already (at most
 * 2000 bytes of them): onto its ledger row, and into message.
 */
static void
notes_after_commit(struct upkit_conn *c, const struct runner_job_call *jc, struct strbuf *message)
{
	char	   *notes;

	if (c->messages.len == 0)
		return;
	notes = strndup(sb_str(&c->messages), 2000);
	sb_append(message, notes);
	if (runner_job_note(c, jc, 0, notes) != 0)
		upkit_conn_clear_error(c);
	free(notes);
}

/*
 * One statement at most: no semicolon but a last one (a semicolon inside a
 * string or comment counts too: such a script simply takes the batch).
 */
static int
single_statement(const char *text)
{
	const char *semi = strchr(text, ';');

	if (semi == NULL)
		return 1;
	for (semi++; *semi; semi++)
		if (!strchr(" \t\r\n", *semi))
			return 0;
	return 1;
}

/* Did the job's transaction fail because another runner did the job? */
static int
done_before(struct upkit_conn *c)
{
	const struct upkit_ledger_sql *L = upkit_ledger_for(c->dialect);

	return L->done_mark && strstr(sb_str(&c->error), L->done_mark) != NULL;
}

/* A procedure's counts, once its CALL has answered: job_finish's rows. */
struct call_rows
{
	struct upkit_rows rows;
	long long	sum;
	char		text[32];
	const char **param;			/* job_finish's rows parameter */
};

static void
call_answered(void *arg)
{
	struct call_rows *cr = arg;

	cr->sum = row_sum(&cr->rows);
	snprintf(cr->text, sizeof cr->text, "%lld", cr->sum);
	*cr->param = cr->sum >= 0 ? cr->text : NULL;
}

/*
 * A wrapped job in the engine's pipeline: BEGIN, job_enter, job_check, the
 * work, job_finish, COMMIT and one sync point; an error skips everything
 * after it up to the sync (the runner then rolls back).  The same steps as
 * the statement-by-statement path.  A one-statement SQL job is one round
 * trip.  A generated procedure's CALL is two: its answer (its counts) is
 * read before job_finish is sent with them (a flush, no sync: still one
 * transaction).  The BEGIN is not a formality: without it the statements
 * before a sync are one transaction too, but not a transaction block, and
 * a CALL among them could COMMIT in the middle of the job (with it, that
 * is an error).
 */
static enum runner_outcome
run_pipelined(struct upkit_conn *c, const struct runner_job_call *jc, long long *rows,
			  struct strbuf *message)
{
	const struct upkit_ledger_sql *L = upkit_ledger_for(c->dialect);
	char		run[16];
	const char *key[7] = {jc->plan, run, jc->job->id, jc->company, NULL, NULL, NULL};
	const char *params[UPKIT_CALL_MAX_PARAMS];
	struct strbuf call = STRBUF_INIT;
	struct call_rows cr = {UPKIT_ROWS_INIT, -1, "", &key[4]};
	struct upkit_pipe_stmt st[] = {
		{"BEGIN", 0, NULL, 0, 0, NULL, NULL, NULL},
		{L->job_enter, 4, key, 0, 1, NULL, NULL, NULL},
		{L->job_check, 4, key, 0, 1, NULL, NULL, NULL},
		{jc->script, 0, NULL, 0, 0, NULL, NULL, NULL},
		{L->job_finish, 7, key, 0, 1, NULL, NULL, NULL},
		{"COMMIT", 0, NULL, 1, 0, NULL, NULL, NULL},
	};
	enum runner_outcome out = RUNNER_FAILED;
	int			failed;

	snprintf(run, sizeof run, "%d", jc->run);
	if (jc->job->spec)
	{
		int			n = L->call(&call, jc->job, jc->company, params);

		st[3] = (struct upkit_pipe_stmt) {sb_str(&call), n, params, 0, 0, &cr.rows, call_answered, &cr};
	}
	if (c->ops->pipeline(c, st, (int) (sizeof st / sizeof st[0]), &failed) == 0)
	{
		*rows = cr.sum;
		notes_after_commit(c, jc, message);
		out = RUNNER_DONE;
	}
	else if (done_before(c))
	{
		c->ops->rollback(c);
		upkit_conn_clear_error(c);
		out = RUNNER_DONE_BEFORE;
	}
	upkit_rows_free(&cr.rows);
	sb_free(&call);
	return out;
}

/*
 * A wrapped job statement by statement (on an engine without a pipeline:
 * SQL Server): BEGIN, job_enter, job_check, the work, job_finish with the
 * rows, COMMIT.
 */
static enum runner_outcome
run_wrapped(struct upkit_conn *c, const struct runner_job_call *jc, long long *rows,
			struct strbuf *message)
{
	const struct upkit_ledger_sql *L = upkit_ledger_for(c->dialect);
	struct strbuf start = STRBUF_INIT;
	char		rowtext[32];
	char	   *notes = NULL;
	const char *extra[3];
	int			rc;

	rc = c->ops->begin(c) != 0
		|| key_query(c, L->job_enter, jc, 0, NULL, &start) != 0
		|| (L->job_check && key_query(c, L->job_check, jc, 0, NULL, NULL) != 0)
		|| work(c, jc, rows) != 0;
	if (rc == 0)
	{
		/* The server's messages, at most 2000 bytes of them. */
		notes = c->messages.len ? strndup(sb_str(&c->messages), 2000) : NULL;
		snprintf(rowtext, sizeof rowtext, "%lld", *rows);
		extra[0] = *rows >= 0 ? rowtext : NULL;
		extra[1] = notes;
		extra[2] = start.len ? sb_str(&start) : NULL;
		rc = key_query(c, L->job_finish, jc, 3, extra, NULL) != 0 || c->ops->commit(c) != 0;
	}
	if (rc == 0 && notes)
		sb_append(message, notes);
	free(notes);
	sb_free(&start);
	if (rc == 0)
		return RUNNER_DONE;
	if (done_before(c))
	{
		c->ops->rollback(c);
		upkit_conn_clear_error(c);
		return RUNNER_DONE_BEFORE;
	}
	return RUNNER_FAILED;
}

/*
 * A job that manages its own transactions stopped on a pause, what it did
 * committed (a live fill after its batch, a copy between two ranges): the
 * row says 'paused', with why; running the job again goes on.
 */
static enum runner_outcome
paused(struct upkit_conn *c, const struct runner_job_call *jc, const struct timespec *t0,
	   const char *why, struct strbuf *message)
{
	sb_append(message, why);
	record_end(c, jc, t0, "paused", sb_str(message));
	return RUNNER_PAUSED;
}

/*
 * A job that manages its own transactions (a live fill, a table's copy):
 * job_start commits 'running' first, the work, then 'done' (or 'paused'
 * when its live fill stopped after a batch, or its copy between two ranges
 * on the run's pause), and the flush.
 */
static enum runner_outcome
run_unwrapped(struct upkit_conn *c, const struct runner_job_call *jc, const struct timespec *t0,
			  long long *rows, struct strbuf *message)
{
	const struct upkit_ledger_sql *L = upkit_ledger_for(c->dialect);
	struct strbuf v = STRBUF_INIT;
	char		rowtext[32];
	const char *extra[2];
	char	   *notes;
	int			rc;

	if (key_query(c, L->job_start, jc, 0, NULL, &v) != 0)
	{
		sb_free(&v);
		return RUNNER_FAILED;
	}
	rc = strcmp(sb_str(&v), "0") == 0;
	sb_free(&v);
	if (rc)
		return RUNNER_DONE_BEFORE;
	if ((rc = work(c, jc, rows)) < 0)
		return RUNNER_FAILED;
	if (rc > 0)
		return paused(c, jc, t0, sb_str(&c->messages), message);
	if (L->live_paused)
	{
		if (key_query(c, L->live_paused, jc, 0, NULL, &v) != 0)
		{
			sb_free(&v);
			return RUNNER_FAILED;
		}
		rc = strcmp(sb_str(&v), "1") == 0;
		sb_free(&v);
		if (rc)
			return paused(c, jc, t0, "paused after a batch: running the job again goes on from its checkpoint",
						  message);
	}
	/* The server's messages, at most 2000 bytes of them. */
	notes = c->messages.len ? strndup(sb_str(&c->messages), 2000) : NULL;
	snprintf(rowtext, sizeof rowtext, "%lld", *rows);
	extra[0] = *rows >= 0 ? rowtext : NULL;
	extra[1] = notes;
	rc = key_query(c, L->job_done, jc, 2, extra, NULL);
	free(notes);
	if (rc != 0)
		return RUNNER_FAILED;
	if (L->flush && c->ops->exec(c, L->flush) != 0)
		upkit_conn_clear_error(c);	/* done is recorded; the next barrier flushes */
	return RUNNER_DONE;
}

enum runner_outcome
runner_job_run(struct upkit_conn *c, const struct runner_job_call *jc, int (*stopping) (void),
			   long long *rows, struct strbuf *message)
{
	const struct upkit_ledger_sql *L = upkit_ledger_for(c->dialect);
	const char *key[4];
	char		run[16];
	struct timespec t0;
	enum runner_outcome out;
	int			wrap = jc->job->transaction;	/* never for a copy (plan_copy.c) */

	clock_gettime(CLOCK_MONOTONIC, &t0);
	*rows = -1;
	sb_free(&c->messages);
	snprintf(run, sizeof run, "%d", jc->run);
	key[0] = jc->plan;
	key[1] = run;
	key[2] = jc->job->id;
	key[3] = jc->company;
	if (!wrap)
		out = run_unwrapped(c, jc, &t0, rows, message);
	else if (c->ops->pipeline && L->job_check && (jc->job->spec || single_statement(jc->script)))
		out = run_pipelined(c, jc, rows, message);
	else if (jc->script && L->wrapped_script)
	{
		out = RUNNER_DONE;
		if (L->wrapped_script(c, key, jc->script) != 0)
			out = done_before(c) ? RUNNER_DONE_BEFORE : RUNNER_FAILED;
		if (out == RUNNER_DONE_BEFORE)
		{
			c->ops->rollback(c);
			upkit_conn_clear_error(c);
		}
		else if (out == RUNNER_DONE)
			notes_after_commit(c, jc, message);
	}
	else
		out = run_wrapped(c, jc, rows, message);
	if (out != RUNNER_FAILED)
		return out;

	failure(c, message);
	if (wrap)
		c->ops->rollback(c);
	upkit_conn_clear_error(c);
	{
		int			stop = stopping();

		record_end(c, jc, &t0, stop ? "interrupted" : "failed", sb_str(message));
		return stop ? RUNNER_INTERRUPTED : RUNNER_FAILED;
	}
}
