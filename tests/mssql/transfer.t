#!/usr/bin/env bash
# transfer.t: "upkit transfer --mark" on a SQL Server production, in a
# scratch database of its own (skipped without UPKIT_MSSQL; see lib.sh):
# the runtime's [dbo].[UPKIT_TRANSFER_MARK] writes one marker row with the
# NEXTREC of every NUMBERSEQUENCETABLE row and the NEXTVAL of every
# SYSTEMSEQUENCES row (ID = -1) and the largest delta run id, in one
# transaction; the address comes as mssql://USER@HOST[:PORT]/DATABASE and
# the password from UPKIT_TO_PASSWORD.  Then [dbo].[UPKIT_TRANSFER_SYNC_NUMBER],
# the number sequence sync, each case in a transaction rolled back: raised
# to the test system's, never lowered, numbers consumed on both sides
# refused with both ranges, an unknown sequence.
#
# Then a transfer from SQL Server to SQL Server: a second scratch database
# stands for the test system, "restored" from production (the runtime, the
# AX tables and production's marker rows as at the mark), preprocesses
# (a shadow table filled, numbers consumed, delta runs recorded) while
# production moves on (numbers of its own).  The checks first, every problem
# in one run and nothing written: numbers consumed on both systems, a delta
# not complete, columns that differ, an older copy without --replace, and
# no refusal of [dbo].[UPKIT_DELTA_RUN]'s IDENTITY column (the copy's
# INSERT writer keeps its values).  Then the transfer itself: tables copied
# parents first (sys.foreign_keys), the delta runs with their RUN_IDs and
# production's identity current value raised to the largest of them, the
# number sequences synchronised through [dbo].[UPKIT_TRANSFER_SYNC_NUMBER],
# the moved delta state marked not ready, the marker's end recorded, and a
# second transfer from the same marker refused.  tests/transfer/transfer.t
# tests the address and credential errors without a server.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
. "$(dirname "$0")/lib.sh"
cd "$TOP"

plan 38
to="mssql://$UPKIT_MSSQL_USER@$UPKIT_MSSQL/$UPKIT_MSSQL_DATABASE"
mark() { run env UPKIT_TO_PASSWORD="$UPKIT_MSSQL_PASSWORD" "$UPKIT" transfer --mark --to "$to" "$@"; }

mark
like "$rc:$err" "^1:.*UPKIT_TRANSFER_MARK.*install the upkit runtime: upkit install --dialect mssql --runtime" \
     "--mark before the runtime is installed: says to install it"

mssql_install
is "$rc" 0 "upkit install --dialect mssql --runtime (with the marker's procedure and tables)"
[ "$rc" -eq 0 ] || diag "$err"
q "$(cat tests/mssql/ax_tables.sql)
INSERT INTO [dbo].[NUMBERSEQUENCETABLE] ([NUMBERSEQUENCE], [HIGHEST], [NEXTREC], [FORMAT], [DATAAREAID])
VALUES (N'CRM_1', 99999, 1000, N'PTY-#####', N'dat'), (N'CRM_2', 99999, 2000, N'LOC-#####', N'dat');
INSERT INTO [dbo].[SYSTEMSEQUENCES] ([ID], [NEXTVAL], [TABID]) VALUES (-1, 5637144600, 900), (1, 7, 900);"
is "$rc" 0 "the AX tables with two number sequences and a SYSTEMSEQUENCES row"

mark
is "$rc" 0 "--mark on a SQL Server production"
[ "$rc" -eq 0 ] || diag "$err"
like "$out" "^marked production \(.*\): marker [0-9a-f]{32}" "... prints the marker"
id=$(sed -n 's/.*marker \([0-9a-f]\{32\}\)$/\1/p' <<<"$out" | head -1)
q "SET NOCOUNT ON;
SELECT M.[AX_SCHEMA] + N' ' + CONVERT(NVARCHAR(20), M.[LAST_DELTA_RUN]) + N' '
       + CASE WHEN M.[TRANSFER_STARTED_AT] IS NULL THEN N'not-started' ELSE N'started' END
  FROM [dbo].[UPKIT_TRANSFER_MARKER] AS M WHERE M.[MARKER_ID] = N'$id';
SELECT V.[KIND] + N' ' + V.[SEQ_KEY] + N'=' + CONVERT(NVARCHAR(20), V.[VALUE])
  FROM [dbo].[UPKIT_TRANSFER_MARKER_VALUE] AS V WHERE V.[MARKER_ID] = N'$id' ORDER BY V.[KIND], V.[SEQ_KEY];"
