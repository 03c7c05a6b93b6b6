#!/usr/bin/env bash
# 70-update.sh: the reference's delivery-address update (Appendix 1,
# updateSalesAndTransLineDlvAddress; tests/fixtures/updel/deliveryaddress.json:
# SALESLINE, CUSTINVOICETRANS and CUSTPACKINGSLIPTRANS take the delivery
# address of their SALESTABLE order, three counted statements) over
# 1,000,000 SALESLINE rows, the generated procedure against
#   * the same three UPDATE ... FROM statements written by hand, with the
#     company as a literal (the limit), and
#   * a row-by-row PL/pgSQL loop, the X++ "while select forupdate" form:
#     per sales line without an address, one indexed look-up of its order
#     and one UPDATE by RECID (run on the first UPKIT_BENCH_LOOP_ROWS lines
#     and compared per row, as 30-insert.sh does), and
#   * the same loop driven from a client, as X++ drives it from the AOS: a
#     psql script with one statement per round trip (the look-up, then the
#     UPDATE by RECID, values as literals), over the unix socket, on the
#     first UPKIT_BENCH_CLIENT_ROWS lines.
# Two companies (dat and ceu) of 100,000 orders and 500,000 lines each; nine
# lines in ten have no address; company dat is updated.  Each timed
# statement runs in a transaction that is rolled back, followed by a VACUUM
# of the three targets, so every round starts from the same tables; the
# procedure and the bare statements alternate, and medians are compared.
set -euo pipefail
db="$UPKIT_BENCH_DB"
rounds="${UPKIT_BENCH_ROUNDS:-3}"   # each round updates 650,000 rows twice: 3 keep it near 2 minutes
loop_rows="${UPKIT_BENCH_LOOP_ROWS:-20000}"
client_rows="${UPKIT_BENCH_CLIENT_ROWS:-2000}"
spec=tests/fixtures/updel/deliveryaddress.json
out="$UPKIT_BENCH_OUT/70-update.md"
raw="$UPKIT_BENCH_OUT/70-update.raw"
export PGDATABASE="$db" PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
. "$(dirname "$0")/lib.sh"

# The tables of tests/fixtures/updel/fixture.sql, with generated rows.
q <<'SQL'
DROP TABLE IF EXISTS public.salestable, public.salesline, public.custinvoicetrans, public.custpackingsliptrans;
CREATE TABLE public.salestable (recid bigint PRIMARY KEY, dataareaid varchar(4) NOT NULL,
    salesid varchar(20) NOT NULL, deliveryaddress varchar(250) NOT NULL DEFAULT '',
    deliveryname varchar(60) NOT NULL DEFAULT '', deliverystreet varchar(250) NOT NULL DEFAULT '',
    deliveryzipcode varchar(10) NOT NULL DEFAULT '', deliverycity varchar(60) NOT NULL DEFAULT '',
    deliverycounty varchar(10) NOT NULL DEFAULT '', deliverystate varchar(10) NOT NULL DEFAULT '',
    deliverycountryregionid varchar(10) NOT NULL DEFAULT '');
CREATE TABLE public.salesline (recid bigint PRIMARY KEY, dataareaid varchar(4) NOT NULL,
    salesid varchar(20) NOT NULL, inventtransid varchar(20) NOT NULL DEFAULT '',
    shippingdaterequested date NOT NULL DEFAULT '1900-01-01',
    deliveryaddress varchar(250) NOT NULL DEFAULT '', deliveryname varchar(60) NOT NULL DEFAULT '',
    deliverystreet varchar(250) NOT NULL DEFAULT '', deliveryzipcode varchar(10) NOT NULL DEFAULT '',
    deliverycity varchar(60) NOT NULL DEFAULT '', deliverycounty varchar(10) NOT NULL DEFAULT '',
    deliverystate varchar(10) NOT NULL DEFAULT '', deliverycountryregionid varchar(10) NOT NULL DEFAULT '');
