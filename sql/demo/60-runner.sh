#!/usr/bin/env bash
# Step 60: the runner.  A plan (sql/demo/plan/plan.json) of four jobs over
# two companies, dat and usmf: delta detection for CUSTTABLE (a generated
# procedure, stage delta), a SQL job that maps old currency codes, the
# generated insert of step 30 copying the quotations per company after it,
# and a final job that reports the rows.  "upkit plan" shows the order and
# weights; the first "upkit run" fails on purpose (the mapping table is
# missing), the copy waits, the rest goes on; the table is created and the
# same command resumes: done jobs are skipped, nothing runs twice.
# Timings are left out of what is shown here: one run's figures mean
# nothing (make bench measures the runner, docs/BENCHMARKS.md).
set -euo pipefail
plan=sql/demo/plan/plan.json
db=upkit_demo_runner
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning -c search_path=public"
# The plan names its database: this step's own, with both fixtures.
psql -qAtX -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
PGDATABASE=$db psql -X -q -v ON_ERROR_STOP=1 -v rows="${UPKIT_DEMO_ROWS:-3000}" -c "CREATE EXTENSION upkit" \
  -f sql/demo/salesquotation-fixture.sql -f tests/fixtures/delta/fixture.sql >/dev/null
# untimed: the run's output without its clock: the [ 0.04s] of each event,
# the (0.60s) of each job, the summary's seconds column (characters 60-69)
# and the total time.
untimed() {
  sed -E -e 's/^\[ *[0-9.]+s\] //' -e 's/ \(([0-9]+ rows), [0-9.]+s\)/ (\1)/' -e 's/ \([0-9.]+s\)$//' -e 's/ in [0-9.]+s$//' |
    awk '/^job +company +state/ { t = 1 } /^$/ { t = 0 } { print t ? substr($0, 1, 59) substr($0, 70) : $0 }'
}

echo "The plan: databases, companies, and each job's stage, type and dependencies ($plan):"
sed 's/^/  /' "$plan"
echo
echo "\$ upkit plan $plan"
"$UPKIT" plan "$plan"

echo
echo "-- Expected failure (intended): map_currency needs UPG_CURRENCY_MAP, which does not exist yet."
echo "-- copy_quotations waits for it and is skipped; the delta jobs of the earlier stage are done."
echo "\$ upkit run --jobs 2 $plan"
set +e
PGOPTIONS= "$UPKIT" run --jobs 2 "$plan" 2>&1 | untimed
rc=${PIPESTATUS[0]}
set -e
echo "(exit status $rc: a job failed, as intended)"

echo
echo "The ledger, upkit.runner_jobs, says the same ('upkit status $plan' prints it):"
PGDATABASE=$db psql -X -q -P pager=off -c "SELECT job, company, state, attempts, rows, left(message, 50) AS message
                                              FROM upkit.runner_jobs WHERE plan = 'demo' ORDER BY job, company"

echo
echo "The fix: create the mapping table.  Then the same command resumes the run."
PGDATABASE=$db psql -X -q --echo-queries -c "CREATE TABLE public.upg_currency_map (old_code text PRIMARY KEY, new_code text NOT NULL)" \
  -c "INSERT INTO public.upg_currency_map VALUES ('DEM', 'EUR'), ('FRF', 'EUR')"
echo "\$ upkit run --jobs 2 $plan"
PGOPTIONS= "$UPKIT" run --jobs 2 "$plan" 2>&1 | untimed
echo
echo "Each company's quotations are there once, and each job is done once (map_currency"
echo "in its second attempt):"
PGDATABASE=$db psql -X -q -P pager=off -c "SELECT dataareaid, count(*) AS quotations, count(DISTINCT recid) AS distinct_recids
                                              FROM public.salesquotationtable GROUP BY 1 ORDER BY 1" \
  -c "SELECT job, company, state, attempts FROM upkit.runner_jobs WHERE plan = 'demo' ORDER BY job, company"
echo "Running it again does nothing: every job is done.  'upkit run --new-run' starts"
echo "a new run on purpose; docs/runner.md has the plan format and the commands."
