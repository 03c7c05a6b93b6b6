#!/usr/bin/env bash
# Crash test: a session reserves ranges in a loop (tests/tools/reserve_stress
# loop), its backend is killed with SIGKILL in the middle, the server
# restarts (crash recovery; the shared cache, when there is one, is gone),
# and reserving again must not hand out any range twice.  Once without and
# once with upkit in shared_preload_libraries; then, with the cache, the
# postmaster itself is killed (cluster.sh kill) and the cluster restarted.
# Afterwards the cluster runs as make test started it.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
. "$(dirname "$0")/lib.sh"
: "${PGHOST:?run this through tests/harness/with-cluster.sh}"
[ -x "$STRESS" ] || { echo "1..0 # SKIP $STRESS not built (make check-tests)"; exit 0; }

plan 19
tmp=$(mktemp -d); trap 'rm -rf "$tmp"; restore_cluster' EXIT
db=upkit_reserve_crash
tabid=910

# wait_for N FILE: until FILE has N lines (30 s at most).
wait_for_lines() {
  local i
  for i in $(seq 300); do
    [ "$(wc -l < "$2")" -ge "$1" ] && return 0
    sleep 0.1
  done
  return 1
}

# Until the server accepts connections again (60 s at most).
wait_for_server() {
  local i
  for i in $(seq 600); do
    psql -qAtX -d postgres -c "SELECT 1" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  return 1
}

# The loop client's backend.
loop_backend() {
  q postgres "SELECT pid FROM pg_stat_activity WHERE application_name = 'reserve_stress' AND datname = '$db'"
}

# reserve_again FILE TAG: reservations after the crash, of sizes that take
# the cache and the direct path, appended to FILE with outcome TAG.
reserve_again() {
  local n
  for n in 1 7 20 3000 1 20000 5; do
    echo "$(q $db "SELECT upkit.reserve_recids($tabid, $n)"),$n,$2,1" >> "$1"
  done
}

# check LABEL FILE TAG: no range in FILE handed out twice, NEXTVAL beyond all.
check() {
  load_ranges $db "$2"
  is "$(q $db "SELECT count(*) FROM handed_out WHERE outcome = '$3'")" 7 "$1: reserving works again after the crash"
  is "$(overlaps $db handed_out)" 0 "$1: no range was handed out twice, before or after the crash"
  is "$(q $db "SELECT nextval > (SELECT max(start_recid + n - 1) FROM handed_out) FROM systemsequences WHERE id = -1 AND tabid = $tabid")" t \
     "$1: NEXTVAL lies beyond every range"
}

for preload in "$PRELOAD_WITHOUT" "$PRELOAD_WITH"; do
  variant=without; [ "$preload" = "$PRELOAD_WITH" ] && variant=with
  label="backend SIGKILL $variant preload"
  restart_cluster "$preload"
  fresh_db $db
  f="$tmp/ranges-$variant.csv"; : > "$f"
  env PGDATABASE=$db "$STRESS" loop -t $tabid > "$f" 2> "$tmp/loop.err" &
  loop=$!
  ok "$label: the loop is reserving" wait_for_lines 200 "$f"
  pid=$(loop_backend)
  ok "$label: its backend was killed with SIGKILL" kill -9 "$pid"
  wait $loop || true
  like "$(cat "$tmp/loop.err")" "stopped after [0-9]+ ranges" "$label: the loop lost its connection mid-run"
  ok "$label: the server came back" wait_for_server
  reserve_again "$f" "after-$variant"
  check "$label" "$f" "after-$variant"
done

# The postmaster itself, with the cache full of blocks.
label="postmaster SIGKILL with preload"
f="$tmp/ranges-postmaster.csv"; : > "$f"
env PGDATABASE=$db "$STRESS" loop -t $tabid > "$f" 2> "$tmp/loop.err" &
loop=$!
wait_for_lines 200 "$f" || true
"$CLUSTER" kill
wait $loop || true
# Its backends notice and exit; until the last one has let go of the shared
# memory the new postmaster refuses to start, so try a few times.
restart_after_kill() {
  local i
  for i in $(seq 30); do
    restart_cluster "$PRELOAD_WITH" 2>/dev/null && return 0
    sleep 0.5
  done
  return 1
}
like "$(cat "$tmp/loop.err")" "stopped after [0-9]+ ranges" "$label: the loop lost its connection mid-run"
ok "$label: the cluster restarts" restart_after_kill
cat "$tmp/ranges-with.csv" >> "$f"
reserve_again "$f" after-postmaster
check "$label" "$f" after-postmaster
done_testing
