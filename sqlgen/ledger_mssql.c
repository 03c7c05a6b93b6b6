/*
 * ledger_mssql.c: the runner's ledger on SQL Server (ledger.h): the tables
 * [dbo].[UPKIT_RUNNER_RUNS] and [dbo].[UPKIT_RUNNER_JOBS] of the runtime
 * (procs/mssql/UPKIT_RUNNER_LEDGER.sql), the companies of [dbo].[DATAAREA],
 * table sizes from sys.partitions, and the EXEC of a generated procedure.
 * SQL Server 2012: no CREATE OR ALTER, no MERGE needed; an upsert reads the
 * row WITH (UPDLOCK, HOLDLOCK) in a transaction of its own first.
 */
#include <stdlib.h>
#include <string.h>

#include "ident.h"
#include "ledger.h"
#include "units.h"

#define JOBS "[dbo].[UPKIT_RUNNER_JOBS]"
#define RUNS "[dbo].[UPKIT_RUNNER_RUNS]"
#define KEY "[PLAN_NAME] = @P1 AND [RUN] = CAST(@P2 AS INT) AND [JOB] = @P3 AND [COMPANY] = @P4"

/*
 * The job's own lock: an application lock (sp_getapplock) owned by the
 * job's transaction, on a resource named by a hash of the key (a name of
 * at most 255 characters whatever the key's length).  Two keys with one
 * hash would only wait for each other.
 */
#define LOCK_KEY "N'upkit job ' + CONVERT(NVARCHAR(64), HASHBYTES('SHA2_256', @P1 + NCHAR(31) + @P2" \
	" + NCHAR(31) + @P3 + NCHAR(31) + @P4), 2)"
#define DONE_MSG "done in the ledger: another runner did this job already"
/* The message of a 'running' row: the session that runs the job. */
#define RUNNING_ON(spid) "N'running on session ' + CAST(" spid " AS NVARCHAR(12))"

/*
 * The job and company go into #UPKIT_JOB, which the session keeps (a
 * temporary table made inside sp_executesql would end with it).
 */
static int
ms_set_context(struct upkit_conn *c, const char *job, const char *company, int local)
{
	const char *params[2] = {job, company};

	(void) local;
	if (c->ops->exec(c, "IF OBJECT_ID(N'tempdb..#UPKIT_JOB') IS NULL"
					 " CREATE TABLE #UPKIT_JOB ([JOB] NVARCHAR(64) NOT NULL, [COMPANY] NVARCHAR(128) NOT NULL);") != 0)
		return -1;
	return c->ops->query(c, "DELETE FROM #UPKIT_JOB; INSERT INTO #UPKIT_JOB ([JOB], [COMPANY]) VALUES (@P1, @P2);",
						 2, params, NULL);
}

static void
qualified(struct strbuf *sql, const struct upkit_qname *q)
{
	upkit_quote_qualified(sql, q->schema ? q->schema : "dbo", q->name, UPKIT_DIALECT_MSSQL);
}

/* EXEC proc @DATAAREAID = @P1, ...: by the names the kind's call hook gives (its template's). */
static int
ms_call(struct strbuf *sql, const struct upkit_plan_job *j, const char *company, const char **params)
{
	int			n = upkit_job_call_args(j, company, params);

	sb_append(sql, "EXEC ");
	qualified(sql, j->call.procedure);
	for (int i = 0; i < n; i++)
		sb_appendf(sql, "%s @%s = @P%d", i ? "," : "", j->call.params[i].name, i + 1);
	sb_append(sql, ";");
	return n;
}

/*
 * A script is batches separated by GO lines, as sqlcmd reads it: cut the
 * way the runtime's own files are (upkit_unit_append_script, the one
 * place that knows a GO line), as one unit that is never installed.
 */
static int
ms_script(struct upkit_conn *c, const char *text)
{
	struct upkit_units us = UPKIT_UNITS_INIT;
	struct upkit_unit *u = upkit_unit_add(&us, UPKIT_DIALECT_MSSQL, "script", NULL, "script", NULL, NULL);
	int			rc = 0;

	upkit_unit_append_script(u, text, strlen(text));
	upkit_unit_end_batch(u);
	for (int i = 0; i < u->n_batches && rc == 0; i++)
		rc = c->ops->exec(c, u->batches[i]);
	upkit_units_free(&us);
	return rc;
}

