#!/usr/bin/env bash
# readiness.t: a validate spec as a job of the readiness stage: a standard
# job, run once per company given in the plan, whose procedure the runner
# installs first; the job is done (finding problems is its work) and the
# log holds each company's entries, which upkit report reads with exit 1.
# The plan has no later stage: the readiness gate (tests/runner/gate.t)
# blocks nothing here.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
. "$(dirname "$0")/lib.sh"
cd "$TOP"
plan 5

fresh_db upkit_runner_readiness
psql -qAtX -v ON_ERROR_STOP=1 -c "SET client_min_messages = warning" -f tests/fixtures/validate/fixture.sql >/dev/null
p=$runner_tmp/readiness
mkdir -p "$p"
cp tests/fixtures/validate/readiness.json "$p/"
cat > "$p/plan.json" <<JSON
{"name": "readiness", "databases": {"ax": {"dialect": "pg", "conninfo": "dbname=$PGDATABASE"}},
 "companies": ["dat", "ceu"],
 "jobs": [ {"id": "ready", "stage": "readiness", "spec": "readiness.json"} ]}
JSON
run "$UPKIT" plan "$p"
like "$out" "1 +readiness +main +ready +standard +ax" "upkit plan: the validate spec is a standard job of the readiness stage"
run "$UPKIT" run --jobs 2 "$p"
is "$rc" 0 "upkit run exits 0: the checks ran"
is "$(q "SELECT string_agg(company, ',' ORDER BY company) FROM upkit.runner_jobs WHERE job = 'ready' AND state = 'done'")" "ceu,dat" \
  "one run per company"
is "$(q "SELECT string_agg(dataareaid || '=' || n, ',' ORDER BY dataareaid) FROM (SELECT dataareaid, count(*) n FROM upkit.validation_log GROUP BY 1) s")" \
  "ceu=6,dat=9" "each company's entries are in the log"
run "$UPKIT" report --dialect pg --db "dbname=$PGDATABASE"
is "$rc" 1 "upkit report exits 1 on the errors logged"
done_testing
