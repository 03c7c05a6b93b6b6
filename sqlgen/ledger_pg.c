/*
 * ledger_pg.c: the runner's ledger on PostgreSQL (ledger.h): the tables
 * upkit.runner_runs and upkit.runner_jobs of the extension's versioned SQL
 * (sql/upkit--0.3--0.4.sql, section "runner ledger"), the companies of
 * DATAAREA, table sizes from pg_class.reltuples, and the CALL of a
 * generated procedure.
 */
#include <stdlib.h>

#include "ident.h"
#include "ledger.h"

#define KEY "plan = $1 AND run = $2::integer AND job = $3 AND company = $4"
#define KEY_R "r.plan = $1 AND r.run = $2::integer AND r.job = $3 AND r.company = $4"

static int
pg_set_context(struct upkit_conn *c, const char *job, const char *company, int local)
{
	const char *params[3] = {job, company, local ? "true" : "false"};

	return c->ops->query(c, "SELECT pg_catalog.set_config('upkit_run.job', $1, $3::boolean),"
						 " pg_catalog.set_config('upkit_run.company', $2, $3::boolean)",
						 3, params, NULL);
}

static void
qualified(struct strbuf *sql, const struct upkit_qname *q)
{
	char	   *schema = upkit_ident_fold(q->schema ? q->schema : "public", UPKIT_DIALECT_PG);
	char	   *name = upkit_ident_fold(q->name, UPKIT_DIALECT_PG);

	upkit_quote_qualified(sql, schema, name, UPKIT_DIALECT_PG);
	free(schema);
	free(name);
}

/*
 * CALL proc($1, ...): positional, in the order the kind's call hook lists
 * the parameters (the order its templates declare them); the INOUT counts
 * come back as the result row.
 */
static int
pg_call(struct strbuf *sql, const struct upkit_plan_job *j, const char *company, const char **params)
{
	int			n = upkit_job_call_args(j, company, params);

	sb_append(sql, "CALL ");
	qualified(sql, j->call.procedure);
	sb_append(sql, "(");
	for (int i = 0; i < n; i++)
		sb_appendf(sql, "%s$%d", i ? ", " : "", i + 1);
	sb_append(sql, ")");
	return n;
}

static int
pg_script(struct upkit_conn *c, const char *text)
{
	return c->ops->exec(c, text);
}

/*
 * A wrapped SQL job in one round trip: one simple-query batch
 *
 *     BEGIN; lock the job's row; the script; mark it done; COMMIT;
 *
 * with the job's key from the settings job_start made (upkit_run.plan,
 * .run, .job, .company), so that no value is spliced into the text.  When
 * the row says done (a second runner finished it after our job_start), the
 * lock statement fails with DONE_MARK in its message (a cast of the state
 * and CLAIM_MSG to integer: plain SQL raises nothing else), before the script
 * runs; any error stops the batch with the transaction aborted, and the
 * runner rolls it back.  The script's text ends on its own line and a
 * semicolon, so a last line comment or a missing semicolon cannot swallow
 * what follows (an unterminated string or comment is a syntax error that
 * runs nothing: the server parses the whole batch first).
 */
#define CLAIM_MSG " in the ledger: upkit runs a job only while its row says running"
#define DONE_MARK "\"done" CLAIM_MSG	/* in the cast's error: invalid input syntax ... "done in the ledger: ..." */
#define KEY_SET "r.plan = pg_catalog.current_setting('upkit_run.plan')" \
	" AND r.run = pg_catalog.current_setting('upkit_run.run')::integer" \
	" AND r.job = pg_catalog.current_setting('upkit_run.job')" \
	" AND r.company = pg_catalog.current_setting('upkit_run.company')"

static int
pg_wrapped_script(struct upkit_conn *c, const char *text)
{
	struct strbuf sb = STRBUF_INIT;
	int			rc;

	sb_append(&sb, "BEGIN;\n"
			  "SELECT CASE WHEN r.state = 'done' THEN (r.state || '" CLAIM_MSG "')::integer END"
			  " FROM upkit.runner_jobs AS r WHERE " KEY_SET " FOR UPDATE OF r;\n");
	sb_append(&sb, text);
	sb_append(&sb, "\n;\nUPDATE upkit.runner_jobs AS r SET state = 'done', ended_at = pg_catalog.clock_timestamp(),"
			  " rows = NULL, message = NULL WHERE " KEY_SET ";\nCOMMIT;");
	rc = c->ops->exec(c, sb_str(&sb));
	sb_free(&sb);
	return rc;
}

