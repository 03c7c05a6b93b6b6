#!/usr/bin/env bash
# copy.t: upkit copy with SQL Server sides, on a real TDS engine (skipped
# without UPKIT_MSSQL; see lib.sh).  Self-contained: the source is lib.sh's
# scratch database, the SQL Server target a second scratch database made
# here (dropped on exit), the PostgreSQL target a database of the throwaway
# cluster.  The source holds AX-shaped tables with every type the mapping
# carries (nvarchar with text needing escapes and non-Latin characters,
# empty strings, nchar, int, bigint, numeric(32,16), AX's 1900-01-01 empty
# date, datetime's 1/300 s ticks, smalldatetime, date, uniqueidentifier,
# varbinary, bit, float, real, smallint, tinyint), a shadow table joined
# LEFT with ltrim on a field, and a larger table for ranges.
#
#  - SQL Server to SQL Server (db-lib reader, bcp writer with --batch-size
#    and --table-lock): every table byte for byte (EXCEPT over varbinary
#    casts, both ways), the ledger [dbo].[UPKIT_COPY_LEDGER] done with its
#    counts, NEXTVAL raised by [dbo].[UPKIT_RAISE_RECID_FLOOR], a re-run that
#    copies nothing; an empty string where the target field cannot stand for
#    it is refused naming the field, and leaves nothing;
#  - a target table with an IDENTITY column: --explain names its writer
#    (INSERT under SET IDENTITY_INSERT ON), the copy keeps the source's
#    values of every type (hostile text, empty string and binary, datetime
#    ticks, uniqueidentifier, numeric(32,16), float, bit, smalldatetime,
#    date, bigint's lowest), the identity current value becomes the largest
#    copied one and the next row gets the one after; a re-run copies nothing;
#  - a copier killed (SIGKILL) after its first ranges, then the resume: no
#    half range, no row twice, none lost;
#  - SQL Server to PostgreSQL (COPY text): every value as the mapping table
#    of docs/copy.md says, and the larger table's aggregates.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
if [ -z "${UPKIT_MSSQL:-}" ]; then skip_all "UPKIT_MSSQL not set: no SQL Server configured"; fi
. "$(dirname "$0")/lib.sh"
: "${PGHOST:?run through tests/harness/with-cluster.sh}"
cd "$TOP"

SRC=$MSSQL_SCRATCH
DST=${MSSQL_SCRATCH}_dst
PGDB=upkit_mssql_copy
export UPKIT_SOURCE_PASSWORD=$UPKIT_MSSQL_PASSWORD UPKIT_TARGET_PASSWORD=$UPKIT_MSSQL_PASSWORD
both_drop() {
  mssql_drop_db "$DST"
  mssql_scratch_drop
}
trap both_drop EXIT
qd() { run env UPKIT_MSSQL_DATABASE="$DST" "$MSSQL_QUERY" "$1"; }
pq() { psql -qAtX -v ON_ERROR_STOP=1 -d "$PGDB" -c "$1"; }
src_uri="mssql://$UPKIT_MSSQL_USER@$UPKIT_MSSQL/$SRC"
dst_uri="mssql://$UPKIT_MSSQL_USER@$UPKIT_MSSQL/$DST"
plan 46

# ---- the source ----
TABLES="
CREATE TABLE [dbo].[CUSTTABLE] (
    [RECID]      BIGINT        NOT NULL,
    [DATAAREAID] NVARCHAR(4)   NOT NULL DEFAULT (N''),
    [ACCOUNTNUM] NVARCHAR(20)  NOT NULL DEFAULT (N''),
    [NAME]       NVARCHAR(60)  NOT NULL DEFAULT (N''),
    [CUSTGROUP]  NVARCHAR(10)  NOT NULL DEFAULT (N''),
    [CREDIT]     NUMERIC(32,16) NOT NULL DEFAULT (0),
    [CREATED]    DATETIME      NOT NULL DEFAULT ('1900-01-01'),
    [BLOCKED]    INT           NOT NULL DEFAULT (0),
    [CODE]       NCHAR(3)      NOT NULL DEFAULT (N''),
    [GUID]       UNIQUEIDENTIFIER NULL,
    [PICTURE]    VARBINARY(MAX) NULL,
    [MEMO]       NVARCHAR(MAX) NULL);