is "$out" "dbo 0 not-started
number dat:CRM_1=1000
number dat:CRM_2=2000
recid 900=5637144600" "the marker row and the values at the mark (SYSTEMSEQUENCES ID = -1 only)"

mark
q "SET NOCOUNT ON; SELECT COUNT(*), COUNT(DISTINCT [MARKER_ID]) FROM [dbo].[UPKIT_TRANSFER_MARKER];"
like "$out" "^2.2$" "a second mark is a second marker, with its own id"

mark --schema nosuch
like "$rc:$err" "^1:.*no schema \[nosuch\] in database" "--schema that does not exist: THROW 50600, named"
q "SET NOCOUNT ON; SELECT COUNT(*) FROM [dbo].[UPKIT_TRANSFER_MARKER];"
is "$out" 2 "... and no marker row was written"

# sync_case PROD_NEXTREC SEQUENCE TEST_NEXTREC: production's NEXTREC of CRM_1
# set, the sync called (the marker's value 1000, HIGHEST 50000), then
# production's NEXTREC and HIGHEST; rolled back.
sync_case() {
  q "SET NOCOUNT ON; SET XACT_ABORT OFF; BEGIN TRANSACTION;
UPDATE [dbo].[NUMBERSEQUENCETABLE] SET [NEXTREC] = $1 WHERE [DATAAREAID] = N'dat' AND [NUMBERSEQUENCE] = N'CRM_1';
DECLARE @N BIGINT;
EXEC [dbo].[UPKIT_TRANSFER_SYNC_NUMBER] N'dat', N'$2', 1000, $3, 50000, @N OUTPUT;
SELECT CONVERT(NVARCHAR(20), @N) + N' ' + CONVERT(NVARCHAR(20), N.[HIGHEST])
  FROM [dbo].[NUMBERSEQUENCETABLE] AS N WHERE N.[DATAAREAID] = N'dat' AND N.[NUMBERSEQUENCE] = N'CRM_1';
IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;"
}
sync_case 1000 CRM_1 1005
is "$rc:$out" "0:1005 50000" "sync: production's NEXTREC raised to the test system's, HIGHEST carried over"
sync_case 1003 CRM_1 1000
is "$rc:$out" "0:1003 50000" "sync: never lowered (only production consumed numbers)"
sync_case 1001 CRM_1 1002
like "$rc:$err" "^[1-9].*dat:CRM_1: both systems consumed numbers since the backup \(it was at 1000\): the test system 1000..1001, production 1000..1000" \
     "sync: numbers consumed on both systems refused, both ranges named (50613)"
sync_case 1000 NOPE 1005
like "$rc:$err" "^[1-9].*dat:NOPE does not exist in NUMBERSEQUENCETABLE" "sync: an unknown sequence (50611)"
q "SET NOCOUNT ON; DECLARE @N BIGINT; EXEC [dbo].[UPKIT_TRANSFER_SYNC_NUMBER] N'dat', N'CRM_1', NULL, 1005, 1, @N OUTPUT;"
like "$rc:$err" "^[1-9].*must not be NULL" "sync: a NULL argument (50610)"
q "SET NOCOUNT ON; SELECT CONVERT(NVARCHAR(20), [NEXTREC]) FROM [dbo].[NUMBERSEQUENCETABLE] WHERE [NUMBERSEQUENCE] = N'CRM_1';"
is "$out" 1000 "... every case rolled back"

# ---- a transfer from SQL Server to SQL Server ----
PROD=$UPKIT_MSSQL_DATABASE
TESTDB=${MSSQL_SCRATCH}_t
qh() { run env UPKIT_MSSQL_DATABASE="$MSSQL_HOME_DATABASE" "$MSSQL_QUERY" "$1"; }
qt() { run env UPKIT_MSSQL_DATABASE="$TESTDB" "$MSSQL_QUERY" "$1"; }
testdb_drop() {
  env UPKIT_MSSQL_DATABASE="$MSSQL_HOME_DATABASE" "$MSSQL_QUERY" \
    "IF DB_ID(N'$TESTDB') IS NOT NULL DROP DATABASE [$TESTDB];" >/dev/null 2>&1 || diag "could not drop $TESTDB"
  mssql_scratch_drop
}
trap testdb_drop EXIT
if [ "$MSSQL_ENGINE" = sqlserver ]; then
  qh "CREATE DATABASE [$TESTDB] COLLATE SQL_Latin1_General_CP1_CI_AS;"
