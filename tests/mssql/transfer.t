#!/usr/bin/env bash
# transfer.t: "upkit transfer --mark" on a SQL Server production, in a
# scratch database of its own (skipped without UPKIT_MSSQL; see lib.sh):
# the runtime's [dbo].[UPKIT_TRANSFER_MARK] writes one marker row with the
# NEXTREC of every NUMBERSEQUENCETABLE row and the NEXTVAL of every
# SYSTEMSEQUENCES row (ID = -1) and the largest delta run id, in one
# transaction; the address comes as mssql://USER@HOST[:PORT]/DATABASE and
# the password from UPKIT_TO_PASSWORD.  The rest of the transfer is
# PostgreSQL to PostgreSQL so far (docs/transfer.md, "SQL Server: what
# remains"); tests/transfer/transfer.t tests the address and credential
# errors without a server.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
. "$(dirname "$0")/lib.sh"
cd "$TOP"

plan 9
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
