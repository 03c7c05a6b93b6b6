#!/usr/bin/env bash
# validate.t: the validation log and the generated readiness checks on a
# real TDS engine, in a scratch database of its own (skipped without
# UPKIT_MSSQL; see lib.sh): the fixture (tests/mssql/validate-fixture.sql,
# the rows of the PostgreSQL fixture), upkit install
# --runtime of the fixture's specs (twice: harmless), a run per company and
# the shared run: the exact entries and details (the same as
# tests/pg/validate.pg, with SQL Server's type names), nothing but the log
# changed, the cap that caps while the count stays exact, a re-run that
# replaces the entries, the hand-written procedures (once per message id,
# a detail of a message not logged, an old run id), the errors of the
# generated procedure, and upkit report's exit status.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
if [ -z "${UPKIT_MSSQL:-}" ]; then skip_all "UPKIT_MSSQL not set: no SQL Server configured"; fi
. "$(dirname "$0")/lib.sh"
cd "$TOP"

specs=(tests/fixtures/validate/readiness.json tests/fixtures/validate/shared.json)
plan 19

q "$(cat tests/mssql/validate-fixture.sql)"
is "$rc" 0 "the fixture's tables are in place"
[ "$rc" -eq 0 ] || diag "$err"
mssql_install "${specs[@]}"
is "$rc" 0 "upkit install --dialect mssql --runtime with the validate specs succeeds"
[ "$rc" -eq 0 ] || diag "$err"
mssql_install "${specs[@]}"
is "$rc" 0 "installing them a second time is harmless"

data="SELECT N'data', (SELECT CHECKSUM_AGG(BINARY_CHECKSUM(*)) FROM [rdy].[INVENTTABLE]),
              (SELECT CHECKSUM_AGG(BINARY_CHECKSUM(*)) FROM [rdy].[NUMBERSEQUENCETABLE]),
              (SELECT CHECKSUM_AGG(BINARY_CHECKSUM(*)) FROM [rdy].[UNITOFMEASURE]);"
q "$data"; before=$out

q "DECLARE @E INT, @A INT;
EXEC [rdy].[VALIDATE_ITEMS] @DATAAREAID = N'dat', @ERRORS = @E OUTPUT, @ADVISORIES = @A OUTPUT;
SELECT N'dat', @E, @A;
EXEC [rdy].[VALIDATE_ITEMS] @DATAAREAID = N'ceu', @ERRORS = @E OUTPUT, @ADVISORIES = @A OUTPUT;
SELECT N'ceu', @E, @A;
EXEC [rdy].[VALIDATE_UNITS] @ERRORS = @E OUTPUT, @ADVISORIES = @A OUTPUT;
SELECT N'all', @E, @A;"
is "$(printf '%s\n' "$out" | grep -E $'^(dat|ceu|all)\t')" "$(printf 'dat\t6\t3\nceu\t4\t2\nall\t1\t1')" \
   "each run returns the number of error and advisory messages it logged"

q "SELECT [SCRIPT], [DATAAREAID], [MESSAGE_ID], [LEVEL], [DETAIL_COUNT] FROM [dbo].[UPKIT_VALIDATION_LOG]
    ORDER BY [SCRIPT], [DATAAREAID], [MESSAGE_ID];"
