#!/usr/bin/env bash
# 30-insert.sh: the generated set-based insert procedure (the worked example,
# sql/demo/specs/salesquotation.json) against
#   * a bare INSERT ... SELECT of the same rows into the same table, RECIDs
#     and ids copied instead of reserved and formatted (the limit), and
#   * a row-by-row PL/pgSQL loop that reserves one RECID and one number,
#     formats the number and inserts one row at a time (the "before"; run on
#     a sample of UPKIT_BENCH_LOOP_ROWS rows and compared per row).
# One million source rows over three companies; one company (a third, less
# the cancelled rows) is inserted.  Each timed statement runs in a
# transaction that is rolled back, followed by a VACUUM of the target, so
# every round starts from the same table; the procedure and the bare insert
# alternate, and medians are compared.
set -euo pipefail
db="$UPKIT_BENCH_DB"
rounds="${UPKIT_BENCH_ROUNDS:-5}"
loop_rows="${UPKIT_BENCH_LOOP_ROWS:-3000}"
out="$UPKIT_BENCH_OUT/30-insert.md"
raw="$UPKIT_BENCH_OUT/30-insert.raw"
export PGDATABASE="$db" PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
q() { psql -X -qAt -v ON_ERROR_STOP=1 "$@"; }

q -v rows=1000000 -f sql/demo/salesquotation-fixture.sql >/dev/null
"${UPKIT:-sqlgen/upkit}" install --dialect pg --no-runtime --db "dbname=$db" sql/demo/specs/salesquotation.json
q -c "VACUUM ANALYZE public.salesquotationtable"

# The "before": what the X++ loop does, server-side, one row at a time.
q <<'SQL'
CREATE OR REPLACE PROCEDURE public.bench_rowbyrow_loop(p_dataareaid text, p_numbersequence text, p_limit bigint,
                                                       INOUT rows_inserted bigint DEFAULT 0)
LANGUAGE plpgsql AS $$
DECLARE
    s record;
    v_recid bigint;
    v_number bigint;
    v_format text;
BEGIN
    rows_inserted := 0;
    FOR s IN SELECT * FROM public.del_smmquotationtable AS d
              WHERE d.dataareaid = p_dataareaid AND d.quotationstatus <> 4
              ORDER BY d.recid LIMIT p_limit
    LOOP
        v_recid := upkit.reserve_recids(1967, 1);
        SELECT r.first_number, r.format INTO v_number, v_format
          FROM upkit.reserve_numbers(p_dataareaid, p_numbersequence, 1) AS r;
        INSERT INTO public.salesquotationtable
               (recid, recversion, dataareaid, quotationid, custaccount, quotationname, quotationstatus,
                currencycode, salesresponsible, quotationexpirydate, createddatetime, origsmmquotationrecid)
        VALUES (v_recid, 1, p_dataareaid, upkit.fn_fmt_numbersequence(v_format, 0, v_number, 0),
                s.custaccount, s.quotationname, s.quotationstatus, COALESCE(s.currencycode, 'EUR'),
                s.salesresponsible, s.expirydate, s.createddatetime, s.recid);
        rows_inserted := rows_inserted + 1;
    END LOOP;
END
$$;
SQL

bare="INSERT INTO public.salesquotationtable
       (recid, recversion, dataareaid, quotationid, custaccount, quotationname, quotationstatus,
        currencycode, salesresponsible, quotationexpirydate, createddatetime, origsmmquotationrecid)
SELECT s.recid + 1000000000000, 1, s.dataareaid, s.quotationid, s.custaccount, s.quotationname,
       s.quotationstatus, COALESCE(s.currencycode, 'EUR'), s.salesresponsible, s.expirydate,
       s.createddatetime, s.recid
  FROM public.del_smmquotationtable AS s
 WHERE s.dataareaid = 'dat' AND s.quotationstatus <> 4"
proc="CALL public.initfromsmmquotationtable('dat', 'SALESQUOT', 'N')"
loop="CALL public.bench_rowbyrow_loop('dat', 'SALESQUOT', $loop_rows)"

