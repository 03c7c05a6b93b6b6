/*
 * ledger_pg.c: the runner's ledger on PostgreSQL (ledger.h): the tables
 * upkit.runner_runs and upkit.runner_jobs of the extension's versioned SQL
 * (sql/upkit--0.2--0.3.sql, section "runner ledger"), the companies of
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
 * The job's own lock: a transaction-level advisory lock on a 64-bit hash
 * of its key (plan, run, job, company), apart from any lock of the
 * application's by the text it hashes.  Two keys with one hash would only
 * wait for each other.
 */
#define LOCK_OF(p, r, j, c) "pg_catalog.hashtextextended('upkit job' || chr(31) || " p \
	" || chr(31) || " r " || chr(31) || " j " || chr(31) || " c ", 0)"
#define LOCK_KEY LOCK_OF("$1", "$2::integer::text", "$3", "$4")
#define LOCK_SET LOCK_OF("pg_catalog.current_setting('upkit_run.plan')", \
	"pg_catalog.current_setting('upkit_run.run')", \
	"pg_catalog.current_setting('upkit_run.job')", \
	"pg_catalog.current_setting('upkit_run.company')")

/*
 * "Done already" as an error that stops a pipeline or a batch: plain SQL
 * raises nothing else, so the state is cast to integer, and the error
 * reads: invalid input syntax for type integer: "done in the ledger: ...".
 */
#define DONE_MSG " in the ledger: another runner did this job already"
#define DONE_MARK "\"done" DONE_MSG
#define KEY_SET "r.plan = pg_catalog.current_setting('upkit_run.plan')" \
	" AND r.run = pg_catalog.current_setting('upkit_run.run')::integer" \
	" AND r.job = pg_catalog.current_setting('upkit_run.job')" \
	" AND r.company = pg_catalog.current_setting('upkit_run.company')"

/* The message of a 'running' row: the session that runs the job. */
#define RUNNING_ON(pid) "'running on session ' || " pid
#define MINE "r.state = 'running' AND r.message = " RUNNING_ON("pg_catalog.pg_backend_pid()")

/*
 * job_finish: 'done', inserted or over the row (a try counts once: not
 * again when this session's job_mark or job_start counted it).  It runs
 * under the job's lock after job_check found the row not done, and only a
 * holder of that lock writes 'done' for a wrapped job, so it never meets a
 * done row (its WHERE would keep one as it is).
 */
#define FINISH(p, r, j, c, rows, msg, start) \
	"INSERT INTO upkit.runner_jobs AS r" \
	" (plan, run, job, company, state, attempts, started_at, ended_at, rows, message)" \
	" VALUES (" p ", " r ", " j ", " c ", 'done', 1, " start ", pg_catalog.clock_timestamp(), " rows ", " msg ")" \
	" ON CONFLICT (plan, run, job, company) DO UPDATE SET state = 'done'," \
	" attempts = r.attempts + CASE WHEN " MINE " THEN 0 ELSE 1 END," \
	" started_at = excluded.started_at, ended_at = excluded.ended_at, rows = excluded.rows," \
	" message = excluded.message WHERE r.state <> 'done'"

/*
 * A wrapped SQL job of several statements: the key into the session's
 * settings (upkit_run.plan, .run, .job, .company: the script reads the
 * last two), then one simple-query batch
 *
 *     BEGIN; the lock; the check; the script; 'done'; COMMIT;
 *
 * with the key taken from the settings, so that no value is spliced into
 * the text.  Any error stops the batch with the transaction aborted (the
 * runner rolls it back).  The script's text ends on its own line and a
 * semicolon, so a last line comment or a missing semicolon cannot swallow
 * what follows (an unterminated string or comment is a syntax error that
 * runs nothing: the server parses the whole batch first).
 */
static int
pg_wrapped_script(struct upkit_conn *c, const char *const key[4], const char *text)
{
	struct strbuf sb = STRBUF_INIT;
	int			rc;

	if (c->ops->query(c, "SELECT pg_catalog.set_config('upkit_run.plan', $1, false),"
					  " pg_catalog.set_config('upkit_run.run', $2::integer::text, false),"
					  " pg_catalog.set_config('upkit_run.job', $3, false),"
					  " pg_catalog.set_config('upkit_run.company', $4, false)",
					  4, (const char **) key, NULL) != 0)
		return -1;
	sb_append(&sb, "BEGIN;\nSELECT pg_catalog.pg_advisory_xact_lock(" LOCK_SET ");\n"
			  "SELECT (r.state || '" DONE_MSG "')::integer FROM upkit.runner_jobs AS r"
			  " WHERE " KEY_SET " AND r.state = 'done';\n");
	sb_append(&sb, text);
	sb_append(&sb, "\n;\n" FINISH("pg_catalog.current_setting('upkit_run.plan')",
								  "pg_catalog.current_setting('upkit_run.run')::integer",
								  "pg_catalog.current_setting('upkit_run.job')",
								  "pg_catalog.current_setting('upkit_run.company')",
								  "NULL::bigint", "NULL::text", "now()") ";\nCOMMIT;");
	rc = c->ops->exec(c, sb_str(&sb));
	sb_free(&sb);
	return rc;
}

