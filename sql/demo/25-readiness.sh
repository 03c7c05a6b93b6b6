#!/usr/bin/env bash
# Step 25: readiness checks before the upgrade, on a small item table.  A
# validate spec with two checks (a future unique index on ITEMID, names that
# outgrow the new 20-character column), installed and run; upkit report
# shows one error and one advisory with the offending rows and exits 1 (a
# script or the runner stops on it).  Then the fix (the duplicate item gets
# its own id), a second run that replaces the log, and a report that says
# nothing blocks the upgrade (the advisory stays: it does not block).
set -euo pipefail
spec=sql/demo/specs/readiness.json
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
psql_demo() { psql -X -q -v ON_ERROR_STOP=1 -P pager=off --echo-queries "$@"; }
report() {
  echo "\$ upkit report --dialect pg rdy.validate_items"
  set +e
  "$UPKIT" report --dialect pg rdy.validate_items
  echo "(exit status $?)"
  set -e
}

echo "1. The items of company dat (sql/demo/readiness-fixture.sql):"
psql -X -q -v ON_ERROR_STOP=1 -f sql/demo/readiness-fixture.sql
psql_demo -c "SELECT recid, itemid, itemname, length(itemname) AS len FROM rdy.inventtable ORDER BY recid"

echo
echo "2. The checks ($spec), installed:"
sed 's/^/  | /' "$spec"
echo "\$ upkit install --dialect pg --no-runtime $spec"
"$UPKIT" install --dialect pg --no-runtime "$spec"

echo
echo "3. Run them (they change nothing but the validation log), then the report:"
echo "   one error, one advisory, exit status 1."
psql_demo -c "CALL rdy.validate_items('dat')"
report

echo
echo "4. The fix: the 5 m cable gets its own item id.  Run the checks again: the run"
echo "   replaces the script's entries; the error is gone, the advisory stays and"
echo "   does not block."
psql_demo -c "UPDATE rdy.inventtable SET itemid = 'CBL-500' WHERE recid = 5637144579" \
          -c "CALL rdy.validate_items('dat')"
report