CREATE TABLE [dbo].[TYPES] (
    [RECID] BIGINT NOT NULL, [B] BIT NULL, [F] FLOAT NULL, [R] REAL NULL, [S] SMALLINT NULL,
    [T] TINYINT NULL, [D] DATE NULL, [SD] SMALLDATETIME NULL, [N] NUMERIC(12,2) NULL,
    [VC] VARCHAR(10) NULL, [BIN] BINARY(4) NULL);
CREATE TABLE [dbo].[BIGTAB] (
    [RECID] BIGINT NOT NULL PRIMARY KEY, [VAL] INT NOT NULL DEFAULT (0),
    [TXT] NVARCHAR(30) NOT NULL DEFAULT (N''));
CREATE TABLE [dbo].[EMPTYTXT] ([RECID] BIGINT NOT NULL, [TXT] NVARCHAR(10) NULL, [BIN] VARBINARY(10) NULL);
CREATE TABLE [dbo].[SQLDICTIONARY] (
    [TABLEID] INT NOT NULL, [FIELDID] INT NOT NULL, [NAME] NVARCHAR(40) NOT NULL,
    [SQLNAME] NVARCHAR(40) NOT NULL);"
q "$TABLES
CREATE TABLE [dbo].[SHD_CUSTTABLE] (
    [REFRECID] BIGINT NOT NULL, [REFDATAAREAID] NVARCHAR(4) NOT NULL,
    [CUSTGROUP] NVARCHAR(10) NOT NULL, [RECVERSIONID] INT NOT NULL DEFAULT (1));
CREATE TABLE [dbo].[UPKIT_DELTA_STATE] (
    [SHADOW_TABLE] NVARCHAR(257) NOT NULL, [DATAAREAID] NVARCHAR(100) NOT NULL,
    [READY_TO_COPY] BIT NOT NULL);
