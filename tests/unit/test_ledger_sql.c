/*
 * test_ledger_sql.c: the runner's ledger statements (ledger_pg.c,
 * ledger_mssql.c): each dialect fills every statement, the job statements
 * name their parameters in the dialect's style and no other values (a
 * generated procedure's call, built from its kind's call hook, is tested
 * in test_plan_graph.c).  "--print-mssql" prints the SQL Server
 * statements as batches (GO), which tests/tsql/parse.t parses with the
 * T-SQL grammar; "--print-pg NAME" one PostgreSQL job statement, which
 * tests/runner/mark.t runs.
 */
#include <stdio.h>
#include <string.h>

#include "ledger.h"
#include "tap.h"

#define N_SQL 24

static void
statements(const struct upkit_ledger_sql *L, const char *out[N_SQL])
{
	const char *s[N_SQL] = {
		L->ready, L->missing, L->last_run, L->add_run, L->end_run, L->paused, L->set_paused,
		L->job_states, L->job_start, L->job_enter, L->job_finish, L->job_mark, L->job_done, L->job_end, L->job_skip,
		L->status, L->run_info, L->companies, L->table_size,
		L->job_note, L->job_recheck, L->backend, L->live_pause, L->live_paused
	};

	memcpy(out, s, sizeof s);
}

/* Does sql name parameter n in the dialect's style, and none above max? */
static int
params_ok(const char *sql, enum upkit_dialect d, int max)
{
	char		p[8];

	for (int n = 1; n <= 9; n++)
	{
		snprintf(p, sizeof p, d == UPKIT_DIALECT_PG ? "$%d" : "@P%d", n);
		if ((strstr(sql, p) != NULL) != (n <= max))
			return 0;
	}
	return 1;
}