else
  qh "CREATE DATABASE [$TESTDB];"
fi
is "$rc" 0 "a second scratch database for the test system"

shadow="CREATE TABLE [dbo].[SHD_CUST] ([DATAAREAID] NVARCHAR(4) NOT NULL, [ACCOUNTNUM] NVARCHAR(20) NOT NULL,
  [PARTY] BIGINT NOT NULL, [RECID] BIGINT NOT NULL CONSTRAINT [PK_SHD_CUST] PRIMARY KEY);"
# production: a third sequence, the shadow with an older row, a table whose columns will differ; marked
q "INSERT INTO [dbo].[NUMBERSEQUENCETABLE] ([NUMBERSEQUENCE], [HIGHEST], [NEXTREC], [FORMAT], [DATAAREAID])
VALUES (N'CRM_3', 99999, 3000, N'X-#####', N'dat');
$shadow
INSERT INTO [dbo].[SHD_CUST] VALUES (N'dat', N'OLD', 1, 1);
CREATE TABLE [dbo].[SHD_DIFF] ([A] INT NOT NULL, [B] INT NULL);"
is "$rc" 0 "production: the shadow (one older row), a third number sequence"
mark
is "$rc" 0 "production marked before its backup"

# the backup restored: the runtime, the AX tables and rows, the marker rows as they are
run env UPKIT_MSSQL_DATABASE="$TESTDB" "$UPKIT" install --dialect mssql --server "$UPKIT_MSSQL" \
  --database "$TESTDB" --user "$UPKIT_MSSQL_USER" --runtime
is "$rc" 0 "the test system: the runtime installed"
qt "$(cat tests/mssql/ax_tables.sql)
INSERT INTO [dbo].[NUMBERSEQUENCETABLE] ([NUMBERSEQUENCE], [HIGHEST], [NEXTREC], [FORMAT], [DATAAREAID])
SELECT [NUMBERSEQUENCE], [HIGHEST], [NEXTREC], [FORMAT], [DATAAREAID] FROM [$PROD].[dbo].[NUMBERSEQUENCETABLE];
INSERT INTO [dbo].[SYSTEMSEQUENCES] ([ID], [NEXTVAL], [TABID]) SELECT [ID], [NEXTVAL], [TABID] FROM [$PROD].[dbo].[SYSTEMSEQUENCES];
$shadow
INSERT INTO [dbo].[SHD_CUST] SELECT * FROM [$PROD].[dbo].[SHD_CUST];
CREATE TABLE [dbo].[SHD_DIFF] ([A] INT NOT NULL);
INSERT INTO [dbo].[UPKIT_TRANSFER_MARKER] ([MARKER_ID], [MARKED_AT], [AX_SCHEMA], [LAST_DELTA_RUN])
SELECT [MARKER_ID], [MARKED_AT], [AX_SCHEMA], [LAST_DELTA_RUN] FROM [$PROD].[dbo].[UPKIT_TRANSFER_MARKER];
INSERT INTO [dbo].[UPKIT_TRANSFER_MARKER_VALUE] ([MARKER_ID], [KIND], [SEQ_KEY], [VALUE])
SELECT [MARKER_ID], [KIND], [SEQ_KEY], [VALUE] FROM [$PROD].[dbo].[UPKIT_TRANSFER_MARKER_VALUE];"
is "$rc" 0 "the test system restored from production's state at the mark"
[ "$rc" -eq 0 ] || diag "$err"

# preprocessing on test (the shadow refilled, CRM_1 and CRM_3 numbers consumed, a delta not finished);
# production moves on (CRM_2 and CRM_3 numbers of its own)
qt "DELETE FROM [dbo].[SHD_CUST];
INSERT INTO [dbo].[SHD_CUST] VALUES (N'dat', N'C1', 1000, 11), (N'dat', N'C2', 1001, 12), (N'dat', N'C3', 1002, 13);
UPDATE [dbo].[NUMBERSEQUENCETABLE] SET [NEXTREC] = 1003 WHERE [NUMBERSEQUENCE] = N'CRM_1';
UPDATE [dbo].[NUMBERSEQUENCETABLE] SET [NEXTREC] = 3002 WHERE [NUMBERSEQUENCE] = N'CRM_3';
INSERT INTO [dbo].[UPKIT_DELTA_STATE] ([SHADOW_TABLE], [DATAAREAID], [SOURCE_TABLE], [NEW_ROWS], [UPDATED_ROWS],
  [DELETED_ROWS], [CHANGED_AT], [READY_TO_COPY]) VALUES (N'dbo.SHD_CUST', N'dat', N'dbo.CUSTTABLE', 2, 0, 0, SYSUTCDATETIME(), 0);"
