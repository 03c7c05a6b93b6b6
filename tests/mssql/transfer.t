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
# refused with both ranges, an unknown sequence.  The rest of the transfer is
# PostgreSQL to PostgreSQL so far (docs/transfer.md, "SQL Server: what
# remains"); tests/transfer/transfer.t tests the address and credential
# errors without a server.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
. "$(dirname "$0")/lib.sh"
cd "$TOP"

plan 15
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
