#!/usr/bin/env bash
# Step 30: the worked set-based insert, end to end: a spec, one command, one
# CALL.  DEL_SMMQUOTATIONTABLE (a million rows over three companies) becomes
# SALESQUOTATIONTABLE rows of company dat, with RECIDs from TABID 1967 and
# QUOTATIONIDs from the number sequence SALESQUOT, in one statement.  Shown:
# the spec, the install, the counts and the ranges used before and after.

# No timing from one run here: the ratios against a bare INSERT ... SELECT
# and a row-by-row loop are make bench's (docs/BENCHMARKS.md), over several
# rounds.  UPKIT_DEMO_ROWS changes the size.
set -euo pipefail
rows="${UPKIT_DEMO_ROWS:-1000000}"
spec=sql/demo/specs/salesquotation.json
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
psql_demo() { psql -X -q -v ON_ERROR_STOP=1 -P pager=off "$@"; }

echo "The spec: source, filter, target and TABID, the business-number column, the"
echo "mapping, and the X++ loop it replaces ($spec):"
sed 's/^/    /' "$spec"
echo
psql_demo -c "CREATE EXTENSION IF NOT EXISTS upkit"
echo "Sample data: $rows source rows in DEL_SMMQUOTATIONTABLE over three companies"
echo "(sql/demo/salesquotation-fixture.sql)."
psql_demo -v rows="$rows" -f sql/demo/salesquotation-fixture.sql >/dev/null

echo
echo "Generate the procedure from the spec and install it (one transaction):"
echo "\$ upkit install --dialect pg $spec"
"$UPKIT" install --dialect pg "$spec"
echo "installed: $(psql -qAtX -c "SELECT 'public.initfromsmmquotationtable(' || pg_get_function_identity_arguments('public.initfromsmmquotationtable'::regproc) || ')'")"
echo "Installing again is harmless:"
echo "\$ upkit install --dialect pg $spec"
"$UPKIT" install --dialect pg "$spec"

echo
echo "Before: NEXTVAL of TABID 1967 and NEXTREC of SALESQUOT in company dat:"
psql_demo -c "SELECT (SELECT nextval FROM systemsequences WHERE id = -1 AND tabid = 1967) AS systemsequences_nextval,
                     (SELECT nextrec FROM numbersequencetable WHERE dataareaid = 'dat' AND numbersequence = 'SALESQUOT') AS salesquot_nextrec,
                     (SELECT count(*) FROM del_smmquotationtable WHERE dataareaid = 'dat' AND quotationstatus <> 4) AS dat_rows_to_copy"

psql_demo <<'SQL'
\echo 'One call copies company dat: it counts the rows, reserves that many RECIDs and numbers,'
\echo 'and inserts them in one statement:'
\echo '=> CALL public.initfromsmmquotationtable(''dat'', ''SALESQUOT'', ''N'');'
CALL public.initfromsmmquotationtable('dat', 'SALESQUOT', 'N');

\echo 'What it inserted, and the ranges it used (row n gets NEXTVAL + n and number NEXTREC + n):'
SELECT count(*) AS rows_inserted,
       min(recid) AS first_recid, max(recid) AS last_recid,
       min(quotationid) AS first_quotationid, max(quotationid) AS last_quotationid
  FROM public.salesquotationtable WHERE dataareaid = 'dat';
SELECT recid, quotationid, custaccount, origsmmquotationrecid
  FROM public.salesquotationtable WHERE dataareaid = 'dat' ORDER BY recid LIMIT 3;

\echo 'After: NEXTREC advanced by exactly the row count, and the next RECID comes after the last one used:'
SELECT (SELECT nextrec FROM public.numbersequencetable WHERE dataareaid = 'dat' AND numbersequence = 'SALESQUOT') AS salesquot_nextrec,
       upkit.reserve_recids(1967, 1) AS next_recid_reserved;
\echo 'How fast this is next to a bare INSERT ... SELECT and a row-by-row loop: make bench'
\echo '(ratios over several rounds, in docs/BENCHMARKS.md).'
SQL
