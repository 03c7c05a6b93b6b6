#!/usr/bin/env bash
# recid.t: RECID safety after a copy, with and without upkit preloaded.
# upkit.raise_recid_floor raises NEXTVAL (never lowers it, makes a missing
# row) and drops the shared cache's block for the table; the collision it
# prevents is shown first: with upkit preloaded, a raw UPDATE of NEXTVAL
# leaves the cache handing out RECIDs from its older block, below the new
# NEXTVAL, where copied rows are.  Then upkit copy itself makes the target
# safe.  The cluster is restarted with and without the preload and put back
# as make test started it.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
. "$TOP/tests/reserve/lib.sh"
: "${PGHOST:?run through tests/harness/with-cluster.sh}"
trap restore_cluster EXIT
FIX="$TOP/tests/fixtures/copy"
SRC=upkit_recid_src DST=upkit_recid_dst
plan 16

# copied rows: RECIDs 5637144576 + 1 .. 5637144576 + 50000, above one cache block
setup_dbs() {
  fresh_db $DST
  q $DST "INSERT INTO systemsequences (id, tabid, nextval) VALUES (-1, 900, 5637144576)
          ; CREATE TABLE public.sqldictionary (tableid integer, fieldid integer, name varchar(40), sqlname varchar(40))
          ; INSERT INTO public.sqldictionary VALUES (900, 0, 'LEDGERTRANS', 'LEDGERTRANS')
          ; CREATE TABLE public.ledgertrans (recid bigint NOT NULL, amount numeric(32,16))" >/dev/null
  psql -qAtX -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $SRC" -c "CREATE DATABASE $SRC" >/dev/null
  q $SRC "CREATE TABLE ledgertrans (recid bigint NOT NULL, amount numeric(32,16));
          INSERT INTO ledgertrans SELECT 5637144576 + g, g FROM generate_series(1, 50000) g" >/dev/null
}
max=$((5637144576 + 50000))

for mode in with without; do
  if [ $mode = with ]; then restart_cluster "$PRELOAD_WITH"; else restart_cluster "$PRELOAD_WITHOUT"; fi
  setup_dbs
  # A reservation before the copy: preloaded, the cache now holds a block.
  q $DST "SELECT upkit.reserve_recids(900, 1)" >/dev/null
  if [ $mode = with ]; then
    # The collision: a raw UPDATE, and the cache hands out an old RECID.
    q $DST "UPDATE systemsequences SET nextval = $max + 1 WHERE id = -1 AND tabid = 900" >/dev/null
    got=$(q $DST "SELECT upkit.reserve_recids(900, 1)")
    ok "preloaded, after a raw UPDATE the cache still hands out $got, below the new NEXTVAL (the collision)" test "$got" -le "$max"
    q $DST "SELECT upkit.raise_recid_floor(900, $max + 1)" >/dev/null
    got=$(q $DST "SELECT upkit.reserve_recids(900, 1)")
    ok "preloaded, after raise_recid_floor the next RECID $got is above the copied rows" test "$got" -gt "$max"
    q $DST "UPDATE systemsequences SET nextval = 5637144577 WHERE id = -1 AND tabid = 900" >/dev/null
    q $DST "SELECT upkit.reserve_recids(900, 1)" >/dev/null
  else
    q $DST "SELECT upkit.raise_recid_floor(900, 5637144000)" >/dev/null
    is "$(q $DST "SELECT nextval FROM systemsequences WHERE tabid = 900")" 5637144577 "raise_recid_floor never lowers NEXTVAL"
    is "$(q $DST "SELECT upkit.raise_recid_floor(901, 5637200000)") $(q $DST "SELECT nextval FROM systemsequences WHERE tabid = 901")" "5637200000 5637200000" "a table without a row gets one at the floor"
  fi
  # The copy raises NEXTVAL through the function.
  run "$UPKIT" copy --source "dbname=$SRC" --target "dbname=$DST"
  is "$rc" 0 "$mode preload: the copy succeeds"
  like "$out" "RECID: raised NEXTVAL of table id 900 from [0-9]+ to $((max + 1)) \(largest RECID $max\)" "$mode preload: the copy reports the raise"
  got=$(q $DST "SELECT upkit.reserve_recids(900, 1)")
  ok "$mode preload: the next RECID after the copy ($got) collides with no copied row" test "$got" -gt "$max"
  is "$(q $DST "SELECT count(*) FROM public.ledgertrans WHERE recid = $got")" 0 "$mode preload: no copied row has it"
  run "$UPKIT" copy --source "dbname=$SRC" --target "dbname=$DST"
  like "$out" "RECID: NEXTVAL [0-9]+ is above the largest RECID $max" "$mode preload: a re-run finds it safe and leaves it"
done
is "$(q $DST "SELECT upkit.raise_recid_floor(900, 0)" 2>&1 | head -1)" "ERROR:  upkit.raise_recid_floor: floor must be at least 1, not 0" "floor below 1: an error"
like "$(q $DST "SELECT upkit.raise_recid_floor(NULL, 1)" 2>&1 | head -1)" "must not be NULL" "NULL: an error"
done_testing
