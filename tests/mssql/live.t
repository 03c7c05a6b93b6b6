#!/usr/bin/env bash
# live.t: the generated T-SQL live fill (unit LIVE of a delta spec) on a real
# TDS engine, in a scratch database of its own (skipped without UPKIT_MSSQL;
# see lib.sh): refusal inside a caller's transaction (50400) and of bad
# parameters (50402); batching with a commit per batch and the checkpoint;
# idempotence; pause through [dbo].[UPKIT_LIVE_CONTROL] while a call runs, a
# second call refused meanwhile (50403), resume after the pause; the
# control call's errors (50406, 50407); the shared-company case; the delta
# run finding nothing after the fill; a lookup matching two rows (50405).
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
if [ -z "${UPKIT_MSSQL:-}" ]; then skip_all "UPKIT_MSSQL not set: no SQL Server configured"; fi
. "$(dirname "$0")/lib.sh"
cd "$TOP"

plan 19

lines() { printf '%s\n' "$out" | grep -E "^($1)"$'\t' || true; }
state() {
  q "SELECT N'st', $1 FROM [dbo].[UPKIT_LIVE_STATE] WHERE [SHADOW_TABLE] = N'dbo.UPG_CUSTTABLE' AND [DATAAREAID] = N'$2';"
  lines st | cut -f2-
}

q "$(cat tests/fixtures/delta/fixture.mssql.sql)"
is "$rc" 0 "the fixture's tables are in place"
mssql_install tests/fixtures/delta/custtable.json tests/fixtures/delta/currency_shared.json
is "$rc" 0 "upkit install --runtime with two delta specs (their live fills included)"
[ "$rc" -eq 0 ] || diag "$err"

q "BEGIN TRANSACTION; EXEC [dbo].[UPG_DELTA_CUSTTABLE_LIVE] @DATAAREAID = N'dat'; COMMIT;"
like "$err" "cannot run inside a transaction" "inside a caller's transaction: refused (50400)"
q "EXEC [dbo].[UPG_DELTA_CUSTTABLE_LIVE] @DATAAREAID = N'dat', @BATCH_SIZE = 0;"
like "$err" "@BATCH_SIZE must be at least 1" "@BATCH_SIZE 0: refused (50402)"
q "SELECT N'n', COUNT(*) FROM [dbo].[UPKIT_LIVE_STATE];"
is "$(lines n)" "$(printf 'n\t0')" "... and nothing written"

q "DECLARE @R BIGINT, @S VARCHAR(10);
EXEC [dbo].[UPG_DELTA_CUSTTABLE_LIVE] @DATAAREAID = N'ceu', @BATCH_SIZE = 2, @ROWS_DONE = @R OUTPUT, @STATUS = @S OUTPUT;
SELECT N'first', @R, @S;
EXEC [dbo].[UPG_DELTA_CUSTTABLE_LIVE] @DATAAREAID = N'ceu', @ROWS_DONE = @R OUTPUT, @STATUS = @S OUTPUT;
SELECT N'second', @R, @S;"
is "$(lines 'first|second')" "$(printf 'first\t4\tdone\nsecond\t0\tdone')" "ceu in batches of 2: 4 rows; a second call adds nothing"
is "$(state "[BATCHES], [ROWS_DONE], [ROWS_LEFT], [CHECKPOINT_RECID]" ceu)" "$(printf '1\t0\t0\t5637146004')" \
   "... the state of the second call: a new fill, one batch that read the keys and wrote nothing, checkpoint at the last key"

# Pause a running call; a second call meanwhile is refused.
"$MSSQL_QUERY" "EXEC [dbo].[UPG_DELTA_CUSTTABLE_LIVE] @DATAAREAID = N'dat', @BATCH_SIZE = 1, @PAUSE_MS = 1000;" \
  > "$MSSQL_TMP/a.out" 2> "$MSSQL_TMP/a.err" &
bpid=$!
for _ in $(seq 1 300); do
  [ "$(state "[BATCHES]" dat)" ] && [ "$(state "[BATCHES]" dat)" -ge 1 ] && break
  sleep 0.1
