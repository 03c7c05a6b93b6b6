#!/usr/bin/env bash
# install_checks.t: on a real SQL Server (skipped without UPKIT_MSSQL; see
# lib.sh), "upkit install" checks the database before it creates anything:
# an insert spec mapping a missing target column, an insert spec reading a
# missing table, a delta spec whose shadow lacks a mapped column (its inline
# classification function would fail with Msg 207/208 when created), a RECID
# column that is not bigint, and a mapped expression over a missing source
# column; each is reported with file and JSON path, and no object exists
# afterwards.  Then the fixed specs install and report their objects.
# The test creates its own tables (UPKIT_CHK_*) in the scratch database
# lib.sh makes, and lib.sh drops that database at the end.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
if [ -z "${UPKIT_MSSQL:-}" ]; then skip_all "UPKIT_MSSQL not set: no SQL Server configured"; fi
. "$(dirname "$0")/lib.sh"
cd "$TOP"

tmp=$MSSQL_TMP
drop_all="
IF OBJECT_ID(N'[dbo].[UPKIT_CHK_INSERT]', N'P') IS NOT NULL DROP PROCEDURE [dbo].[UPKIT_CHK_INSERT];
IF OBJECT_ID(N'[dbo].[UPKIT_CHK_DELTA]', N'P') IS NOT NULL DROP PROCEDURE [dbo].[UPKIT_CHK_DELTA];
IF OBJECT_ID(N'[dbo].[UPKIT_CHK_DELTA_REPORT]', N'P') IS NOT NULL DROP PROCEDURE [dbo].[UPKIT_CHK_DELTA_REPORT];
IF OBJECT_ID(N'[dbo].[UPKIT_CHK_DELTA_READY]') IS NOT NULL DROP FUNCTION [dbo].[UPKIT_CHK_DELTA_READY];
IF OBJECT_ID(N'[dbo].[UPKIT_CHK_DELTA_CHANGES]') IS NOT NULL DROP FUNCTION [dbo].[UPKIT_CHK_DELTA_CHANGES];
IF OBJECT_ID(N'[dbo].[UPKIT_CHK_SRC]', N'U') IS NOT NULL DROP TABLE [dbo].[UPKIT_CHK_SRC];
IF OBJECT_ID(N'[dbo].[UPKIT_CHK_TGT]', N'U') IS NOT NULL DROP TABLE [dbo].[UPKIT_CHK_TGT];
IF OBJECT_ID(N'[dbo].[UPKIT_CHK_SHADOW]', N'U') IS NOT NULL DROP TABLE [dbo].[UPKIT_CHK_SHADOW];"

plan 17

q "$drop_all
CREATE TABLE [dbo].[UPKIT_CHK_SRC] ([RECID] BIGINT NOT NULL, [RECVERSION] INT NOT NULL,
  [DATAAREAID] NVARCHAR(4) NOT NULL, [NAME] NVARCHAR(60) NULL);
CREATE TABLE [dbo].[UPKIT_CHK_TGT] ([RECID] BIGINT NOT NULL, [RECVERSION] INT NOT NULL,
  [DATAAREAID] NVARCHAR(4) NOT NULL, [NAME] NVARCHAR(60) NULL);
CREATE TABLE [dbo].[UPKIT_CHK_SHADOW] ([REFRECID] BIGINT NOT NULL, [REFDATAAREAID] NVARCHAR(4) NOT NULL,
  [RECVERSIONID] INT NOT NULL, [NAME] NVARCHAR(60) NULL);"
is "$rc" 0 "the test's own tables are created"
[ "$rc" -eq 0 ] || diag "$err"
# The runtime: the delta procedures need its state tables (THROW 50101 without).
mssql_install
is "$rc" 0 "the runtime is installed"
[ "$rc" -eq 0 ] || diag "$err"

