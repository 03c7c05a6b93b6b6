#!/usr/bin/env bash
# crash.t: exactly once under a crash of the runner.  A plan of 12 jobs,
# each inserting one row into WORK and then sleeping in its transaction,
# runs on 3 connections; the upkit process is killed with SIGKILL while
# jobs are running (some done, some not) and the ledger marks those running
# (the runner's mark of a job that has run for a second names its
# session).  A running job's transaction either rolls back when the server
# notices the dropped connection, or (a SQL job's batch is on the server
# whole: BEGIN, lock, check, script, done, COMMIT) commits its work and its
# 'done' together.  Running the plan again finishes it: every job's row is
# in WORK exactly once (nothing done twice, nothing lost), and the ledger
# says done for each, the jobs that were running at the kill included.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
. "$(dirname "$0")/lib.sh"
cd "$TOP"
plan 9

fresh_db upkit_runner_crash
q "CREATE TABLE public.work (job text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())" >/dev/null
p=$runner_tmp/crash
mkdir -p "$p"
cat > "$p/work.sql" <<'SQL'
INSERT INTO public.work (job) VALUES (current_setting('upkit_run.job'));
SELECT pg_sleep(2);
SQL
{
  echo "{\"name\": \"crash\", \"databases\": {\"t\": {\"dialect\": \"pg\", \"conninfo\": \"dbname=$PGDATABASE\"}}, \"jobs\": ["
  for i in $(seq 1 12); do
    [ "$i" -gt 1 ] && echo ","
    echo "{\"id\": \"w$i\", \"stage\": \"postsync\", \"sql\": \"work.sql\"}"
  done
  echo "]}"
} > "$p/plan.json"

"$UPKIT" run --jobs 3 "$p" > "$runner_tmp/first.out" 2>&1 &
runner_bg=$!
is "$(wait_for "(SELECT count(*) FROM upkit.runner_jobs WHERE state = 'done') >= 3
                AND EXISTS (SELECT 1 FROM upkit.runner_jobs AS r JOIN pg_stat_activity AS a
                            ON r.message = 'running on session ' || a.pid
                            WHERE r.state = 'running' AND a.query LIKE '%pg_sleep(2)%' AND a.state = 'active')")" t \
  "the run is under way: some jobs done, others marked running with the session that runs them"
run "$UPKIT" status "$p"
like "$out" "running +[0-9]+ .*running on session [0-9]+" "upkit status shows the marked jobs running, with their session"
is "$(q "SELECT count(*) FROM upkit.runner_jobs WHERE state = 'done' AND attempts <> 1")" 0 \
  "a job marked running and then done counts one try"
kill -9 "$runner_bg"
{ wait "$runner_bg"; } 2>/dev/null || true
runner_bg=
before=$(q "SELECT count(*) FROM upkit.runner_jobs WHERE state = 'done'")
ok "after kill -9 of upkit, some jobs are done and some are not" test "$before" -ge 3 -a "$before" -lt 12
q "CREATE TABLE public.at_kill AS SELECT job FROM upkit.runner_jobs WHERE state = 'running'" >/dev/null
running=$(q "SELECT count(*) FROM public.at_kill")
ok "the ledger still shows the killed run's jobs as running ($running)" test "$running" -ge 1

run "$UPKIT" run --jobs 3 "$p"
is "$rc" 0 "running the plan again finishes it (exit 0)"
is "$(q "SELECT count(*) || '/' || count(DISTINCT job) FROM work")" "12/12" "every job's work is there exactly once: nothing twice, nothing lost"
is "$(q "SELECT count(*) FROM upkit.runner_jobs WHERE state = 'done'")" 12 "the ledger says done for all 12"
is "$(q "SELECT count(*) FILTER (WHERE r.state = 'done' AND r.attempts <= 2) || '/' || count(*)
          FROM public.at_kill AS k JOIN upkit.runner_jobs AS r USING (job)")" "$running/$running" \
  "the jobs that were running at the kill are done (committed at the kill, or run once more)"
done_testing