CREATE TABLE public.custinvoicetrans (recid bigint PRIMARY KEY, dataareaid varchar(4) NOT NULL,
    salesid varchar(20) NOT NULL, dlvcountryregionid varchar(10) NOT NULL DEFAULT '',
    dlvcounty varchar(10) NOT NULL DEFAULT '', dlvstate varchar(10) NOT NULL DEFAULT '');
CREATE TABLE public.custpackingsliptrans (recid bigint PRIMARY KEY, dataareaid varchar(4) NOT NULL,
    salesid varchar(20) NOT NULL, dlvcountryregionid varchar(10) NOT NULL DEFAULT '',
    dlvcounty varchar(10) NOT NULL DEFAULT '', dlvstate varchar(10) NOT NULL DEFAULT '');

-- Order o (1..200000) belongs to dat when odd, ceu when even; ten lines each.
INSERT INTO public.salestable
SELECT o, CASE WHEN o % 2 = 1 THEN 'dat' ELSE 'ceu' END, 'SO-' || lpad(o::text, 7, '0'),
       'Street ' || o || ', City ' || (o % 97), 'Customer ' || (o % 1000), 'Street ' || o,
       lpad((o % 9973)::text, 5, '0'), 'City ' || (o % 97), 'C' || (o % 50), 'S' || (o % 20),
       (ARRAY['NO', 'SE', 'DK', 'DE'])[1 + o % 4]
  FROM generate_series(1, 200000) AS o;
INSERT INTO public.salesline (recid, dataareaid, salesid, inventtransid, deliveryaddress)
SELECT 5637000000 + g, CASE WHEN (g / 10) % 2 = 0 THEN 'dat' ELSE 'ceu' END,
       'SO-' || lpad((g / 10 + 1)::text, 7, '0'), 'IT' || g,
       CASE WHEN g % 10 = 0 THEN 'Kept address ' || g ELSE '' END
  FROM generate_series(0, 999999) AS g;
-- Invoice and packing slip lines: one per order, 100,000 each.
INSERT INTO public.custinvoicetrans (recid, dataareaid, salesid)
SELECT 5638000000 + o, CASE WHEN o % 2 = 1 THEN 'dat' ELSE 'ceu' END, 'SO-' || lpad(o::text, 7, '0')
  FROM generate_series(1, 200000, 2) AS o
UNION ALL
SELECT 5638000000 + o, CASE WHEN o % 2 = 1 THEN 'dat' ELSE 'ceu' END, 'SO-' || lpad(o::text, 7, '0')
  FROM generate_series(2, 200000, 2) AS o;
INSERT INTO public.custpackingsliptrans (recid, dataareaid, salesid)
SELECT recid + 1000000, dataareaid, salesid FROM public.custinvoicetrans;
CREATE UNIQUE INDEX ON public.salestable (dataareaid, salesid);
CREATE INDEX ON public.salesline (dataareaid, salesid);
VACUUM ANALYZE public.salestable, public.salesline, public.custinvoicetrans, public.custpackingsliptrans;
SQL
"${UPKIT:-sqlgen/upkit}" install --dialect pg --no-runtime --quiet --db "dbname=$db" "$spec"

# The "before": what the X++ loop does, server-side, one sales line at a time.
q <<'SQL'
CREATE OR REPLACE PROCEDURE public.bench_update_rowbyrow(p_dataareaid text, p_limit bigint,
                                                         INOUT rows_updated bigint DEFAULT 0)
LANGUAGE plpgsql AS $$
DECLARE
    l record;
    t public.salestable%ROWTYPE;
BEGIN
    rows_updated := 0;
    FOR l IN SELECT s.recid, s.salesid FROM public.salesline AS s
              WHERE s.dataareaid = p_dataareaid AND s.deliveryaddress = ''
              ORDER BY s.recid LIMIT p_limit
    LOOP
        SELECT * INTO t FROM public.salestable AS h
         WHERE h.dataareaid = p_dataareaid AND h.salesid = l.salesid;
        CONTINUE WHEN NOT FOUND;
        UPDATE public.salesline
           SET deliveryaddress = t.deliveryaddress, deliveryname = t.deliveryname,
               deliverystreet = t.deliverystreet, deliveryzipcode = t.deliveryzipcode,
               deliverycity = t.deliverycity, deliverycounty = t.deliverycounty,
               deliverystate = t.deliverystate, deliverycountryregionid = t.deliverycountryregionid
         WHERE recid = l.recid;
        rows_updated := rows_updated + 1;
    END LOOP;