is "$rc" 0 "preprocessing on the test system"
q "UPDATE [dbo].[NUMBERSEQUENCETABLE] SET [NEXTREC] = 2005 WHERE [NUMBERSEQUENCE] = N'CRM_2';
UPDATE [dbo].[NUMBERSEQUENCETABLE] SET [NEXTREC] = 3001 WHERE [NUMBERSEQUENCE] = N'CRM_3';"
is "$rc" 0 "production moves on"

from="mssql://$UPKIT_MSSQL_USER@$UPKIT_MSSQL/$TESTDB"
xfer() {
  run env UPKIT_FROM_PASSWORD="$UPKIT_MSSQL_PASSWORD" UPKIT_TO_PASSWORD="$UPKIT_MSSQL_PASSWORD" \
    "$UPKIT" transfer --from "$from" --to "$to" --table SHD_CUST --sequence dat:CRM_1 --sequence dat:CRM_2 "$@"
}
xfer --sequence dat:CRM_3 --table SHD_DIFF --explain
like "$rc:$err" "^1:" "the checks find problems: exit 1"
is "$(grep -c 'IDENTITY' <<<"$err" || true)" 0 "... and [dbo].[UPKIT_DELTA_RUN]'s IDENTITY column is none of them"
like "$err" "dat:CRM_3: both systems consumed numbers since the backup \(it was at 3000\): the test system 3000..3001, production 3000..3000" \
     "... numbers consumed on both systems, both ranges"
like "$err" "dbo.SHD_CUST, company dat: the test system's delta is not complete" "... the test system's delta not complete"
like "$err" "dbo.SHD_DIFF: the columns differ" "... columns that differ"
like "$err" "dbo.SHD_CUST: production's copy has 1 rows, an older state: --replace" "... an older copy without --replace"
q "SET NOCOUNT ON; SELECT CONVERT(NVARCHAR(20), COUNT(*)) FROM [dbo].[UPKIT_TRANSFER_MARKER] WHERE [TRANSFER_STARTED_AT] IS NOT NULL;
SELECT CONVERT(NVARCHAR(20), [NEXTREC]) FROM [dbo].[NUMBERSEQUENCETABLE] WHERE [NUMBERSEQUENCE] = N'CRM_1';
SELECT [ACCOUNTNUM] FROM [dbo].[SHD_CUST];"
is "$out" "0
1000
OLD" "... and nothing was changed on production"

# The test system's delta completes: two runs from its identity, one with an
# explicit RUN_ID above them (as a restored system may hold).
qt "INSERT INTO [dbo].[UPKIT_DELTA_RUN] ([SHADOW_TABLE], [DATAAREAID], [SOURCE_TABLE], [STARTED_AT], [FINISHED_AT],
  [NEW_ROWS], [UPDATED_ROWS], [DELETED_ROWS], [OUTCOME])
VALUES (N'dbo.SHD_CUST', N'dat', N'dbo.CUSTTABLE', '2026-01-02 03:04:05.1234567', SYSUTCDATETIME(), 3, 0, 0, 'clean'),
       (N'dbo.SHD_CUST', N'dat', N'dbo.CUSTTABLE', SYSUTCDATETIME(), SYSUTCDATETIME(), 0, 0, 0, 'clean');
SET IDENTITY_INSERT [dbo].[UPKIT_DELTA_RUN] ON;
INSERT INTO [dbo].[UPKIT_DELTA_RUN] ([RUN_ID], [SHADOW_TABLE], [DATAAREAID], [SOURCE_TABLE], [STARTED_AT],
  [FINISHED_AT], [NEW_ROWS], [UPDATED_ROWS], [DELETED_ROWS], [OUTCOME])
