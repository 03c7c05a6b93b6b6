#!/usr/bin/env bash
# Proof of no duplicates under concurrency: 8 libpq sessions reserve
# random-sized ranges 10,000 times in all (tests/tools/reserve_stress.c),
# half of the sessions rolling back every second transaction, and every
# fifth transaction also inserts rows numbered by upkit.recid_guard for the
# same TABID.  Run once without and once with upkit in
# shared_preload_libraries (the shared block cache).  Asserts:
#  - no two ranges that were handed out overlap (committed or rolled back);
#  - the committed ones are exactly the log table's rows, which do not overlap;
#  - NEXTVAL lies beyond every range;
#  - the guard's RECIDs are distinct, outside every range, below NEXTVAL.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
. "$(dirname "$0")/lib.sh"
: "${PGHOST:?run this through tests/harness/with-cluster.sh}"
[ -x "$STRESS" ] || { echo "1..0 # SKIP $STRESS not built (make check-tests)"; exit 0; }

plan 32
csv=$(mktemp); trap 'rm -f "$csv"; restore_cluster' EXIT
db=upkit_reserve_conc
tabid=900

for preload in "$PRELOAD_WITHOUT" "$PRELOAD_WITH"; do
  label="without preload"; [ "$preload" = "$PRELOAD_WITH" ] && label="with preload (shared cache)"
  restart_cluster "$preload"
  is "$(q postgres "SHOW shared_preload_libraries")" "$preload" "$label: the cluster runs with shared_preload_libraries='$preload'"
  # The pgTAP files of the reservation functions, in this configuration too
  # (make test runs them once as it started the cluster).
  run prove --norc --source pgTAP --pgtap-option "dbname=${UPKIT_TEST_DB:-upkit_test}" --pgtap-option "username=$PGUSER" \
    --pgtap-option "host=$PGHOST" --pgtap-option "port=$PGPORT" --pgtap-option suffix=.pg \
    "$TOP/tests/pg/reserve_recids.pg" "$TOP/tests/pg/recid_guard.pg" "$TOP/tests/pg/reserve_numbers.pg" \
    "$TOP/tests/pg/reserve_recids_transactional.pg"
  is "$rc" 0 "$label: the pgTAP tests of reserve_recids, recid_guard and reserve_numbers pass"
  [ "$rc" -eq 0 ] || diag "$out"
  fresh_db $db
  q $db "CREATE TABLE guarded (session int, k int, recid bigint);
         CREATE TRIGGER recid_guard BEFORE INSERT ON guarded FOR EACH ROW EXECUTE FUNCTION upkit.recid_guard($tabid)" >/dev/null

  run env PGDATABASE=$db "$STRESS" stress -t $tabid -s 8 -n 10000 -g guarded
  is "$rc" 0 "$label: 8 sessions made their reservations without an error"
  [ "$rc" -eq 0 ] || diag "$err"
  printf '%s\n' "$out" > "$csv"
  load_ranges $db "$csv"
  is "$(q $db "SELECT count(*) FROM handed_out")" 10000 "$label: 10,000 ranges were handed out"
  is "$(overlaps $db handed_out)" 0 "$label: no two handed-out ranges overlap, committed or rolled back"
  is "$(q $db "SELECT (SELECT count(*) FROM handed_out WHERE outcome = 'committed') = (SELECT count(*) FROM reserve_log)
                  AND NOT EXISTS (SELECT start_recid, n FROM handed_out WHERE outcome = 'committed'
                                  EXCEPT SELECT start_recid, n FROM reserve_log)")" t \
     "$label: the committed ranges are exactly the log table's rows"
  is "$(overlaps $db reserve_log)" 0 "$label: no two committed ranges in the log table overlap"
  is "$(q $db "SELECT nextval > (SELECT max(start_recid + n - 1) FROM handed_out) FROM systemsequences WHERE id = -1 AND tabid = $tabid")" t \
     "$label: NEXTVAL lies beyond every range"
  is "$(q $db "SELECT count(*) = count(DISTINCT recid) AND count(*) = count(recid) AND count(*) > 0 FROM guarded")" t \
     "$label: every guarded row got a RECID, no two alike"
  # (the ranges do not overlap, checked above: the one starting last at or
  # before a RECID is the only one that can hold it)
  q $db "CREATE INDEX ON handed_out (start_recid)" >/dev/null
  is "$(q $db "SELECT count(*) FROM guarded g, LATERAL (SELECT start_recid, n FROM handed_out
                 WHERE start_recid <= g.recid ORDER BY start_recid DESC LIMIT 1) h
                WHERE g.recid < h.start_recid + h.n")" 0 \
     "$label: no RECID the guard's blocks handed out lies in a reserved range"

  # A table's first reservation makes its SYSTEMSEQUENCES row: 8 sessions
  # racing for 20 fresh TABIDs must neither fail (deadlock) nor overlap.
  : > "$csv"
  fails=0
  for t in $(seq 2001 2020); do
    env PGDATABASE=$db "$STRESS" stress -t $t -s 8 -n 8 -r 0 2>>"$csv.err" | sed "s/\$/,$t/" >> "$csv" || fails=$((fails + 1))
  done
  is "$fails" 0 "$label: 8 sessions racing for a fresh TABID's first row never fail (20 TABIDs)"
  [ "$fails" -eq 0 ] || diag "$(cat "$csv.err")"
  rm -f "$csv.err"
  q $db "CREATE TABLE first_rows (start_recid bigint, n bigint, outcome text, session int, tabid int)" >/dev/null
  psql -qAtX -d $db -c "\\copy first_rows FROM '$csv' WITH (FORMAT csv)" >/dev/null
  is "$(q $db "SELECT count(*) FROM first_rows")" 160 "$label: 160 first-row reservations were made"
  is "$(q $db "SELECT count(*) FROM (SELECT start_recid, n, lead(start_recid) OVER (PARTITION BY tabid ORDER BY start_recid) AS nxt
                 FROM first_rows) r WHERE start_recid + n > nxt")" 0 "$label: no two of them overlap within a TABID"
  is "$(q $db "SELECT count(*) FROM (SELECT s.tabid FROM systemsequences s WHERE s.tabid BETWEEN 2001 AND 2020 GROUP BY s.tabid HAVING count(*) = 1) x")" 20 \
     "$label: every fresh TABID got exactly one SYSTEMSEQUENCES row"

  # One session's ranges as recid_guard sees them, from the cache and from
  # direct advances (with the cache the third range lies below the second).
  res=$(psql -qAtX -v ON_ERROR_STOP=1 -d $db 2>&1 <<'SQL'
CREATE TEMP TABLE g (recid bigint);
CREATE TRIGGER recid_guard BEFORE INSERT ON g FOR EACH ROW EXECUTE FUNCTION upkit.recid_guard(950);
SELECT upkit.suspend_recids(950) IS NULL;
DO $$
DECLARE
  a bigint := upkit.reserve_recids(950, 5);
  b bigint := upkit.reserve_recids(950, 100000);
  c bigint := upkit.reserve_recids(950, 5);
  v bigint;
  accepted int := 0;
  refused int := 0;
  outside int := 0;
BEGIN
  FOREACH v IN ARRAY ARRAY[a, a + 4, b, b + 99999, c, c + 4] LOOP
    BEGIN INSERT INTO g VALUES (v); accepted := accepted + 1;
    EXCEPTION WHEN check_violation THEN NULL; END;
  END LOOP;
  FOREACH v IN ARRAY ARRAY[a - 1, a + 5, b - 1, b + 100000, c - 1, c + 5] LOOP
    CONTINUE WHEN v BETWEEN a AND a + 4 OR v BETWEEN b AND b + 99999 OR v BETWEEN c AND c + 4;
    outside := outside + 1;
    BEGIN INSERT INTO g VALUES (v);
    EXCEPTION WHEN check_violation THEN refused := refused + 1; END;
  END LOOP;
  RAISE NOTICE 'accepted=% refused=%/% third_below_second=%', accepted, refused, outside, c < b;
END $$;
SQL
)
  like "$res" "accepted=6 refused=([0-9]+)/\\1 " "$label: the guard accepts every RECID of a session's ranges and none just outside them"
  if [ "$preload" = "$PRELOAD_WITH" ]; then
    like "$res" "third_below_second=t" "$label: (ranges came out of order, so the guard's sorted insert was used)"
  else
    like "$res" "third_below_second=f" "$label: (ranges came in order)"
  fi
done
done_testing
