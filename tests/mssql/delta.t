#!/usr/bin/env bash
# delta.t: the generated T-SQL delta procedures on a real TDS engine, in a
# scratch database of its own (skipped without UPKIT_MSSQL; see lib.sh):
# first the fixture (tests/fixtures/delta/fixture.mssql.sql), since the
# classification is an inline table-valued function whose table names are
# resolved when it is created (docs/mssql.md); then upkit install of the
# fixture's three delta specs, twice; then preprocessing counts, a second run that finds nothing,
# the known changes, the read-only report, the delta counts (RECVERSION,
# content and shared), the shadow rows after the run, idempotence, and a
# failing run that leaves shadow, state and @@TRANCOUNT as they were, both
# in autocommit mode and inside the caller's transaction.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
if [ -z "${UPKIT_MSSQL:-}" ]; then skip_all "UPKIT_MSSQL not set: no SQL Server configured"; fi
. "$(dirname "$0")/lib.sh"
cd "$TOP"

specs=(tests/fixtures/delta/custtable.json tests/fixtures/delta/custtable_content.json
       tests/fixtures/delta/currency_shared.json)
plan 13

q "$(cat tests/fixtures/delta/fixture.mssql.sql)"
is "$rc" 0 "the fixture's source and shadow tables exist before the install"
[ "$rc" -eq 0 ] || diag "$err"
mssql_install "${specs[@]}"
is "$rc" 0 "upkit install --dialect mssql --runtime with the three delta specs succeeds"
[ "$rc" -eq 0 ] || diag "$err"
mssql_install "${specs[@]}"
is "$rc" 0 "installing them a second time is harmless"

# One batch: runs, changes, report, runs again.  Each EXEC also returns its
# counts as a result set; only the labelled lines are compared.
q "DECLARE @N BIGINT, @U BIGINT, @D BIGINT;
EXEC [dbo].[UPG_DELTA_CUSTTABLE] @DATAAREAID = N'dat', @NEW_ROWS = @N OUTPUT, @UPDATED_ROWS = @U OUTPUT, @DELETED_ROWS = @D OUTPUT;
SELECT N'pre dat', @N, @U, @D;
EXEC [dbo].[UPG_DELTA_CUSTTABLE] @DATAAREAID = N'ceu', @NEW_ROWS = @N OUTPUT, @UPDATED_ROWS = @U OUTPUT, @DELETED_ROWS = @D OUTPUT;
SELECT N'pre ceu', @N, @U, @D;
EXEC [dbo].[UPG_DELTA_CUSTTABLE_C] @DATAAREAID = N'dat', @NEW_ROWS = @N OUTPUT, @UPDATED_ROWS = @U OUTPUT, @DELETED_ROWS = @D OUTPUT;
SELECT N'pre content', @N, @U, @D;
EXEC [dbo].[UPG_DELTA_CURRENCY] @NEW_ROWS = @N OUTPUT, @UPDATED_ROWS = @U OUTPUT, @DELETED_ROWS = @D OUTPUT;
SELECT N'pre shared', @N, @U, @D;
EXEC [dbo].[UPG_DELTA_CUSTTABLE] @DATAAREAID = N'dat', @NEW_ROWS = @N OUTPUT, @UPDATED_ROWS = @U OUTPUT, @DELETED_ROWS = @D OUTPUT;
SELECT N'again dat', @N, @U, @D;
EXEC [dbo].[UPG_DELTA_CUSTTABLE_C] @DATAAREAID = N'dat', @NEW_ROWS = @N OUTPUT, @UPDATED_ROWS = @U OUTPUT, @DELETED_ROWS = @D OUTPUT;
SELECT N'again content', @N, @U, @D;
$(cat tests/fixtures/delta/fixture_changes.mssql.sql)
CREATE TABLE #R ([CHANGE] VARCHAR(7), [ROW_COUNT] BIGINT);
INSERT INTO #R EXEC [dbo].[UPG_DELTA_CUSTTABLE_C_REPORT] @DATAAREAID = N'dat';
SELECT N'report', [CHANGE], [ROW_COUNT] FROM #R;
SELECT N'shadow rows before', COUNT(*) FROM [dbo].[UPG_CUSTTABLE_C];
EXEC [dbo].[UPG_DELTA_CUSTTABLE] @DATAAREAID = N'dat', @NEW_ROWS = @N OUTPUT, @UPDATED_ROWS = @U OUTPUT, @DELETED_ROWS = @D OUTPUT;
SELECT N'delta dat', @N, @U, @D;
EXEC [dbo].[UPG_DELTA_CUSTTABLE] @DATAAREAID = N'ceu', @NEW_ROWS = @N OUTPUT, @UPDATED_ROWS = @U OUTPUT, @DELETED_ROWS = @D OUTPUT;
SELECT N'delta ceu', @N, @U, @D;
EXEC [dbo].[UPG_DELTA_CUSTTABLE_C] @DATAAREAID = N'dat', @NEW_ROWS = @N OUTPUT, @UPDATED_ROWS = @U OUTPUT, @DELETED_ROWS = @D OUTPUT;
SELECT N'delta content', @N, @U, @D;
EXEC [dbo].[UPG_DELTA_CURRENCY] @NEW_ROWS = @N OUTPUT, @UPDATED_ROWS = @U OUTPUT, @DELETED_ROWS = @D OUTPUT;
SELECT N'delta shared', @N, @U, @D;
SELECT N'shadow', [REFRECID], [REFDATAAREAID], [RECVERSIONID], [NAME], [GROUPNAME]
  FROM [dbo].[UPG_CUSTTABLE_C] ORDER BY [REFRECID];
