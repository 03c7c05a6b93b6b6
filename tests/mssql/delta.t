#!/usr/bin/env bash
# delta.t: the generated T-SQL delta procedures on a real TDS engine, in a
# scratch database of its own (skipped without UPKIT_MSSQL; see lib.sh):
# first the fixture (tests/fixtures/delta/fixture.mssql.sql), since the
# classification is an inline table-valued function whose table names are
# resolved when it is created (docs/mssql.md), and a state table as upkit
# 0.2's delta scripts created it.  Then: the delta script
# refuses to install without the runtime (50101); upkit install --runtime
# of the three delta specs, twice, upgrades the 0.2 state table in place
# and records the runtime version; a runtime older than the database's is
# refused (50100); preprocessing counts, a second run that finds nothing,
# the known changes, the read-only report, the delta counts (RECVERSION,
# content and shared), the shadow rows after the run, idempotence, the
# state rows, the run log and NAME_READY; a failing run that leaves
# shadow, state, run log and @@TRANCOUNT as they were, both in autocommit
# mode and inside the caller's transaction; source rows without RECID or
# DATAAREAID fail run and report alike (50102) and are never ready.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
if [ -z "${UPKIT_MSSQL:-}" ]; then skip_all "UPKIT_MSSQL not set: no SQL Server configured"; fi
. "$(dirname "$0")/lib.sh"
cd "$TOP"

specs=(tests/fixtures/delta/custtable.json tests/fixtures/delta/custtable_content.json
       tests/fixtures/delta/currency_shared.json)
plan 32

lines() { printf '%s\n' "$out" | grep -E "^($1)"$'\t' || true; }
install() {
  run "$UPKIT" install --dialect mssql --server "$UPKIT_MSSQL" --database "$UPKIT_MSSQL_DATABASE" \
    --user "$UPKIT_MSSQL_USER" "$@" "${specs[@]}"
}

# The fixture's tables, and the state table as upkit 0.2's generated scripts
# created it, with a row.
q "$(cat tests/fixtures/delta/fixture.mssql.sql)
CREATE TABLE [dbo].[UPKIT_DELTA_STATE] (
    [SHADOW_TABLE]  NVARCHAR(257) NOT NULL,
    [DATAAREAID]    NVARCHAR(100) NOT NULL,
    [SOURCE_TABLE]  NVARCHAR(257) NOT NULL,
    [NEW_ROWS]      BIGINT        NOT NULL,
    [UPDATED_ROWS]  BIGINT        NOT NULL,
    [DELETED_ROWS]  BIGINT        NOT NULL,
    [CHANGED_AT]    DATETIME2     NOT NULL,
    [READY_TO_COPY] BIT           NOT NULL,
    CONSTRAINT [PK_UPKIT_DELTA_STATE] PRIMARY KEY ([SHADOW_TABLE], [DATAAREAID]));
INSERT INTO [dbo].[UPKIT_DELTA_STATE] VALUES (N'dbo.UPG_OLD', N'dat', N'dbo.OLD', 2, 2, 1, '2024-05-01T10:00:00', 1);"
is "$rc" 0 "the fixture's tables and a state table of upkit 0.2 are in place"
[ "$rc" -eq 0 ] || diag "$err"

install --no-runtime
is "$rc" 1 "without the runtime the delta procedures do not install"
like "$err" "needs the upkit runtime 0.3 or later" "... and the error (50101) says what is missing"

install --runtime
is "$rc" 0 "upkit install --dialect mssql --runtime with the three delta specs succeeds"
[ "$rc" -eq 0 ] || diag "$err"
install --runtime
is "$rc" 0 "installing them a second time is harmless"
q "SELECT N'version', [VERSION] FROM [dbo].[UPKIT_RUNTIME] WHERE [COMPONENT] = N'runtime';
SELECT N'old', [NEW_ROWS], [UPDATED_ROWS], [DELETED_ROWS], [READY_TO_COPY],
       CASE WHEN [LAST_RUN_AT] = [CHANGED_AT] THEN 1 ELSE 0 END, [LAST_RUN_ID]
  FROM [dbo].[UPKIT_DELTA_STATE] WHERE [SHADOW_TABLE] = N'dbo.UPG_OLD';
SELECT N'nullable', COLUMNPROPERTY(OBJECT_ID(N'dbo.UPKIT_DELTA_STATE'), N'LAST_RUN_AT', 'AllowsNull');"
is "$(lines 'version')" "$(printf 'version\t%s' "$(sed -n "s/^default_version = '\(.*\)'$/\1/p" extension/upkit.control)")" \
   "the runtime records its version in [dbo].[UPKIT_RUNTIME], the extension's version"
is "$(lines 'old|nullable')" "$(printf 'old\t2\t2\t1\t0\t1\t\\N\nnullable\t0')" \
   "the 0.2 state table was upgraded in place: its row kept, not ready until a run confirms it, LAST_RUN_AT NOT NULL"