is "$out" "$(printf '%s\n' \
  $'rdy.VALIDATE_ITEMS\tceu\tItemGroupOrphan\terror\t1' \
  $'rdy.VALIDATE_ITEMS\tceu\tItemIdDuplicate\terror\t3' \
  $'rdy.VALIDATE_ITEMS\tceu\tItemNameTooLong\tadvisory\t1' \
  $'rdy.VALIDATE_ITEMS\tceu\tItemSequenceFull\terror\t1' \
  $'rdy.VALIDATE_ITEMS\tceu\tMiscSequenceFormat\tadvisory\t1' \
  $'rdy.VALIDATE_ITEMS\tceu\tQtyNotSmallint\terror\t1' \
  $'rdy.VALIDATE_ITEMS\tdat\tItemGroupOrphan\terror\t1' \
  $'rdy.VALIDATE_ITEMS\tdat\tItemIdBlank\tadvisory\t1' \
  $'rdy.VALIDATE_ITEMS\tdat\tItemIdDuplicate\terror\t2' \
  $'rdy.VALIDATE_ITEMS\tdat\tItemNameMissing\terror\t1' \
  $'rdy.VALIDATE_ITEMS\tdat\tItemNameTooLong\tadvisory\t2' \
  $'rdy.VALIDATE_ITEMS\tdat\tItemSequenceFull\terror\t1' \
  $'rdy.VALIDATE_ITEMS\tdat\tMiscSequenceFormat\tadvisory\t1' \
  $'rdy.VALIDATE_ITEMS\tdat\tPriceNotNumeric\terror\t2' \
  $'rdy.VALIDATE_ITEMS\tdat\tQtyNotSmallint\terror\t2' \
  $'rdy.VALIDATE_UNITS\t\tUnitSymbolDuplicate\terror\t2' \
  $'rdy.VALIDATE_UNITS\t\tUnitSymbolMissing\tadvisory\t1')" \
  "the log: one entry per script, company and message id, with the exact count"

q "SELECT [DATAAREAID], [MESSAGE_ID], [SEQ], [ROW_RECID], [ROW_KEY], [DETAIL] FROM [dbo].[UPKIT_VALIDATION_DETAIL]
    WHERE [MESSAGE_ID] IN (N'ItemIdDuplicate', N'ItemNameTooLong', N'PriceNotNumeric', N'QtyNotSmallint',
                           N'ItemSequenceFull', N'MiscSequenceFormat', N'ItemIdBlank')
    ORDER BY [DATAAREAID], [MESSAGE_ID], [SEQ];"
is "$out" "$(printf '%s\n' \
  $'ceu\tItemIdDuplicate\t1\t13\tITEMID=B2\tone of 3 rows with these values' \
  $'ceu\tItemIdDuplicate\t2\t14\tITEMID=B2\tone of 3 rows with these values' \
  $'ceu\tItemIdDuplicate\t3\t15\tITEMID=B2\tone of 3 rows with these values' \
  $'ceu\tItemNameTooLong\t1\t15\tITEMID=B2\tITEMNAME is 14 characters, longer than nvarchar(12)' \
  $'ceu\tItemSequenceFull\t1\t202\tNUMBERSEQUENCE=Item\tthe last of 5 numbers would be 101, more digits than the FORMAT\'s 2 slots' \
  $'ceu\tMiscSequenceFormat\t1\t204\tNUMBERSEQUENCE=Misc\tFORMAT is NULL' \
  $'ceu\tQtyNotSmallint\t1\t14\tITEMID=B2\tQTYTEXT = 40000 does not fit smallint' \
  $'dat\tItemIdBlank\t1\t7\tITEMID=A 6\tCable' \
  $'dat\tItemIdDuplicate\t1\t1\tITEMID=A1\tone of 2 rows with these values' \
  $'dat\tItemIdDuplicate\t2\t2\tITEMID=A1\tone of 2 rows with these values' \
  $'dat\tItemNameTooLong\t1\t2\tITEMID=A1\tITEMNAME is 14 characters, longer than nvarchar(12)' \
  $'dat\tItemNameTooLong\t2\t5\tITEMID=A4\tITEMNAME is 21 characters, longer than nvarchar(12)' \
  $'dat\tItemSequenceFull\t1\t201\tNUMBERSEQUENCE=Item\tthe last of 8 numbers from NEXTREC 995 would be 1002, past HIGHEST 1000' \
  $'dat\tMiscSequenceFormat\t1\t203\tNUMBERSEQUENCE=Misc\tFORMAT MISC has no digit slot (#)' \
  $'dat\tPriceNotNumeric\t1\t6\tITEMID=A5\tPRICETEXT = 1234567.5 does not fit numeric(7,2)' \
  $'dat\tPriceNotNumeric\t2\t7\tITEMID=A 6\tPRICETEXT = 99999.995 does not fit numeric(7,2)' \
  $'dat\tQtyNotSmallint\t1\t6\tITEMID=A5\tQTYTEXT = x does not fit smallint' \
  $'dat\tQtyNotSmallint\t2\t7\tITEMID=A 6\tQTYTEXT = 99999 does not fit smallint')" \
  "the details: the offending rows with RECID, key and text, in order"