const struct upkit_ledger_sql upkit_ledger_pg = {
	/* the backend's id and the setting in one round trip (ledger.h) */
	.session = "SELECT pg_catalog.pg_backend_pid(), pg_catalog.set_config('synchronous_commit', 'off', false)",
	.ready = "SELECT CASE WHEN pg_catalog.to_regclass('upkit.runner_jobs') IS NOT NULL"
	" AND pg_catalog.to_regclass('upkit.runner_runs') IS NOT NULL THEN 1 ELSE 0 END",
	.missing = "has no runner ledger (upkit.runner_jobs): CREATE EXTENSION upkit, or ALTER EXTENSION upkit UPDATE to 0.3",
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
	" (plan, run, job, company, state, attempts, started_at, message)"
	" VALUES ($1, $2::integer, $3, $4, 'running', 1, clock_timestamp(), " RUNNING_ON("pg_catalog.pg_backend_pid()") ")"
	" ON CONFLICT (plan, run, job, company) DO UPDATE SET state = 'running', attempts = r.attempts + 1,"
	" started_at = clock_timestamp(), ended_at = NULL, rows = NULL, message = excluded.message"
	" WHERE r.state <> 'done' RETURNING 1) SELECT count(*),"
	" pg_catalog.set_config('upkit_run.plan', $1, false), pg_catalog.set_config('upkit_run.run', $2::integer::text, false),"
	" pg_catalog.set_config('upkit_run.job', $3, false), pg_catalog.set_config('upkit_run.company', $4, false)"
	" FROM s",
	/* the two settings a script reads (docs/runner.md), local to the job's transaction */
	.job_enter = "SELECT pg_catalog.now(), pg_catalog.pg_advisory_xact_lock(" LOCK_KEY "),"
	" pg_catalog.set_config('upkit_run.job', $3, true), pg_catalog.set_config('upkit_run.company', $4, true)",
	.job_check = "SELECT (r.state || '" DONE_MSG "')::integer FROM upkit.runner_jobs AS r"
	" WHERE " KEY_R " AND r.state = 'done'",
	.job_finish = FINISH("$1", "$2::integer", "$3", "$4", "$5::bigint", "$6::text",
						 "coalesce($7::timestamptz, pg_catalog.now())"),
	/*
	 * Only while the job's lock is held elsewhere (its transaction runs):
	 * tried when the row is inserted and again, under the row's lock, when
	 * it is updated; so a mark never lands after the job's own 'done' or
	 * its failure (written after the job's transaction ended).  A lock the
	 * try takes is this statement's transaction's, and ends with it.
	 */
	.job_mark = "INSERT INTO upkit.runner_jobs AS r (plan, run, job, company, state, attempts, started_at, message)"
	" SELECT $1, $2::integer, $3, $4, 'running', 1, clock_timestamp() - $6::float8 * interval '1 second', "
	RUNNING_ON("$5") " WHERE NOT pg_catalog.pg_try_advisory_xact_lock(" LOCK_KEY ")"
	" ON CONFLICT (plan, run, job, company) DO UPDATE SET state = 'running', attempts = r.attempts + 1,"
	" started_at = excluded.started_at, ended_at = NULL, rows = NULL, message = excluded.message"
	" WHERE r.state <> 'done' AND NOT pg_catalog.pg_try_advisory_xact_lock(" LOCK_KEY ")",
	.job_done = "UPDATE upkit.runner_jobs SET state = 'done', ended_at = clock_timestamp(),"
	" rows = $5::bigint, message = $6 WHERE " KEY,
	.job_end = "INSERT INTO upkit.runner_jobs AS r (plan, run, job, company, state, attempts, started_at, ended_at, message)"
	" VALUES ($1, $2::integer, $3, $4, $5, 1, clock_timestamp() - $7::float8 * interval '1 second', clock_timestamp(), $6)"
	" ON CONFLICT (plan, run, job, company) DO UPDATE SET state = excluded.state,"
	" attempts = r.attempts + CASE WHEN " MINE " THEN 0 ELSE 1 END,"
	" started_at = CASE WHEN " MINE " THEN r.started_at ELSE excluded.started_at END,"
	" ended_at = excluded.ended_at, rows = NULL, message = excluded.message WHERE r.state <> 'done'",
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
	.wrapped_script = pg_wrapped_script,
	.set_context = pg_set_context,
	.call = pg_call,
	.script = pg_script,
};
