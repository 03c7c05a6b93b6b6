/*
 * runner_job.c: one job instance on one connection, with its ledger row
 * (runner.h, ledger.h).
 *
 * Exactly once.  A job the runner wraps in a transaction runs as
 *
 *     job_start   (its own transaction: 'running', attempts + 1; nothing
 *                  when the row says 'done')
 *     BEGIN
 *     job_lock    (the row, FOR UPDATE / UPDLOCK; 'done' -> ROLLBACK, skip)
 *     the work    (CALL the procedure, or the script)
 *     job_done    ('done', rows, the server's messages)
 *     COMMIT
 *
 * so the work and its 'done' commit together.  If the runner dies anywhere
 * in between, the server rolls the transaction back when the connection
 * drops: the row says 'running' and the work is not there, and the next run
 * does it again.  Two runners at once: the second waits on the row lock and
 * then reads 'done'.  A failure rolls back and is recorded ('failed', or
 * 'interrupted' after Ctrl-C) in a transaction of its own.
 *
 * On PostgreSQL a wrapped SQL job of one statement is one round trip: the
 * same steps sent in a pipeline (run_pipelined); a longer script is two:
 * job_start, then one batch with BEGIN, the lock, the script, 'done' and
 * COMMIT (ledger_pg.c, pg_wrapped_script).  The server's notices go onto
 * the row after the commit (job_note), so a crash in between loses only
 * them.  The pipeline's ledger statements are kept: prepared on the
 * connection the first time (conn_pg.c), run prepared for every later
 * job, so the server parses and plans them once per connection.
 *
 * Why 'running' is committed on its own, before the job's transaction,
 * although the pipeline could send it inside that transaction (one commit
 * fewer per job, no round trip saved: the pipeline has one already):
 *   - 'upkit status' reads the ledger from another session: only a
 *     committed 'running' row (with its started_at) shows a
 *     long statement as running, and lets status tell a job that is
 *     running from one that never started;
 *   - a crash (tests/runner/crash.t): the row says 'running' with its
 *     attempts counted, so the next run takes the job as interrupted
 *     and counts the try; inside the transaction the crash would roll
 *     back every trace of the attempt;
 *   - a second runner (tests/runner/twice.t) needs nothing from it: it
 *     waits on the row lock of job_claim and reads 'done' either way.
 * Exactly-once does not depend on it (the work and 'done' commit
 * together); only what the ledger tells its readers does.  The commit
 * costs the server a little work, not a round trip nor a disk wait.
 *
 * Durability.  The job's transaction, 'done' included, commits without
 * waiting for the disk (synchronous_commit off on the worker sessions).
 * That is safe because the work and its 'done' are one transaction: a
 * server crash that loses the commit loses both together, the row says
 * 'running' (or nothing), and the next run does the job again.  And the
 * WAL is written and flushed in order, so no later commit on the same
 * server (a dependant job's, or the next job's) can survive a crash
 * without every commit before it: a dependant never keeps work built on a
 * job whose commit was lost.  What the WAL's order cannot cover, the
 * runner flushes (the ledger's flush: one synchronous commit, which waits
 * for all WAL before it):
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
 * live job): its 'done' is written after it returns, so a crash between its
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
		  const char *p5, const char *p6, struct strbuf *value)
{
	char		run[16];
	const char *params[6] = {jc->plan, run, jc->job->id, jc->company, p5, p6};
	int			n = 4 + nextra;

	snprintf(run, sizeof run, "%d", jc->run);
	if (value)
		return upkit_query_value(c, sql, n, params, value) < 0 ? -1 : 0;
	return c->ops->query(c, sql, n, params, NULL);
}

/* Record a failure (or interruption) after the rollback. */
static void
record_end(struct upkit_conn *c, const struct runner_job_call *jc, const char *state,
		   const char *message)
{
	const struct upkit_ledger_sql *L = upkit_ledger_for(c->dialect);

	if (key_query(c, L->job_end, jc, 2, state, message, NULL) != 0)
		upkit_conn_clear_error(c);	/* the row stays 'running': taken as interrupted */
}

int
runner_job_skip(struct upkit_conn *c, const struct runner_job_call *jc, const char *message)
{
	return key_query(c, upkit_ledger_for(c->dialect)->job_skip, jc, 1, message, NULL, NULL);
}

int
runner_job_note(struct upkit_conn *c, const struct runner_job_call *jc, int recheck, const char *message)
{
	const struct upkit_ledger_sql *L = upkit_ledger_for(c->dialect);

	return key_query(c, recheck ? L->job_recheck : L->job_note, jc, 1, message, NULL, NULL);
}