# time_one NAME SQL: run SQL in a transaction that is rolled back; print
# "NAME|ms|rows" (rows from the statement's result or command tag).
time_one() {
  local res
  res=$(q -c "SET max_parallel_workers_per_gather = 0" -c "SET jit = off" -c '\timing on' \
          -c "BEGIN" -c "$2" -c "ROLLBACK" 2>&1)
  local ms rows
  # Time lines: BEGIN, the statement, ROLLBACK
  ms=$(printf '%s\n' "$res" | grep '^Time:' | sed -n '2p' | awk '{print $2}')
  rows=$(printf '%s\n' "$res" | grep -E '^[0-9]+$' | head -1 || true)
  [ -n "$ms" ] || { echo "bench: $1 failed: $res" >&2; exit 1; }
  q -c "VACUUM public.salesquotationtable" >/dev/null
  echo "$1|$ms|${rows:-}"
}

: > "$raw"
q -c "SELECT count(*) FROM public.del_smmquotationtable" >/dev/null   # warm the cache
time_one warmup "$bare" >/dev/null
for r in $(seq 1 "$rounds"); do
  if [ $((r % 2)) -eq 1 ]; then
    time_one bare "$bare" >> "$raw"; time_one proc "$proc" >> "$raw"
  else
    time_one proc "$proc" >> "$raw"; time_one bare "$bare" >> "$raw"
  fi
done
time_one loop "$loop" >> "$raw"
bare_rows=$(q -c "SELECT count(*) FROM public.del_smmquotationtable WHERE dataareaid = 'dat' AND quotationstatus <> 4")

awk -F'|' -v rounds="$rounds" -v loop_rows="$loop_rows" -v rows="$bare_rows" '
  function median(a, n,    i, j, t) {
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  $1 == "bare" { b[++nb] = $2 }
  $1 == "proc" { p[++np] = $2; prows = $3 }
  $1 == "loop" { lms = $2; lrows = $3 }
  END {
    mb = median(b, nb); mp = median(p, np)
    lrate = lrows / (lms / 1000); prate = prows / (mp / 1000)
    printf "## Set-based insert: the generated procedure\n\n"
    printf "The worked example (`sql/demo/specs/salesquotation.json`): 1,000,000 rows in\n"
    printf "DEL_SMMQUOTATIONTABLE over three companies; company dat, %d rows, goes to\n", rows
    printf "SALESQUOTATIONTABLE (primary key and a unique index). Each statement runs in a\n"
    printf "transaction that is rolled back, the target is vacuumed after it, the procedure\n"
    printf "and the bare insert alternate; medians of %d rounds; no parallel workers, no JIT.\n\n", rounds
    printf "| variant | rows | median ms | rows/s | ratio |\n| --- | ---: | ---: | ---: | ---: |\n"
    printf "| bare `INSERT ... SELECT` (the limit) | %d | %.0f | %.0f | 1.00x |\n", rows, mb, rows / (mb / 1000)
    printf "| `CALL initfromsmmquotationtable(...)` | %d | %.0f | %.0f | **%.2fx** of the bare insert |\n", prows, mp, prate, mp / mb
    printf "| row-by-row loop (reserve, format, insert per row) | %d | %.0f | %.0f | set-based is **%.0fx** faster per row |\n", lrows, lms, lrate, prate / lrate
    printf "\nGoals: at most 1.3x the bare insert (measured %.2fx: %s); at least 100x faster\n", mp / mb, (mp / mb <= 1.3 ? "met" : "NOT met")
    printf "per row than the loop (measured %.0fx: %s). The loop ran on the first %d rows\n", prate / lrate, (prate / lrate >= 100 ? "met" : "NOT met"), loop_rows
    printf "only; its rate is per row. The procedure counts the rows, reserves both ranges\n"
    printf "once, and inserts with `row_number()` and `upkit.fn_fmt_numbersequence` per row.\n"
  }' "$raw" > "$out"
cat "$out"
