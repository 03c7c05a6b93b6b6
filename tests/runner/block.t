#!/usr/bin/env bash
# block.t: a job the runner wraps is one transaction block.  A one-statement
# SQL job (one pipeline: BEGIN, the lock, the check, the statement, 'done',
# COMMIT) that calls a procedure which commits half-way fails with the
# server's "invalid transaction termination": nothing of it stays, the
# ledger says failed.  Without the BEGIN the statements of a pipeline are
# one transaction but not a block, and the procedure's COMMIT would split
# the job in two (sqlgen/runner_job.c, run_pipelined).  With
# "transaction": false the same call runs and commits, as a job that
# manages its own transactions.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
. "$(dirname "$0")/lib.sh"
cd "$TOP"
plan 6

fresh_db upkit_runner_block
q "CREATE TABLE public.halves (n integer);
   CREATE PROCEDURE public.commits_halfway() LANGUAGE plpgsql AS \$\$
   BEGIN INSERT INTO public.halves VALUES (1); COMMIT; INSERT INTO public.halves VALUES (2); END \$\$" >/dev/null
p=$runner_tmp/block
mkdir -p "$p"
echo "CALL public.commits_halfway();" > "$p/call.sql"
cat > "$p/plan.json" <<JSON
{"name": "block", "databases": {"t": {"dialect": "pg", "conninfo": "dbname=$PGDATABASE"}},
 "jobs": [{"id": "call", "stage": "postsync", "sql": "call.sql"}]}
JSON
run "$UPKIT" run "$p"
is "$rc" 1 "the job fails"
like "$out" "failed +call: .*invalid transaction termination" "... with the server's message: a wrapped job cannot commit half-way"
is "$(q "SELECT count(*) FROM public.halves")" 0 "nothing of it stays"
is "$(q "SELECT state FROM upkit.runner_jobs WHERE job = 'call'")" failed "the ledger says failed"

sed -i 's/"sql": "call.sql"}/"sql": "call.sql", "transaction": false}/' "$p/plan.json"
run "$UPKIT" run "$p"
is "$rc" 0 "with \"transaction\": false the same job runs"
is "$(q "SELECT string_agg(n::text, ',' ORDER BY n) FROM public.halves")" "1,2" "... and commits its own transactions"
done_testing
