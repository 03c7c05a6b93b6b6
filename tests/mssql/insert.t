#!/usr/bin/env bash
# insert.t: the worked example's generated T-SQL procedure on a real TDS
# engine, in a scratch database of its own (skipped without UPKIT_MSSQL; see
# lib.sh): upkit install with the spec, twice; then, in a transaction that
# is rolled back, the fixture
# (sql/demo/salesquotation-fixture.mssql.sql with 30 rows) and the
# procedure: exact RECIDs and numbers, the return value and
# @ROWS_INSERTED, NEXTREC advanced by the row count, the next RECID after
# the last one used, @RJUSTIFY = 'Y' padding to the column's length, and a
# clear error for a missing number sequence; numbers that do not fit the
# FORMAT (digit slots, the column's length) are refused once, before the
# INSERT, with the problem's own number, and nothing is inserted.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
if [ -z "${UPKIT_MSSQL:-}" ]; then skip_all "UPKIT_MSSQL not set: no SQL Server configured"; fi
. "$(dirname "$0")/lib.sh"
cd "$TOP"

spec=sql/demo/specs/salesquotation.json
fixture=$(sed 's/^DECLARE @ROWS INT = 1000000;/DECLARE @ROWS INT = 30;/' sql/demo/salesquotation-fixture.mssql.sql)
plan 14

mssql_install "$spec"
is "$rc" 0 "upkit install --dialect mssql --runtime SPEC succeeds"
[ "$rc" -eq 0 ] || diag "$err"
mssql_install "$spec"
is "$rc" 0 "installing it a second time is harmless"

q "SET XACT_ABORT ON; BEGIN TRANSACTION;
$fixture
UPDATE [dbo].[SYSTEMSEQUENCES] SET [NEXTVAL] = 5637150000 WHERE [ID] = -1 AND [TABID] = 1967;
DECLARE @N BIGINT, @RC INT, @S BIGINT;
EXEC @RC = [dbo].[INITFROMSMMQUOTATIONTABLE] @DATAAREAID = N'dat', @NUMBERSEQUENCE = N'SALESQUOT',
     @RJUSTIFY = 'N', @ROWS_INSERTED = @N OUTPUT;
SELECT N'returned', @RC, @N;
SELECT N'row', [RECID], [QUOTATIONID], [ORIGSMMQUOTATIONRECID], [RECVERSION], [DATAAREAID]
  FROM [dbo].[SALESQUOTATIONTABLE] ORDER BY [RECID];
SELECT N'nextrec', [NEXTREC] FROM [dbo].[NUMBERSEQUENCETABLE] WHERE [DATAAREAID] = N'dat' AND [NUMBERSEQUENCE] = N'SALESQUOT';
EXEC [dbo].[UPKIT_RESERVE_RECIDS] @TABID = 1967, @COUNT = 1, @START = @S OUTPUT;
SELECT N'next recid', @S;
EXEC [dbo].[INITFROMSMMQUOTATIONTABLE] @DATAAREAID = N'usmf', @NUMBERSEQUENCE = N'SALESQUOT', @RJUSTIFY = 'Y';
SELECT TOP (1) N'padded', N'[' + [QUOTATIONID] + N']' FROM [dbo].[SALESQUOTATIONTABLE] WHERE [DATAAREAID] = N'usmf' ORDER BY [RECID];
EXEC @RC = [dbo].[INITFROMSMMQUOTATIONTABLE] @DATAAREAID = N'none', @NUMBERSEQUENCE = N'NO SUCH', @ROWS_INSERTED = @N OUTPUT;
SELECT N'no rows', @RC, @N;
IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;"
is "$rc" 0 "the worked example runs"
[ "$rc" -eq 0 ] || diag "$err"
is "$(printf '%s\n' "$out" | grep '^returned')" "$(printf 'returned\t9\t9')" "RETURN value and @ROWS_INSERTED are the row count"
want=""
i=0
for g in 3 6 12 15 18 21 24 27 30; do
  want+=$(printf 'row\t%d\tSQ-%08d\t%d\t1\tdat' $((5637150000 + i)) $((1001 + i)) $((5637000000 + g)))$'\n'
  i=$((i + 1))
