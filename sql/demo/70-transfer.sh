#!/usr/bin/env bash
# Step 70: state transfer.  Preprocessing runs on a test system restored
# from a backup of production, then its state comes back: production is
# marked, backed up (pg_dump) and restored as the test system; the delta
# runs there and consumes CRM_1 party numbers while production goes on
# working (new customers, CRM_2 location numbers).  upkit transfer checks
# both systems (first with an intended error), takes what moves from the
# upgrade's plan (transfer-plan.json), copies the shadow and
# upkit's state (delta state and run log, the validation log), synchronises
# the number sequences and the run counters, and the delta on
# production then catches exactly production's own changes.
set -euo pipefail
spec=tests/fixtures/delta/custtable.json
prod=upkit_demo_prod test=upkit_demo_test
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning -c search_path=public"
pgbin=${UPKIT_PGBIN:-$(pg_config --bindir)}
psql_on() { local db=$1; shift; psql -X -q -v ON_ERROR_STOP=1 -P pager=off --echo-queries -d "$db" "$@"; }
for d in $prod $test; do psql -qAtX -d postgres -c "DROP DATABASE IF EXISTS $d" -c "CREATE DATABASE $d" >/dev/null; done
dump=$(mktemp); trap 'rm -f "$dump"' EXIT

echo "1. Production ($prod): the delta fixture, the delta procedure installed, two number"
echo "   sequences (CRM_1 party numbers, CRM_2 location numbers)."
psql -X -q -v ON_ERROR_STOP=1 -d $prod -c "CREATE EXTENSION upkit" -c "SELECT upkit.create_ax_tables()" \
  -f tests/fixtures/delta/fixture.sql >/dev/null
psql_on $prod -c "INSERT INTO numbersequencetable (dataareaid, numbersequence, nextrec, highest, format) VALUES
  ('dat', 'CRM_1', 1000, 99999, 'PTY-#####'), ('dat', 'CRM_2', 2000, 99999, 'LOC-#####')"
PGDATABASE=$prod "$UPKIT" install --dialect pg --no-runtime "$spec"

echo
echo "2. Mark production, then take the backup and restore it as the test system ($test)."
echo "\$ upkit transfer --mark --to dbname=$prod"
"$UPKIT" transfer --mark --to "dbname=$prod"
"$pgbin/pg_dump" -d $prod -f "$dump"
psql -X -q -v ON_ERROR_STOP=1 -d $test -f "$dump" >/dev/null

echo
echo "3. On the test system: live preprocessing (the first delta runs), a script that"
echo "   consumes five CRM_1 party numbers, and a readiness check that logs what it found"
echo "   (the validation log, with a detail row)."
psql_on $test -c "CALL upg_delta_custtable('dat')" -c "CALL upg_delta_custtable('ceu')" \
  -c "SELECT * FROM upkit.reserve_numbers('dat', 'CRM_1', 5)" \
  -c "SELECT upkit.log(upkit.log_start('chk_custgroup', 'dat'), 'CG1', 'advisory', 'customers without a group',
        'give them one') AS logged" \
  -c "SELECT upkit.log_detail(run_id, 'CG1', 'no CUSTGROUP', 5637144577, 'dat', 'ACCOUNTNUM=D-0001') AS detail
        FROM upkit.validation_run WHERE script = 'chk_custgroup'"

echo
echo "4. Production goes on working meanwhile: new, changed and deleted customers"
echo "   (tests/fixtures/delta/fixture_changes.sql) and three CRM_2 location numbers."
psql -X -q -v ON_ERROR_STOP=1 -d $prod -f tests/fixtures/delta/fixture_changes.sql
psql_on $prod -c "SELECT * FROM upkit.reserve_numbers('dat', 'CRM_2', 3)"

echo
echo "5. A transfer now is refused (intended error, exit status 1): the test system's"
echo "   delta has not reached 0, 0, 0.  Nothing is changed."
echo "\$ upkit transfer --from dbname=$test --to dbname=$prod -s $spec --sequence dat:CRM_1 --sequence dat:CRM_2"
set +e
"$UPKIT" transfer --from "dbname=$test" --to "dbname=$prod" -s "$spec" --sequence dat:CRM_1 --sequence dat:CRM_2 2>&1
echo "(exit status $?)"
set -e

echo
echo "6. The delta on the test system until 0, 0, 0; then --explain: what would move, and"
echo "   the sequences before and after."
psql_on $test -c "CALL upg_delta_custtable('dat')" -c "CALL upg_delta_custtable('ceu')"
echo "   What moves comes from the upgrade's plan (sql/demo/transfer-plan.json): the shadow"
echo "   its delta job writes and CRM_1, the sequence its insert job names; CRM_2 is added."
plan=sql/demo/transfer-plan.json
echo "\$ upkit transfer --from dbname=$test --to dbname=$prod --plan $plan --sequence dat:CRM_2 --explain"
"$UPKIT" transfer --from "dbname=$test" --to "dbname=$prod" --plan $plan --sequence dat:CRM_2 --explain

echo
echo "7. The transfer."
echo "\$ upkit transfer --from dbname=$test --to dbname=$prod --plan $plan --sequence dat:CRM_2"
"$UPKIT" transfer --from "dbname=$test" --to "dbname=$prod" --plan $plan --sequence dat:CRM_2 2>&1

echo
echo "8. On production: the delta catches exactly production's own changes since the backup,"
echo "   then finds nothing; the next party number follows the test system's."
psql_on $prod -c "CALL upg_delta_custtable('dat')" -c "CALL upg_delta_custtable('ceu')" \
  -c "CALL upg_delta_custtable('dat')" -c "CALL upg_delta_custtable('ceu')" \
  -c "SELECT * FROM upkit.reserve_numbers('dat', 'CRM_1', 1)"
