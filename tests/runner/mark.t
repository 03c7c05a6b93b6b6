#!/usr/bin/env bash
# mark.t: the ledger statements of a job the runner wraps in a transaction
# (sqlgen/ledger_pg.c; the argument is in sqlgen/runner_job.c, "The
# 'running' row"), run as the runner runs them: job_enter takes the job's
# lock in its transaction, job_mark (from another session) writes
# 'running' only while that lock is held, never over 'done' and never
# after the try ended (a failed row stays failed), and job_finish and
# job_end count a try once, whether or not it was marked.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
. "$(dirname "$0")/lib.sh"
cd "$TOP"
plan 12

fresh_db upkit_runner_mark
stmt() { "$TOP/build/tests/unit/test_ledger_sql" --print-pg "$1"; }
q "INSERT INTO upkit.runner_runs (plan, run) VALUES ('p', 1)" >/dev/null
# Every statement prepared under its own name, then the given SQL.
prep() {
  printf 'PREPARE enter AS %s;\nPREPARE mark AS %s;\nPREPARE finish AS %s;\nPREPARE job_end AS %s;\n%s\n' \
    "$(stmt job_enter)" "$(stmt job_mark)" "$(stmt job_finish)" "$(stmt job_end)" "$1" |
    psql -qAtX -v ON_ERROR_STOP=1
}
row() { q "SELECT state || ' ' || attempts || ' ' || coalesce(message, '-') FROM upkit.runner_jobs WHERE job = '$1'"; }

# A session holds job a's lock (its transaction runs) for 30 s, or until killed.
hold() {
  prep "BEGIN; EXECUTE enter('p', '1', '$1', ''); SELECT pg_sleep(30); ROLLBACK;" >/dev/null 2>&1 &
  runner_bg=$!
  is "$(wait_for "EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid())")" t \
    "a session holds job $1's lock"
}
release() {
  q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()" >/dev/null
  { wait "$runner_bg"; } 2>/dev/null || true
  runner_bg=
}

hold a
prep "EXECUTE mark('p', '1', 'a', '', '4242', '1.5');" >/dev/null
is "$(row a)" "running 1 running on session 4242" "while the job's lock is held, job_mark inserts 'running' with the try counted and the session"
is "$(q "SELECT extract(epoch FROM clock_timestamp() - started_at) BETWEEN 1.5 AND 10 FROM upkit.runner_jobs WHERE job = 'a'")" t \
  "... and the start it was told (1.5 s ago)"
release
prep "EXECUTE mark('p', '1', 'a', '', '4242', '3');" >/dev/null
is "$(row a)" "running 1 running on session 4242" "once the lock is free (the try ended), job_mark changes nothing"
prep "EXECUTE mark('p', '1', 'b', '', '4242', '1');" >/dev/null
is "$(q "SELECT count(*) FROM upkit.runner_jobs WHERE job = 'b'")" 0 "a job whose lock nobody holds is not marked at all"

# A failed try stays failed: the failure is written after the lock is free.
prep "EXECUTE job_end('p', '1', 'c', '', 'failed', 'boom', '0.5');" >/dev/null
is "$(row c)" "failed 1 boom" "job_end inserts the failure when the try left no row, with the try counted"
prep "EXECUTE mark('p', '1', 'c', '', '4242', '1');" >/dev/null
is "$(row c)" "failed 1 boom" "job_mark never turns the failure of an ended try into 'running'"

# Over 'done' nothing is written, even while the lock is held.
prep "BEGIN; EXECUTE enter('p', '1', 'd', ''); EXECUTE finish('p', '1', 'd', '', '7', NULL, NULL); COMMIT;" >/dev/null
is "$(row d)" "done 1 -" "job_finish inserts 'done' with the rows and one try"
hold d
prep "EXECUTE mark('p', '1', 'd', '', '4242', '1');" >/dev/null
is "$(row d)" "done 1 -" "job_mark never writes over 'done'"
release

# A try marked by the runner and finished by its own session counts once;
# a try another session marked (a stale mark of a killed run) counts again.
pid_sql="SELECT pg_backend_pid() \\gset
"
prep "BEGIN; EXECUTE enter('p', '1', 'e', ''); $pid_sql
INSERT INTO upkit.runner_jobs (plan, run, job, company, state, attempts, message)
  VALUES ('p', 1, 'e', '', 'running', 1, 'running on session ' || :pg_backend_pid);
EXECUTE finish('p', '1', 'e', '', NULL, NULL, NULL); COMMIT;" >/dev/null
is "$(row e)" "done 1 -" "job_finish does not count again a try this session's mark counted"
q "INSERT INTO upkit.runner_jobs (plan, run, job, company, state, attempts, message)
   VALUES ('p', 1, 'f', '', 'running', 1, 'running on session 1')" >/dev/null
prep "BEGIN; EXECUTE enter('p', '1', 'f', ''); EXECUTE finish('p', '1', 'f', '', NULL, NULL, NULL); COMMIT;" >/dev/null
is "$(row f)" "done 2 -" "job_finish counts a try whose 'running' row another session left"
done_testing
