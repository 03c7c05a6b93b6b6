#!/usr/bin/env bash
# parallel.t: upkit run on the basic plan (tests/fixtures/plans/basic): the
# three slow jobs really run at once on --jobs 4 (their transactions
# overlap in time) and one after another on --jobs 1; the start job comes
# first and the final job last; the standard job runs once per company with
# its company; every job is recorded done in the ledger; running the plan
# again does nothing (resume), --new-run runs everything again as run 2;
# upkit status reads the ledger.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
. "$(dirname "$0")/lib.sh"
cd "$TOP"
plan 17

fresh_db upkit_runner_parallel
p=$runner_tmp/basic
basic_plan "$p"

run "$UPKIT" run --jobs 4 "$p"
is "$rc" 0 "upkit run --jobs 4 exits 0 when every job is done"
like "$out" "run 1 of plan basic: 7 done, 0 failed, 0 interrupted, 0 skipped, 0 not started of 7" "the summary counts 7 done"
overlap="SELECT max(started) < min(ended) FROM runlog WHERE job LIKE 'slow_%'"
is "$(q "$overlap")" t "the three slow jobs ran at the same time (each started before any ended)"
is "$(q "SELECT count(*) FROM runlog WHERE job LIKE 'slow_%'")" 3 "each slow job ran once"
is "$(q "SELECT bool_and(r.started >= s.ended) FROM runlog r, runlog s WHERE s.job = 'setup' AND r.job <> 'setup'")" t \
  "the start job ended before any other job began"
is "$(q "SELECT bool_and(f.started >= r.ended) FROM runlog r, runlog f WHERE f.job LIKE 'sum_up%' AND r.job NOT LIKE 'sum_up%'")" t \
  "the final job began after every other job ended"
is "$(q "SELECT string_agg(company || '=' || n, ',' ORDER BY company) FROM totals")" "dat=1,usmf=1" \
  "the standard job ran once per company, with its company"
is "$(q "SELECT job FROM runlog WHERE job LIKE 'sum_up%'")" "sum_up:2" "the final job saw both companies"
is "$(q "SELECT count(*) FILTER (WHERE state = 'done') || '/' || count(*) FROM upkit.runner_jobs WHERE plan = 'basic' AND run = 1")" "7/7" \
  "the ledger says done for the 7 job instances of run 1"

run "$UPKIT" run --jobs 4 "$p"
is "$rc" 0 "running the plan again exits 0"
is "$(q "SELECT count(*) FROM runlog")" 7 "... and runs nothing again (resume: done jobs are skipped)"
like "$out" "run 1 of plan basic \(resumed\): 7 done" "... it says it resumed run 1"

run "$UPKIT" status "$p"
like "$out" "plan basic, run 1: done" "upkit status reads the run from the ledger"
like "$out" "per_company +usmf +done +1 " "... with each job, company, state and attempts"

q "TRUNCATE runlog, totals" >/dev/null
run "$UPKIT" run --jobs 1 --new-run "$p"
is "$rc.$(q "SELECT count(*) FROM runlog").$(q "SELECT max(run) FROM upkit.runner_runs WHERE plan = 'basic'")" "0.7.2" \
  "--new-run runs every job again, as run 2"
is "$(q "SELECT bool_and(a.ended <= b.started OR b.ended <= a.started) FROM runlog a, runlog b WHERE a.job < b.job AND a.job LIKE 'slow_%' AND b.job LIKE 'slow_%'")" t \
  "on --jobs 1 no two slow jobs overlap"
run "$UPKIT" run --jobs 0 "$p"
is "$rc" 2 "--jobs 0 is a usage error (exit 2)"
done_testing