int
main(int argc, char **argv)
{
	const char *pg[N_SQL],
			   *ms[N_SQL];
	int			all = 1;

	statements(&upkit_ledger_pg, pg);
	statements(&upkit_ledger_mssql, ms);
	if (argc > 2 && strcmp(argv[1], "--print-pg") == 0)
	{
		/* one PostgreSQL statement, for tests/runner/mark.t */
		const char *const names[] = {"job_enter", "job_check", "job_finish", "job_mark", "job_end"};
		const char *const sql[] = {upkit_ledger_pg.job_enter, upkit_ledger_pg.job_check,
		upkit_ledger_pg.job_finish, upkit_ledger_pg.job_mark, upkit_ledger_pg.job_end};

		for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
			if (strcmp(argv[2], names[i]) == 0)
				return printf("%s\n", sql[i]) < 0;
		return 2;
	}
	if (argc > 1 && strcmp(argv[1], "--print-mssql") == 0)
	{
		for (int i = 0; i < N_SQL; i++)
			if (i != 1)			/* "missing" is a message */
				printf("%s\nGO\n", ms[i]);
		return 0;
	}
	plan(21);
	for (int i = 0; i < N_SQL; i++)
		all &= pg[i] != NULL && ms[i] != NULL;
	ok(all, "both dialects fill every statement");
	ok(params_ok(upkit_ledger_pg.job_start, UPKIT_DIALECT_PG, 4), "pg job_start takes $1..$4");
	ok(params_ok(upkit_ledger_mssql.job_start, UPKIT_DIALECT_MSSQL, 4), "mssql job_start takes @P1..@P4");
	ok(params_ok(upkit_ledger_pg.job_done, UPKIT_DIALECT_PG, 6), "pg job_done takes $1..$6");
	ok(params_ok(upkit_ledger_mssql.job_done, UPKIT_DIALECT_MSSQL, 6), "mssql job_done takes @P1..@P6");
	ok(params_ok(upkit_ledger_pg.job_skip, UPKIT_DIALECT_PG, 5), "pg job_skip takes $1..$5");
	ok(params_ok(upkit_ledger_mssql.job_skip, UPKIT_DIALECT_MSSQL, 5), "mssql job_skip takes @P1..@P5");
	ok(params_ok(upkit_ledger_pg.job_enter, UPKIT_DIALECT_PG, 4)
	   && strstr(upkit_ledger_pg.job_enter, "pg_advisory_xact_lock(") != NULL
	   && params_ok(upkit_ledger_pg.job_check, UPKIT_DIALECT_PG, 4),
	   "pg job_enter takes the job's lock for its transaction; job_check reads the row after it");
	ok(params_ok(upkit_ledger_mssql.job_enter, UPKIT_DIALECT_MSSQL, 4)
	   && strstr(upkit_ledger_mssql.job_enter, "sp_getapplock") != NULL
	   && strstr(upkit_ledger_mssql.job_enter, "@LockOwner = N'Transaction'") != NULL
	   && strstr(upkit_ledger_mssql.job_enter, upkit_ledger_mssql.done_mark) != NULL
	   && upkit_ledger_mssql.job_check == NULL,
	   "mssql job_enter takes the job's lock for its transaction and checks the row after it");
	ok(params_ok(upkit_ledger_pg.job_finish, UPKIT_DIALECT_PG, 7)
	   && params_ok(upkit_ledger_mssql.job_finish, UPKIT_DIALECT_MSSQL, 7),
	   "job_finish takes the key, rows, message and start");
	ok(params_ok(upkit_ledger_pg.job_mark, UPKIT_DIALECT_PG, 6)
	   && strstr(upkit_ledger_pg.job_mark, "pg_try_advisory_xact_lock(") != NULL
	   && params_ok(upkit_ledger_mssql.job_mark, UPKIT_DIALECT_MSSQL, 6)
	   && strstr(upkit_ledger_mssql.job_mark, "APPLOCK_TEST(") != NULL,
	   "job_mark takes the key, session and seconds, and writes only while the job's lock is held");
	ok(params_ok(upkit_ledger_pg.job_end, UPKIT_DIALECT_PG, 7)
	   && params_ok(upkit_ledger_mssql.job_end, UPKIT_DIALECT_MSSQL, 7),
	   "job_end takes the key, state, message and seconds");
	ok(strstr(upkit_ledger_pg.done_mark, "done in the ledger") != NULL
	   && strstr(upkit_ledger_mssql.done_mark, "done in the ledger") != NULL,
	   "both dialects name a job done by another runner the same way");
	ok(upkit_ledger_pg.wrapped_script != NULL && upkit_ledger_mssql.wrapped_script == NULL,
	   "a PostgreSQL script is one batch; SQL Server's go statement by statement");
	ok(strstr(upkit_ledger_pg.job_enter, "synchronous_commit") == NULL
	   && strstr(upkit_ledger_pg.session, "set_config('synchronous_commit', 'off', false)") != NULL
	   && strncmp(upkit_ledger_pg.session, "SELECT pg_catalog.pg_backend_pid()", 34) == 0,
	   "pg: the job's commit does not wait for the disk (runner_job.c, Durability)");
	ok(strstr(upkit_ledger_pg.flush, "SET LOCAL synchronous_commit = on") != NULL
	   && strstr(upkit_ledger_pg.flush, "txid_current()") != NULL,
	   "pg flush: a synchronous commit of a transaction with an id (it waits for all WAL before it)");
	ok(strstr(upkit_ledger_pg.end_run, "set_config('synchronous_commit', 'on', true)") != NULL
	   && strstr(upkit_ledger_pg.end_run, "txid_current()") != NULL,
	   "pg end_run: its commit is synchronous and has an id (the run's last barrier)");
	ok(upkit_ledger_mssql.flush == NULL && upkit_ledger_mssql.session == NULL,
	   "SQL Server 2012: every commit durable, nothing to flush");
	ok(params_ok(upkit_ledger_pg.live_paused, UPKIT_DIALECT_PG, 4)
	   && params_ok(upkit_ledger_mssql.live_paused, UPKIT_DIALECT_MSSQL, 4), "live_paused takes the job's key");
	ok(strstr(upkit_ledger_pg.companies, "isvirtual = 0") != NULL
	   && strstr(upkit_ledger_mssql.companies, "[ISVIRTUAL] = 0") != NULL,
	   "the companies of DATAAREA leave the virtual ones out");
	ok(strstr(upkit_ledger_mssql.job_done, "CREATE OR ALTER") == NULL
	   && strstr(upkit_ledger_mssql.add_run, "MERGE") == NULL && strstr(upkit_ledger_mssql.job_finish, "MERGE") == NULL, "no SQL Server syntax newer than 2012");
	return done();
}