const struct upkit_ledger_sql upkit_ledger_pg = {
	/* the backend's id and the setting in one round trip (ledger.h) */
	.session = "SELECT pg_catalog.pg_backend_pid(), pg_catalog.set_config('synchronous_commit', 'off', false)",
	.ready = "SELECT CASE WHEN pg_catalog.to_regclass('upkit.runner_jobs') IS NOT NULL"
	" AND pg_catalog.to_regclass('upkit.runner_runs') IS NOT NULL THEN 1 ELSE 0 END",
	.missing = "has no runner ledger (upkit.runner_jobs): CREATE EXTENSION upkit, or ALTER EXTENSION upkit UPDATE to 0.4",
	.last_run = "SELECT max(run) FROM upkit.runner_runs WHERE plan = $1",
	.add_run = "INSERT INTO upkit.runner_runs (plan, run) VALUES ($1, $2::integer)"
	" ON CONFLICT (plan, run) DO UPDATE SET state = 'running', ended_at = NULL",
	/* flush's synchronous commit in one statement: SET LOCAL as set_config(..., true), and an id to commit */
	.end_run = "WITH u AS (UPDATE upkit.runner_runs SET state = $3, ended_at = clock_timestamp()"
	" WHERE plan = $1 AND run = $2::integer RETURNING 1)"
	" SELECT pg_catalog.set_config('synchronous_commit', 'on', true), pg_catalog.txid_current()",
	.paused = "SELECT paused::integer FROM upkit.runner_runs WHERE plan = $1 AND run = $2::integer",
	.set_paused = "UPDATE upkit.runner_runs SET paused = $2::integer::boolean"
	" WHERE plan = $1 AND run = (SELECT max(run) FROM upkit.runner_runs WHERE plan = $1) RETURNING run",
	.job_states = "SELECT job, company, state FROM upkit.runner_jobs WHERE plan = $1 AND run = $2::integer",
	.job_start = "WITH s AS (INSERT INTO upkit.runner_jobs AS r"
	" (plan, run, job, company, state, attempts, started_at)"
	" VALUES ($1, $2::integer, $3, $4, 'running', 1, clock_timestamp())"
	" ON CONFLICT (plan, run, job, company) DO UPDATE SET state = 'running', attempts = r.attempts + 1,"
	" started_at = clock_timestamp(), ended_at = NULL, rows = NULL, message = NULL"
	" WHERE r.state <> 'done' RETURNING 1) SELECT count(*),"
	" pg_catalog.set_config('upkit_run.plan', $1, false), pg_catalog.set_config('upkit_run.run', $2::integer::text, false),"
	" pg_catalog.set_config('upkit_run.job', $3, false), pg_catalog.set_config('upkit_run.company', $4, false)"
	" FROM s",
	.job_lock = "SELECT r.state FROM upkit.runner_jobs AS r WHERE " KEY " FOR UPDATE OF r",
	.job_done = "UPDATE upkit.runner_jobs SET state = 'done', ended_at = clock_timestamp(),"
	" rows = $5::bigint, message = $6 WHERE " KEY,
	.job_end = "UPDATE upkit.runner_jobs SET state = $5, ended_at = clock_timestamp(), message = $6"
	" WHERE " KEY " AND state <> 'done'",
	.job_skip = "INSERT INTO upkit.runner_jobs AS r (plan, run, job, company, state, ended_at, message)"
	" VALUES ($1, $2::integer, $3, $4, 'skipped', clock_timestamp(), $5)"
	" ON CONFLICT (plan, run, job, company) DO UPDATE SET state = 'skipped', ended_at = clock_timestamp(),"
	" message = $5 WHERE r.state <> 'done'",
	.backend = "SELECT pg_catalog.pg_backend_pid()",
	.live_pause = "UPDATE upkit.live_state SET control = 'pause' WHERE pid = $1::integer AND status = 'running'",
	.live_paused = "SELECT CASE WHEN EXISTS (SELECT 1 FROM upkit.live_state AS st, upkit.runner_jobs AS r"
	" WHERE st.pid = pg_catalog.pg_backend_pid() AND st.status = 'paused' AND st.finished_at >= r.started_at"
	" AND " KEY_R ") THEN 1 ELSE 0 END",
	.job_note = "UPDATE upkit.runner_jobs SET message = $5 WHERE " KEY,
	.job_recheck = "UPDATE upkit.runner_jobs SET state = 'pending', message = $5 WHERE " KEY " AND state = 'done'",
	.status = "SELECT job, company, state, attempts, to_char(started_at, 'YYYY-MM-DD HH24:MI:SS'),"
	" to_char(extract(epoch FROM ended_at - started_at), 'FM999999990.00'), rows, message"
	" FROM upkit.runner_jobs WHERE plan = $1 AND run = $2::integer"
	" ORDER BY started_at NULLS LAST, job, company",
	.run_info = "SELECT state, paused::integer, to_char(started_at, 'YYYY-MM-DD HH24:MI:SS'),"
	" to_char(ended_at, 'YYYY-MM-DD HH24:MI:SS') FROM upkit.runner_runs WHERE plan = $1 AND run = $2::integer",
	.companies = "SELECT id FROM dataarea WHERE isvirtual = 0 ORDER BY id",
	.table_size = "SELECT greatest(c.reltuples, 0)::bigint FROM pg_catalog.pg_class AS c"
	" WHERE c.oid = pg_catalog.to_regclass($1)",
	.flush = "BEGIN; SET LOCAL synchronous_commit = on; SELECT pg_catalog.txid_current(); COMMIT;",
	.done_mark = DONE_MARK,
	.job_claim = "SELECT CASE WHEN x.state = 'running' THEN 0"
	" ELSE (coalesce(x.state, 'no row') || '" CLAIM_MSG "')::integer END"
	" FROM (SELECT (SELECT r.state FROM upkit.runner_jobs AS r WHERE " KEY_R " FOR UPDATE OF r) AS state) AS x",
	.wrapped_script = pg_wrapped_script,
	.set_context = pg_set_context,
	.call = pg_call,
	.script = pg_script,
};
