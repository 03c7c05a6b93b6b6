#!/usr/bin/env bash
# cli.t: the validate kind through the command: every problem of a bad
# validate spec reported with file, JSON path and reason; install over libpq
# and a run on the fixture; "upkit report" as a table and as JSON, picking
# scripts, exit 1 while an error is logged and 0 when only advisories are,
# and its errors (unknown script, no log, bad options).  Needs the
# throwaway cluster (PG* set).
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
cd "$TOP"
: "${PGHOST:?run through tests/harness/with-cluster.sh}"

db=upkit_validate_cli
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; psql -qAtX -d postgres -c "DROP DATABASE IF EXISTS $db" -c "DROP DATABASE IF EXISTS ${db}_bare" >/dev/null 2>&1 || true' EXIT
psql -qAtX -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" \
  -c "DROP DATABASE IF EXISTS ${db}_bare" -c "CREATE DATABASE ${db}_bare" >/dev/null
psql -qAtX -v ON_ERROR_STOP=1 -d "$db" -c "SET client_min_messages = warning" -f tests/fixtures/validate/fixture.sql >/dev/null
specs=(tests/fixtures/validate/readiness.json tests/fixtures/validate/shared.json)

plan 29

# A spec with one problem of each kind of check, and the common ones.
cat > "$tmp/bad.json" <<'JSON'
{"kind": "validate", "procedure": {"name": "V"}, "checks": [
 {"id": "A", "check": "unique", "level": "warning", "table": "T", "columns": [],
  "message": "m", "resolution": "r"},
 {"id": "A", "check": "not_null", "level": "error", "table": "T", "message": "two\nlines", "resolution": "r"},
 {"id": "B", "check": "references", "level": "error", "table": "T", "dataareaid": false,
  "columns": ["X", "Y"], "to": {"table": "U", "columns": ["X"]}, "message": "m", "resolution": "r"},
 {"id": "C", "check": "fits", "level": "error", "table": "T", "column": "X", "type": "date",
  "message": "m", "resolution": "r"},
 {"id": "D", "check": "number_sequence", "level": "error", "numbersequence": "", "message": "m", "resolution": "r"},
 {"id": "E", "check": "custom", "level": "advisory", "table": "T", "alias": "upkit_x", "where": "1 = 1; DROP TABLE T",
  "message": "m", "resolution": "r"},
 {"id": "F", "check": "nonsense", "level": "error", "message": "m", "resolution": "r"}
]}
JSON
run "$UPKIT" generate --dialect pg "$tmp/bad.json"
is "$rc" 1 "an invalid validate spec: exit 1"
is "$out" "" "... and nothing on standard output"
want="upkit: $tmp/bad.json: \$.checks[0].level: unknown level \"warning\" (known: \"error\": must be fixed before the upgrade, \"advisory\": should be known)
upkit: $tmp/bad.json: \$.checks[0].columns: must name at least one index column
upkit: $tmp/bad.json: \$.checks[1].message: must be one non-empty line of text: U+000A, line feed at byte 3
upkit: $tmp/bad.json: \$.checks[1].column: \"column\" is required
upkit: $tmp/bad.json: \$.checks[1].id: message id \"A\" is already used by \$.checks[0]; the log keeps one entry per id
upkit: $tmp/bad.json: \$.checks[2].dataareaid: a table without DATAAREAID (a shared table) is checked by a shared spec (\"per_company\": false): a per-company procedure would log it once per company
upkit: $tmp/bad.json: \$.checks[2].to: names 1 referenced column for 2 referencing columns; they pair up in order
upkit: $tmp/bad.json: \$.checks[3].type: unknown type \"date\" (known: varchar, nvarchar, char, nchar, character varying, character, smallint, int, integer, bigint, tinyint, numeric, decimal)
upkit: $tmp/bad.json: \$.checks[4].numbersequence: \"\" is not a number sequence code: it must be one non-empty line
upkit: $tmp/bad.json: \$.checks[4].rows: is required: the number of rows the sequence must number, or {\"table\": ..., \"where\": ...} to count them
upkit: $tmp/bad.json: \$.checks[5].alias: alias \"upkit_x\" starts with \"upkit_\", which the generated SQL keeps for its own aliases"
like "$err" "^$(printf '%s' "$want" | sed 's/[][\.*^$(){}+?|]/\\&/g')" "... every problem, with its path, in order"
like "$err" "checks\[5\]\.where: .*';'" "... the where clause's ';'"
like "$err" "checks\[6\]\.check: unknown check \"nonsense\"" "... and the unknown check"

# Install and run.
run "$UPKIT" install --dialect pg --db "dbname=$db" "${specs[@]}"
is "$rc" 0 "install of the two validate specs exits 0"
like "$out" "created procedure rdy.validate_items" "... and names the procedure"
run "$UPKIT" report --dialect pg --db "dbname=$db"
is "$rc" 0 "report before any run exits 0"
is "$out" "The validation log is empty: no readiness check has run." "... and says the log is empty"
psql -qAtX -v ON_ERROR_STOP=1 -d "$db" -c "CALL rdy.validate_items('dat')" -c "CALL rdy.validate_items('ceu')" \
  -c "CALL rdy.validate_units()" >/dev/null

run "$UPKIT" report --dialect pg --db "dbname=$db"
is "$rc" 1 "report with errors logged exits 1"
like "$out" "^script              company  last run                    run  errors  advisories
rdy\.validate_items  ceu      [0-9-]+ [0-9:]+ UTC +[0-9]+       4           2
rdy\.validate_items  dat      [0-9-]+ [0-9:]+ UTC +[0-9]+       6           3
rdy\.validate_units  \(all\)    [0-9-]+ [0-9:]+ UTC +[0-9]+       1           1
" "... the runs: when each script last ran, with its counts"
like "$out" "
ERROR ItemIdDuplicate: Items share an item id; the new unique index ItemIdx rejects them\.
  resolution: Give each item its own ITEMID, or delete the copies\.
  rdy\.validate_items  ceu      3 rows
    RECID 13 \(ceu\) ITEMID=B2: one of 3 rows with these values
    RECID 14 \(ceu\) ITEMID=B2: one of 3 rows with these values
    RECID 15 \(ceu\) ITEMID=B2: one of 3 rows with these values
  rdy\.validate_items  dat      2 rows
" "... an error with its resolution, its count and offending rows per company"
like "$out" "11 errors and 6 advisories: the upgrade must not go on until the errors are fixed\.$" "... and the verdict"
errors_line=$(printf '%s\n' "$out" | grep -n '^ERROR' | tail -1 | cut -d: -f1)
advisory_line=$(printf '%s\n' "$out" | grep -n '^ADVISORY' | head -1 | cut -d: -f1)
ok "errors come before advisories" test "$errors_line" -lt "$advisory_line"

run "$UPKIT" report --dialect pg --db "dbname=$db" --details 1 rdy.VALIDATE_ITEMS
is "$rc" 1 "report of one script (in another case) exits 1"
like "$out" "RECID 13 \(ceu\) ITEMID=B2: one of 3 rows with these values
    \.\.\. 2 more \(3 stored in the log\)" "... --details 1 shows one row and says how many more"
ok "... and leaves out the other script" test "$(printf '%s\n' "$out" | grep -c validate_units)" -eq 0

run "$UPKIT" report --dialect pg --db "dbname=$db" --json rdy.validate_units
is "$rc" 1 "report --json exits 1 too"
is "$(printf '%s' "$out" | jq -c '[.errors, .advisories, (.runs | length), .runs[0].dataareaid]')" '[1,1,1,""]' \
   "... JSON: the counts and the run"
is "$(printf '%s' "$out" | jq -c '.entries[0] | [.level, .message_id, .count, .stored, (.details | map([.recid, .dataareaid, .key, .detail]))]')" \
   '["error","UnitSymbolDuplicate",2,2,[[301,null,"SYMBOL=pcs","one of 2 rows with these values"],[303,null,"SYMBOL=pcs","one of 2 rows with these values"]]]' \
   "... an entry with its exact details"

# Fix the errors of the shared table: only the advisory is left, exit 0.
psql -qAtX -v ON_ERROR_STOP=1 -d "$db" -c "UPDATE rdy.unitofmeasure SET symbol = 'pc' WHERE recid = 303" \
  -c "CALL rdy.validate_units()" >/dev/null
run "$UPKIT" report --dialect pg --db "dbname=$db" rdy.validate_units
is "$rc" 0 "with only an advisory logged, report exits 0"
like "$out" "0 errors and 1 advisory: nothing blocks the upgrade\.$" "... and says nothing blocks"

# Errors.
run "$UPKIT" report --dialect pg --db "dbname=$db" rdy.nope
is "$rc" 1 "an unknown script: exit 1"
is "$err" "upkit: script rdy.nope has no run in the validation log of $db" "... naming it"
run "$UPKIT" report --dialect pg --db "dbname=${db}_bare"
is "$rc" 1 "a database without the log: exit 1"
like "$err" "cannot read the validation log in ${db}_bare \(PostgreSQL at" "... saying where it looked"
like "$err" "the log is part of the upkit extension 0\.3: CREATE EXTENSION upkit" "... and where the log comes from"
run "$UPKIT" report --dialect pg --db "dbname=$db" --details -1
is "$rc" 2 "--details -1: exit 2"
run "$UPKIT" report --db "dbname=$db"
like "$err" "--dialect is required" "no --dialect: a usage error"
done_testing