q "$data"
is "$out" "$before" "the checks change nothing but the log"

# The cap, and a re-run that replaces the entries.
q "EXEC [rdy].[VALIDATE_ITEMS] @DATAAREAID = N'dat', @DETAIL_CAP = 1;
SELECT N'count', [DETAIL_COUNT] FROM [dbo].[UPKIT_VALIDATION_LOG] WHERE [DATAAREAID] = N'dat' AND [MESSAGE_ID] = N'ItemIdDuplicate';
SELECT N'stored', COUNT(*) FROM [dbo].[UPKIT_VALIDATION_DETAIL] WHERE [DATAAREAID] = N'dat' AND [MESSAGE_ID] = N'ItemIdDuplicate';
SELECT N'max', MAX(N) FROM (SELECT COUNT(*) AS N FROM [dbo].[UPKIT_VALIDATION_DETAIL] WHERE [DATAAREAID] = N'dat'
                             GROUP BY [MESSAGE_ID]) AS X;
SELECT N'runs', COUNT(DISTINCT L.[RUN_ID]) FROM [dbo].[UPKIT_VALIDATION_LOG] AS L WHERE L.[DATAAREAID] = N'dat';
SELECT N'ceu', COUNT(*) FROM [dbo].[UPKIT_VALIDATION_LOG] WHERE [DATAAREAID] = N'ceu';"
is "$(printf '%s\n' "$out" | grep -E $'^(count|stored|max)\t')" "$(printf 'count\t2\nstored\t1\nmax\t1')" \
   "with a cap of 1 the count stays 2 and one detail per entry is stored"
is "$(printf '%s\n' "$out" | grep -E $'^(runs|ceu)\t')" "$(printf 'runs\t1\nceu\t6')" \
   "a re-run replaces its company's entries and leaves the other company's"

# A cap of 0: #UPKIT_BAD keeps one row for the count, nothing is stored.
q "EXEC [rdy].[VALIDATE_ITEMS] @DATAAREAID = N'dat', @DETAIL_CAP = 0;
SELECT N'count', [DETAIL_COUNT] FROM [dbo].[UPKIT_VALIDATION_LOG] WHERE [DATAAREAID] = N'dat' AND [MESSAGE_ID] = N'ItemIdDuplicate';
SELECT N'entries', COUNT(*) FROM [dbo].[UPKIT_VALIDATION_LOG] WHERE [DATAAREAID] = N'dat';
SELECT N'stored', COUNT(*) FROM [dbo].[UPKIT_VALIDATION_DETAIL] WHERE [DATAAREAID] = N'dat';"
is "$(printf '%s\n' "$out" | grep -E $'^(count|entries|stored)\t')" "$(printf 'count\t2\nentries\t9\nstored\t0')" \
   "with a cap of 0 every entry is logged with its exact count and no detail is stored"

# Fix and run again: the entries go away.
q "UPDATE [rdy].[INVENTTABLE] SET [ITEMID] = N'A1b' WHERE [RECID] = 2;
EXEC [rdy].[VALIDATE_ITEMS] @DATAAREAID = N'dat';
SELECT N'dup', COUNT(*) FROM [dbo].[UPKIT_VALIDATION_LOG] WHERE [DATAAREAID] = N'dat' AND [MESSAGE_ID] = N'ItemIdDuplicate';"
is "$(printf '%s\n' "$out" | grep -E $'^dup\t')" "$(printf 'dup\t0')" "a fixed problem is no longer logged"

