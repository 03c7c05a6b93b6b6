#!/usr/bin/env bash
# durable.t: the runner's durability barriers (sqlgen/runner_job.c,
# "Durability"; docs/runner.md, "The ledger, and exactly once").  A job's
# work and its 'done' commit together without waiting for the disk; the
# runner flushes once before it reports and exits.  With the WAL writer
# slowed down (wal_writer_delay 10 s) each job records the WAL flush and
# insert positions when it runs: some job starts before the commit of the
# one before it is flushed (no flush per job), and when 'upkit run' has
# exited the WAL is flushed past every job's work: again with the
# database's sessions not waiting for the disk by default (synchronous_commit
# off on the database), so that only the runner's own barrier (the commit of
# the run's end row, ledger_pg.c end_run) can have flushed it.  Needs
# superuser (ALTER SYSTEM, undone at the end).
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
. "$(dirname "$0")/lib.sh"
cd "$TOP"
plan 6

durable_cleanup() {
  psql -qAtX -d postgres -c "ALTER SYSTEM RESET wal_writer_delay" -c "SELECT pg_reload_conf()" >/dev/null 2>&1 || true
  runner_cleanup
}
trap durable_cleanup EXIT
fresh_db upkit_runner_durable
q "CREATE TABLE public.lsns (n serial, job text, flushed pg_lsn, inserted pg_lsn)" >/dev/null
psql -qAtX -d postgres -c "ALTER SYSTEM SET wal_writer_delay = '10s'" -c "SELECT pg_reload_conf()" >/dev/null
p=$runner_tmp/durable
mkdir -p "$p"
echo "INSERT INTO public.lsns (job, flushed, inserted)
      VALUES (current_setting('upkit_run.job'), pg_current_wal_flush_lsn(), pg_current_wal_insert_lsn());" > "$p/lsn.sql"
{
  echo "{\"name\": \"durable\", \"databases\": {\"t\": {\"dialect\": \"pg\", \"conninfo\": \"dbname=$PGDATABASE\"}}, \"jobs\": ["
  for i in $(seq 1 30); do
    [ "$i" -gt 1 ] && echo ","
    echo "{\"id\": \"j$i\", \"stage\": \"postsync\", \"sql\": \"lsn.sql\"$([ "$i" -gt 1 ] && echo ", \"after\": [\"j$((i - 1))\"]")}"
  done
  echo "]}"
} > "$p/plan.json"
run "$UPKIT" run --jobs 1 "$p"
is "$rc" 0 "the run finishes"
is "$(q "SELECT current_setting('wal_writer_delay')")" 10s "the WAL writer waits 10 s between flushes"
ok "jobs do not wait for the disk: a job started before the commit of the job before it was flushed" \
  test "$(q "SELECT count(*) FROM public.lsns AS a JOIN public.lsns AS b ON b.n = a.n + 1 WHERE b.flushed < a.inserted")" -gt 0
is "$(q "SELECT pg_current_wal_flush_lsn() >= max(inserted) FROM public.lsns")" t \
  "when upkit run has exited, every job's work is flushed"
q "ALTER DATABASE $PGDATABASE SET synchronous_commit = off" >/dev/null
q "TRUNCATE public.lsns" >/dev/null
run "$UPKIT" run --jobs 1 --new-run "$p"
is "$rc" 0 "a new run finishes, no session waiting for the disk by default"
is "$(q "SELECT pg_current_wal_flush_lsn() >= max(inserted) FROM public.lsns")" t \
  "when that run has exited, every job's work is flushed: the runner's barrier did it"
done_testing
