#!/usr/bin/env bash
# concurrency.t: one delta run per shadow table and company at a time.  While
# session A's run for dat is uncommitted, session B's run for dat waits on
# the advisory lock and, once A commits, finds nothing (no duplicate shadow
# rows, no error); a run for ceu and the dat report meanwhile go through
# without waiting.  Needs the throwaway cluster (PG* set).
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
cd "$TOP"
: "${PGHOST:?run through tests/harness/with-cluster.sh}"

db=upkit_delta_concurrency
tmp=$(mktemp -d)
bpid=
cleanup() {
  [ -n "$bpid" ] && kill "$bpid" 2>/dev/null || true
  rm -rf "$tmp"
  psql -qAtX -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
}
trap cleanup EXIT
psql -qAtX -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
export PGDATABASE=$db PGOPTIONS="-c search_path=public -c client_min_messages=warning"
psql -qAtX -v ON_ERROR_STOP=1 -c "CREATE EXTENSION upkit" -f tests/fixtures/delta/fixture.sql >/dev/null
"$UPKIT" install --dialect pg tests/fixtures/delta/custtable.json >/dev/null
psql -qAtX -v ON_ERROR_STOP=1 -c "CALL upg_delta_custtable('dat')" -c "CALL upg_delta_custtable('ceu')" >/dev/null
psql -qAtX -v ON_ERROR_STOP=1 -f tests/fixtures/delta/fixture_changes.sql >/dev/null

plan 7

# Session A: a run for dat in an open transaction (a coprocess we talk to).
coproc A { psql -qAtX -v ON_ERROR_STOP=1; }
echo "BEGIN; CALL upg_delta_custtable('dat');" >&"${A[1]}"
read -r -t 60 a_counts <&"${A[0]}" || a_counts="(no answer)"
is "$a_counts" "2|2|1" "session A's run for dat, not yet committed: 2 new, 2 updated, 1 deleted"

# Session B: the same run; it must wait for A.
psql -qAtX -c "CALL upg_delta_custtable('dat')" > "$tmp/b.out" 2> "$tmp/b.err" &
bpid=$!
waiting=0
for _ in $(seq 1 300); do
  n=$(psql -qAtX -c "SELECT count(*) FROM pg_stat_activity
                      WHERE datname = current_database() AND wait_event_type = 'Lock'
                        AND wait_event = 'advisory' AND query LIKE 'CALL upg_delta_custtable(''dat'')%'")
  if [ "$n" = 1 ]; then waiting=1; break; fi
  sleep 0.1
done
is "$waiting" 1 "session B's run for dat waits on the advisory lock while A's run is open"

# Meanwhile other companies and readers are not blocked.
run psql -qAtX -c "CALL upg_delta_custtable('ceu')"
is "$out" "1|1|2" "a run for ceu goes through while A holds dat's lock"
run psql -qAtX -c "SELECT string_agg(change || '=' || row_count, ' ') FROM upg_delta_custtable_report('dat')"
is "$out" "new=2 updated=2 deleted=1" "the dat report goes through too, and sees the state before A commits"

echo "COMMIT;" >&"${A[1]}"
exec {A[1]}>&-
wait "$bpid" || true
bpid=
is "$(cat "$tmp/b.out")" "0|0|0" "after A commits, session B's run finds nothing"
is "$(cat "$tmp/b.err")" "" "... without an error"
run psql -qAtX -c "SELECT count(*) - count(DISTINCT (refrecid, refdataareaid)) FROM upg_custtable"
is "$out" 0 "no shadow row is there twice"
done_testing
