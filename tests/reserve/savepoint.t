#!/usr/bin/env bash
# Issue 8, item 1: a ROLLBACK TO SAVEPOINT must never make a RECID that was
# handed out available again.  The AX tables are created in the transaction
# that reserves (the in-transaction path of reserve.c), a savepoint is rolled
# back, the transaction commits, and then:
#  - another session's reserve_recids must not return the rolled-back range;
#  - a guard-numbered row from before the rollback and a transactional range
#    taken after the commit must not share a RECID (two rows with one RECID);
#  - a table created inside the rolled-back savepoint leaves nothing behind
#    that later reservations trip over.
# Once without and once with upkit in shared_preload_libraries.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
. "$(dirname "$0")/lib.sh"
: "${PGHOST:?run this through tests/harness/with-cluster.sh}"

plan 14
trap 'restore_cluster' EXIT
db=upkit_reserve_savepoint

for preload in "$PRELOAD_WITHOUT" "$PRELOAD_WITH"; do
  label="without preload"; [ "$preload" = "$PRELOAD_WITH" ] && label="with preload"
  restart_cluster "$preload"
  psql -qAtX -v ON_ERROR_STOP=1 -d postgres -c "SET client_min_messages = warning" \
    -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
  q $db "CREATE EXTENSION upkit" >/dev/null

  # The issue's reproduction, word for word.
  first=$(psql -qAtX -v ON_ERROR_STOP=1 -d $db <<'SQL'
BEGIN;
SELECT upkit.create_ax_tables() IS NULL AS made;
SAVEPOINT a;
SELECT upkit.reserve_recids(88, 10);
ROLLBACK TO a;
COMMIT;
SQL
)
  first=$(printf '%s\n' "$first" | sed -n 2p)
  is "$first" 5637144576 "$label: inside the savepoint the range starts at 5637144576"
  is "$(q $db "SELECT nextval >= $first + 10 FROM systemsequences WHERE id = -1 AND tabid = 88")" t \
    "$label: the committed NEXTVAL lies beyond the rolled-back range"
  second=$(q $db "SELECT upkit.reserve_recids(88, 10)")
  ok "$label: after ROLLBACK TO and COMMIT another session gets a range beyond it (got $second)" \
    test "$second" -ge $((first + 10))

  # The variant: the guard takes its block inside a savepoint that is rolled
  # back and numbers a row from it after the rollback; then a generated
  # insert (a transactional range) writes to the same table.
  run psql -qAtX -v ON_ERROR_STOP=1 -d $db <<'SQL'
BEGIN;
CREATE TABLE g89 (recid bigint, note text);
CREATE TRIGGER recid_guard BEFORE INSERT ON g89 FOR EACH ROW EXECUTE FUNCTION upkit.recid_guard(89);
DROP TABLE systemsequences, numbersequencetable;
SELECT upkit.create_ax_tables();
SAVEPOINT b;
INSERT INTO g89 (note) VALUES ('rolled back');
ROLLBACK TO b;
INSERT INTO g89 (note) VALUES ('after the rollback');
COMMIT;
SQL
  is "$rc" 0 "$label: guarded inserts around a rolled-back savepoint in a new SYSTEMSEQUENCES commit"
  [ "$rc" -eq 0 ] || diag "$err"
  q $db "ALTER TABLE g89 DISABLE TRIGGER recid_guard" >/dev/null   # as a generated insert's target
  q $db "INSERT INTO g89 (recid, note) SELECT upkit.reserve_recids_transactional(89, 2) + g, 'transactional' FROM generate_series(0, 1) g" >/dev/null
  is "$(q $db "SELECT count(*) - count(DISTINCT recid) FROM g89")" 0 \
    "$label: no two rows of the guarded table share a RECID"

  # A SYSTEMSEQUENCES created inside a savepoint that is rolled back: the
  # outer transaction commits, the next table starts afresh and cleanly.
  run psql -qAtX -v ON_ERROR_STOP=1 -d $db <<'SQL'
BEGIN;
DROP TABLE systemsequences, numbersequencetable;
SAVEPOINT c;
SELECT upkit.create_ax_tables();
SELECT upkit.reserve_recids(90, 10);
ROLLBACK TO c;
SELECT upkit.create_ax_tables();
SELECT upkit.reserve_recids(90, 5);
COMMIT;
SQL
  is "$rc" 0 "$label: a SYSTEMSEQUENCES made and dropped inside a savepoint leaves no trace that fails the commit"
  [ "$rc" -eq 0 ] || diag "$err"
  is "$(q $db "SELECT nextval FROM systemsequences WHERE id = -1 AND tabid = 90")" 5637144581 \
    "$label: the table that stayed counts only its own reservation"
done
done_testing
