-- UPKIT_LOG_TABLES.sql: [dbo].[UPKIT_VALIDATION_LOG] and its two
-- companions, the validation log of readiness checks (DESIGN.md "Readiness checks and the validation log";
-- docs/readiness.md), after AX's ReleaseUpdateValidationLogger:
--   [UPKIT_VALIDATION_RUN]     one row per script and company: its latest
--                              run (run id, when, who, the detail cap);
--   [UPKIT_VALIDATION_LOG]     one entry per script, company and message id:
--                              level (error / advisory), message, resolution,
--                              the count of details found, the run that
--                              wrote it;
--   [UPKIT_VALIDATION_DETAIL]  the stored details of an entry (at most the
--                              run's cap): the offending row's RECID,
--                              DATAAREAID, the check's key columns as text,
--                              and a text.
-- Scripts write it through [dbo].[UPKIT_LOG_START], [UPKIT_LOG],
-- [UPKIT_LOG_DETAIL] and [UPKIT_LOG_FOUND]; upkit report reads it.
--
-- Created when missing, never dropped: installing the runtime again keeps
-- the log.  One file for the three tables, because each refers to the one
-- before it; named to sort before UPKIT_RUNTIME.sql, the runtime's last
-- file.  The keys stay under SQL Server 2012's 900-byte index key limit: a
-- script name of at most 257 characters (schema.procedure), a company of
-- at most 20, a message id of at most 100 (UPKIT_LOG_START and UPKIT_LOG
-- refuse longer ones, never cut them).
SET ANSI_NULLS ON;
GO
SET QUOTED_IDENTIFIER ON;
GO
IF OBJECT_ID(N'[dbo].[UPKIT_VALIDATION_RUN_ID]', N'SO') IS NULL
    CREATE SEQUENCE [dbo].[UPKIT_VALIDATION_RUN_ID] AS BIGINT START WITH 1 INCREMENT BY 1;
GO
IF OBJECT_ID(N'[dbo].[UPKIT_VALIDATION_RUN]', N'U') IS NULL
    CREATE TABLE [dbo].[UPKIT_VALIDATION_RUN] (
        [SCRIPT]     NVARCHAR(257) NOT NULL,  -- the procedure (schema.name) or a hand-written script's name
        [DATAAREAID] NVARCHAR(20)  NOT NULL,  -- the company; N'' for a script that runs once for all
        [RUN_ID]     BIGINT        NOT NULL,
        [STARTED_AT] DATETIME2     NOT NULL,  -- UTC
        [STARTED_BY] NVARCHAR(128) NOT NULL,
        [DETAIL_CAP] INT           NOT NULL,
        CONSTRAINT [PK_UPKIT_VALIDATION_RUN] PRIMARY KEY ([SCRIPT], [DATAAREAID]),
        CONSTRAINT [UQ_UPKIT_VALIDATION_RUN_ID] UNIQUE ([RUN_ID]),
        CONSTRAINT [CK_UPKIT_VALIDATION_RUN_CAP] CHECK ([DETAIL_CAP] >= 0)
    );
GO
IF OBJECT_ID(N'[dbo].[UPKIT_VALIDATION_LOG]', N'U') IS NULL
    CREATE TABLE [dbo].[UPKIT_VALIDATION_LOG] (
        [SCRIPT]       NVARCHAR(257)  NOT NULL,
        [DATAAREAID]   NVARCHAR(20)   NOT NULL,
        [MESSAGE_ID]   NVARCHAR(100)  NOT NULL,
        [LEVEL]        NVARCHAR(8)    NOT NULL,
        [MESSAGE]      NVARCHAR(MAX)  NOT NULL,
        [RESOLUTION]   NVARCHAR(MAX)  NOT NULL,
        [DETAIL_COUNT] BIGINT         NOT NULL,  -- every detail found, stored or not
        [RUN_ID]       BIGINT         NOT NULL,
        [LOGGED_AT]    DATETIME2      NOT NULL,  -- UTC
        CONSTRAINT [PK_UPKIT_VALIDATION_LOG] PRIMARY KEY ([SCRIPT], [DATAAREAID], [MESSAGE_ID]),
        CONSTRAINT [CK_UPKIT_VALIDATION_LOG_LEVEL] CHECK ([LEVEL] IN (N'error', N'advisory')),
        CONSTRAINT [FK_UPKIT_VALIDATION_LOG_RUN] FOREIGN KEY ([SCRIPT], [DATAAREAID])
            REFERENCES [dbo].[UPKIT_VALIDATION_RUN] ([SCRIPT], [DATAAREAID]) ON DELETE CASCADE
    );
GO
IF OBJECT_ID(N'[dbo].[UPKIT_VALIDATION_DETAIL]', N'U') IS NULL
    CREATE TABLE [dbo].[UPKIT_VALIDATION_DETAIL] (
        [SCRIPT]         NVARCHAR(257)  NOT NULL,
        [DATAAREAID]     NVARCHAR(20)   NOT NULL,
        [MESSAGE_ID]     NVARCHAR(100)  NOT NULL,
        [SEQ]            BIGINT         NOT NULL,  -- 1, 2, ... in the order they were found
        [ROW_RECID]      BIGINT         NULL,
        [ROW_DATAAREAID] NVARCHAR(128)  NULL,
        [ROW_KEY]        NVARCHAR(4000) NULL,      -- the check's key columns: N'ITEMID=A1, CONFIGID=x'
        [DETAIL]         NVARCHAR(4000) NOT NULL,
        CONSTRAINT [PK_UPKIT_VALIDATION_DETAIL] PRIMARY KEY ([SCRIPT], [DATAAREAID], [MESSAGE_ID], [SEQ]),
        CONSTRAINT [FK_UPKIT_VALIDATION_DETAIL_LOG] FOREIGN KEY ([SCRIPT], [DATAAREAID], [MESSAGE_ID])
            REFERENCES [dbo].[UPKIT_VALIDATION_LOG] ([SCRIPT], [DATAAREAID], [MESSAGE_ID]) ON DELETE CASCADE
    );
GO
