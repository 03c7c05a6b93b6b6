#!/usr/bin/env bash
# Two sessions: while one holds a transactional reservation, reserve_recids in
# another waits for it and never overlaps it, whether the first commits or
# rolls back.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
plan 4
db=upkit_rt_conc
a_out=$(mktemp)
trap 'rm -f "$a_out"; psql -qAtX -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT
psql -qAtX -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
psql -qAtX -d $db -c "CREATE EXTENSION upkit" -c "SELECT upkit.create_ax_tables()" \
  -c "INSERT INTO systemsequences (id, tabid, nextval) VALUES (-1, 900, 1000)" >/dev/null

# disjoint S1 N1 S2 N2: [S1, S1+N1) and [S2, S2+N2) do not overlap.
disjoint() { [ $(($1 + $2)) -le "$3" ] || [ $(($3 + $4)) -le "$1" ]; }
handed=()   # "start count" of every range that stays handed out
for ending in COMMIT ROLLBACK; do
  # Session A: reserve 100 in its transaction, hold the lock for a moment, end.
  psql -qAtX -d $db -v ON_ERROR_STOP=1 >"$a_out" 2>&1 <<SQL &
BEGIN;
SELECT upkit.reserve_recids_transactional(900, 100);
SELECT pg_sleep(1.5);
$ending;
SQL
  a=$!
  sleep 0.5
  b=$(psql -qAtX -d $db -c "SELECT upkit.reserve_recids(900, 10)")
  wait $a
  a_start=$(head -n 1 "$a_out")
  [ "$ending" = COMMIT ] && handed+=("$a_start 100")
  clash=""
  for r in "${handed[@]}"; do
    set -- $r
    disjoint "$b" 10 "$1" "$2" || clash="$clash [$1, +$2)"
  done
  is "$clash" "" "A ${ending}s [$a_start, +100); B's reserve_recids range [$b, +10) overlaps no range that stays handed out"
  handed+=("$b 10")
  next=$(psql -qAtX -d $db -c "SELECT nextval FROM systemsequences WHERE tabid = 900")
  ok "NEXTVAL $next lies beyond B's range" test "$next" -ge $((b + 10))
done
