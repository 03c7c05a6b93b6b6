#!/usr/bin/env bash
# updel.t: an update spec as a runner job.  The procedure takes the job's
# company (DATAAREAID) and a second company parameter of its own
# (INVENTTRANS_DATAAREAID: INVENTTRANS is kept in the virtual company vi),
# which the plan gives under "params".  The runner installs it and calls it
# once for company dat, updating exactly the rows the hand-made call in
# tests/pg/updel.pg updates.  A plan without that parameter is refused,
# naming it.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
. "$(dirname "$0")/lib.sh"
cd "$TOP"
plan 6

fresh_db upkit_runner_updel
# (the cluster's user is upkit: "$user" on the search_path would put the tables in schema upkit)
PGOPTIONS="$PGOPTIONS -c search_path=public" psql -qAtX -v ON_ERROR_STOP=1 -f tests/fixtures/updel/fixture.sql >/dev/null
p=$runner_tmp/updel
mkdir -p "$p"
cp tests/fixtures/updel/shippingdate.json "$p/"
write_plan() { # JOB-EXTRA
  cat > "$p/plan.json" <<JSON
{"name": "updel", "databases": {"ax": {"dialect": "pg", "conninfo": "dbname=$PGDATABASE"}},
 "companies": ["dat"],
 "jobs": [{"id": "shipdate", "stage": "postsync", "spec": "shippingdate.json"$1}]}
JSON
}

write_plan ""
run "$UPKIT" plan "$p"
is "$rc" 2 "a plan that leaves out the virtual company's parameter is refused"
like "$err" "INVENTTRANS_DATAAREAID" "... naming the parameter"

write_plan ', "params": {"INVENTTRANS_DATAAREAID": "vi"}'
run "$UPKIT" run "$p"
is "$rc" 0 "upkit run exits 0"
is "$(q "SELECT company || ':' || state || ':' || rows FROM upkit.runner_jobs WHERE job = 'shipdate'")" "dat:done:1" \
  "the update job ran once, for company dat, and recorded its row count"
is "$(q "SELECT string_agg(recid || '=' || shippingdaterequested, ',' ORDER BY recid) FROM salesline")" \
  "41=2024-04-15,42=1900-01-01,43=2020-05-05,44=1900-01-01,45=1900-01-01" \
  "exactly the line with an expected date under vi is updated (as by hand in tests/pg/updel.pg)"
run "$UPKIT" run "$p"
is "$(q "SELECT count(*) FROM upkit.runner_jobs WHERE job = 'shipdate'")" 1 "a second run finds it done and does not run it again"
done_testing
