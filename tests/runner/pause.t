#!/usr/bin/env bash
# pause.t: upkit pause / upkit resume from a second terminal.  While a run
# is paused no job starts (the running one finishes); upkit resume lets the
# run go on to the end.  Pausing a plan that has no run is an error.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
. "$(dirname "$0")/lib.sh"
cd "$TOP"
plan 8

fresh_db upkit_runner_pause
p=$runner_tmp/basic
basic_plan "$p"
run "$UPKIT" pause "$p"
is "$rc.$err" "1.upkit: plan basic has no run in the ledger of $PGHOST:$PGPORT/$PGDATABASE: nothing to pause" \
  "pausing a plan without a run is an error"
PGOPTIONS="$PGOPTIONS -c upkit_test.sleep=1.5" "$UPKIT" run --jobs 1 "$p" > "$runner_tmp/out" 2>&1 &
runner_bg=$!
# (the ledger marks a job running only after a second: the session shows it at once)
is "$(wait_for "EXISTS (SELECT 1 FROM pg_stat_activity WHERE query LIKE '%pg_sleep(coalesce%' AND state = 'active' AND pid <> pg_backend_pid())")" t \
  "the run reaches a slow job"
run "$UPKIT" pause "$p"
like "$rc $out" "^0 run 1 of plan basic paused" "upkit pause holds the run"
is "$(wait_for "(SELECT count(*) FROM upkit.runner_jobs WHERE job LIKE 'slow_%') = 1
                AND (SELECT bool_and(state = 'done') FROM upkit.runner_jobs)")" t "the running job finishes"
sleep 1.5
is "$(q "SELECT count(*) FROM upkit.runner_jobs")" 2 "while paused, no other job starts"
run "$UPKIT" resume "$p"
like "$rc $out" "^0 run 1 of plan basic resumed" "upkit resume lets it go on"
set +e; wait "$runner_bg"; brc=$?; set -e
runner_bg=
is "$brc" 0 "the run finishes (exit 0)"
like "$(cat "$runner_tmp/out")" "paused: no job starts until 'upkit resume .*'" "the run said it was paused"
done_testing
