#!/usr/bin/env bash
# 30-set-based-insert.sh: the worked example end to end: a spec, one
# command, one CALL.  DEL_SMMQUOTATIONTABLE (one million rows over three
# companies) becomes SALESQUOTATIONTABLE rows with RECIDs from TABID 1967
# and QUOTATIONIDs from the number sequence SALESQUOT, set-based; next to it
# a bare INSERT ... SELECT of the same number of rows (the limit).
# UPKIT_DEMO_ROWS changes the size.
set -euo pipefail
rows="${UPKIT_DEMO_ROWS:-1000000}"
spec=sql/demo/specs/salesquotation.json
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
psql_demo() { psql -X -q -v ON_ERROR_STOP=1 -P pager=off "$@"; }

echo "The spec ($spec), in short:"
sed -n '/"procedure"/,/"target"/p' "$spec" | sed 's/^/    /' | head -14
echo
psql_demo -c "CREATE EXTENSION IF NOT EXISTS upkit"
echo "Fixture: $rows source rows in DEL_SMMQUOTATIONTABLE (sql/demo/salesquotation-fixture.sql)"
psql_demo -v rows="$rows" -f sql/demo/salesquotation-fixture.sql >/dev/null

echo
echo "\$ upkit install --dialect pg $spec"
"$UPKIT" install --dialect pg "$spec"
echo "installed: $(psql -qAtX -c "SELECT 'public.initfromsmmquotationtable(' || pg_get_function_identity_arguments('public.initfromsmmquotationtable'::regproc) || ')'")"
echo "\$ upkit install --dialect pg $spec    # again: harmless"
"$UPKIT" install --dialect pg "$spec"

echo
echo "Before: NEXTVAL of TABID 1967 and NEXTREC of SALESQUOT in company dat"
psql_demo -c "SELECT (SELECT nextval FROM systemsequences WHERE id = -1 AND tabid = 1967) AS systemsequences_nextval,
                     (SELECT nextrec FROM numbersequencetable WHERE dataareaid = 'dat' AND numbersequence = 'SALESQUOT') AS salesquot_nextrec"

psql_demo <<'SQL'
\echo 'A bare INSERT ... SELECT of company usmf (RECIDs and ids copied, no reservation: the limit;'
\echo 'rolled back), then CALL public.initfromsmmquotationtable(''dat'', ''SALESQUOT'', ''N''):'
\echo 'one run each after a CHECKPOINT (make bench measures the ratio over several rounds).'
SELECT count(*) AS warm_up_rows FROM public.del_smmquotationtable \gset
CHECKPOINT;
BEGIN;
SELECT clock_timestamp() AS t0 \gset
INSERT INTO public.salesquotationtable
       (recid, recversion, dataareaid, quotationid, custaccount, quotationname, quotationstatus,
        currencycode, salesresponsible, quotationexpirydate, createddatetime, origsmmquotationrecid)
SELECT s.recid + 1000000000000, 1, s.dataareaid, s.quotationid, s.custaccount, s.quotationname,
       s.quotationstatus, COALESCE(s.currencycode, 'EUR'), s.salesresponsible, s.expirydate,
       s.createddatetime, s.recid
  FROM public.del_smmquotationtable AS s
 WHERE s.dataareaid = 'usmf' AND s.quotationstatus <> 4;
SELECT extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) AS bare_seconds \gset
SELECT count(*) AS bare_rows FROM public.salesquotationtable WHERE dataareaid = 'usmf' \gset
ROLLBACK;
VACUUM public.salesquotationtable;
CHECKPOINT;
SELECT clock_timestamp() AS t0 \gset
CALL public.initfromsmmquotationtable('dat', 'SALESQUOT', 'N') \gset
SELECT extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) AS proc_seconds \gset
SELECT 'bare INSERT ... SELECT (usmf)' AS step, :bare_rows AS rows_inserted, round(:bare_seconds, 2) AS seconds, 1.00 AS ratio_to_bare
UNION ALL
SELECT 'CALL initfromsmmquotationtable (dat)', :rows_inserted, round(:proc_seconds, 2), round(:proc_seconds / :bare_seconds, 2);

\echo 'What the procedure inserted, and the ranges it used:'
SELECT count(*) AS rows_inserted,
       min(recid) AS first_recid, max(recid) AS last_recid,
       min(quotationid) AS first_quotationid, max(quotationid) AS last_quotationid
  FROM public.salesquotationtable WHERE dataareaid = 'dat';
SELECT recid, quotationid, custaccount, origsmmquotationrecid
  FROM public.salesquotationtable WHERE dataareaid = 'dat' ORDER BY recid LIMIT 3;

\echo 'After: NEXTREC advanced by exactly the row count, and the next RECID comes after the last one used:'
SELECT (SELECT nextrec FROM public.numbersequencetable WHERE dataareaid = 'dat' AND numbersequence = 'SALESQUOT') AS salesquot_nextrec,
       upkit.reserve_recids(1967, 1) AS next_recid_reserved;
SQL
