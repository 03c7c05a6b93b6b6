/*
 * transfer_side_mssql.c: what "upkit transfer" asks of a SQL Server system
 * (transfer_side.h): the T-SQL runtime's tables (procs/mssql/:
 * [dbo].[UPKIT_TRANSFER_MARKER] and its values, [dbo].[UPKIT_DELTA_STATE],
 * [dbo].[UPKIT_LIVE_STATE], [dbo].[UPKIT_DELTA_RUN], the validation log,
 * [dbo].[UPKIT_COPY_LEDGER]) and SQL Server's catalog (sys.tables,
 * sys.columns, sys.foreign_keys).  SQL Server 2012: no STRING_AGG, no
 * JSON; the marker's values are rows of [dbo].[UPKIT_TRANSFER_MARKER_VALUE].
 *
 * Parameters arrive as NVARCHAR through sp_executesql (conn_mssql.c), so a
 * number is CAST where it is compared.  A row is locked with (UPDLOCK,
 * HOLDLOCK) to the end of the transaction, the lock
 * [dbo].[UPKIT_RESERVE_NUMBERS] takes, so a reservation in flight is
 * either before the sync (below production's NEXTREC, which only grows)
 * or after it; the number sync itself is the runtime's
 * [dbo].[UPKIT_TRANSFER_SYNC_NUMBER] (50610-50613), which repeats the
 * overlap check under that lock and reads [dbo].[NUMBERSEQUENCETABLE], so
 * the AX schema is dbo.
 *
 * The runtime's tables are all its own: every [dbo].[UPKIT_*] table
 * moves but the ledgers of one system (the copy ledger, the insert runs,
 * the transfer marker and its values, the runner's tables, the runtime's
 * version row).  The runtime has no counter of its own to raise: the run
 * ids of [dbo].[UPKIT_DELTA_RUN] are an IDENTITY column, and SQL Server
 * raises a table's current identity value itself when rows with larger
 * explicit values are inserted (IDENTITY_INSERT, bcp's keep-identity).
 *
 * A moved table with an IDENTITY column on production ([dbo].[UPKIT_DELTA_RUN]
 * among them) is written by the copy's INSERT writer (copy_target_mssql.c:
 * SET IDENTITY_INSERT ON, INSERT ... VALUES with literals, OFF), which
 * keeps the identity values; db-lib's bulk copy cannot (FreeTDS's
 * bcp_control takes BCPKEEPIDENTITY only with a host file).  What that
 * writer cannot write is a column of a type without a T-SQL literal in
 * copy_mssql_literal.c (money, sql_variant, time, datetimeoffset, xml, ...):
 * uncopyable_columns names such columns of a table with an IDENTITY
 * column, a validation problem found before anything is written rather
 * than a copy that fails halfway.  Its list of type names is
 * COPY_TSQL_LITERAL_TYPES (copy_mssql.h), the list the literal writer's
 * own predicate answers from, spelt into the statement when it is
 * compiled (the N'' ahead of them matches no type: a list of names each
 * preceded by a comma needs a first element).
 *
 * --replace empties production's copies with a DELETE per table, children
 * first (transfer_delete_rows), never TRUNCATE TABLE: SQL Server refuses
 * TRUNCATE TABLE on any table a foreign key references, even from a table
 * emptied in the same transaction (the validation log's tables reference
 * one another), and it resets a table's IDENTITY seed, while the run ids
 * of [dbo].[UPKIT_DELTA_RUN] are IDENTITY values that must only grow.
 */
#include "copy_mssql.h"
#include "transfer.h"
#include "transfer_side.h"

/* ", N'int'": one of COPY_TSQL_LITERAL_TYPES spelt for uncopyable_columns' NOT IN (N'', ...). */
#define TSQL_TYPE_NAME(type, systype) ", N'" #type "'"

static const char *const ledgers_mssql[] = {
	"UPKIT_COPY_LEDGER", "UPKIT_INSERT_RUNS", "UPKIT_TRANSFER_MARKER*", "UPKIT_RUNNER_*", "UPKIT_RUNTIME", NULL
};

