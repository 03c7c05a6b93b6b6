#!/usr/bin/env bash
# sigint.t: Ctrl-C.  upkit run on the basic plan with slow jobs of 30 s;
# SIGINT while they run: no job starts any more, the running statements
# are cancelled (no pg_sleep left on the server), the jobs are recorded as
# interrupted, their work is rolled back, and upkit exits 1 saying how to
# resume.  Running the plan again (short sleeps) finishes it.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
. "$(dirname "$0")/lib.sh"
cd "$TOP"
plan 8

fresh_db upkit_runner_sigint
p=$runner_tmp/basic
basic_plan "$p"
PGOPTIONS="$PGOPTIONS -c upkit_test.sleep=30" "$UPKIT" run --jobs 2 "$p" > "$runner_tmp/out" 2> "$runner_tmp/err" &
runner_bg=$!
sleeping="SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(coalesce%' AND state = 'active' AND pid <> pg_backend_pid()"
is "$(wait_for "($sleeping) = 2")" t "two slow jobs are running"
kill -INT "$runner_bg"
set +e; wait "$runner_bg"; rc=$?; set -e
runner_bg=
is "$rc" 1 "after SIGINT upkit exits 1"
is "$(q "$sleeping")" 0 "the running statements were cancelled"
is "$(q "SELECT string_agg(job || '=' || state, ',' ORDER BY job) FROM upkit.runner_jobs WHERE job LIKE 'slow_%'")" \
  "slow_a=interrupted,slow_b=interrupted" "the ledger records them as interrupted; slow_c never started"
is "$(q "SELECT count(*) FROM runlog WHERE job LIKE 'slow_%'")" 0 "their work was rolled back"
like "$(cat "$runner_tmp/err")" "interrupted: 'upkit run .*' resumes" "upkit says how to resume"
run "$UPKIT" run --jobs 2 "$p"
is "$rc" 0 "running the plan again finishes it"
is "$(q "SELECT count(*) FROM runlog WHERE job LIKE 'slow_%'")" 3 "each slow job ran once"
done_testing
