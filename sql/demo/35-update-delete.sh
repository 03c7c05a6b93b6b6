#!/usr/bin/env bash
# Step 35: set-based update and delete, from specs: an UPDATE ... FROM with a
# true join to a table kept in a virtual company (its own company
# parameter), and a DELETE with an EXISTS condition (X++'s delete_from ...
# exists join), on step 30's quotations.  Shown: both specs, the install,
# the counts before and after, a second run that changes nothing, and the
# generator refusing a spec that compares two tables' DATAAREAIDs.
set -euo pipefail
upd=sql/demo/specs/salesquotation-responsible.json
del=sql/demo/specs/del-smmquotation-copied.json
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning -c search_path=public"
psql_demo() { psql -X -q -v ON_ERROR_STOP=1 -P pager=off "$@"; }

echo "The update spec: target, a join with its own company parameter, what is set,"
echo "and the X++ loop it replaces ($upd):"
sed 's/^/    /' "$upd"
echo
echo "The delete spec: target, an exists condition, the X++ it replaces ($del):"
sed 's/^/    /' "$del"
echo
echo "Sample data: UPG_EMPLIDMAP, 97 mappings in the virtual company vemp and 97 decoys"
echo "under dat (sql/demo/updel-fixture.sql)."
psql_demo -f sql/demo/updel-fixture.sql

echo
echo "Generate both procedures and install them (install checks the tables, the columns"
echo "and the unique index that proves the join matches at most one row):"
echo "\$ upkit install --dialect pg $upd $del"
"$UPKIT" install --dialect pg "$upd" "$del"

echo
echo "Before: the quotations of dat by employee id, and what is left in DEL_SMMQUOTATIONTABLE:"
psql_demo -c "SELECT count(*) AS dat_quotations,
                     count(*) FILTER (WHERE salesresponsible LIKE 'E%') AS old_employee_ids,
                     count(*) FILTER (WHERE salesresponsible LIKE 'W-%') AS new_employee_ids
                FROM salesquotationtable WHERE dataareaid = 'dat'" \
          -c "SELECT dataareaid, count(*) AS del_smmquotationtable_rows FROM del_smmquotationtable GROUP BY 1 ORDER BY 1"

psql_demo <<'SQL'
\echo 'The update, company dat with its employees in vemp; it returns the row count:'
\echo '=> CALL updatesalesquotationresponsible(''dat'', ''vemp'');'
CALL updatesalesquotationresponsible('dat', 'vemp');
\echo 'Every quotation of dat now has a new id from vemp, none the dat decoy "WRONG":'
SELECT count(*) FILTER (WHERE salesresponsible LIKE 'W-%') AS new_employee_ids,
       count(*) FILTER (WHERE salesresponsible = 'WRONG') AS decoys,
       count(*) FILTER (WHERE salesresponsible LIKE 'E%') AS old_employee_ids
  FROM salesquotationtable WHERE dataareaid = 'dat';
\echo 'Running it again is harmless: no old id is left to map.'
\echo '=> CALL updatesalesquotationresponsible(''dat'', ''vemp'');'
CALL updatesalesquotationresponsible('dat', 'vemp');

\echo 'The delete, company dat: the copied rows go, the cancelled ones (never copied) stay:'
\echo '=> CALL deletecopiedsmmquotations(''dat'');'
CALL deletecopiedsmmquotations('dat');
SELECT dataareaid, count(*) AS del_smmquotationtable_rows,
       count(*) FILTER (WHERE quotationstatus = 4) AS cancelled
  FROM del_smmquotationtable GROUP BY 1 ORDER BY 1;
\echo 'Again: nothing left to delete.'
\echo '=> CALL deletecopiedsmmquotations(''dat'');'
CALL deletecopiedsmmquotations('dat');
SQL

echo
echo "-- Expected error: the generator refuses a condition that compares two tables'"
echo "-- DATAAREAIDs (Q.DATAAREAID = D.DATAAREAID), the virtual-company rule; nothing"
echo "-- is generated.  The spec is the delete spec with that comparison added."
bad=$(mktemp -d); trap 'rm -rf "$bad"' EXIT
sed 's/"on": "Q.ORIGSMMQUOTATIONRECID = D.RECID"/"on": "Q.ORIGSMMQUOTATIONRECID = D.RECID AND Q.DATAAREAID = D.DATAAREAID"/' \
  "$del" > "$bad/del-smmquotation-dataareaid.json"
grep -F '"on"' "$bad/del-smmquotation-dataareaid.json" | sed 's/^ */    /'
echo "\$ upkit generate --dialect pg del-smmquotation-dataareaid.json"
if (cd "$bad" && "$UPKIT" generate --dialect pg del-smmquotation-dataareaid.json) >"$bad/out" 2>&1; then
  echo "demo: the spec that compares two DATAAREAIDs was not refused" >&2
  exit 1
fi
cat "$bad/out"
