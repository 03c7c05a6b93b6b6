#!/usr/bin/env bash
# failure.t: a failed job stops the jobs that wait for it (and the later
# phases), the others go on, the run exits 1 and the ledger says why; after
# the cause is fixed, running the plan again resumes: done jobs are
# skipped, the failed job and the skipped ones run.  --fail-fast stops the
# whole run at the first failure: the running jobs are cancelled and
# recorded as interrupted.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
. "$(dirname "$0")/lib.sh"
cd "$TOP"
plan 16

fresh_db upkit_runner_failure
p=$runner_tmp/basic
basic_plan "$p"
# per_company now needs a table nobody made yet: it fails for each company.
failing_company() {
  cat > "$p/company.sql" <<'SQL'
INSERT INTO public.totals (company, n) SELECT current_setting('upkit_run.company'), count(*) FROM public.needed_first;
INSERT INTO public.runlog (job, company, started) VALUES ('per_company', current_setting('upkit_run.company'), now());
SQL
}
failing_company
# and a job that waits for it
sed -i 's/"after": \[\]/"after": []},\n    {"id": "after_company", "stage": "postsync", "sql": "slow.sql", "after": ["per_company"]/' "$p/plan.json"
sed -i 's/"type": "final", "sql": "final.sql",/"type": "final", "sql": "final.sql", "weight": 0,/' "$p/plan.json"

run "$UPKIT" run --jobs 4 "$p"
is "$rc" 1 "a failed job: upkit run exits 1"
like "$out" "failed +per_company\[dat\]: relation \"public.needed_first\" does not exist" "the failure is shown with the server's message"
like "$out" "skipped +after_company: not run: job per_company did not finish" "the job waiting for it is skipped, saying why"
like "$out" "skipped +sum_up: not run: job per_company of an earlier phase did not finish" "so is the final phase"
like "$err" "run 'upkit run .*' again to resume" "the end says how to resume"
is "$(q "SELECT count(*) FROM runlog WHERE job LIKE 'slow_%'")" 3 "the independent slow jobs went on and finished"
is "$(q "SELECT state || ':' || (message LIKE '%needed_first%') FROM upkit.runner_jobs WHERE job = 'per_company' AND company = 'usmf'")" "failed:true" \
  "the ledger records the failure and its message"
is "$(q "SELECT count(*) FROM totals")" 0 "the failed job's work was rolled back"

q "CREATE TABLE public.needed_first (x int); INSERT INTO public.needed_first VALUES (1), (2)" >/dev/null
run "$UPKIT" run --jobs 4 "$p"
is "$rc" 0 "after the fix, running the plan again exits 0"
like "$out" "slow_a +done before" "done jobs are not run again"
is "$(q "SELECT count(*) FROM runlog WHERE job LIKE 'slow_%'")" 3 "... the slow jobs ran once in all"
is "$(q "SELECT string_agg(company || '=' || n, ',' ORDER BY company) FROM totals")" "dat=2,usmf=2" "the failed job ran again, once per company"
is "$(q "SELECT attempts FROM upkit.runner_jobs WHERE job = 'per_company' AND company = 'dat'")" 2 "the ledger counts its two attempts"

# --fail-fast: a failing job while the slow ones run cancels them.
fresh_db upkit_runner_failfast
basic_plan "$p"
failing_company
export PGOPTIONS="$PGOPTIONS -c upkit_test.sleep=30"
run "$UPKIT" run --jobs 4 --fail-fast "$p"
is "$rc" 1 "--fail-fast: exit 1"
is "$(q "SELECT string_agg(DISTINCT state, ',' ORDER BY state) FROM upkit.runner_jobs WHERE job LIKE 'slow_%'")" "interrupted" \
  "the running slow jobs (30 s each) were cancelled and recorded as interrupted"
is "$(q "SELECT count(*) FROM runlog WHERE job LIKE 'slow_%'")" 0 "... their work was rolled back"
done_testing