int
runner_job_fail(struct upkit_conn *c, const struct runner_job_call *jc, const char *message)
{
	const struct upkit_ledger_sql *L = upkit_ledger_for(c->dialect);
	int			rc = key_query(c, L->job_start, jc, 0, NULL, NULL, NULL);

	if (rc == 0)
		rc = key_query(c, L->job_end, jc, 2, "failed", message, NULL);
	return rc;
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

/*
 * A wrapped one-statement SQL job in one round trip (the engine's
 * pipeline): BEGIN, job_start, COMMIT (its own transaction), then BEGIN,
 * job_claim (fails unless the row is running: nothing after it runs when
 * job_start did not make it so), the script, job_done, COMMIT, and one
 * sync point at the end.  The same steps as the statement-by-statement
 * path.  An error skips everything after it up to the sync, so nothing
 * runs after a failed job_start either; the one sync means the server
 * answers once, and the runner waits once per job.
 */
static enum runner_outcome
run_pipelined(struct upkit_conn *c, const struct runner_job_call *jc, struct strbuf *message)
{
	const struct upkit_ledger_sql *L = upkit_ledger_for(c->dialect);
	char		run[16];
	const char *key[6] = {jc->plan, run, jc->job->id, jc->company, NULL, NULL};
	enum
	{
		CLAIM = 4
	};
	struct upkit_pipe_stmt st[] = {
		{"BEGIN", 0, NULL, 0, 0},
		{L->job_start, 4, key, 0, 1},
		{"COMMIT", 0, NULL, 0, 0},
		{"BEGIN", 0, NULL, 0, 0},
		{L->job_claim, 4, key, 0, 1},	/* CLAIM */
		{jc->script, 0, NULL, 0, 0},
		{L->job_done, 6, key, 0, 1},
		{"COMMIT", 0, NULL, 1, 0},
	};
	struct strbuf v = STRBUF_INIT;
	int			failed;

	snprintf(run, sizeof run, "%d", jc->run);
	if (c->ops->pipeline(c, st, (int) (sizeof st / sizeof st[0]), &failed, &v) == 0)
	{
		sb_free(&v);
		notes_after_commit(c, jc, message);
		return RUNNER_DONE;
	}
	sb_free(&v);
	if (failed == CLAIM && strstr(sb_str(&c->error), L->done_mark))
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
paused(struct upkit_conn *c, const struct runner_job_call *jc, const char *why, struct strbuf *message)
{
	sb_append(message, why);
	record_end(c, jc, "paused", sb_str(message));
	return RUNNER_PAUSED;
}

enum runner_outcome
runner_job_run(struct upkit_conn *c, const struct runner_job_call *jc, int (*stopping) (void),
			   long long *rows, struct strbuf *message)
{
	const struct upkit_ledger_sql *L = upkit_ledger_for(c->dialect);
	struct strbuf v = STRBUF_INIT;
	char		rowtext[32];
	int			wrap = jc->job->transaction;
	int			worked;

	*rows = -1;
	sb_free(&c->messages);
	if (wrap && jc->script && !jc->work && c->ops->pipeline && L->job_claim && single_statement(jc->script))
	{
		enum runner_outcome out = run_pipelined(c, jc, message);

		if (out != RUNNER_FAILED)
			return out;
		goto failed;
	}
	if (key_query(c, L->job_start, jc, 0, NULL, NULL, &v) != 0)
	{
		failure(c, message);
		sb_free(&v);
		return RUNNER_FAILED;
	}
	if (strcmp(sb_str(&v), "0") == 0)
	{
		sb_free(&v);
		return RUNNER_DONE_BEFORE;
	}
	sb_free(&v);
	if (wrap && jc->script && !jc->work && L->wrapped_script)
	{
		if (L->wrapped_script(c, jc->script) != 0)
		{
			if (L->done_mark && strstr(sb_str(&c->error), L->done_mark))
			{
				c->ops->rollback(c);
				upkit_conn_clear_error(c);
				return RUNNER_DONE_BEFORE;
			}
			goto failed;
		}
		notes_after_commit(c, jc, message);
		return RUNNER_DONE;
	}
	if (wrap)
	{
		if (c->ops->begin(c) != 0 || key_query(c, L->job_lock, jc, 0, NULL, NULL, &v) != 0)
			goto failed;
		if (strcmp(sb_str(&v), "done") == 0)
		{
			sb_free(&v);
			c->ops->rollback(c);
			return RUNNER_DONE_BEFORE;
		}
		sb_free(&v);
	}
	if ((worked = work(c, jc, rows)) < 0)
		goto failed;
	if (worked > 0)
		return paused(c, jc, sb_str(&c->messages), message);
	if (!wrap && L->live_paused)
	{
		if (key_query(c, L->live_paused, jc, 0, NULL, NULL, &v) != 0)
			goto failed;
		if (strcmp(sb_str(&v), "1") == 0)
		{
			sb_free(&v);
			return paused(c, jc, "paused after a batch: running the job again goes on from its checkpoint", message);
		}
		sb_free(&v);
	}
	snprintf(rowtext, sizeof rowtext, "%lld", *rows);
	{
		/* The server's messages, at most 2000 bytes of them. */
		char	   *notes = c->messages.len ? strndup(sb_str(&c->messages), 2000) : NULL;
		int			rc = key_query(c, L->job_done, jc, 2, *rows >= 0 ? rowtext : NULL, notes, NULL);

		if (rc == 0 && c->messages.len)
			sb_append(message, notes);
		free(notes);
		if (rc != 0 || (wrap && c->ops->commit(c) != 0))
			goto failed;
	}
	if (!wrap && L->flush && c->ops->exec(c, L->flush) != 0)
		upkit_conn_clear_error(c);	/* done is recorded; the next barrier flushes */
	return RUNNER_DONE;

failed:
	failure(c, message);
	if (wrap)
		c->ops->rollback(c);
	upkit_conn_clear_error(c);
	{
		int			stop = stopping();

		record_end(c, jc, stop ? "interrupted" : "failed", sb_str(message));
		return stop ? RUNNER_INTERRUPTED : RUNNER_FAILED;
	}
}
