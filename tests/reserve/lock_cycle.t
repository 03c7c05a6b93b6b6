#!/usr/bin/env bash
# A reservation whose committed advance would wait for its own caller through
# another session: session A locks the SYSTEMSEQUENCES row, session B queues
# for an ACCESS EXCLUSIVE lock on the table behind A, then A reserves.  The
# worker waits for B (and for A's row), B waits for A, A waits for the
# worker: A's wait for its worker is a lock wait (issue 8, item 2), so the
# deadlock detector sees the cycle and breaks it with 40P01 instead of a
# hang.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
. "$(dirname "$0")/lib.sh"
: "${PGHOST:?run this through tests/harness/with-cluster.sh}"

plan 3
db=upkit_reserve_lock
fresh_db $db
q $db "INSERT INTO systemsequences (id, tabid, nextval) VALUES (-1, 920, 5637144576)" >/dev/null

out_a=$(mktemp); trap 'rm -f "$out_a"' EXIT
# A: lock the row, wait until B queues, then reserve (a count too large for any cache).
psql -qAtX -d $db > "$out_a" 2>&1 <<'SQL' &
SET statement_timeout = '60s';
BEGIN;
UPDATE systemsequences SET minval = minval WHERE id = -1 AND tabid = 920;
DO $$
BEGIN
  FOR i IN 1..300 LOOP
    EXIT WHEN EXISTS (SELECT 1 FROM pg_locks WHERE NOT granted AND mode = 'AccessExclusiveLock'
                         AND relation = 'systemsequences'::regclass);
    PERFORM pg_sleep(0.1);
  END LOOP;
END $$;
SELECT upkit.reserve_recids(920, 1000000);
ROLLBACK;
SQL
a=$!
sleep 0.5
# B: queue for the table behind A (lock_timeout ends it if A never lets go).
run psql -qAtX -v ON_ERROR_STOP=1 -d $db -c "SET lock_timeout = '30s'" -c "BEGIN" \
  -c "LOCK TABLE systemsequences IN ACCESS EXCLUSIVE MODE" -c "COMMIT"
wait $a || true
like "$(cat "$out_a")" "ERROR: +cannot reserve RECIDs of tabid 920: deadlock detected" \
  "a wait for our own lock through another session is broken by the deadlock detector"
is "$rc" 0 "the other session got its lock once the refused transaction ended"
is "$(q $db "SELECT nextval FROM systemsequences WHERE id = -1 AND tabid = 920")" 5637144576 "the refused reservation moved nothing"
done_testing
