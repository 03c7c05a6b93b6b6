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
\echo 'its rows are deleted again), then CALL public.initfromsmmquotationtable(''dat'', ''SALESQUOT'', ''N''),'
\echo 'one run each on a warm cache (make bench measures the ratio properly):'
SELECT count(*) AS warm_up_rows FROM public.del_smmquotationtable \gset
CREATE TEMP TABLE demo_timing (step text, rows_inserted bigint, seconds numeric);
DO $$
DECLARE
    t0 timestamptz;
    n  bigint;
BEGIN
    t0 := clock_timestamp();
    INSERT INTO public.salesquotationtable
           (recid, recversion, dataareaid, quotationid, custaccount, quotationname, quotationstatus,
            currencycode, salesresponsible, quotationexpirydate, createddatetime, origsmmquotationrecid)
    SELECT s.recid + 1000000000000, 1, s.dataareaid, s.quotationid, s.custaccount, s.quotationname,
           s.quotationstatus, COALESCE(s.currencycode, 'EUR'), s.salesresponsible, s.expirydate,
           s.createddatetime, s.recid
      FROM public.del_smmquotationtable AS s
     WHERE s.dataareaid = 'usmf' AND s.quotationstatus <> 4;
    GET DIAGNOSTICS n = ROW_COUNT;
    INSERT INTO demo_timing VALUES ('bare INSERT ... SELECT (usmf)', n, extract(epoch FROM clock_timestamp() - t0));
END
$$;
DELETE FROM public.salesquotationtable WHERE dataareaid = 'usmf';
VACUUM public.salesquotationtable;
DO $$
DECLARE
    t0 timestamptz;
    n  bigint;
BEGIN
    t0 := clock_timestamp();
    CALL public.initfromsmmquotationtable('dat', 'SALESQUOT', 'N', n);
    INSERT INTO demo_timing VALUES ('CALL initfromsmmquotationtable (dat)', n, extract(epoch FROM clock_timestamp() - t0));
END
$$;
SELECT step, rows_inserted, round(seconds, 2) AS seconds,
       round(seconds / (SELECT seconds FROM demo_timing WHERE step LIKE 'bare%'), 2) AS ratio_to_bare
  FROM demo_timing;

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