INSERT INTO [dbo].[UPKIT_DELTA_STATE] VALUES (N'dbo.SHD_CUSTTABLE', N'dat', 1);
INSERT INTO [dbo].[CUSTTABLE] VALUES
 (5637144577, N'dat', N'   C-001', N'Müller ☃ Ærø', N'OLD', -12345.6789012345678901, '2024-05-01T10:11:12.003', 1, N'ab',
  '6F9619FF-8B86-D011-B42D-00C04FC964FF', 0x00FF10, N'tab	and
newline \\ backslash'),
 (5637144578, N'dat', N'C-002', N'', N'OLD', 0, '1900-01-01', 0, N'', NULL, NULL, NULL),
 (5637144579, N'ceu', N'C-003', N'O''Brien', N'KEEP', 99999999999999.9999999999999999, '9999-12-31T23:59:59.997', -5, N'xyz',
  NEWID(), 0x0102, NULL);
INSERT INTO [dbo].[SHD_CUSTTABLE] ([REFRECID], [REFDATAAREAID], [CUSTGROUP]) VALUES
 (5637144577, N'dat', N'NEW'), (5637144578, N'dat', N'NEW2');
INSERT INTO [dbo].[TYPES] VALUES
 (1, 1, 1.0E+308, CAST(3.25 AS REAL), -32768, 255, '0001-01-01', '2079-06-06T23:59:00', -1234567890.12, 'abc', 0xDEADBEEF),
 (2, 0, -2.2250738585072014E-308, NULL, 32767, 0, '9999-12-31', '1900-01-01T00:00:00', 0, 'z', NULL),
 (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
WITH n AS (SELECT TOP (120000) ROW_NUMBER() OVER (ORDER BY a.[object_id]) AS i
             FROM sys.all_columns AS a CROSS JOIN sys.all_columns AS b)
INSERT INTO [dbo].[BIGTAB] ([RECID], [VAL], [TXT])
SELECT 5637144576 + i, CAST(i % 1000 AS INT), N'row ' + CAST(i AS NVARCHAR(20)) FROM n;
INSERT INTO [dbo].[EMPTYTXT] VALUES (1, N'x', 0x01), (2, N'', 0x);
CREATE TABLE [dbo].[EXTRA] ([RECID] BIGINT NOT NULL);
CREATE TABLE [dbo].[IDT] ([RECID] BIGINT NOT NULL, [VAL] INT NOT NULL, [TXT] NVARCHAR(40) NULL,
    [AT] DATETIME NULL, [G] UNIQUEIDENTIFIER NULL, [BIN] VARBINARY(MAX) NULL, [N] NUMERIC(32,16) NULL,
    [F] FLOAT NULL, [B] BIT NULL, [SD] SMALLDATETIME NULL, [D] DATE NULL, [I8] BIGINT NULL);
INSERT INTO [dbo].[IDT] VALUES
  (1, 5, N'it''s ]]; DROP TABLE [x]; -- ä€', '2024-02-29 23:59:59.997', NEWID(), 0x00FF, -12.5, 0.1, 1,
   '2024-01-01 10:30', '1900-01-01', -9223372036854775808),
  (2, 9, N'', '1900-01-01 00:00:00.003', NULL, 0x, 0.0000000000000001, -1e300, 0, NULL, NULL, 5637144576),
  (3, 1042, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO [dbo].[SQLDICTIONARY] VALUES (77, 0, N'CustTable', N'CUSTTABLE'), (88, 0, N'BigTab', N'BIGTAB');"
is "$rc" 0 "the source's tables and rows are in place"
[ "$rc" -eq 0 ] || diag "$err"

# ---- the SQL Server target: the same tables, the runtime, SYSTEMSEQUENCES ----
q "CREATE DATABASE [$DST];"
qd "$TABLES
$(cat tests/mssql/ax_tables.sql)
INSERT INTO [dbo].[SQLDICTIONARY] VALUES (77, 0, N'CustTable', N'CUSTTABLE'), (88, 0, N'BigTab', N'BIGTAB');
INSERT INTO [dbo].[SYSTEMSEQUENCES] ([ID], [NEXTVAL], [TABID]) VALUES (-1, 5637144578, 77);
CREATE TABLE [dbo].[EXTRA] ([RECID] BIGINT NOT NULL, [NEWFIELD] INT NOT NULL DEFAULT (0));
CREATE TABLE [dbo].[IDT] ([RECID] BIGINT NOT NULL, [VAL] INT IDENTITY(1, 1) NOT NULL, [TXT] NVARCHAR(40) NULL,
    [AT] DATETIME NULL, [G] UNIQUEIDENTIFIER NULL, [BIN] VARBINARY(MAX) NULL, [N] NUMERIC(32,16) NULL,
    [F] FLOAT NULL, [B] BIT NULL, [SD] SMALLDATETIME NULL, [D] DATE NULL, [I8] BIGINT NULL);"
is "$rc" 0 "the target database and its tables are in place"
[ "$rc" -eq 0 ] || diag "$err"
run "$UPKIT" copy --source "mssql://$UPKIT_MSSQL_USER@$UPKIT_MSSQL/$SRC" \
  --target "mssql://$UPKIT_MSSQL_USER@$UPKIT_MSSQL/$DST" -t BIGTAB
like "$rc:$err" "^1:upkit: the target has no \[dbo\]\.\[UPKIT_COPY_LEDGER\]: install the upkit runtime there" \
  "without the runtime in the target: refused, saying how to get it"
run "$UPKIT" install --dialect mssql --server "$UPKIT_MSSQL" --database "$DST" --user "$UPKIT_MSSQL_USER" --runtime
is "$rc" 0 "the T-SQL runtime (UPKIT_COPY_LEDGER, UPKIT_RAISE_RECID_FLOOR) is installed in the target"
[ "$rc" -eq 0 ] || diag "$err"

cat >"$MSSQL_TMP/map.json" <<'EOF'
{ "source_schema": "dbo", "target_schema": "dbo",
  "tables": [
    { "table": "CUSTTABLE", "fields": [ { "field": "ACCOUNTNUM", "option": "ltrim" } ],
      "shadow": { "table": "SHD_CUSTTABLE", "join": "left" } },
    { "table": "SQLDICTIONARY", "exception": "do_not_copy" },
    { "table": "UPKIT_DELTA_STATE", "exception": "do_not_copy" } ] }
EOF
copy() { "$UPKIT" copy -m "$MSSQL_TMP/map.json" "$@"; }

# ---- SQL Server to SQL Server ----
run copy --source "$src_uri" --target "$dst_uri" --explain
like "$out" "dbo.CUSTTABLE -> dbo.CUSTTABLE  \[same name\]  to copy" "--explain: CUSTTABLE to copy"
like "$out" "ACCOUNTNUM +-> ACCOUNTNUM +same name, LTRIM  nvarchar\(20\)" "--explain: LTRIM on an nvarchar field"
like "$out" "error: target field NEWFIELD gets no value: the bulk copy into SQL Server sends every field" \
  "--explain: a target field the mapping leaves empty is an error of the table"

like "$out" "dbo.IDT -> dbo.IDT  \[same name\]  to copy
  writer: INSERT under SET IDENTITY_INSERT ON" "--explain: the IDENTITY target gets the INSERT writer"
like "$out" "dbo.TYPES -> dbo.TYPES  \[same name\]  to copy
  writer: bcp \(db-lib bulk copy\)" "--explain: a table without IDENTITY gets bcp"

run copy --source "$src_uri" --target "$dst_uri" --table EMPTYTXT
is "$rc" 1 "an empty string the target field cannot stand for: exit 1"
like "$err" "field TXT: an empty value cannot go through db-lib's bulk copy" "... naming the field and why"
qd "SELECT COUNT(*) FROM [dbo].[EMPTYTXT]; SELECT COUNT(*) FROM [dbo].[UPKIT_COPY_LEDGER] WHERE [TARGET_TABLE] = N'EMPTYTXT' AND [DONE] = 0;"
is "$out" $'0\n1' "... and leaves no row, the range not done"

run copy --source "$src_uri" --target "$dst_uri" --jobs 2 --batch-size 2 --table-lock -t CUSTTABLE -t TYPES -t BIGTAB --split-rows 50000
is "$rc" 0 "SQL Server to SQL Server: exit 0"
[ "$rc" -eq 0 ] || diag "$err" "$out"
like "$out" "CUSTTABLE +CUSTTABLE +3 .*copied, verified" "CUSTTABLE copied and verified"
like "$out" "BIGTAB +BIGTAB +120000 .*copied, verified" "BIGTAB copied and verified"

# same TABLE COLUMNS EXPECTED: the target's rows equal EXPECTED (a SELECT of
# the same columns from the source), byte for byte, both ways.
same() {
  local cols=$2 exp=$3
  qd "SELECT COUNT(*) FROM (SELECT $cols FROM ($exp) AS e EXCEPT SELECT $cols FROM [dbo].[$1]) AS x;
      SELECT COUNT(*) FROM (SELECT $cols FROM [dbo].[$1] EXCEPT SELECT $cols FROM ($exp) AS e) AS y;"
  is "$rc:$out" $'0:0\n0' "$1: the target's rows are the source's, byte for byte"
  [ "$rc" -eq 0 ] || diag "$err"
}
bin() { local s="" c; for c in "$@"; do s+="${s:+, }CAST([$c] AS VARBINARY(MAX)) AS [$c]"; done; echo "$s"; }
same CUSTTABLE "[RECID], $(bin DATAAREAID ACCOUNTNUM NAME CUSTGROUP CODE PICTURE MEMO), [CREDIT], [CREATED], [BLOCKED], [GUID]" \
  "SELECT s.[RECID], s.[DATAAREAID], LTRIM(s.[ACCOUNTNUM]) AS [ACCOUNTNUM], s.[NAME],
          CASE WHEN h.[REFRECID] IS NOT NULL THEN h.[CUSTGROUP] ELSE s.[CUSTGROUP] END AS [CUSTGROUP],
          s.[CREDIT], s.[CREATED], s.[BLOCKED], s.[CODE], s.[GUID], s.[PICTURE], s.[MEMO]
     FROM [$SRC].[dbo].[CUSTTABLE] AS s
     LEFT JOIN [$SRC].[dbo].[SHD_CUSTTABLE] AS h ON h.[REFRECID] = s.[RECID] AND h.[REFDATAAREAID] = s.[DATAAREAID]"
same TYPES "[RECID], [B], [F], [R], [S], [T], [D], [SD], [N], $(bin VC BIN)" "SELECT * FROM [$SRC].[dbo].[TYPES]"
same BIGTAB "[RECID], [VAL], $(bin TXT)" "SELECT * FROM [$SRC].[dbo].[BIGTAB]"

# An IDENTITY column in the target: the INSERT writer keeps the source's
# values (SET IDENTITY_INSERT ON, literals of every type, OFF), and SQL
# Server raises the table's identity current value above them.
run copy --source "$src_uri" --target "$dst_uri" --table IDT
is "$rc" 0 "an IDENTITY target table: exit 0"
[ "$rc" -eq 0 ] || diag "$err" "$out"
like "$out" "IDT +IDT +3 .*copied, verified" "IDT copied and verified"
same IDT "[RECID], [VAL], $(bin TXT BIN), [AT], [G], [N], [F], [B], [SD], [D], [I8]" "SELECT * FROM [$SRC].[dbo].[IDT]"
qd "SELECT IDENT_CURRENT(N'dbo.IDT');
    INSERT INTO [dbo].[IDT] ([RECID], [TXT]) VALUES (4, N'new');
    SELECT [VAL] FROM [dbo].[IDT] WHERE [RECID] = 4;
    DELETE FROM [dbo].[IDT] WHERE [RECID] = 4;"
is "$rc:$out" $'0:1042\n1043' "the identity current value is the largest copied one; the next row gets 1043"
[ "$rc" -eq 0 ] || diag "$err"
run copy --source "$src_uri" --target "$dst_uri" --table IDT
is "$rc" 0 "IDT copied again: exit 0"
like "$out" "IDT +IDT +0 .*copied before; verified" "... copies nothing again"
qd "SELECT COUNT(*) FROM [dbo].[IDT];"
is "$out" 3 "... and no row twice"

qd "SELECT [NAME], DATALENGTH([NAME]) FROM [dbo].[CUSTTABLE] WHERE [RECID] = 5637144578;"
is "$out" $'\t0' "an empty string arrived as the empty string (NOT NULL DEFAULT N'')"
qd "SELECT [TARGET_TABLE], COUNT(*), SUM(CAST([DONE] AS INT)), SUM([ROWS]) FROM [dbo].[UPKIT_COPY_LEDGER]
     WHERE [TARGET_TABLE] IN (N'CUSTTABLE', N'BIGTAB') GROUP BY [TARGET_TABLE] ORDER BY [TARGET_TABLE];"
is "$out" $'BIGTAB\t3\t3\t120000\nCUSTTABLE\t1\t1\t3' "the ledger: BIGTAB in three ranges, every range done with its rows"
qd "SELECT [TABID], [NEXTVAL] FROM [dbo].[SYSTEMSEQUENCES] WHERE [ID] = -1 ORDER BY [TABID];"
is "$out" $'77\t5637144580\n88\t5637264577' "NEXTVAL raised above the largest RECID (and made for BIGTAB) by UPKIT_RAISE_RECID_FLOOR"

run copy --source "$src_uri" --target "$dst_uri" -t CUSTTABLE -t TYPES -t BIGTAB --split-rows 50000
is "$rc" 0 "a re-run: exit 0"
like "$out" "CUSTTABLE +CUSTTABLE +0 .*copied before; verified" "... copies nothing again"
qd "SELECT COUNT(*), COUNT(DISTINCT [RECID]) FROM [dbo].[BIGTAB];"
is "$out" $'120000\t120000' "... and no row twice"

# ---- killed and resumed (SQL Server to SQL Server) ----
qd "TRUNCATE TABLE [dbo].[BIGTAB]; DELETE FROM [dbo].[UPKIT_COPY_LEDGER] WHERE [TARGET_TABLE] = N'BIGTAB';"
"$UPKIT" copy -m "$MSSQL_TMP/map.json" --source "$src_uri" --target "$dst_uri" -t BIGTAB \
  --split-rows 10000 --jobs 1 --batch-size 500 >"$MSSQL_TMP/kill.out" 2>&1 &
copier=$!
done_ranges=0
for _ in $(seq 600); do
  qd "SELECT COUNT(*) FROM [dbo].[UPKIT_COPY_LEDGER] WITH (READPAST) WHERE [TARGET_TABLE] = N'BIGTAB' AND [DONE] = 1;"
  done_ranges=${out:-0}
  [ "$done_ranges" -ge 2 ] 2>/dev/null && break
  kill -0 "$copier" 2>/dev/null || break
  sleep 0.1
done
kill -9 "$copier" 2>/dev/null || true
wait "$copier" 2>/dev/null || true
qd "SELECT COUNT(*) FROM [dbo].[BIGTAB];
    SELECT COALESCE(SUM([ROWS]), 0), SUM(CASE WHEN [DONE] = 0 THEN 1 ELSE 0 END)
      FROM [dbo].[UPKIT_COPY_LEDGER] WHERE [TARGET_TABLE] = N'BIGTAB';"
rows_now=$(sed -n 1p <<<"$out") ledger_rows=$(sed -n 2p <<<"$out" | cut -f1) pending=$(sed -n 2p <<<"$out" | cut -f2)
ok "the copier was killed with ranges left to copy" test "${pending:-0}" -gt 0
is "$rows_now" "$ledger_rows" "after the kill the target holds exactly the rows of the ranges marked done"
run copy --source "$src_uri" --target "$dst_uri" -t BIGTAB --split-rows 10000 --jobs 2
is "$rc" 0 "the resume: exit 0"
[ "$rc" -eq 0 ] || diag "$err" "$out"
same BIGTAB "[RECID], [VAL], $(bin TXT)" "SELECT * FROM [$SRC].[dbo].[BIGTAB]"
qd "SELECT COUNT(*), COUNT(DISTINCT [RECID]) FROM [dbo].[BIGTAB];"
is "$out" $'120000\t120000' "no row twice, none lost"

# ---- SQL Server to PostgreSQL ----
psql -qAtX -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $PGDB" -c "CREATE DATABASE $PGDB" >/dev/null
pq "CREATE EXTENSION upkit;
CREATE TABLE custtable (recid bigint NOT NULL, dataareaid varchar(4) NOT NULL, accountnum varchar(20) NOT NULL,
  name varchar(60) NOT NULL, custgroup varchar(10) NOT NULL, credit numeric(32,16) NOT NULL,
  created timestamp NOT NULL, blocked integer NOT NULL, code char(3) NOT NULL, guid uuid, picture bytea, memo text);
CREATE TABLE types (recid bigint NOT NULL, b boolean, f double precision, r real, s smallint, t smallint, d date,
  sd timestamp, n numeric(12,2), vc varchar(10), bin bytea);
CREATE TABLE bigtab (recid bigint PRIMARY KEY, val integer NOT NULL, txt varchar(30) NOT NULL);
CREATE TABLE emptytxt (recid bigint NOT NULL, txt varchar(10), bin bytea);" >/dev/null
pg_uri="dbname=$PGDB"
cat >"$MSSQL_TMP/map_pg.json" <<'EOF'
{ "source_schema": "dbo", "target_schema": "public",
  "tables": [
    { "table": "CUSTTABLE", "fields": [ { "field": "ACCOUNTNUM", "option": "ltrim" } ],
      "shadow": { "table": "SHD_CUSTTABLE", "join": "left" } } ] }
EOF
run "$UPKIT" copy -m "$MSSQL_TMP/map_pg.json" --source "$src_uri" --target "$pg_uri" -t CUSTTABLE -t TYPES -t BIGTAB -t EMPTYTXT --split-rows 50000 --jobs 2
is "$rc" 0 "SQL Server to PostgreSQL: exit 0"
[ "$rc" -eq 0 ] || diag "$err" "$out"
like "$out" "BIGTAB +bigtab +120000 .*copied, verified" "BIGTAB copied and verified"
is "$(pq "SELECT recid, dataareaid, accountnum, name, custgroup, credit, created, blocked, code, guid, encode(picture, 'hex'), memo
            FROM custtable WHERE recid <> 5637144579 ORDER BY recid")" \
   "5637144577|dat|C-001|Müller ☃ Ærø|NEW|-12345.6789012345678901|2024-05-01 10:11:12.003333|1|ab |6f9619ff-8b86-d011-b42d-00c04fc964ff|00ff10|tab	and
newline \\ backslash
5637144578|dat|C-002||NEW2|0.0000000000000000|1900-01-01 00:00:00|0|   |||" \
   "CUSTTABLE: text, ltrim, shadow, numeric(32,16), datetime ticks, AX's empty date, nchar, uuid, bytea, NULLs"
is "$(pq "SELECT name, custgroup, credit, created, encode(picture, 'hex'), memo IS NULL FROM custtable WHERE recid = 5637144579")" \
   "O'Brien|KEEP|99999999999999.9999999999999999|9999-12-31 23:59:59.996667|0102|t" \
   "... a quote, no shadow row (the source's value), the largest numeric, datetime's last tick"
is "$(pq "SELECT recid, txt = '', txt IS NULL, octet_length(bin) FROM emptytxt ORDER BY recid")" $'1|f|f|1\n2|t|f|0' \
   "EMPTYTXT: an empty string and an empty binary stay empty (not NULL) in COPY text"
is "$(pq "SELECT recid, b, f, r, s, t, d, sd, n, vc, encode(bin, 'hex') FROM types ORDER BY recid")" \
   "1|t|1e+308|3.25|-32768|255|0001-01-01|2079-06-06 23:59:00|-1234567890.12|abc|deadbeef
2|f|-2.2250738585072014e-308||32767|0|9999-12-31|1900-01-01 00:00:00|0.00|z|
3||||||||||" "TYPES: bit, float, real, smallint, tinyint, date, smalldatetime, numeric, varchar, binary, NULLs"
is "$(pq "SELECT count(*), count(DISTINCT recid), sum(val), min(txt), max(recid) FROM bigtab")" \
   "120000|120000|59940000|row 1|5637264576" "BIGTAB: every row once"
is "$(pq "SELECT count(*), sum(rows) FROM upkit.copy_ledger WHERE done")" "6|120008" \
   "the PostgreSQL ledger: every range done, with the rows"
