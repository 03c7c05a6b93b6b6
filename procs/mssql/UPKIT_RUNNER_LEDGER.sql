-- [dbo].[UPKIT_RUNNER_RUNS] and [dbo].[UPKIT_RUNNER_JOBS]: the ledger of
-- "upkit run" (DESIGN.md "Jobs, plans and the runner"; docs/runner.md), as
-- upkit.runner_runs and upkit.runner_jobs are on PostgreSQL.  One row per
-- run of a plan, one row per job and company of a run.  A job's row says
-- 'done' only in the transaction that did the job's work: the runner reads
-- the row WITH (UPDLOCK, HOLDLOCK), refuses to run a job whose row says
-- 'done', does the work and sets 'done' before it commits, so a crash of
-- the runner or the server leaves either both or neither.  The other
-- states are written in transactions of their own.  PAUSED is the control
-- flag of "upkit pause" / "upkit resume".
--
-- Created when missing, never dropped: installing the runtime again keeps
-- the ledger.  The job key (128 + 4 + 128 + 256 bytes) stays under SQL Server
-- 2012's 900-byte index key limit (plan and job names have at most 63).
SET ANSI_NULLS ON;
GO
SET QUOTED_IDENTIFIER ON;
GO
IF OBJECT_ID(N'[dbo].[UPKIT_RUNNER_RUNS]', N'U') IS NULL
    CREATE TABLE [dbo].[UPKIT_RUNNER_RUNS] (
        [PLAN_NAME]  NVARCHAR(64)  NOT NULL,  -- the plan's "name"
        [RUN]        INT           NOT NULL,  -- 1, 2, ...: a new run on purpose (upkit run --new-run)
        [STARTED_AT] DATETIME2     NOT NULL CONSTRAINT [DF_UPKIT_RUNNER_RUNS_STARTED_AT] DEFAULT SYSDATETIME(),
        [STARTED_BY] NVARCHAR(128) NOT NULL CONSTRAINT [DF_UPKIT_RUNNER_RUNS_STARTED_BY] DEFAULT SUSER_SNAME(),
        [ENDED_AT]   DATETIME2     NULL,
        [STATE]      NVARCHAR(20)  NOT NULL CONSTRAINT [DF_UPKIT_RUNNER_RUNS_STATE] DEFAULT N'running'
                     CONSTRAINT [CK_UPKIT_RUNNER_RUNS_STATE] CHECK ([STATE] IN (N'running', N'done', N'failed', N'interrupted')),
        [PAUSED]     BIT           NOT NULL CONSTRAINT [DF_UPKIT_RUNNER_RUNS_PAUSED] DEFAULT 0,
        CONSTRAINT [PK_UPKIT_RUNNER_RUNS] PRIMARY KEY ([PLAN_NAME], [RUN])
    );
GO
IF OBJECT_ID(N'[dbo].[UPKIT_RUNNER_JOBS]', N'U') IS NULL
    CREATE TABLE [dbo].[UPKIT_RUNNER_JOBS] (
        [PLAN_NAME]  NVARCHAR(64)  NOT NULL,
        [RUN]        INT           NOT NULL,
        [JOB]        NVARCHAR(64)  NOT NULL,  -- the job's "id"
        [COMPANY]    NVARCHAR(128) NOT NULL,  -- a standard job's company; N'' for the others
        [STATE]      NVARCHAR(20)  NOT NULL
                     CONSTRAINT [CK_UPKIT_RUNNER_JOBS_STATE] CHECK ([STATE] IN (N'pending', N'running', N'done', N'failed', N'paused', N'interrupted', N'skipped')),
        [ATTEMPTS]   INT           NOT NULL CONSTRAINT [DF_UPKIT_RUNNER_JOBS_ATTEMPTS] DEFAULT 0,
        [STARTED_AT] DATETIME2     NULL,
        [ENDED_AT]   DATETIME2     NULL,
        [ROWS]       BIGINT        NULL,      -- rows the job reported
        [MESSAGE]    NVARCHAR(MAX) NULL,      -- the server's error, or its messages
        CONSTRAINT [PK_UPKIT_RUNNER_JOBS] PRIMARY KEY ([PLAN_NAME], [RUN], [JOB], [COMPANY]),
        CONSTRAINT [FK_UPKIT_RUNNER_JOBS_RUN] FOREIGN KEY ([PLAN_NAME], [RUN])
            REFERENCES [dbo].[UPKIT_RUNNER_RUNS] ([PLAN_NAME], [RUN])
    );
GO