END
$$;
SQL

bare="UPDATE public.salesline AS L
   SET deliveryaddress = T.deliveryaddress, deliveryname = T.deliveryname,
       deliverystreet = T.deliverystreet, deliveryzipcode = T.deliveryzipcode,
       deliverycity = T.deliverycity, deliverycounty = T.deliverycounty,
       deliverystate = T.deliverystate, deliverycountryregionid = T.deliverycountryregionid
  FROM public.salestable AS T
 WHERE L.dataareaid = 'dat' AND L.deliveryaddress = '' AND T.dataareaid = 'dat' AND T.salesid = L.salesid;
UPDATE public.custinvoicetrans AS C
   SET dlvcountryregionid = T.deliverycountryregionid, dlvcounty = T.deliverycounty, dlvstate = T.deliverystate
  FROM public.salestable AS T
 WHERE C.dataareaid = 'dat' AND C.dlvcountryregionid = '' AND T.dataareaid = 'dat' AND T.salesid = C.salesid;
UPDATE public.custpackingsliptrans AS C
   SET dlvcountryregionid = T.deliverycountryregionid, dlvcounty = T.deliverycounty, dlvstate = T.deliverystate
  FROM public.salestable AS T
 WHERE C.dataareaid = 'dat' AND C.dlvcountryregionid = '' AND T.dataareaid = 'dat' AND T.salesid = C.salesid"
proc="CALL public.updatesalesandtranslinedlvaddress('dat')"
loop="CALL public.bench_update_rowbyrow('dat', $loop_rows)"

time_one() { bench_rolled_back "$1" "$2" public.salesline public.custinvoicetrans public.custpackingsliptrans; }

: > "$raw"
time_one warmup "$bare" >/dev/null
bench_alternate "$rounds" bare "$bare" proc "$proc" >> "$raw"
time_one loop "$loop" >> "$raw"

# The client-driven loop: the statements, written out first, then sent one
# by one (psql -f sends each statement on its own and waits for its result).
client="$UPKIT_BENCH_OUT/70-update.client.sql"
{
  echo "BEGIN;"
  q -c "SELECT format(E'SELECT * FROM public.salestable WHERE dataareaid = %L AND salesid = %L;\\n'
                      'UPDATE public.salesline SET deliveryaddress = %L, deliveryname = %L, deliverystreet = %L, '
                      'deliveryzipcode = %L, deliverycity = %L, deliverycounty = %L, deliverystate = %L, '
                      'deliverycountryregionid = %L WHERE recid = %s;',
                      'dat', l.salesid, t.deliveryaddress, t.deliveryname, t.deliverystreet, t.deliveryzipcode,
                      t.deliverycity, t.deliverycounty, t.deliverystate, t.deliverycountryregionid, l.recid)
          FROM public.salesline AS l JOIN public.salestable AS t ON t.dataareaid = 'dat' AND t.salesid = l.salesid
         WHERE l.dataareaid = 'dat' AND l.deliveryaddress = '' ORDER BY l.recid LIMIT $client_rows"
  echo "ROLLBACK;"
} > "$client"
t0=$(date +%s%N)
psql -X -q -v ON_ERROR_STOP=1 -f "$client" >/dev/null
t1=$(date +%s%N)
q -c "VACUUM public.salesline" >/dev/null
echo "client|$(( (t1 - t0) / 1000000 ))|$client_rows" >> "$raw"
# What the bare statements update, counted the same way (they print no count).
want=$(q -c "SELECT (SELECT count(*) FROM public.salesline AS L JOIN public.salestable AS T
                       ON T.dataareaid = 'dat' AND T.salesid = L.salesid
                      WHERE L.dataareaid = 'dat' AND L.deliveryaddress = '')
                  + (SELECT count(*) FROM public.custinvoicetrans WHERE dataareaid = 'dat' AND dlvcountryregionid = '')
                  + (SELECT count(*) FROM public.custpackingsliptrans WHERE dataareaid = 'dat' AND dlvcountryregionid = '')")