insert_spec() { # $1 file, $2 source table, $3 mapped column, $4 expression
  cat > "$1" <<JSON
{ "procedure": { "name": "UPKIT_CHK_INSERT" }, "source": { "table": "$2" },
  "target": { "table": "UPKIT_CHK_TGT", "tabid": 30001 },
  "mapping": [ { "column": "$3", "expr": "$4" } ], "xpp": "// test" }
JSON
}
delta_spec() { # $1 file, $2 mapped shadow column
  cat > "$1" <<JSON
{ "kind": "delta", "procedure": { "name": "UPKIT_CHK_DELTA" }, "source": { "table": "UPKIT_CHK_SRC" },
  "shadow": { "table": "UPKIT_CHK_SHADOW" }, "mapping": [ { "column": "$2", "expr": "S.NAME" } ] }
JSON
}
install() {
  run "$UPKIT" install --dialect mssql --server "$UPKIT_MSSQL" --database "$UPKIT_MSSQL_DATABASE" \
    --user "$UPKIT_MSSQL_USER" --no-runtime "$@"
}
none_created() {
  q "SET NOCOUNT ON; SELECT COUNT(*) FROM sys.objects WHERE name LIKE N'UPKIT[_]CHK[_]%' AND type IN ('P', 'IF', 'FN', 'TF')"
  is "$out" "0" "$1"
}

insert_spec "$tmp/nocol.json" UPKIT_CHK_SRC TITLE S.NAME
install "$tmp/nocol.json"
is "$rc" 1 "insert spec mapping a missing target column: exit 1"
like "$err" "$tmp/nocol.json: \\\$\.mapping\[0\]\.column: mapped target column \"TITLE\" does not exist in table \[dbo\]\.\[UPKIT_CHK_TGT\]" \
     "... names the column, the table and the JSON path"
none_created "... and no procedure exists afterwards"

insert_spec "$tmp/notable.json" UPKIT_CHK_NOSUCH NAME S.NAME
install "$tmp/notable.json"
is "$rc" 1 "insert spec reading a missing table: exit 1"
like "$err" "$tmp/notable.json: \\\$\.source\.table: source table \[dbo\]\.\[UPKIT_CHK_NOSUCH\] does not exist in database $UPKIT_MSSQL_DATABASE" \
     "... names the table"

insert_spec "$tmp/badexpr.json" UPKIT_CHK_SRC NAME S.NAMEX
install "$tmp/badexpr.json"
like "$err" "$tmp/badexpr.json: \\\$\.mapping\[0\]\.expr: SQL Server rejects it: Msg 207" \
     "a mapped expression over a missing source column: SQL Server's own message, with the path"

delta_spec "$tmp/d_nocol.json" TITLE
install "$tmp/d_nocol.json"
is "$rc" 1 "delta spec mapping a missing shadow column: exit 1 (before the inline function is created)"
like "$err" "$tmp/d_nocol.json: \\\$\.mapping\[0\]\.column: mapped shadow column \"TITLE\" does not exist in table \[dbo\]\.\[UPKIT_CHK_SHADOW\]" \
     "... names the column and the shadow table"
none_created "... and no function or procedure exists afterwards"

q "ALTER TABLE [dbo].[UPKIT_CHK_TGT] ALTER COLUMN [RECID] INT NOT NULL;"
insert_spec "$tmp/ok.json" UPKIT_CHK_SRC NAME S.NAME
install "$tmp/ok.json"
like "$err" "\\\$\.target\.table: target RECID column \"RECID\" of table \[dbo\]\.\[UPKIT_CHK_TGT\] is int; it must be bigint" \
     "a RECID column of type int is refused"
q "ALTER TABLE [dbo].[UPKIT_CHK_TGT] ALTER COLUMN [RECID] BIGINT NOT NULL;"

delta_spec "$tmp/d_ok.json" NAME
install "$tmp/ok.json" "$tmp/d_ok.json"
is "$rc" 0 "the fixed specs install"
[ "$rc" -eq 0 ] || diag "$err"
like "$out" "created procedure \[dbo\]\.\[UPKIT_CHK_INSERT\] \(spec $tmp/ok.json\)" "... the report names the insert procedure"
like "$out" "created function \[dbo\]\.\[UPKIT_CHK_DELTA_CHANGES\] \(spec $tmp/d_ok.json\)" "... and the inline function"
like "$out" "created function \[dbo\]\.\[UPKIT_CHK_DELTA_READY\] \(spec $tmp/d_ok.json\)" "... the ready-to-copy check"
like "$out" "installed 6 objects from 2 specs into $UPKIT_MSSQL_DATABASE \(SQL Server at " "... and the summary"