q "UPDATE [dbo].[UPKIT_RUNTIME] SET [VERSION] = N'0.9' WHERE [COMPONENT] = N'runtime';"
install --runtime
is "$rc" 1 "a runtime older than the database's is refused"
like "$err" "this database holds upkit runtime 0\.9, newer than this script's 0\.5" "... with error 50100 naming both versions"
q "SELECT N'version', [VERSION] FROM [dbo].[UPKIT_RUNTIME] WHERE [COMPONENT] = N'runtime';
UPDATE [dbo].[UPKIT_RUNTIME] SET [VERSION] = N'0.5' WHERE [COMPONENT] = N'runtime';"
is "$(lines 'version')" "$(printf 'version\t0.9')" "... and the refused install changed nothing"

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
SELECT N'ready clean', [dbo].[UPG_DELTA_CUSTTABLE_READY](N'dat'), [dbo].[UPG_DELTA_CUSTTABLE_READY](N'ceu');
$(cat tests/fixtures/delta/fixture_changes.mssql.sql)
SELECT N'ready changed', [dbo].[UPG_DELTA_CUSTTABLE_READY](N'dat');
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
 ORDER BY [SHADOW_TABLE], [DATAAREAID];
SELECT N'runs', [OUTCOME], COUNT(*) FROM [dbo].[UPKIT_DELTA_RUN] GROUP BY [OUTCOME] ORDER BY [OUTCOME];
SELECT N'latest', COUNT(*) FROM [dbo].[UPKIT_DELTA_STATE] AS ST
 WHERE ST.[LAST_RUN_ID] = (SELECT MAX(R.[RUN_ID]) FROM [dbo].[UPKIT_DELTA_RUN] AS R
                            WHERE R.[SHADOW_TABLE] = ST.[SHADOW_TABLE] AND R.[DATAAREAID] = ST.[DATAAREAID]);
SELECT N'ready end', [dbo].[UPG_DELTA_CUSTTABLE_C_READY](N'dat'), [dbo].[UPG_DELTA_CUSTTABLE_READY](N'dat');"
is "$rc" 0 "the preprocessing and the delta runs go through"
[ "$rc" -eq 0 ] || diag "$err"
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
is "$(lines 'ready [a-z]+')" "$(printf 'ready clean\t1\t0\nready changed\t0\nready end\t1\t0')" \
   "NAME_READY: 1 after a clean run (dat), 0 after a run that changed something (ceu) or a change since, 1 after a clean run again"
