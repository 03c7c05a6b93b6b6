-- [dbo].[UPKIT_LIVE_STATE]: the state of the generated live procedures
-- (procs/mssql/delta.sql.in, unit LIVE; docs/delta.md, "Live
-- preprocessing"), one row per shadow table and company (a shared spec: its
-- list of companies), written in each batch's own transaction: the
-- checkpoint (the last source key read, in the order DATAAREAID, RECID),
-- the progress, and the control word ([dbo].[UPKIT_LIVE_CONTROL]).  Read it
-- from SSMS while a fill runs (WITH (NOLOCK) not needed: a batch holds the
-- row for a moment only).
--
-- Created when missing, never dropped: it holds the checkpoints.  Only SQL
-- Server 2012 syntax.
SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
GO

IF OBJECT_ID(N'[dbo].[UPKIT_LIVE_STATE]', N'U') IS NULL
    CREATE TABLE [dbo].[UPKIT_LIVE_STATE] (
        [SHADOW_TABLE]          NVARCHAR(257) NOT NULL,  -- schema.table of the shadow
        [DATAAREAID]            NVARCHAR(100) NOT NULL,  -- the company, or a shared spec's list
        [SOURCE_TABLE]          NVARCHAR(257) NOT NULL,
        [STATUS]                VARCHAR(10)   NOT NULL   -- running, paused, done
            CONSTRAINT [CK_UPKIT_LIVE_STATE_STATUS] CHECK ([STATUS] IN ('running', 'paused', 'done')),
        [CONTROL]               VARCHAR(10)   NOT NULL   -- run, pause
            CONSTRAINT [CK_UPKIT_LIVE_STATE_CONTROL] CHECK ([CONTROL] IN ('run', 'pause')),
        [SESSION_ID]            INT           NULL,      -- @@SPID of the call that runs (or ran)
        [CHECKPOINT_DATAAREAID] NVARCHAR(100) NULL,      -- the last key of the last committed batch
        [CHECKPOINT_RECID]      BIGINT        NULL,
        [ROWS_DONE]             BIGINT        NOT NULL,  -- since the fill began, resumes included
        [ROWS_ESTIMATED]        BIGINT        NOT NULL,  -- ROWS_DONE + rows without a shadow row at the call's start
        [ROWS_LEFT] AS (CASE WHEN [ROWS_ESTIMATED] > [ROWS_DONE] THEN [ROWS_ESTIMATED] - [ROWS_DONE] ELSE 0 END),
        [BATCHES]               BIGINT        NOT NULL,
        [BATCH_SIZE]            INT           NOT NULL,  -- now (adapted to @TARGET_MS when given)
        [ROWS_PER_SECOND]       DECIMAL(19,1) NULL,      -- of the current call, pauses included
        [LAST_BATCH_MS]         BIGINT        NULL,
        [LAST_BATCH_AT]         DATETIME2     NULL,      -- UTC
        [STARTED_AT]            DATETIME2     NOT NULL,  -- UTC, the fill's first call
        [FINISHED_AT]           DATETIME2     NULL,      -- UTC, the latest call's end (paused or done)
        CONSTRAINT [PK_UPKIT_LIVE_STATE] PRIMARY KEY ([SHADOW_TABLE], [DATAAREAID]));
GO