SELECT N'currency', [REFRECID], [TXT] FROM [dbo].[UPG_CURRENCY] ORDER BY [REFRECID];
EXEC [dbo].[UPG_DELTA_CUSTTABLE_C] @DATAAREAID = N'dat', @NEW_ROWS = @N OUTPUT, @UPDATED_ROWS = @U OUTPUT, @DELETED_ROWS = @D OUTPUT;
SELECT N'idempotent', @N, @U, @D;
SELECT N'state', [SHADOW_TABLE], [DATAAREAID], [NEW_ROWS], [UPDATED_ROWS], [DELETED_ROWS], [READY_TO_COPY]
  FROM [dbo].[UPKIT_DELTA_STATE]
 WHERE [SHADOW_TABLE] IN (N'dbo.UPG_CUSTTABLE', N'dbo.UPG_CUSTTABLE_C', N'dbo.UPG_CURRENCY')
 ORDER BY [SHADOW_TABLE], [DATAAREAID];"
is "$rc" 0 "the preprocessing and the delta runs go through"
[ "$rc" -eq 0 ] || diag "$err"
lines() { printf '%s\n' "$out" | grep -E "^($1)"$'\t' || true; }
is "$(lines 'pre [a-z]+')" "$(printf 'pre dat\t6\t0\t0\npre ceu\t4\t0\t0\npre content\t6\t0\t0\npre shared\t4\t0\t0')" \
   "preprocessing: every row of the company (or of dat and ceu) is new"
is "$(lines 'again [a-z]+')" "$(printf 'again dat\t0\t0\t0\nagain content\t0\t0\t0')" "a second run finds nothing"
is "$(lines 'report')" "$(printf 'report\tnew\t2\nreport\tupdated\t3\nreport\tdeleted\t1')" \
   "the report counts the changes, the third-party write included (content detection)"
is "$(lines 'shadow rows before')" "$(printf 'shadow rows before\t6')" "the report changed nothing"
is "$(lines 'delta [a-z]+')" "$(printf 'delta dat\t2\t2\t1\ndelta ceu\t1\t1\t2\ndelta content\t2\t3\t1\ndelta shared\t1\t1\t1')" \
   "the delta runs' counts: per company, content (one more update) and shared"