want=$(printf 'state\tdbo.UPG_CURRENCY\tdat,ceu\t1\t1\t1\t0
state\tdbo.UPG_CUSTTABLE\tceu\t1\t1\t2\t0
state\tdbo.UPG_CUSTTABLE\tdat\t2\t2\t1\t0
state\tdbo.UPG_CUSTTABLE_C\tdat\t2\t3\t1\t1')
is "$(lines 'state')" "$want" "the state rows: counts of the latest run that changed something; ready only where the latest run was clean"
is "$(lines 'runs|latest')" "$(printf 'runs\tchanged\t8\nruns\tclean\t3\nlatest\t4')" \
   "the run log holds every run, the clean ones too, and each state row points at its latest run"

# All or nothing: a shadow row that cannot be written fails the run after its
# DELETE; in autocommit mode (own transaction) and in the caller's.
q "DECLARE @N BIGINT, @U BIGINT, @D BIGINT;
UPDATE [dbo].[CUSTTABLE] SET [CREDITMAX] = 150, [RECVERSION] = [RECVERSION] + 1 WHERE [RECID] = 5637146001;
DELETE FROM [dbo].[CUSTTABLE] WHERE [RECID] = 5637146002;
INSERT INTO [dbo].[CUSTTABLE] ([RECID], [DATAAREAID], [ACCOUNTNUM], [NAME], [CUSTGROUP]) VALUES (5637146006, N'ceu', N'C-FAIL', N'Bad row', N'10');
ALTER TABLE [dbo].[UPG_CUSTTABLE] ADD CONSTRAINT [UPG_CUSTTABLE_NO_FAIL] CHECK ([ACCOUNTNUM] <> N'C-FAIL');
SELECT N'before', COUNT(*), SUM([RECVERSIONID]) FROM [dbo].[UPG_CUSTTABLE] WHERE [REFDATAAREAID] = N'ceu';
SELECT N'runs before', COUNT(*) FROM [dbo].[UPKIT_DELTA_RUN];
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
SELECT N'runs after', COUNT(*) FROM [dbo].[UPKIT_DELTA_RUN];
ALTER TABLE [dbo].[UPG_CUSTTABLE] DROP CONSTRAINT [UPG_CUSTTABLE_NO_FAIL];"
before=$(lines 'before' | cut -f2-)
is "$(lines 'autocommit|caller|after autocommit|after caller')" \
   "$(printf 'autocommit\t547\t0\nafter autocommit\t%s\ncaller\t547\t-1\nafter caller\t%s' "$before" "$before")" \
   "a failing run (CHECK, error 547) changes nothing: in autocommit it rolls back its own transaction; in the caller's it dooms it"
is "$(lines 'runs after' | cut -f2)" "$(lines 'runs before' | cut -f2)" "... and leaves no run log row"

# Source rows without a key: CUSTTABLE loses its primary key and NOT NULLs.
q "DECLARE @PK SYSNAME, @SQL NVARCHAR(MAX);
SELECT @PK = [name] FROM sys.key_constraints WHERE [parent_object_id] = OBJECT_ID(N'dbo.CUSTTABLE') AND [type] = 'PK';
SET @SQL = N'ALTER TABLE [dbo].[CUSTTABLE] DROP CONSTRAINT ' + QUOTENAME(@PK);
EXEC (@SQL);
ALTER TABLE [dbo].[CUSTTABLE] ALTER COLUMN [RECID] BIGINT NULL;
ALTER TABLE [dbo].[CUSTTABLE] ALTER COLUMN [DATAAREAID] NVARCHAR(4) NULL;"
is "$rc" 0 "CUSTTABLE accepts rows without RECID or DATAAREAID"
[ "$rc" -eq 0 ] || diag "$err"
q "DECLARE @N BIGINT, @U BIGINT, @D BIGINT;
EXEC [dbo].[UPG_DELTA_CUSTTABLE_C] @DATAAREAID = N'dat', @NEW_ROWS = @N OUTPUT, @UPDATED_ROWS = @U OUTPUT, @DELETED_ROWS = @D OUTPUT;
SELECT N'ready before', [dbo].[UPG_DELTA_CUSTTABLE_C_READY](N'dat');
INSERT INTO [dbo].[CUSTTABLE] ([RECID], [DATAAREAID], [ACCOUNTNUM], [NAME]) VALUES
    (NULL, N'dat', N'C-NOKEY', N'No RECID'), (5637199001, NULL, N'C-NOCOMP', N'No company');
SELECT N'runs before', COUNT(*) FROM [dbo].[UPKIT_DELTA_RUN];
BEGIN TRY
    EXEC [dbo].[UPG_DELTA_CUSTTABLE_C] @DATAAREAID = N'dat', @NEW_ROWS = @N OUTPUT, @UPDATED_ROWS = @U OUTPUT, @DELETED_ROWS = @D OUTPUT;
END TRY
BEGIN CATCH
    SELECT N'run', ERROR_NUMBER(), ERROR_MESSAGE(), @@TRANCOUNT;
END CATCH;
BEGIN TRY
    EXEC [dbo].[UPG_DELTA_CUSTTABLE_C_REPORT] @DATAAREAID = N'dat';
END TRY
BEGIN CATCH
    SELECT N'report', ERROR_NUMBER(), ERROR_MESSAGE();
END CATCH;
BEGIN TRY
    EXEC [dbo].[UPG_DELTA_CUSTTABLE] @DATAAREAID = N'ceu', @NEW_ROWS = @N OUTPUT, @UPDATED_ROWS = @U OUTPUT, @DELETED_ROWS = @D OUTPUT;
END TRY
BEGIN CATCH
    SELECT N'other company', ERROR_NUMBER(), ERROR_MESSAGE();
END CATCH;
SELECT N'ready after', [dbo].[UPG_DELTA_CUSTTABLE_C_READY](N'dat');
SELECT N'runs after', COUNT(*) FROM [dbo].[UPKIT_DELTA_RUN];
DELETE FROM [dbo].[CUSTTABLE] WHERE [RECID] IS NULL OR [DATAAREAID] IS NULL;
EXEC [dbo].[UPG_DELTA_CUSTTABLE_C] @DATAAREAID = N'dat', @NEW_ROWS = @N OUTPUT, @UPDATED_ROWS = @U OUTPUT, @DELETED_ROWS = @D OUTPUT;
SELECT N'fixed', @N, @U, @D, [dbo].[UPG_DELTA_CUSTTABLE_C_READY](N'dat');"
is "$rc" 0 "the batch with keyless source rows runs"
[ "$rc" -eq 0 ] || diag "$err"
msg='upkit delta: dbo.CUSTTABLE has 1 row with a NULL RECID in company dat and 1 row with a NULL DATAAREAID; nothing was changed and the shadow is not ready to copy. Give the rows their RECID and DATAAREAID (or delete them), then run again.'
is "$(lines 'run')" "$(printf 'run\t50102\t%s\t0' "$msg")" "a run that meets them fails with 50102, naming the table, the company and both counts"
is "$(lines 'report')" "$(printf 'report\t50102\t%s' "$msg")" "the report fails with the same error"
like "$(lines 'other company')" "^other company"$'\t'"50102"$'\t'"upkit delta: dbo.CUSTTABLE has 0 rows with a NULL RECID in company ceu and 1 row with a NULL DATAAREAID" \
     "a NULL DATAAREAID fails every company's run"
is "$(lines 'ready before|ready after')" "$(printf 'ready before\t1\nready after\t0')" "the shadow was ready to copy before the rows came, and is not with them"
is "$(lines 'runs after' | cut -f2)" "$(lines 'runs before' | cut -f2)" "the failed runs left no run log row"
is "$(lines 'fixed')" "$(printf 'fixed\t0\t0\t0\t1')" "once the rows are gone the run is clean and the shadow ready again"
done_testing