done
q "EXEC [dbo].[UPG_DELTA_CUSTTABLE_LIVE] @DATAAREAID = N'dat';"
like "$err" "is already running" "a second call while one runs: refused (50403)"
q "EXEC [dbo].[UPKIT_LIVE_CONTROL] @SHADOW_TABLE = N'dbo.UPG_CUSTTABLE', @DATAAREAID = N'dat', @CONTROL = 'pause';"
is "$out" running "UPKIT_LIVE_CONTROL pause: the fill was running"
wait "$bpid" || true
like "$(cat "$MSSQL_TMP/a.out")" "paused" "the call ends, paused"
done_p=$(state "[ROWS_DONE]" dat)
q "SELECT N'n', COUNT(*) FROM [dbo].[UPG_CUSTTABLE] WHERE [REFDATAAREAID] = N'dat';"
is "$(lines n)" "$(printf 'n\t%s' "$done_p")" "... the shadow has exactly the committed batches' rows ($done_p)"
q "DECLARE @R BIGINT, @S VARCHAR(10);
EXEC [dbo].[UPG_DELTA_CUSTTABLE_LIVE] @DATAAREAID = N'dat', @ROWS_DONE = @R OUTPUT, @STATUS = @S OUTPUT;
SELECT N'resumed', @R, @S;
DECLARE @N BIGINT, @U BIGINT, @D BIGINT;
EXEC [dbo].[UPG_DELTA_CUSTTABLE] @DATAAREAID = N'dat', @NEW_ROWS = @N OUTPUT, @UPDATED_ROWS = @U OUTPUT, @DELETED_ROWS = @D OUTPUT;
SELECT N'delta', @N, @U, @D;"
is "$(lines 'resumed|delta')" "$(printf 'resumed\t6\tdone\ndelta\t0\t0\t0')" \
   "resumed: all 6 rows of dat, and the delta run finds nothing to do"

q "EXEC [dbo].[UPKIT_LIVE_CONTROL] @SHADOW_TABLE = N'dbo.UPG_CUSTTABLE', @DATAAREAID = N'dat', @CONTROL = 'stop';"
like "$err" "@CONTROL must be 'pause' or 'run'" "UPKIT_LIVE_CONTROL with another word: refused (50406)"
q "EXEC [dbo].[UPKIT_LIVE_CONTROL] @SHADOW_TABLE = N'dbo.UPG_CUSTTABLE', @DATAAREAID = N'nope', @CONTROL = 'pause';"
like "$err" "no live fill of dbo.UPG_CUSTTABLE for nope" "... for an unknown fill: refused (50407)"

q "DECLARE @R BIGINT, @S VARCHAR(10);
EXEC [dbo].[UPG_DELTA_CURRENCY_LIVE] @BATCH_SIZE = 1, @ROWS_DONE = @R OUTPUT, @STATUS = @S OUTPUT;
SELECT N'shared', @R, @S;
SELECT N'order', [BATCHES], [CHECKPOINT_DATAAREAID], [CHECKPOINT_RECID] FROM [dbo].[UPKIT_LIVE_STATE]
 WHERE [SHADOW_TABLE] = N'dbo.UPG_CURRENCY';
SELECT N'oth', COUNT(*) FROM [dbo].[UPG_CURRENCY] WHERE [REFDATAAREAID] = N'oth';"
is "$(lines 'shared|order')" "$(printf 'shared\t4\tdone\norder\t4\tdat\t5637147002')" \
   "the shared spec: 4 rows of dat and ceu, one per batch, in the order DATAAREAID, RECID"
is "$(lines oth)" "$(printf 'oth\t0')" "... the company oth is not filled"

# A lookup that matches two rows (a spec error): the batch is rolled back
# (50405), also when it is the company's last, partial batch; this shadow
# has no unique key that would stop the duplicates first.
sed -e 's/UPG_DELTA_CUSTTABLE"/UPG_DELTA_CUSTDUP"/' -e 's/"UPG_CUSTTABLE"/"UPG_CUSTDUP"/' \
  tests/fixtures/delta/custtable.json > "$MSSQL_TMP/custdup.json"
q "CREATE TABLE [dbo].[UPG_CUSTDUP] (
    [REFRECID] BIGINT NOT NULL, [REFDATAAREAID] NVARCHAR(4) NOT NULL, [RECVERSIONID] INT NOT NULL,
    [ACCOUNTNUM] NVARCHAR(20) NULL, [NAME] NVARCHAR(60) NULL, [GROUPNAME] NVARCHAR(60) NULL,
    [CREDITMAX] NUMERIC(32, 16) NULL);
CREATE INDEX [I_UPG_CUSTDUP_REFRECID] ON [dbo].[UPG_CUSTDUP] ([REFRECID]);
INSERT INTO [dbo].[CUSTGROUP] ([RECID], [DATAAREAID], [CUSTGROUP], [NAME])
VALUES (5637160001, N'dup', N'10', N'Retail'), (5637160002, N'dup', N'10', N'Retail again');
INSERT INTO [dbo].[CUSTTABLE] ([RECID], [DATAAREAID], [ACCOUNTNUM], [NAME], [CUSTGROUP])
VALUES (5637160011, N'dup', N'D-1', N'Dup 1', N'10'), (5637160012, N'dup', N'D-2', N'Dup 2', N'10');"
mssql_install "$MSSQL_TMP/custdup.json"
[ "$rc" -eq 0 ] || diag "$err"
q "EXEC [dbo].[UPG_DELTA_CUSTDUP_LIVE] @DATAAREAID = N'dup';"
like "$err" "a lookup matched more than one row" "a lookup matching two rows, in a partial batch: refused (50405)"
q "SELECT N'n', COUNT(*) FROM [dbo].[UPG_CUSTDUP];"
is "$(lines n)" "$(printf 'n\t0')" "... the batch rolled back: no shadow row"
done_testing