# Hand-written logging.
q "DECLARE @RUN BIGINT, @L1 BIT, @L2 BIT, @C BIGINT;
EXEC [dbo].[UPKIT_LOG_START] @SCRIPT = N'hand.addresses', @DATAAREAID = N'dat', @DETAIL_CAP = 2, @RUN_ID = @RUN OUTPUT;
EXEC [dbo].[UPKIT_LOG] @RUN_ID = @RUN, @MESSAGE_ID = N'StateInvalid', @LEVEL = N'error',
     @MESSAGE = N'The following rows have invalid states:', @RESOLUTION = N'Update them.', @LOGGED = @L1 OUTPUT;
EXEC [dbo].[UPKIT_LOG] @RUN_ID = @RUN, @MESSAGE_ID = N'StateInvalid', @LEVEL = N'advisory',
     @MESSAGE = N'other', @RESOLUTION = N'other', @LOGGED = @L2 OUTPUT;
EXEC [dbo].[UPKIT_LOG_DETAIL] @RUN_ID = @RUN, @MESSAGE_ID = N'StateInvalid', @DETAIL = N'RecId: 1 (Wash)', @ROW_RECID = 1;
EXEC [dbo].[UPKIT_LOG_DETAIL] @RUN_ID = @RUN, @MESSAGE_ID = N'StateInvalid', @DETAIL = N'RecId: 2 (Mass)', @ROW_RECID = 2;
EXEC [dbo].[UPKIT_LOG_DETAIL] @RUN_ID = @RUN, @MESSAGE_ID = N'StateInvalid', @DETAIL = N'RecId: 100 (Fla)', @ROW_RECID = 100,
     @DETAIL_COUNT = @C OUTPUT;
SELECT N'hand', @L1, @L2, @C, L.[LEVEL], L.[MESSAGE], L.[DETAIL_COUNT],
       (SELECT COUNT(*) FROM [dbo].[UPKIT_VALIDATION_DETAIL] AS D WHERE D.[SCRIPT] = N'hand.addresses')
  FROM [dbo].[UPKIT_VALIDATION_LOG] AS L WHERE L.[SCRIPT] = N'hand.addresses';"
is "$(printf '%s\n' "$out" | grep -E $'^hand\t')" \
   "$(printf 'hand\t1\t0\t3\terror\tThe following rows have invalid states:\t3\t2')" \
   "hand-written: logged once per message id, every detail counted, two stored under a cap of 2"

q "EXEC [dbo].[UPKIT_LOG_DETAIL] @RUN_ID = 1, @MESSAGE_ID = N'X', @DETAIL = N'd';"
like "$err" "50302" "an old run id is refused (50302)"
q "DECLARE @RUN BIGINT;
EXEC [dbo].[UPKIT_LOG_START] @SCRIPT = N'hand.other', @RUN_ID = @RUN OUTPUT;
EXEC [dbo].[UPKIT_LOG_DETAIL] @RUN_ID = @RUN, @MESSAGE_ID = N'Nope', @DETAIL = N'd';"
like "$err" "50306" "a detail of a message not logged is refused (50306)"
q "DECLARE @RUN BIGINT;
EXEC [dbo].[UPKIT_LOG_START] @SCRIPT = N'hand.other', @RUN_ID = @RUN OUTPUT;
EXEC [dbo].[UPKIT_LOG] @RUN_ID = @RUN, @MESSAGE_ID = N'X', @LEVEL = N'warning', @MESSAGE = N'm', @RESOLUTION = N'r';"
like "$err" "50304" "an unknown level is refused (50304)"
q "EXEC [rdy].[VALIDATE_ITEMS] @DATAAREAID = NULL;"
like "$err" "50310" "a NULL company is refused (50310)"
q "EXEC [rdy].[VALIDATE_ITEMS] @DATAAREAID = N'dat', @DETAIL_CAP = -1;"
like "$err" "50301" "a negative cap is refused (50301)"

run "$UPKIT" report --dialect mssql --server "$UPKIT_MSSQL" --database "$UPKIT_MSSQL_DATABASE" \
  --user "$UPKIT_MSSQL_USER" rdy.VALIDATE_ITEMS
is "$rc" 1 "upkit report exits 1 while errors are logged"
like "$out" "ERROR ItemGroupOrphan: Items name an item group that does not exist in their company\." \
     "... and prints them"
done_testing
