#!/usr/bin/env bash
# Stress (issue 8): every reservation path at once (reserve_recids,
# reserve_recids_transactional, reserve_numbers, recid_guard inserts) from 6
# sessions, with savepoints, rollbacks to savepoints, rollbacks,
# pg_cancel_backend and pg_terminate_backend (tests/tools/reserve_chaos.c),
# for UPKIT_STRESS_SECONDS in all (default 60): three quarters of it with
# upkit preloaded (the shared cache, blocks of 1000 so that refills are
# frequent), the rest on demand.  Asserts, per configuration:
#  - no failure: no error but cancels, terminations and 40P01, and no
#    statement reached its statement_timeout of 30 s (the bound on a wait);
#  - terminations, cancels and savepoint rollbacks did happen;
#  - no two RECID ranges that stay handed out overlap: every range
#    reserve_recids returned, committed or not, the committed transactional
#    ranges (tx_log) and the committed guard-numbered rows;
#  - NEXTVAL lies beyond every one of them; NEXTREC beyond every committed
#    number range, which do not overlap either;
#  - no TABID is stuck: each serves a small and a large reservation at once.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
. "$(dirname "$0")/lib.sh"
: "${PGHOST:?run this through tests/harness/with-cluster.sh}"
CHAOS="$TOP/build/tests/tools/reserve_chaos"
[ -x "$CHAOS" ] || { echo "1..0 # SKIP $CHAOS not built (make check-tests)"; exit 0; }
seconds=${UPKIT_STRESS_SECONDS:-60}

plan 18
tmp=$(mktemp -d); trap 'rm -rf "$tmp"; restore_cluster' EXIT
db=upkit_reserve_chaos

for preload in "$PRELOAD_WITH" "$PRELOAD_WITHOUT"; do
  # UPKIT_STRESS_SECONDS in all: three quarters preloaded, the rest on demand.
  label="with preload"; secs=$(( seconds * 3 / 4 ))
  [ "$preload" = "$PRELOAD_WITHOUT" ] && { label="without preload"; secs=$(( seconds - seconds * 3 / 4 )); }
  restart_cluster "$preload"
  fresh_db $db
  psql -qAtX -v ON_ERROR_STOP=1 -d $db >/dev/null <<SQL
ALTER DATABASE $db SET upkit.recid_cache_block = 1000;
CREATE TABLE tx_log (tabid int, start_recid bigint, n bigint);
CREATE TABLE num_log (first_number bigint, n bigint);
CREATE TABLE guarded (k int, recid bigint);
CREATE TRIGGER recid_guard BEFORE INSERT ON guarded FOR EACH ROW EXECUTE FUNCTION upkit.recid_guard(930);
INSERT INTO numbersequencetable (dataareaid, numbersequence, nextrec, format) VALUES ('dat', 'CHAOS', 1, 'C-##########');
CREATE TABLE ranges (kind text, tabid int, start_recid bigint, n bigint);
SQL
  run env PGDATABASE=$db "$CHAOS" -d "$secs"
  printf '%s\n' "$out" > "$tmp/r.csv"
  summary=$(printf '%s\n' "$err" | tail -n 1)
  is "$rc" 0 "$label, ${secs}s: no failure and no wait reached statement_timeout ($summary)"
  [ "$rc" -eq 0 ] || diag "$(printf '%s\n' "$err" | grep FAILURE | head -n 5)"
  like "$summary" "savepoint_rollbacks=[1-9][0-9]* cancels=[1-9][0-9]* terminations=[1-9]" \
    "$label: savepoints were rolled back, sessions cancelled and terminated"

  psql -qAtX -v ON_ERROR_STOP=1 -d $db -c "\\copy ranges FROM '$tmp/r.csv' WITH (FORMAT csv)" >/dev/null
  q $db "INSERT INTO ranges SELECT 'T', tabid, start_recid, n FROM tx_log;
         INSERT INTO ranges SELECT 'G', 930, recid, 1 FROM guarded" >/dev/null
  is "$(q $db "SELECT count(*) > 0 FROM ranges WHERE kind = 'R'") $(q $db "SELECT count(*) > 0 FROM ranges WHERE kind = 'T'") $(q $db "SELECT count(*) > 0 FROM ranges WHERE kind = 'G'") $(q $db "SELECT count(*) > 0 FROM num_log")" \
    "t t t t" "$label: every path handed something out"
  is "$(q $db "SELECT count(*) FROM (SELECT start_recid, n, lead(start_recid) OVER (PARTITION BY tabid ORDER BY start_recid) AS nxt
                 FROM ranges) r WHERE start_recid + n > nxt")" 0 \
     "$label: no two RECID ranges that stay handed out overlap ($(q $db "SELECT count(*) FROM ranges") ranges)"
  is "$(q $db "SELECT count(*) FROM (SELECT tabid, max(start_recid + n) AS e FROM ranges GROUP BY tabid) r
                 LEFT JOIN systemsequences s ON s.id = -1 AND s.tabid = r.tabid WHERE s.nextval IS NULL OR s.nextval < r.e")" 0 \
     "$label: NEXTVAL lies beyond every range of its TABID"
  is "$(q $db "SELECT count(*) FROM (SELECT first_number, n, lead(first_number) OVER (ORDER BY first_number) AS nxt FROM num_log) r
                 WHERE first_number + n > nxt")" 0 "$label: no two committed number ranges overlap"
  is "$(q $db "SELECT nextrec >= (SELECT max(first_number + n) FROM num_log) FROM numbersequencetable WHERE numbersequence = 'CHAOS'")" t \
     "$label: NEXTREC lies beyond every committed number range"
  stuck=""
  for t in $(q $db "SELECT DISTINCT tabid FROM ranges ORDER BY 1"); do
    psql -qAtX -v ON_ERROR_STOP=1 -d $db -c "SET statement_timeout = '30s'" \
      -c "SELECT upkit.reserve_recids($t, 1)" -c "SELECT upkit.reserve_recids($t, 5000)" >/dev/null 2>&1 || stuck="$stuck $t"
  done
  is "$stuck" "" "$label: no TABID is stuck: each serves reservations within 30 s"
  left=1
  for i in $(seq 300); do   # (a prefetch started just now may still be finishing)
    left=$(q $db "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'upkit recid reservation'")
    [ "$left" -eq 0 ] && break
    sleep 0.1
  done
  is "$left" 0 "$label: no reservation worker is left behind"
done
done_testing
