#!/usr/bin/env bash
# insert.t: the worked example's generated T-SQL procedure on a real TDS
# engine (skipped without UPKIT_MSSQL; see lib.sh).  Self-contained: in the
# fresh scratch database lib.sh makes (and drops), it builds the fixture (sql/demo/salesquotation-fixture.mssql.sql
# with 30 rows, committed) and installs the runtime and three variants of the
# spec, twice: the worked example ("rerun": insert_missing by
# ORIGSMMQUOTATIONRECID), "refuse" and no key (recorded calls, @FORCE).
# Then: exact RECIDs and numbers, the return value and @ROWS_INSERTED,
# NEXTREC advanced by the row count, the next RECID after the last one used,
# @RJUSTIFY = 'Y' padding to the column's length; a second call that inserts
# only what is missing, refuses (50122) or is refused unless @FORCE = 1
# (50121), each refusal changing nothing; a missing company (50124) or
# number sequence (50125) is an error; numbers that do not fit the FORMAT
# (digit slots 50045, the column's length 50046) are refused once, before
# the INSERT, changing nothing; and autocommit is refused (50031).
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
if [ -z "${UPKIT_MSSQL:-}" ]; then skip_all "UPKIT_MSSQL not set: no SQL Server configured"; fi
. "$(dirname "$0")/lib.sh"
cd "$TOP"

tmp=$MSSQL_TMP
spec=sql/demo/specs/salesquotation.json
sed -e 's/"insert_missing"/"refuse"/' -e 's/"INITFROMSMMQUOTATIONTABLE"/"INIT_REFUSE"/' "$spec" > "$tmp/refuse.json"
sed -e '/"rerun"/d' -e 's/"INITFROMSMMQUOTATIONTABLE"/"INIT_RECORD"/' "$spec" > "$tmp/record.json"
fixture=$(sed 's/^DECLARE @ROWS INT = 1000000;/DECLARE @ROWS INT = 30;/' sql/demo/salesquotation-fixture.mssql.sql)
plan 26

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
like "$err" "Msg 50122.*9 source row\(s\) for company 'demf' are in \[dbo\]\.\[SALESQUOTATIONTABLE\] already \(key column \[ORIGSMMQUOTATIONRECID\]\); nothing was inserted" \
     "refuse: a second call is refused (THROW 50122), naming count, company, table and key"
is "$(state)" "$before" "... and changes nothing"

# No key: recorded calls, refused unless @FORCE = 1.
call INIT_RECORD demf
is "$(printf '%s\n' "$out" | grep '^returned')" "$(printf 'returned\t9\t9')" "record: the first call inserts 9 rows"
before=$(state)
call INIT_RECORD demf
like "$err" "Msg 50121.*already called for company 'demf' \(1 successful call\(s\), the last at .* inserting 9 rows\); nothing was inserted.*@FORCE = 1" \
     "record: a second call is refused (THROW 50121) and names @FORCE"
is "$(state)" "$before" "... and changes nothing"
call INIT_RECORD demf SALESQUOT "@FORCE = 1"
is "$(printf '%s\n' "$out" | grep '^returned')" "$(printf 'returned\t9\t9')" "@FORCE = 1 inserts the rows again, on purpose"
q "SELECT [CALLS], [LAST_ROWS], [TOTAL_ROWS] FROM [dbo].[UPKIT_INSERT_RUNS] WHERE [PROCEDURE_NAME] = N'INIT_RECORD' AND [DATAAREAID] = N'demf'"
is "$out" "$(printf '2\t9\t18')" "... recorded as the second call"

# A company or number sequence that does not exist.
call INITFROMSMMQUOTATIONTABLE xx
like "$err" "Msg 50124.*company 'xx' does not exist in \[dbo\]\.\[DATAAREA\]" "a mistyped company is an error (50124), not 0 rows"
call INITFROMSMMQUOTATIONTABLE dat "NO SUCH"
like "$err" "Msg 50125.*number sequence 'NO SUCH' of company 'dat' does not exist" \
     "a missing number sequence is an error (50125), also when no row is left to insert"

# The range is checked against the FORMAT once, before the INSERT: dat's 10
# source rows (deleted from the target first) need 4-digit numbers, and
# 'SQ-###' has 3 slots (50045); with @RJUSTIFY = 'Y' a 21-character format
# is longer than NVARCHAR(20) (50046).  The failure dooms the transaction
# (XACT_STATE() -1 in the CATCH); after the rollback everything is as before.
check_format() {
  q "SET XACT_ABORT ON;
SELECT N'state', (SELECT COUNT(*) FROM [dbo].[SALESQUOTATIONTABLE]),
       (SELECT [NEXTREC] FROM [dbo].[NUMBERSEQUENCETABLE] WHERE [DATAAREAID] = N'dat' AND [NUMBERSEQUENCE] = N'SALESQUOT');
BEGIN TRY
    BEGIN TRANSACTION;
    UPDATE [dbo].[NUMBERSEQUENCETABLE] SET [FORMAT] = N'$1' WHERE [DATAAREAID] = N'dat' AND [NUMBERSEQUENCE] = N'SALESQUOT';
    DELETE FROM [dbo].[SALESQUOTATIONTABLE] WHERE [DATAAREAID] = N'dat';
    EXEC [dbo].[INITFROMSMMQUOTATIONTABLE] @DATAAREAID = N'dat', @NUMBERSEQUENCE = N'SALESQUOT', @RJUSTIFY = '$2';
    COMMIT TRANSACTION;
    SELECT N'no error';
END TRY
BEGIN CATCH
    SELECT N'caught', ERROR_NUMBER(), XACT_STATE(), ERROR_MESSAGE();
    IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;
END CATCH;
SELECT N'state', (SELECT COUNT(*) FROM [dbo].[SALESQUOTATIONTABLE]),
       (SELECT [NEXTREC] FROM [dbo].[NUMBERSEQUENCETABLE] WHERE [DATAAREAID] = N'dat' AND [NUMBERSEQUENCE] = N'SALESQUOT');"
  states=$(printf '%s\n' "$out" | grep '^state' | uniq | wc -l | tr -d ' ')
  caught=$(printf '%s\n' "$out" | grep -E '^(caught|no error)' | cut -f1-3)
}
check_format 'SQ-###' N
is "$rc|$caught|$states" "$(printf '0|caught\t50045\t-1|1')" \
   "a range whose last number has more digits than the FORMAT has slots: THROW 50045 before the INSERT; nothing changes"
like "$out" "\[dbo\]\.\[INITFROMSMMQUOTATIONTABLE\]: upkit FN_FMT_NUMBERSEQUENCE: number [0-9]+ does not fit format \"SQ-###\" \(4 digits, 3 digit slots\)" \
   "the message names the procedure, the number and the format"
check_format 'SQ-##################' Y
is "$rc|$caught|$states" "$(printf '0|caught\t50046\t-1|1')" \
   "@RJUSTIFY = 'Y' with a FORMAT longer than the column: THROW 50046 before the INSERT; nothing changes"

q "EXEC [dbo].[INITFROMSMMQUOTATIONTABLE] @DATAAREAID = N'dat', @NUMBERSEQUENCE = N'SALESQUOT';"
like "$err" "Msg 50031.*call it inside a transaction" "called in autocommit mode it refuses (THROW 50031): all or nothing needs the caller's transaction"
done_testing
