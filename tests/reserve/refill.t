#!/usr/bin/env bash
# Issue 8, items 2-4: the shared cache's refills (upkit preloaded, blocks of
# 16 RECIDs so that a few reservations of 4 use a block up).  Session B holds
# the SYSTEMSEQUENCES row of the TABID through reserve_recids_transactional,
# so every advance of that row by another transaction waits for B.
#  2. B itself then calls reserve_recids while the cache is dry and another
#     backend's refill waits for B's row: B must get an error the deadlock
#     detector raised (40P01), never sleep unseen until statement_timeout.
#  3. A backend terminated (pg_terminate_backend) while it refills must not
#     leave the TABID stuck: once B ends, reservations go on.
#  4. A reservation that was served must not fail because the prefetch of
#     the next block fails (here: a lock timeout while B holds the row).
# Every statement runs under statement_timeout = 20s, the bound on any wait.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
. "$(dirname "$0")/lib.sh"
: "${PGHOST:?run this through tests/harness/with-cluster.sh}"

plan 12
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; restore_cluster' EXIT
db=upkit_reserve_refill
restart_cluster "$PRELOAD_WITH"
fresh_db $db
q $db "ALTER DATABASE $db SET upkit.recid_cache_block = 16" >/dev/null
q $db "ALTER DATABASE $db SET statement_timeout = '20s'" >/dev/null
q $db "CREATE TABLE go (tabid int)" >/dev/null

# hold_row TABID FILE: session B, in the background: takes the row of TABID
# transactionally, waits for a row TABID in go, then runs the SQL in
# $tmp/then.TABID (if any) and commits.  Prints its output into FILE.
hold_row() {
  local t=$1 f=$2
  { psql -qAtX -d $db <<SQL
BEGIN;
SELECT 'held', upkit.reserve_recids_transactional($t, 1);
DO \$\$ BEGIN
  WHILE NOT EXISTS (SELECT 1 FROM go WHERE tabid = $t) LOOP PERFORM pg_sleep(0.05); END LOOP;
END \$\$;
\\i $tmp/then.$t
COMMIT;
SQL
  } > "$f" 2>&1 &
}
# wait_until SQL: poll (20 s at most) until SQL returns t.
wait_until() {
  local i
  for i in $(seq 400); do
    [ "$(q $db "$1")" = t ] && return 0
    sleep 0.05
  done
  return 1
}
worker_waits='SELECT EXISTS (SELECT 1 FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid
                WHERE a.backend_type = '"'upkit recid reservation'"' AND NOT l.granted)'
held() { wait_until "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE query LIKE '%FROM go WHERE%' AND state = 'active' AND pid <> pg_backend_pid())"; }

# --- 2: the hidden wait ---------------------------------------------------
t=920
q $db "SELECT upkit.reserve_recids($t, 4), upkit.reserve_recids($t, 4)" >/dev/null   # block: 4 left after these
cat > "$tmp/then.$t" <<SQL
SELECT 'b1', upkit.reserve_recids($t, 4);
SELECT 'b2', upkit.reserve_recids($t, 4);
SQL
hold_row $t "$tmp/b.$t"; b=$!
held
# A: the reservation that leaves the block below half starts the refill,
# whose worker then waits for B's row.
psql -qAtX -d $db -c "SELECT 'a', upkit.reserve_recids($t, 4)" > "$tmp/a.$t" 2>&1 &
a=$!
ok "2: the refill's worker waits for B's row lock" wait_until "$worker_waits"
q $db "INSERT INTO go VALUES ($t)" >/dev/null
wait $b || true
wait $a || true
bout=$(cat "$tmp/b.$t")
like "$bout" "^b1\|" "2: B's first reservation is served from what is left of the block"
like "$bout" "deadlock detected" "2: B's reservation on a dry cache ends with the deadlock detector's 40P01"
if printf '%s' "$bout" | grep -q "statement timeout"; then _tap_result 1 "2: B never sleeps until statement_timeout"; diag "$bout"; else _tap_result 0 "2: B never sleeps until statement_timeout"; fi
like "$(cat "$tmp/a.$t")" "^a\|[0-9]+$" "2: A's served reservation returned its range (its refill did not wait for B)"
like "$(q $db "SELECT upkit.reserve_recids($t, 4)")" "^[0-9]+$" "2: afterwards the TABID serves reservations again"

# --- 3: a refiller terminated ---------------------------------------------
t=921
echo "" > "$tmp/then.$t"
hold_row $t "$tmp/b.$t"; b=$!
held
# A: the first reservation of the TABID has to refill, and its worker waits
# for B; A is terminated meanwhile.
psql -qAtX -d $db -c "SELECT 'a', upkit.reserve_recids($t, 4)" > "$tmp/a.$t" 2>&1 &
a=$!
ok "3: the refill's worker waits for B's row lock" wait_until "$worker_waits"
is "$(q $db "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%''a'', upkit.reserve_recids($t%' AND pid <> pg_backend_pid()")" t \
  "3: A, the refilling backend, is terminated"
wait $a || true
q $db "INSERT INTO go VALUES ($t)" >/dev/null
wait $b || true
run psql -qAtX -v ON_ERROR_STOP=1 -d $db -c "SELECT upkit.reserve_recids($t, 4)" -c "SELECT upkit.reserve_recids($t, 4)" \
  -c "SELECT upkit.reserve_recids($t, 4)" -c "SELECT upkit.reserve_recids($t, 4)" -c "SELECT upkit.reserve_recids($t, 4)"
is "$rc" 0 "3: after the terminated refill the TABID serves reservations again (no stuck refill)"
[ "$rc" -eq 0 ] || diag "$err"

# --- 4: a failing prefetch ------------------------------------------------
t=922
q $db "SELECT upkit.reserve_recids($t, 4), upkit.reserve_recids($t, 4)" >/dev/null   # 8 left
echo "" > "$tmp/then.$t"
q $db "ALTER DATABASE $db SET lock_timeout = '300ms'" >/dev/null   # the workers' too
hold_row $t "$tmp/b.$t"; b=$!
held
# This reservation is served (4 left after it) and starts the prefetch,
# whose advance runs into the lock timeout while B holds the row.
run psql -qAtX -v ON_ERROR_STOP=1 -d $db -c "SELECT upkit.reserve_recids($t, 4)"
q $db "ALTER DATABASE $db RESET lock_timeout" >/dev/null
sleep 0.5   # (not an assertion: lets the failed prefetch's worker finish)
q $db "INSERT INTO go VALUES ($t)" >/dev/null
wait $b || true
is "$rc" 0 "4: a served reservation does not fail when the prefetch of the next block fails"
[ "$rc" -eq 0 ] || diag "$err"
served=$out
rest=$(psql -qAtX -v ON_ERROR_STOP=1 -d $db -c "SELECT upkit.reserve_recids($t, 4)" -c "SELECT upkit.reserve_recids($t, 4)")
all=$(printf '%s\n%s\n' "$served" "$rest" | grep -E '^[0-9]+$' | sort -n)
is "$(printf '%s\n' "$all" | awk 'NR > 1 && $1 < prev + 4 { bad++ } { prev = $1 } END { print bad + 0 }')" 0 \
  "4: the served range and the next ones do not overlap"
is "$(q $db "SELECT nextval >= $(printf '%s\n' "$all" | tail -n 1) + 4 FROM systemsequences WHERE id = -1 AND tabid = $t")" t \
  "4: NEXTVAL lies beyond every range"
done_testing
