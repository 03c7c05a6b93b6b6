#!/usr/bin/env bash
# insert.t: the worked example's generated T-SQL procedure on a real SQL
# Server (skipped without UPKIT_MSSQL; see lib.sh).  Self-contained: it
# makes a fresh scratch database upkit_insert_t (dropped first, so it runs
# twice), builds the fixture there (sql/demo/salesquotation-fixture.mssql.sql
# with 30 rows, committed) and installs the runtime and three variants of the
# spec, twice: the worked example ("rerun": insert_missing by
# ORIGSMMQUOTATIONRECID), "refuse" and no key (recorded calls, @FORCE).
# Then: exact RECIDs and numbers, the return value and @ROWS_INSERTED,
# NEXTREC advanced by the row count, the next RECID after the last one used,
# @RJUSTIFY = 'Y' padding to the column's length; a second call that inserts
# only what is missing, refuses (50005) or is refused unless @FORCE = 1
# (50004), each refusal changing nothing; a missing company (50007) or
# number sequence (50008) is an error; and autocommit is refused (50003).
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
if [ -z "${UPKIT_MSSQL:-}" ]; then skip_all "UPKIT_MSSQL not set: no SQL Server configured"; fi
. "$(dirname "$0")/lib.sh"
cd "$TOP"

scratch=upkit_insert_t
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
spec=sql/demo/specs/salesquotation.json
sed -e 's/"insert_missing"/"refuse"/' -e 's/"INITFROMSMMQUOTATIONTABLE"/"INIT_REFUSE"/' "$spec" > "$tmp/refuse.json"
sed -e '/"rerun"/d' -e 's/"INITFROMSMMQUOTATIONTABLE"/"INIT_RECORD"/' "$spec" > "$tmp/record.json"
fixture=$(sed 's/^DECLARE @ROWS INT = 1000000;/DECLARE @ROWS INT = 30;/' sql/demo/salesquotation-fixture.mssql.sql)
plan 24

# A fresh scratch database (from the configured one), then everything there.
mssql_scratch "$scratch"
q "$fixture
UPDATE [dbo].[SYSTEMSEQUENCES] SET [NEXTVAL] = 5637150000 WHERE [ID] = -1 AND [TABID] = 1967;
INSERT INTO [dbo].[DATAAREA] ([ID], [NAME]) VALUES (N'none', N'no source rows');
INSERT INTO [dbo].[NUMBERSEQUENCETABLE] ([DATAAREAID], [NUMBERSEQUENCE], [HIGHEST], [NEXTREC], [FORMAT])
VALUES (N'none', N'SALESQUOT', 0, 7, N'N-###');"
is "$rc" 0 "the fixture: 30 source rows, committed"
[ "$rc" -eq 0 ] || diag "$err"

install() {
  run "$UPKIT" install --dialect mssql --server "$UPKIT_MSSQL" --database "$UPKIT_MSSQL_DATABASE" \
    --user "$UPKIT_MSSQL_USER" --runtime "$spec" "$tmp/refuse.json" "$tmp/record.json"
}
install
is "$rc" 0 "upkit install --dialect mssql --runtime with the three specs succeeds"
[ "$rc" -eq 0 ] || diag "$err"
install
is "$rc" 0 "installing them a second time is harmless"

# call PROC COMPANY [SEQUENCE] [EXTRA]: one call in a transaction of its own;
# prints "returned RC ROWS".
call() {
  q "SET XACT_ABORT ON; BEGIN TRANSACTION;
DECLARE @N BIGINT, @RC INT;
EXEC @RC = [dbo].[$1] @DATAAREAID = N'$2', @NUMBERSEQUENCE = N'${3:-SALESQUOT}', @RJUSTIFY = 'N', @ROWS_INSERTED = @N OUTPUT${4:+, $4};
SELECT N'returned', @RC, @N;
COMMIT TRANSACTION;"
}
# state: target rows, NEXTREC of every company, NEXTVAL, the call records.
state() {
  q "SELECT (SELECT COUNT(*) FROM [dbo].[SALESQUOTATIONTABLE]),
            (SELECT SUM([NEXTREC]) FROM [dbo].[NUMBERSEQUENCETABLE]),
            (SELECT [NEXTVAL] FROM [dbo].[SYSTEMSEQUENCES] WHERE [ID] = -1 AND [TABID] = 1967),
            (SELECT SUM([CALLS]) FROM [dbo].[UPKIT_INSERT_RUNS])"
  printf '%s' "$out"
}

# The worked example: exact values.
call INITFROMSMMQUOTATIONTABLE dat
is "$rc|$(printf '%s\n' "$out" | grep '^returned')" "0|$(printf 'returned\t9\t9')" "the worked example inserts 9 rows: RETURN value and @ROWS_INSERTED"
[ "$rc" -eq 0 ] || diag "$err"
q "SELECT N'row', [RECID], [QUOTATIONID], [ORIGSMMQUOTATIONRECID], [RECVERSION], [DATAAREAID]
  FROM [dbo].[SALESQUOTATIONTABLE] ORDER BY [RECID];
SELECT N'nextrec', [NEXTREC] FROM [dbo].[NUMBERSEQUENCETABLE] WHERE [DATAAREAID] = N'dat' AND [NUMBERSEQUENCE] = N'SALESQUOT';"
want=""
i=0
for g in 3 6 12 15 18 21 24 27 30; do
  want+=$(printf 'row\t%d\tSQ-%08d\t%d\t1\tdat' $((5637150000 + i)) $((1001 + i)) $((5637000000 + g)))$'\n'
  i=$((i + 1))