VALUES (40, N'dbo.SHD_CUST', N'dat', N'dbo.CUSTTABLE', SYSUTCDATETIME(), SYSUTCDATETIME(), 0, 0, 0, 'clean');
SET IDENTITY_INSERT [dbo].[UPKIT_DELTA_RUN] OFF;
UPDATE [dbo].[UPKIT_DELTA_STATE] SET [READY_TO_COPY] = 1;"
is "$rc" 0 "the test system's delta complete: delta runs 1, 2 and 40 (IDENTITY kept as the runtime makes it)"
[ "$rc" -eq 0 ] || diag "$err"

xfer --replace
is "$rc" 0 "the transfer from SQL Server to SQL Server"
[ "$rc" -eq 0 ] || diag "$err"
like "$err" "transfer: --replace emptied production's copies with a DELETE per table, children first \([0-9]+ tables\)$" \
     "--replace on SQL Server: a DELETE per table, children first (never TRUNCATE TABLE)"
like "$out" "dbo.SHD_CUST .* 3 +1  copied, verified" "the shadow copied and verified"
like "$(grep -n 'UPKIT_VALIDATION_' <<<"$out" | tr '\n' ' ')" "UPKIT_VALIDATION_RUN.*UPKIT_VALIDATION_LOG.*UPKIT_VALIDATION_DETAIL" \
     "the validation log copied parents first (sys.foreign_keys)"
q "SET NOCOUNT ON; SELECT [ACCOUNTNUM] FROM [dbo].[SHD_CUST] ORDER BY [RECID];
SELECT [NUMBERSEQUENCE] + N' ' + CONVERT(NVARCHAR(20), [NEXTREC]) FROM [dbo].[NUMBERSEQUENCETABLE] ORDER BY [NUMBERSEQUENCE];
SELECT CONVERT(NVARCHAR(20), COUNT(*)) FROM [dbo].[UPKIT_DELTA_RUN];
SELECT CONVERT(NVARCHAR(20), COUNT(*)) FROM [dbo].[UPKIT_DELTA_STATE] WHERE [READY_TO_COPY] = 0;
SELECT CONVERT(NVARCHAR(20), COUNT(*)) FROM [dbo].[UPKIT_TRANSFER_MARKER] WHERE [TRANSFER_DONE_AT] IS NOT NULL;"
is "$out" "C1
C2
C3
CRM_1 1003
CRM_2 2005
CRM_3 3001
3
1
1" "production: the test system's rows, CRM_1 raised to the test system's, CRM_2 kept, the delta state not ready, the end recorded"
q "SET NOCOUNT ON;
SELECT CONVERT(NVARCHAR(20), P.[RUN_ID]) + N' ' + CONVERT(NVARCHAR(30), P.[STARTED_AT], 121)
  FROM [dbo].[UPKIT_DELTA_RUN] AS P WHERE P.[NEW_ROWS] = 3;
SELECT CONVERT(NVARCHAR(20), COUNT(*)) FROM [dbo].[UPKIT_DELTA_RUN] AS P
  JOIN [$TESTDB].[dbo].[UPKIT_DELTA_RUN] AS T ON T.[RUN_ID] = P.[RUN_ID] AND T.[STARTED_AT] = P.[STARTED_AT]
   AND T.[FINISHED_AT] = P.[FINISHED_AT] AND T.[OUTCOME] = P.[OUTCOME];
SELECT CONVERT(NVARCHAR(20), IDENT_CURRENT(N'dbo.UPKIT_DELTA_RUN'));"
is "$out" "1 2026-01-02 03:04:05.1234567
3
40" "production's delta runs: the test system's RUN_IDs and datetime2 values kept, the identity current value 40"
q "SET NOCOUNT ON; BEGIN TRANSACTION;
INSERT INTO [dbo].[UPKIT_DELTA_RUN] ([SHADOW_TABLE], [DATAAREAID], [SOURCE_TABLE], [STARTED_AT], [FINISHED_AT],
  [NEW_ROWS], [UPDATED_ROWS], [DELETED_ROWS], [OUTCOME])
VALUES (N'dbo.SHD_CUST', N'dat', N'dbo.CUSTTABLE', SYSUTCDATETIME(), SYSUTCDATETIME(), 0, 0, 0, 'clean');
SELECT CONVERT(NVARCHAR(20), SCOPE_IDENTITY());
ROLLBACK;"
is "$out" 41 "production's next delta run gets RUN_ID 41: no run id handed out twice"
xfer --replace --explain
like "$rc:$err" "^1:.*a transfer from marker [0-9a-f]+ finished on production at .*mark it again" \
     "a second transfer from the same marker is refused"
