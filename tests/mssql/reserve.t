#!/usr/bin/env bash
# reserve.t: [dbo].[UPKIT_RESERVE_RECIDS], [dbo].[UPKIT_RESERVE_NUMBERS] and
# [dbo].[UPKIT_RAISE_RECID_FLOOR] (with the copy ledger's table) on
# a real TDS engine, in a scratch database of its own (skipped without
# UPKIT_MSSQL; see lib.sh).
#
# Every cases/NAME.sql runs as one batch inside a transaction that is rolled
# back, after ax_tables.sql (which creates SYSTEMSEQUENCES and
# NUMBERSEQUENCETABLE); its rows must equal cases/NAME.out.  Then the
# tables are created for good and four sessions reserve RECIDs at once for
# a table without a row and must get disjoint, gap-free ranges: on SQL
# Server only, since Babelfish ignores the UPDLOCK, HOLDLOCK hints the
# procedures rely on (two sessions can both insert a table's first row, or
# read the same NEXTVAL), so the proof needs a real SQL Server.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
. "$(dirname "$0")/lib.sh"
cd "$TOP"

cases=(tests/mssql/cases/*.sql)
sessions=4 per_session=25
plan $((2 + ${#cases[@]} + 5))

mssql_install
is "$rc" 0 "upkit install --dialect mssql --runtime succeeds"
[ "$rc" -eq 0 ] || diag "$err"
mssql_install
is "$rc" 0 "installing a second time is harmless"

for c in "${cases[@]}"; do
  q "SET NOCOUNT ON; SET XACT_ABORT OFF; BEGIN TRANSACTION;
$(cat tests/mssql/ax_tables.sql)
$(cat "$c")
IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;"
  want=$(cat "${c%.sql}.out")
  if [ "$rc" -eq 0 ] && [ "$out" = "$want" ]; then _tap_result 0 "case $(basename "$c" .sql)"
  else
    _tap_result 1 "case $(basename "$c" .sql)"
    diag "exit $rc" "$err" "$(diff <(printf '%s\n' "$want") <(printf '%s\n' "$out") || true)"
  fi
done

# Concurrency: committed work in the scratch database.
tabid=4090
q "SET NOCOUNT ON;
$(cat tests/mssql/ax_tables.sql)"
is "$rc" 0 "set-up for the concurrent reservations: the AX tables, committed"
if [ "$MSSQL_ENGINE" != sqlserver ]; then
  why="Babelfish ignores UPDLOCK, HOLDLOCK: concurrent reservations need real SQL Server"
  for t in "sessions reserve without an error" "every range start is different" \
           "the ranges are disjoint and contiguous" "one allocator row, NEXTVAL advanced by every reservation"; do
    _tap_result 0 "$t # SKIP $why"
  done
  done_testing
  exit
fi
tmp=$MSSQL_TMP
loop="SET NOCOUNT ON; DECLARE @I INT = 0, @S BIGINT;
WHILE @I < $per_session
BEGIN
    EXEC [dbo].[UPKIT_RESERVE_RECIDS] $tabid, 10, @S OUTPUT;
    SELECT @S;
    SET @I = @I + 1;
END;"
pids=()
for s in $(seq 1 $sessions); do
  "$MSSQL_QUERY" "$loop" >"$tmp/out.$s" 2>"$tmp/err.$s" &
  pids+=($!)
done
failed=0
for s in $(seq 1 $sessions); do
  wait "${pids[$((s - 1))]}" || { failed=1; diag "session $s: $(cat "$tmp/err.$s")"; }
done
is "$failed" 0 "$sessions sessions reserved $per_session ranges of 10 each without an error"

sort -n "$tmp"/out.* > "$tmp/all"
is "$(sort -un "$tmp/all" | wc -l | tr -d ' ')" $((sessions * per_session)) "every range start is different"
# Ranges of 10 that do not overlap and leave no gap: consecutive starts
# differ by exactly 10, from 5637144576 on.
gaps=$(awk 'NR == 1 { if ($1 != 5637144576) print "first " $1 } NR > 1 && $1 - prev != 10 { print prev " -> " $1 } { prev = $1 }' "$tmp/all")
is "$gaps" "" "the ranges are disjoint and contiguous, starting at 5637144576"
q "SELECT COUNT(*), MAX([NEXTVAL]) FROM [dbo].[SYSTEMSEQUENCES] WHERE [TABID] = $tabid AND [ID] = -1;"
is "$out" "$(printf '1\t%s' $((5637144576 + sessions * per_session * 10)))" "one allocator row, NEXTVAL advanced by every reservation"

done_testing
