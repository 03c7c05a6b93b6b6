#!/usr/bin/env bash
# gate.t: the readiness gate (docs/readiness.md, "Readiness and the
# runner"): an error the readiness stage's checks log blocks every job of a
# later stage (skipped, naming the errors; exit 1) and sets the checks back
# to pending; an advisory does not block; after the fix the next run runs
# the checks again and goes on (resume); --ignore-readiness-errors goes on
# and the ledger and the summary say so.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
. "$(dirname "$0")/lib.sh"
cd "$TOP"
plan 20

fresh_db upkit_runner_gate
q "CREATE SCHEMA gt;
   CREATE TABLE gt.custtable (recid bigint PRIMARY KEY, dataareaid varchar(4) NOT NULL,
                              accountnum varchar(20), name varchar(60));
   INSERT INTO gt.custtable VALUES (1, 'dat', 'C-1', 'Contoso'), (2, 'dat', 'C-1', 'Contoso retail'),
                                   (3, 'dat', 'C-2', NULL);
   CREATE TABLE gt.marks (job text, company text);" >/dev/null
p=$runner_tmp/gate
mkdir -p "$p"
cat > "$p/ready.json" <<'JSON'
{ "kind": "validate", "description": "gate.t: one error check, one advisory check",
  "procedure": { "schema": "gt", "name": "VALIDATE_CUST" },
  "checks": [
    { "id": "DupAccount", "check": "unique", "level": "error", "table": "CUSTTABLE", "schema": "gt",
      "columns": ["ACCOUNTNUM"], "message": "Customers share an account number.",
      "resolution": "Give each customer its own account number." },
    { "id": "NameMissing", "check": "not_null", "level": "advisory", "table": "CUSTTABLE", "schema": "gt",
      "column": "NAME", "key": ["ACCOUNTNUM"], "message": "Customers without a name.",
      "resolution": "Name them." } ] }
JSON
echo "INSERT INTO gt.marks VALUES (current_setting('upkit_run.job'), current_setting('upkit_run.company'));" > "$p/later.sql"
cat > "$p/plan.json" <<JSON
{"name": "gate", "databases": {"ax": {"dialect": "pg", "conninfo": "dbname=$PGDATABASE"}},
 "companies": ["dat"],
 "jobs": [ {"id": "ready", "stage": "readiness", "spec": "ready.json"},
           {"id": "later", "stage": "delta", "sql": "later.sql", "tables": {"gt.marks": "create"}} ]}
JSON

# 1. An error is logged: the later stage does not run.
run "$UPKIT" run --jobs 2 "$p"
is "$rc" 1 "errors logged: upkit run exits 1"
like "$out" "skipped +later: not run: readiness errors logged \\(1 error in gt.validate_cust dat: DupAccount\\); fix them or pass --ignore-readiness-errors" \
  "the later job is skipped, naming the script, company and message id"
like "$out" "readiness: 1 error, 1 advisory logged" "the summary counts the errors and advisories"
is "$(q "SELECT count(*) FROM gt.marks")" 0 "the later job did not run"
is "$(q "SELECT state || ' ' || (message LIKE 'readiness errors logged (1 error in gt.validate_cust dat: DupAccount)%') FROM upkit.runner_jobs WHERE job = 'ready'")" \
  "pending true" "the checks are pending again in the ledger, with the errors"
is "$(q "SELECT state || ' ' || (message LIKE 'not run: readiness errors logged%') FROM upkit.runner_jobs WHERE job = 'later'")" \
  "skipped true" "the ledger records the later job skipped with the reason"

# 2. Fixed: the next run runs the checks again and goes on; the advisory does not block.
q "UPDATE gt.custtable SET accountnum = 'C-3' WHERE recid = 2" >/dev/null
run "$UPKIT" run --jobs 2 "$p"
is "$rc" 0 "after the fix the run resumes and finishes"
like "$out" "readiness: 0 errors, 1 advisory logged: the later stages go on" "an advisory does not block"
is "$(q "SELECT attempts FROM upkit.runner_jobs WHERE job = 'ready' AND state = 'done'")" 2 "the checks ran again"
is "$(q "SELECT run || ' ' || state FROM upkit.runner_jobs WHERE job = 'later'")" "1 done" "the later job ran in the same run"
is "$(q "SELECT string_agg(job || '/' || company, ',') FROM gt.marks")" "later/" "its work is there once"

# 3. Broken again, a new run on purpose with --ignore-readiness-errors: it goes on, and says so.
q "UPDATE gt.custtable SET accountnum = 'C-1' WHERE recid = 2" >/dev/null
run "$UPKIT" run --new-run --ignore-readiness-errors --jobs 2 "$p"
is "$rc" 0 "--ignore-readiness-errors: the run goes on and exits 0"
like "$out" "readiness: 1 error, 1 advisory logged \\(1 error in gt.validate_cust dat: DupAccount\\): ignored \\(--ignore-readiness-errors\\)" \
  "the summary says the errors were ignored"
is "$(q "SELECT state || ' ' || message FROM upkit.runner_jobs WHERE run = 2 AND job = 'ready'")" \
  "done readiness errors logged (1 error in gt.validate_cust dat: DupAccount); ignored: --ignore-readiness-errors" \
  "the ledger records the decision on the readiness job"
is "$(q "SELECT count(*) FROM gt.marks")" 2 "the later job ran again in the new run"

# 4. Without the flag the same state blocks again; upkit report agrees.
run "$UPKIT" run --new-run --jobs 2 "$p"
is "$rc" 1 "the same errors without the flag: exit 1"
run "$UPKIT" report --dialect pg --db "dbname=$PGDATABASE" gt.validate_cust
is "$rc" 1 "upkit report exits 1 on the same log"

# 5. A hand-written readiness script logs under its job id; an entry of
#    another script (not the plan's) blocks nothing.
p3=$runner_tmp/gate3
mkdir -p "$p3"
cat > "$p3/check.sql" <<'SQL'
SELECT upkit.log(upkit.log_start(current_setting('upkit_run.job')), 'NoCurrency', 'error',
                 'Currency codes are missing.', 'Add them.');
SQL
cp "$p/later.sql" "$p3/"
q "SELECT upkit.log(upkit.log_start('somebody.else'), 'Other', 'error', 'Not this plan''s.', 'None.')" >/dev/null
cat > "$p3/plan.json" <<JSON
{"name": "gate3", "databases": {"ax": {"dialect": "pg", "conninfo": "dbname=$PGDATABASE"}},
 "jobs": [ {"id": "hand_check", "stage": "readiness", "sql": "check.sql"},
           {"id": "later", "stage": "delta", "sql": "later.sql", "tables": {"gt.marks": "create"}} ]}
JSON
run "$UPKIT" run "$p3"
is "$rc" 1 "a hand-written readiness script's error blocks too"
like "$out" "skipped +later: not run: readiness errors logged \\(1 error in hand_check: NoCurrency\\)" \
  "... named by its job id; the other script's entry is not counted"
echo "SELECT 1;" > "$p3/check.sql"
q "SELECT upkit.log_start('hand_check')" >/dev/null
run "$UPKIT" run "$p3"
is "$rc" 0 "its entries gone (a new run of the script), the next run goes on"
done_testing