lines=$(q -c "SELECT count(*) FROM public.salesline WHERE dataareaid = 'dat' AND deliveryaddress = ''")

awk -F'|' -v rounds="$rounds" -v loop_rows="$loop_rows" -v client_rows="$client_rows" -v want="$want" -v lines="$lines" '
  function median(a, n,    i, j, t) {
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  $1 == "bare" { b[++nb] = $2 }
  $1 == "proc" { p[++np] = $2; if (prows != "" && prows != $3) bad = 1; prows = $3 }
  $1 == "loop" { lms = $2; lrows = $3 }
  $1 == "client" { cms = $2; crows = $3 }
  END {
    if (prows != want) { printf "bench: the procedure updated %s rows, the bare statements %s\n", prows, want > "/dev/stderr"; exit 1 }
    mb = median(b, nb); mp = median(p, np)
    prate = prows / (mp / 1000); brate = want / (mb / 1000); lrate = lrows / (lms / 1000); crate = crows / (cms / 1000)
    printf "## Set-based update: the delivery address, a million sales lines\n\n"
    printf "The reference'"'"'s delivery-address update (Appendix 1, 24 minutes row by row,\n"
    printf "16 seconds set-based), `tests/fixtures/updel/deliveryaddress.json`: SALESLINE\n"
    printf "(1,000,000 rows), CUSTINVOICETRANS and CUSTPACKINGSLIPTRANS (100,000 each) take\n"
    printf "the delivery address of their SALESTABLE order (200,000, unique index on\n"
    printf "DATAAREAID, SALESID) in three statements. Companies dat and ceu hold half of\n"
    printf "each table; company dat is updated: %d sales lines without an address and\n", lines
    printf "every invoice and packing slip line, %d rows in all. Each run is rolled back\n", want
    printf "and the targets vacuumed after it; the procedure and the bare statements\n"
    printf "alternate; medians of %d rounds; no parallel workers, no JIT.\n\n", rounds
    printf "| variant | rows | median ms | rows/s | ratio |\n| --- | ---: | ---: | ---: | ---: |\n"
    printf "| the three `UPDATE ... FROM` by hand, company as a literal (the limit) | %d | %.0f | %.0f | 1.00x |\n", want, mb, brate
    printf "| `CALL updatesalesandtranslinedlvaddress(%s)` | %d | %.0f | %.0f | **%.2fx** of the bare statements |\n", "'"'"'dat'"'"'", prows, mp, prate, mp / mb
    printf "| row-by-row loop: per sales line, a look-up of its order and an UPDATE by RECID | %d | %.0f | %.0f | set-based is **%.0fx** faster per row |\n", lrows, lms, lrate, prate / lrate
    printf "| the same loop from a client, one round trip per statement | %d | %.0f | %.0f | set-based is **%.0fx** faster per row |\n", crows, cms, crate, prate / crate
    printf "\nGoal: within 1.1x of the bare statements (measured %.2fx: %s). The loop ran\n", mp / mb, (mp / mb <= 1.1 ? "met" : "NOT met")
    printf "on the first %d sales lines in one transaction, server-side, with no client\n", loop_rows
    printf "round trip per row; the client loop on the first %d, two statements per line\n", client_rows
    printf "sent one by one from psql over the unix socket (psql start included), closer\n"
    printf "to the X++ loop, which pays an AOS-to-database round trip per statement. Their\n"
    printf "rates are per row. Both write one row per statement, so the set-based gain is\n"
    printf "the per-statement overhead; the writes themselves (WAL, indexes) cost the same.\n"
  }' "$raw" > "$out"
cat "$out"