want=$(printf 'shadow\t5637145001\tdat\t1\tCONTOSO\tRetail dat
shadow\t5637145002\tdat\t2\tFABRIKAM INC\tWholesale dat
shadow\t5637145003\tdat\t1\tLITWARE LTD\tRetail dat
shadow\t5637145004\tdat\t2\tNORTHWIND\tRetail dat
shadow\t5637145006\tdat\t1\tWINGTIP\tnone
shadow\t5637145007\tdat\t1\tALPINE SKI\tRetail dat
shadow\t5637145008\tdat\t1\tBLUE YONDER\tWholesale dat')
is "$(lines 'shadow')" "$want" "the content shadow holds the mapping of every current dat customer"
is "$(lines 'currency')" "$(printf 'currency\t5637147001\tEuro (EMU)\ncurrency\t5637147002\tUS Dollar\ncurrency\t5637147003\tPound\ncurrency\t5637147006\tKrona')" \
   "the shared shadow follows dat and ceu, not oth"
is "$(lines 'idempotent')" "$(printf 'idempotent\t0\t0\t0')" "a run after the delta finds nothing"

# All or nothing: a shadow row that cannot be written fails the run after its
# DELETE; in autocommit mode (own transaction) and in the caller's.
q "DECLARE @N BIGINT, @U BIGINT, @D BIGINT;
UPDATE [dbo].[CUSTTABLE] SET [CREDITMAX] = 150, [RECVERSION] = [RECVERSION] + 1 WHERE [RECID] = 5637146001;
DELETE FROM [dbo].[CUSTTABLE] WHERE [RECID] = 5637146002;
INSERT INTO [dbo].[CUSTTABLE] ([RECID], [DATAAREAID], [ACCOUNTNUM], [NAME], [CUSTGROUP]) VALUES (5637146006, N'ceu', N'C-FAIL', N'Bad row', N'10');
ALTER TABLE [dbo].[UPG_CUSTTABLE] ADD CONSTRAINT [UPG_CUSTTABLE_NO_FAIL] CHECK ([ACCOUNTNUM] <> N'C-FAIL');
SELECT N'before', COUNT(*), SUM([RECVERSIONID]) FROM [dbo].[UPG_CUSTTABLE] WHERE [REFDATAAREAID] = N'ceu';
BEGIN TRY
    EXEC [dbo].[UPG_DELTA_CUSTTABLE] @DATAAREAID = N'ceu', @NEW_ROWS = @N OUTPUT, @UPDATED_ROWS = @U OUTPUT, @DELETED_ROWS = @D OUTPUT;
END TRY
BEGIN CATCH
    SELECT N'autocommit', ERROR_NUMBER(), @@TRANCOUNT;
END CATCH;
SELECT N'after autocommit', COUNT(*), SUM([RECVERSIONID]) FROM [dbo].[UPG_CUSTTABLE] WHERE [REFDATAAREAID] = N'ceu';
BEGIN TRY
    BEGIN TRANSACTION;
    EXEC [dbo].[UPG_DELTA_CUSTTABLE] @DATAAREAID = N'ceu', @NEW_ROWS = @N OUTPUT, @UPDATED_ROWS = @U OUTPUT, @DELETED_ROWS = @D OUTPUT;
    COMMIT TRANSACTION;
END TRY
BEGIN CATCH
    SELECT N'caller', ERROR_NUMBER(), XACT_STATE();
    IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;
END CATCH;
SELECT N'after caller', COUNT(*), SUM([RECVERSIONID]) FROM [dbo].[UPG_CUSTTABLE] WHERE [REFDATAAREAID] = N'ceu';
ALTER TABLE [dbo].[UPG_CUSTTABLE] DROP CONSTRAINT [UPG_CUSTTABLE_NO_FAIL];"
before=$(lines 'before' | cut -f2-)
is "$(lines 'autocommit|caller|after autocommit|after caller')" \
   "$(printf 'autocommit\t547\t0\nafter autocommit\t%s\ncaller\t547\t-1\nafter caller\t%s' "$before" "$before")" \
   "a failing run (CHECK, error 547) changes nothing: in autocommit it rolls back its own transaction; in the caller's it dooms it"
done_testing