done
is "$(printf '%s\n' "$out" | grep '^row')" "${want%$'\n'}" "row n (0-based, RECID order) gets RECID NEXTVAL + n and number NEXTREC + n"
is "$(printf '%s\n' "$out" | grep '^nextrec')" "$(printf 'nextrec\t1010')" "NEXTREC advanced by the row count"
q "SET XACT_ABORT ON; BEGIN TRANSACTION; DECLARE @S BIGINT;
EXEC [dbo].[UPKIT_RESERVE_RECIDS] @TABID = 1967, @COUNT = 1, @START = @S OUTPUT;
SELECT N'next recid', @S; ROLLBACK TRANSACTION;"
is "$(printf '%s\n' "$out" | grep '^next recid')" "$(printf 'next recid\t5637150009')" "the next RECID follows the last one used"

# insert_missing: a second call inserts only what is missing.
call INITFROMSMMQUOTATIONTABLE dat
is "$(printf '%s\n' "$out" | grep '^returned')" "$(printf 'returned\t0\t0')" "insert_missing: a second call inserts 0 rows"
q "INSERT INTO [dbo].[DEL_SMMQUOTATIONTABLE] ([RECID], [DATAAREAID], [QUOTATIONID], [CUSTACCOUNT], [QUOTATIONSTATUS], [CREATEDDATETIME])
VALUES (5637000101, N'dat', N'SMM-101', N'C000101', 1, '2009-01-01');"
call INITFROMSMMQUOTATIONTABLE dat
is "$(printf '%s\n' "$out" | grep '^returned')" "$(printf 'returned\t1\t1')" "... and after a new source row, only that one"
q "SELECT COUNT(*), COUNT(DISTINCT [ORIGSMMQUOTATIONRECID]) FROM [dbo].[SALESQUOTATIONTABLE] WHERE [DATAAREAID] = N'dat'"
is "$out" "$(printf '10\t10')" "... so dat has each of its 10 source rows once"

# Padding, on a company of its own.
q "SET XACT_ABORT ON; BEGIN TRANSACTION;
EXEC [dbo].[INITFROMSMMQUOTATIONTABLE] @DATAAREAID = N'usmf', @NUMBERSEQUENCE = N'SALESQUOT', @RJUSTIFY = 'Y';
SELECT TOP (1) N'padded', N'[' + [QUOTATIONID] + N']' FROM [dbo].[SALESQUOTATIONTABLE] WHERE [DATAAREAID] = N'usmf' ORDER BY [RECID];
COMMIT TRANSACTION;"
is "$(printf '%s\n' "$out" | grep '^padded')" "$(printf 'padded\t[         SQ-00001001]')" "@RJUSTIFY = 'Y' pads to NVARCHAR(20), read at run time"

# An existing company without source rows: 0, nothing reserved.
call INITFROMSMMQUOTATIONTABLE none
q "SELECT [NEXTREC] FROM [dbo].[NUMBERSEQUENCETABLE] WHERE [DATAAREAID] = N'none'"
is "$out" 7 "a company without source rows inserts nothing and reserves nothing"

# refuse: a second call stops and changes nothing.
call INIT_REFUSE demf
is "$(printf '%s\n' "$out" | grep '^returned')" "$(printf 'returned\t9\t9')" "refuse: the first call for demf inserts 9 rows"
before=$(state)
call INIT_REFUSE demf
like "$err" "Msg 50005.*9 source row\(s\) for company 'demf' are in \[dbo\]\.\[SALESQUOTATIONTABLE\] already \(key column \[ORIGSMMQUOTATIONRECID\]\); nothing was inserted" \
     "refuse: a second call is refused (THROW 50005), naming count, company, table and key"
is "$(state)" "$before" "... and changes nothing"

# No key: recorded calls, refused unless @FORCE = 1.
call INIT_RECORD demf
is "$(printf '%s\n' "$out" | grep '^returned')" "$(printf 'returned\t9\t9')" "record: the first call inserts 9 rows"
before=$(state)
call INIT_RECORD demf
like "$err" "Msg 50004.*already called for company 'demf' \(1 successful call\(s\), the last at .* inserting 9 rows\); nothing was inserted.*@FORCE = 1" \
     "record: a second call is refused (THROW 50004) and names @FORCE"
is "$(state)" "$before" "... and changes nothing"
call INIT_RECORD demf SALESQUOT "@FORCE = 1"
is "$(printf '%s\n' "$out" | grep '^returned')" "$(printf 'returned\t9\t9')" "@FORCE = 1 inserts the rows again, on purpose"
q "SELECT [CALLS], [LAST_ROWS], [TOTAL_ROWS] FROM [dbo].[UPKIT_INSERT_RUNS] WHERE [PROCEDURE_NAME] = N'INIT_RECORD' AND [DATAAREAID] = N'demf'"
is "$out" "$(printf '2\t9\t18')" "... recorded as the second call"

# A company or number sequence that does not exist.
call INITFROMSMMQUOTATIONTABLE xx
like "$err" "Msg 50007.*company 'xx' does not exist in \[dbo\]\.\[DATAAREA\]" "a mistyped company is an error (50007), not 0 rows"
call INITFROMSMMQUOTATIONTABLE dat "NO SUCH"
like "$err" "Msg 50008.*number sequence 'NO SUCH' of company 'dat' does not exist" \
     "a missing number sequence is an error (50008), also when no row is left to insert"

q "EXEC [dbo].[INITFROMSMMQUOTATIONTABLE] @DATAAREAID = N'dat', @NUMBERSEQUENCE = N'SALESQUOT';"
like "$err" "Msg 50003.*call it inside a transaction" "called in autocommit mode it refuses (THROW 50003): all or nothing needs the caller's transaction"
done_testing