const struct transfer_side transfer_side_mssql = {
	.dialect = UPKIT_DIALECT_MSSQL,
	.install = "install the upkit runtime there (upkit install --dialect mssql --runtime)",
	.marker = "[dbo].[UPKIT_TRANSFER_MARKER]",
	.delta_state = "[dbo].[UPKIT_DELTA_STATE]",
	.live_state = "[dbo].[UPKIT_LIVE_STATE]",
	.delta_run = "[dbo].[UPKIT_DELTA_RUN]",
	.validation_run = "[dbo].[UPKIT_VALIDATION_RUN]",
	.copy_ledger = "[dbo].[UPKIT_COPY_LEDGER]",
	.delta_state_key = "dbo.UPKIT_DELTA_STATE",
	.dictionary = "SQLDICTIONARY",
	.numbers = "NUMBERSEQUENCETABLE",
	.systemsequences = "SYSTEMSEQUENCES",
	.exists = "SELECT CASE WHEN OBJECT_ID(@P1, N'U') IS NULL THEN 0 ELSE 1 END",
	.resolve = "SELECT TOP (1) T.[name] FROM sys.tables AS T"
	"  JOIN sys.schemas AS S ON S.[schema_id] = T.[schema_id]"
	" WHERE S.[name] = @P1 AND UPPER(T.[name]) = UPPER(@P2)"
	" ORDER BY CASE WHEN T.[name] = @P2 THEN 0 ELSE 1 END",
	.columns = "SELECT C.[name], TYPE_NAME(C.[user_type_id]), C.[max_length], C.[precision], C.[scale]"
	"  FROM sys.columns AS C"
	" WHERE C.[object_id] = OBJECT_ID(QUOTENAME(@P1) + N'.' + QUOTENAME(@P2))"
	" ORDER BY C.[column_id]",
	.uncopyable_columns = "SELECT C.[name], N'of type ' + TYPE_NAME(C.[system_type_id])"
	" + N', which the copy''s INSERT writer (used for a table with an IDENTITY column, to keep its"
	" values) cannot write as a T-SQL literal'"
	"  FROM sys.columns AS C"
	" WHERE C.[object_id] = OBJECT_ID(QUOTENAME(@P1) + N'.' + QUOTENAME(@P2)) AND C.[is_computed] = 0"
	"   AND EXISTS (SELECT 1 FROM sys.columns AS I"
	"                WHERE I.[object_id] = C.[object_id] AND I.[is_identity] = 1)"
	"   AND TYPE_NAME(C.[system_type_id]) NOT IN (N''" COPY_TSQL_LITERAL_TYPES(TSQL_TYPE_NAME) ")"
	" ORDER BY C.[column_id]",
	.table_id = "SELECT D.[TABLEID] FROM %s AS D WHERE D.[FIELDID] = 0 AND UPPER(D.[SQLNAME]) = UPPER(@P1)",
	.state_tables = "SELECT S.[name], T.[name], 0, -1 FROM sys.tables AS T"
	"  JOIN sys.schemas AS S ON S.[schema_id] = T.[schema_id]"
	" WHERE S.[name] = N'dbo' AND T.[name] LIKE N'UPKIT[_]%' ORDER BY T.[name]",
	.ledgers = ledgers_mssql,
	.counter_value = NULL,
	.foreign_keys = "SELECT SCHEMA_NAME(C.[schema_id]), C.[name], SCHEMA_NAME(P.[schema_id]), P.[name]"
	"  FROM sys.foreign_keys AS K"
	"  JOIN sys.tables AS C ON C.[object_id] = K.[parent_object_id]"
	"  JOIN sys.tables AS P ON P.[object_id] = K.[referenced_object_id]"
	" WHERE K.[parent_object_id] <> K.[referenced_object_id]"
	" ORDER BY 1, 2, 3, 4",
	.marker_latest = "SELECT TOP (1) M.[MARKER_ID],"
	"       CASE WHEN M.[TRANSFER_STARTED_AT] IS NULL THEN 0 ELSE 1 END,"
	"       CONVERT(NVARCHAR(33), M.[TRANSFER_DONE_AT], 126), M.[LAST_DELTA_RUN],"
	"       CONVERT(NVARCHAR(33), M.[MARKED_AT], 126)"
	"  FROM [dbo].[UPKIT_TRANSFER_MARKER] AS M ORDER BY M.[MARKED_AT] DESC, M.[MARKER_ID]",
	.delta_runs_since = "SELECT COUNT(*), MAX(R.[SHADOW_TABLE] + N' company ' + R.[DATAAREAID] + N' at '"
	"       + CONVERT(NVARCHAR(33), R.[FINISHED_AT], 126))"
	"  FROM [dbo].[UPKIT_DELTA_RUN] AS R WHERE R.[RUN_ID] > CAST(@P1 AS BIGINT)",
	.validation_runs_since = "SELECT COUNT(*), MAX(V.[SCRIPT] + N' company ''' + V.[DATAAREAID] + N''' at '"
	"       + CONVERT(NVARCHAR(33), V.[STARTED_AT], 126))"
	"  FROM [dbo].[UPKIT_VALIDATION_RUN] AS V WHERE V.[STARTED_AT] > (SELECT M.[MARKED_AT]"
	"  FROM [dbo].[UPKIT_TRANSFER_MARKER] AS M WHERE M.[MARKER_ID] = @P1)",
	.marker_lock = "SELECT CASE WHEN M.[TRANSFER_STARTED_AT] IS NULL THEN 0 ELSE 1 END"
	"  FROM [dbo].[UPKIT_TRANSFER_MARKER] AS M WITH (UPDLOCK, HOLDLOCK)"
	" WHERE M.[MARKER_ID] = @P1 AND M.[TRANSFER_DONE_AT] IS NULL",
	.ledger_forget = "DELETE FROM [dbo].[UPKIT_COPY_LEDGER] WHERE [TARGET_SCHEMA] = @P1 AND [TARGET_TABLE] = @P2",
	.marker_start = "UPDATE [dbo].[UPKIT_TRANSFER_MARKER] SET [TRANSFER_STARTED_AT] = SYSUTCDATETIME(),"
	" [TRANSFER_FROM] = @P2 WHERE [MARKER_ID] = @P1",
	.marker_done = "UPDATE [dbo].[UPKIT_TRANSFER_MARKER] SET [TRANSFER_DONE_AT] = SYSUTCDATETIME()"
	" WHERE [MARKER_ID] = @P1",
	.backup_number = "SELECT V.[VALUE] FROM [dbo].[UPKIT_TRANSFER_MARKER_VALUE] AS V"
	" WHERE V.[MARKER_ID] = @P1 AND V.[KIND] = N'number' AND V.[SEQ_KEY] = @P2",
	.backup_recid = "SELECT V.[VALUE] FROM [dbo].[UPKIT_TRANSFER_MARKER_VALUE] AS V"
	" WHERE V.[MARKER_ID] = @P1 AND V.[KIND] = N'recid' AND V.[SEQ_KEY] = @P2",
	.delta_not_ready = "SELECT D.[SHADOW_TABLE], D.[DATAAREAID], D.[NEW_ROWS], D.[UPDATED_ROWS], D.[DELETED_ROWS]"
	"  FROM [dbo].[UPKIT_DELTA_STATE] AS D WHERE D.[READY_TO_COPY] = 0 ORDER BY 1, 2",
	.live_not_done = "SELECT L.[SHADOW_TABLE], L.[DATAAREAID], L.[STATUS] FROM [dbo].[UPKIT_LIVE_STATE] AS L"
	" WHERE L.[STATUS] <> 'done' ORDER BY 1, 2",
	.delta_state_rows = "SELECT COUNT(*) FROM [dbo].[UPKIT_DELTA_STATE] AS D WHERE D.[SHADOW_TABLE] = @P1",
	.clear_ready = "UPDATE [dbo].[UPKIT_DELTA_STATE] SET [READY_TO_COPY] = 0",
	.read_number = "SELECT N.[NEXTREC], N.[HIGHEST], N.[FORMAT] FROM %s AS N%s"
	" WHERE N.[DATAAREAID] = @P1 AND N.[NUMBERSEQUENCE] = @P2",
	.read_recid = "SELECT S.[NEXTVAL], 0, N'' FROM %s AS S%s WHERE S.[ID] = -1 AND S.[TABID] = CAST(@P1 AS INT)",
	.lock_row = " WITH (UPDLOCK, HOLDLOCK)",
	.sync_number = "DECLARE @AT_BACKUP BIGINT = CAST(@P3 AS BIGINT), @TEST_NEXTREC BIGINT = CAST(@P4 AS BIGINT),"
	" @TEST_HIGHEST BIGINT = CAST(@P5 AS BIGINT), @NEXTREC BIGINT;"
	" EXEC [dbo].[UPKIT_TRANSFER_SYNC_NUMBER] @DATAAREAID = @P1, @NUMBERSEQUENCE = @P2,"
	" @AT_BACKUP = @AT_BACKUP, @TEST_NEXTREC = @TEST_NEXTREC, @TEST_HIGHEST = @TEST_HIGHEST,"
	" @NEXTREC = @NEXTREC OUTPUT;",
	.sync_schema = "dbo",
	.sync_serials = NULL,
	.raise_counter = NULL,
	.empty = transfer_delete_rows,
};