const struct upkit_ledger_sql upkit_ledger_mssql = {
	.session = NULL,			/* SQL Server 2012 has no delayed durability */
	.ready = "SELECT CASE WHEN OBJECT_ID(N'" JOBS "', N'U') IS NOT NULL"
	" AND OBJECT_ID(N'" RUNS "', N'U') IS NOT NULL THEN 1 ELSE 0 END",
	.missing = "has no runner ledger (" JOBS "): install the runtime first (upkit install --dialect mssql ... --runtime)",
	.last_run = "SELECT MAX([RUN]) FROM " RUNS " WHERE [PLAN_NAME] = @P1",
	.add_run = "SET XACT_ABORT ON; BEGIN TRANSACTION;"
	" IF EXISTS (SELECT 1 FROM " RUNS " WITH (UPDLOCK, HOLDLOCK) WHERE [PLAN_NAME] = @P1 AND [RUN] = CAST(@P2 AS INT))"
	"   UPDATE " RUNS " SET [STATE] = N'running', [ENDED_AT] = NULL WHERE [PLAN_NAME] = @P1 AND [RUN] = CAST(@P2 AS INT);"
	" ELSE INSERT INTO " RUNS " ([PLAN_NAME], [RUN]) VALUES (@P1, CAST(@P2 AS INT));"
	" COMMIT TRANSACTION;",
	.end_run = "UPDATE " RUNS " SET [STATE] = @P3, [ENDED_AT] = SYSDATETIME()"
	" WHERE [PLAN_NAME] = @P1 AND [RUN] = CAST(@P2 AS INT);",
	.paused = "SELECT CAST([PAUSED] AS INT) FROM " RUNS " WHERE [PLAN_NAME] = @P1 AND [RUN] = CAST(@P2 AS INT);",
	.set_paused = "DECLARE @R INT = (SELECT MAX([RUN]) FROM " RUNS " WHERE [PLAN_NAME] = @P1);"
	" UPDATE " RUNS " SET [PAUSED] = CAST(@P2 AS BIT) WHERE [PLAN_NAME] = @P1 AND [RUN] = @R;"
	" IF @@ROWCOUNT > 0 SELECT @R;",
	.job_states = "SELECT [JOB], [COMPANY], [STATE] FROM " JOBS " WHERE [PLAN_NAME] = @P1 AND [RUN] = CAST(@P2 AS INT);",
	.job_start = "SET XACT_ABORT ON; DECLARE @S NVARCHAR(20); BEGIN TRANSACTION;"
	" SELECT @S = [STATE] FROM " JOBS " WITH (UPDLOCK, HOLDLOCK) WHERE " KEY ";"
	" IF @S IS NULL INSERT INTO " JOBS " ([PLAN_NAME], [RUN], [JOB], [COMPANY], [STATE], [ATTEMPTS], [STARTED_AT], [MESSAGE])"
	"   VALUES (@P1, CAST(@P2 AS INT), @P3, @P4, N'running', 1, SYSDATETIME(), " RUNNING_ON("@@SPID") ");"
	" ELSE IF @S <> N'done' UPDATE " JOBS " SET [STATE] = N'running', [ATTEMPTS] = [ATTEMPTS] + 1,"
	"   [STARTED_AT] = SYSDATETIME(), [ENDED_AT] = NULL, [ROWS] = NULL, [MESSAGE] = " RUNNING_ON("@@SPID") " WHERE " KEY ";"
	" COMMIT TRANSACTION;"
	" SELECT CASE WHEN @S = N'done' THEN 0 ELSE 1 END;",
	/*
	 * In the job's transaction (the runner's BEGIN TRANSACTION): the lock,
	 * then the check, a statement after it (under READ_COMMITTED_SNAPSHOT
	 * too it reads what was committed before the lock was granted).
	 */
	.job_enter = "DECLARE @K NVARCHAR(255) = " LOCK_KEY "; DECLARE @L INT;"
	" EXEC @L = sp_getapplock @Resource = @K, @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = -1;"
	" IF @L < 0 RAISERROR(N'cannot take the job''s lock %s (sp_getapplock returned %d)', 16, 1, @K, @L);"
	" ELSE IF EXISTS (SELECT 1 FROM " JOBS " WHERE " KEY " AND [STATE] = N'done')"
	"   RAISERROR(N'" DONE_MSG "', 16, 1);"
	" ELSE SELECT CONVERT(NVARCHAR(27), SYSDATETIME(), 126);",
	.job_check = NULL,
	.job_finish = "DECLARE @S NVARCHAR(20), @M NVARCHAR(4000),"
	" @T DATETIME2 = COALESCE(CONVERT(DATETIME2, @P7, 126), SYSDATETIME());"
	" SELECT @S = [STATE], @M = [MESSAGE] FROM " JOBS " WITH (UPDLOCK, HOLDLOCK) WHERE " KEY ";"
	" IF @S = N'done' RAISERROR(N'" DONE_MSG "', 16, 1);"
	" ELSE IF @S IS NULL INSERT INTO " JOBS " ([PLAN_NAME], [RUN], [JOB], [COMPANY], [STATE], [ATTEMPTS],"
	"   [STARTED_AT], [ENDED_AT], [ROWS], [MESSAGE])"
	"   VALUES (@P1, CAST(@P2 AS INT), @P3, @P4, N'done', 1, @T, SYSDATETIME(), CAST(@P5 AS BIGINT), @P6);"
	" ELSE UPDATE " JOBS " SET [STATE] = N'done',"
	"   [ATTEMPTS] = [ATTEMPTS] + CASE WHEN @S = N'running' AND @M = " RUNNING_ON("@@SPID") " THEN 0 ELSE 1 END,"
	"   [STARTED_AT] = @T, [ENDED_AT] = SYSDATETIME(), [ROWS] = CAST(@P5 AS BIGINT), [MESSAGE] = @P6 WHERE " KEY ";",
	/*
	 * Only while the job's lock is held by another session (its
	 * transaction runs): APPLOCK_TEST in this batch's own transaction,
	 * after the row's lock is taken, so a mark never lands after the job's
	 * own 'done' or its failure (written after the job's transaction ended).
	 */
	.job_mark = "SET XACT_ABORT ON; DECLARE @S NVARCHAR(20), @K NVARCHAR(255) = " LOCK_KEY ";"
	" BEGIN TRANSACTION;"
	" SELECT @S = [STATE] FROM " JOBS " WITH (UPDLOCK, HOLDLOCK) WHERE " KEY ";"
	" IF APPLOCK_TEST(N'public', @K, N'Exclusive', N'Transaction') = 0"
	" BEGIN"
	"   IF @S IS NULL INSERT INTO " JOBS " ([PLAN_NAME], [RUN], [JOB], [COMPANY], [STATE], [ATTEMPTS], [STARTED_AT], [MESSAGE])"
	"     VALUES (@P1, CAST(@P2 AS INT), @P3, @P4, N'running', 1,"
	"     DATEADD(MILLISECOND, -CAST(CAST(@P6 AS FLOAT) * 1000 AS INT), SYSDATETIME()), " RUNNING_ON("@P5") ");"
	"   ELSE IF @S <> N'done' UPDATE " JOBS " SET [STATE] = N'running', [ATTEMPTS] = [ATTEMPTS] + 1,"
	"     [STARTED_AT] = DATEADD(MILLISECOND, -CAST(CAST(@P6 AS FLOAT) * 1000 AS INT), SYSDATETIME()),"
	"     [ENDED_AT] = NULL, [ROWS] = NULL, [MESSAGE] = " RUNNING_ON("@P5") " WHERE " KEY ";"
	" END"
	" COMMIT TRANSACTION;",
	.job_done = "UPDATE " JOBS " SET [STATE] = N'done', [ENDED_AT] = SYSDATETIME(),"
	" [ROWS] = CAST(@P5 AS BIGINT), [MESSAGE] = @P6 WHERE " KEY ";",
	.job_end = "SET XACT_ABORT ON; DECLARE @S NVARCHAR(20), @M NVARCHAR(4000); BEGIN TRANSACTION;"
	" SELECT @S = [STATE], @M = [MESSAGE] FROM " JOBS " WITH (UPDLOCK, HOLDLOCK) WHERE " KEY ";"
	" IF @S IS NULL INSERT INTO " JOBS " ([PLAN_NAME], [RUN], [JOB], [COMPANY], [STATE], [ATTEMPTS],"
	"   [STARTED_AT], [ENDED_AT], [MESSAGE])"
	"   VALUES (@P1, CAST(@P2 AS INT), @P3, @P4, @P5, 1,"
	"   DATEADD(MILLISECOND, -CAST(CAST(@P7 AS FLOAT) * 1000 AS INT), SYSDATETIME()), SYSDATETIME(), @P6);"
	" ELSE IF @S = N'running' AND @M = " RUNNING_ON("@@SPID")
	"   UPDATE " JOBS " SET [STATE] = @P5, [ENDED_AT] = SYSDATETIME(), [ROWS] = NULL, [MESSAGE] = @P6 WHERE " KEY ";"
	" ELSE IF @S <> N'done' UPDATE " JOBS " SET [STATE] = @P5, [ATTEMPTS] = [ATTEMPTS] + 1,"
	"   [STARTED_AT] = DATEADD(MILLISECOND, -CAST(CAST(@P7 AS FLOAT) * 1000 AS INT), SYSDATETIME()),"
	"   [ENDED_AT] = SYSDATETIME(), [ROWS] = NULL, [MESSAGE] = @P6 WHERE " KEY ";"
	" COMMIT TRANSACTION;",
	.job_skip = "SET XACT_ABORT ON; BEGIN TRANSACTION;"
	" IF EXISTS (SELECT 1 FROM " JOBS " WITH (UPDLOCK, HOLDLOCK) WHERE " KEY ")"
	"   UPDATE " JOBS " SET [STATE] = N'skipped', [ENDED_AT] = SYSDATETIME(), [MESSAGE] = @P5"
	"   WHERE " KEY " AND [STATE] <> N'done';"
	" ELSE INSERT INTO " JOBS " ([PLAN_NAME], [RUN], [JOB], [COMPANY], [STATE], [ENDED_AT], [MESSAGE])"
	"   VALUES (@P1, CAST(@P2 AS INT), @P3, @P4, N'skipped', SYSDATETIME(), @P5);"
	" COMMIT TRANSACTION;",
	.backend = "SELECT @@SPID;",
	.live_pause = "UPDATE [dbo].[UPKIT_LIVE_STATE] SET [CONTROL] = 'pause'"
	" WHERE [SESSION_ID] = CAST(@P1 AS INT) AND [STATUS] = 'running';",
	/* The live state's times are UTC, the ledger's the server's local time. */
	.live_paused = "SELECT CASE WHEN EXISTS (SELECT 1 FROM [dbo].[UPKIT_LIVE_STATE] AS st"
	" JOIN " JOBS " AS r ON r.[PLAN_NAME] = @P1 AND r.[RUN] = CAST(@P2 AS INT) AND r.[JOB] = @P3 AND r.[COMPANY] = @P4"
	" WHERE st.[SESSION_ID] = @@SPID AND st.[STATUS] = 'paused'"
	" AND st.[FINISHED_AT] >= DATEADD(MINUTE, DATEDIFF(MINUTE, SYSDATETIME(), SYSUTCDATETIME()), r.[STARTED_AT]))"
	" THEN 1 ELSE 0 END;",
	.job_note = "UPDATE " JOBS " SET [MESSAGE] = @P5 WHERE " KEY ";",
	.job_recheck = "UPDATE " JOBS " SET [STATE] = N'pending', [MESSAGE] = @P5 WHERE " KEY " AND [STATE] = N'done';",
	.status = "SELECT [JOB], [COMPANY], [STATE], [ATTEMPTS], CONVERT(NVARCHAR(19), [STARTED_AT], 120),"
	" CONVERT(NVARCHAR(20), CAST(DATEDIFF(MILLISECOND, [STARTED_AT], [ENDED_AT]) / 1000.0 AS DECIMAL(12, 2))),"
	" [ROWS], [MESSAGE] FROM " JOBS " WHERE [PLAN_NAME] = @P1 AND [RUN] = CAST(@P2 AS INT)"
	" ORDER BY CASE WHEN [STARTED_AT] IS NULL THEN 1 ELSE 0 END, [STARTED_AT], [JOB], [COMPANY];",
	.run_info = "SELECT [STATE], CAST([PAUSED] AS INT), CONVERT(NVARCHAR(19), [STARTED_AT], 120),"
	" CONVERT(NVARCHAR(19), [ENDED_AT], 120) FROM " RUNS " WHERE [PLAN_NAME] = @P1 AND [RUN] = CAST(@P2 AS INT);",
	.companies = "SELECT [ID] FROM [dbo].[DATAAREA] WHERE [ISVIRTUAL] = 0 ORDER BY [ID];",
	.table_size = "SELECT SUM(p.[rows]) FROM sys.partitions AS p"
	" WHERE p.[object_id] = OBJECT_ID(@P1) AND p.[index_id] IN (0, 1);",
	.flush = NULL,				/* every commit is durable: no delayed durability in 2012 */
	.done_mark = DONE_MSG,
	.wrapped_script = NULL,
	.set_context = ms_set_context,
	.call = ms_call,
	.script = ms_script,
};