done
is "$(printf '%s\n' "$out" | grep '^row')" "${want%$'\n'}" "row n (0-based, RECID order) gets RECID NEXTVAL + n and number NEXTREC + n"
is "$(printf '%s\n' "$out" | grep -E '^(nextrec|next recid)')" "$(printf 'nextrec\t1010\nnext recid\t5637150009')" \
   "NEXTREC advanced by the row count; the next RECID follows the last one used"
is "$(printf '%s\n' "$out" | grep '^padded')" "$(printf 'padded\t[         SQ-00001001]')" "@RJUSTIFY = 'Y' pads to NVARCHAR(20), read at run time"
is "$(printf '%s\n' "$out" | grep '^no rows')" "$(printf 'no rows\t0\t0')" "no source rows: returns 0 and reserves nothing"

q "SET XACT_ABORT ON; BEGIN TRANSACTION;
$fixture
EXEC [dbo].[INITFROMSMMQUOTATIONTABLE] @DATAAREAID = N'dat', @NUMBERSEQUENCE = N'NO SUCH';
IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;"
like "$err" "number sequence 'NO SUCH' of company 'dat'.*does not exist" "a missing number sequence fails with a message naming it"

q "EXEC [dbo].[INITFROMSMMQUOTATIONTABLE] @DATAAREAID = N'dat', @NUMBERSEQUENCE = N'SALESQUOT';"
like "$err" "Msg 50031.*call it inside a transaction" "called in autocommit mode it refuses (THROW 50031): all or nothing needs the caller's transaction"

# The range is checked against the FORMAT once, before the INSERT: the last
# number (NEXTREC 1001 + 8) has 4 digits, 'SQ-###' has 3 slots (50045); with
# @RJUSTIFY = 'Y' a 21-character format is longer than NVARCHAR(20) (50046).
# Each failure dooms the caller's transaction (XACT_ABORT: XACT_STATE() is
# -1 in the CATCH); after its rollback nothing is inserted and NEXTREC is
# as it was.
check_format() {
  q "SET XACT_ABORT ON; BEGIN TRANSACTION;
$fixture
UPDATE [dbo].[NUMBERSEQUENCETABLE] SET [FORMAT] = N'$1' WHERE [DATAAREAID] = N'dat' AND [NUMBERSEQUENCE] = N'SALESQUOT';
COMMIT TRANSACTION;
BEGIN TRY
    BEGIN TRANSACTION;
    EXEC [dbo].[INITFROMSMMQUOTATIONTABLE] @DATAAREAID = N'dat', @NUMBERSEQUENCE = N'SALESQUOT', @RJUSTIFY = '$2';
    COMMIT TRANSACTION;
    SELECT N'no error';
END TRY
BEGIN CATCH
    SELECT N'caught', ERROR_NUMBER(), XACT_STATE(), ERROR_MESSAGE();
    IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;
END CATCH;
SELECT N'rows', COUNT(*) FROM [dbo].[SALESQUOTATIONTABLE];
SELECT N'nextrec', [NEXTREC] FROM [dbo].[NUMBERSEQUENCETABLE] WHERE [DATAAREAID] = N'dat' AND [NUMBERSEQUENCE] = N'SALESQUOT';"
}
check_format 'SQ-###' N
is "$rc|$(printf '%s\n' "$out" | grep -E '^(caught|rows|nextrec)' | cut -f1-3)" \
   "$(printf '0|caught\t50045\t-1\nrows\t0\nnextrec\t1001')" \
   "a range whose last number has more digits than the FORMAT has slots: THROW 50045 before the INSERT, nothing inserted or reserved"
like "$out" "\[dbo\]\.\[INITFROMSMMQUOTATIONTABLE\]: upkit FN_FMT_NUMBERSEQUENCE: number 1009 does not fit format \"SQ-###\" \(4 digits, 3 digit slots\)" \
   "the message names the procedure, the last number and the format"
check_format 'SQ-##################' Y
is "$rc|$(printf '%s\n' "$out" | grep -E '^(caught|rows|nextrec)' | cut -f1-3)" \
   "$(printf '0|caught\t50046\t-1\nrows\t0\nnextrec\t1001')" \
   "@RJUSTIFY = 'Y' with a FORMAT longer than the column: THROW 50046 before the INSERT, nothing inserted or reserved"
like "$out" "is 21 characters, longer than rjustify_length 20" "the message names the length and the column's length"
done_testing
