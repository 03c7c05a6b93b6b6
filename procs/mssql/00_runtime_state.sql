-- procs/mssql/00_runtime_state.sql: the tables the upkit runtime keeps in a
-- SQL Server database, and the runtime's version (docs/mssql.md, "Runtime
-- state"; docs/delta.md, "State").  SQL Server has no extensions, so this
-- file plays the part of PostgreSQL's versioned extension scripts
-- (sql/upkit--*.sql): it creates what is missing and upgrades what is there
-- in place, and running it twice is harmless.  Its name sorts first among
-- procs/mssql/*.sql, so it runs before the procedures of the runtime.
--
--   [dbo].[UPKIT_RUNTIME]          one row per component: the runtime's
--                                  version ('runtime', '0.3'), the same
--                                  numbering as the PostgreSQL extension's
--                                  versions; never lowered: a runtime older
--                                  than the database's stops with 50100;
--   [dbo].[UPKIT_DELTA_STATE]      one row per shadow table and company:
--                                  the latest delta run and whether it found
--                                  nothing to do (READY_TO_COPY);
--   [dbo].[UPKIT_DELTA_RUN]        one row per completed delta run;
--   [dbo].[UPKIT_DELTA_CHECK_KEYS] the NULL-key error (THROW 50102) of the
--                                  generated delta procedures and reports.
--
-- Upgrading: up to runtime 0.2 each generated delta script created
-- [dbo].[UPKIT_DELTA_STATE] itself; such a table is kept with its rows and
-- gets the new columns (each added only when missing, in a batch of its
-- own, so that later batches compile against it).  The 0.2 READY_TO_COPY
-- meant something weaker, so upgraded rows start at 0 (one clean run sets
-- them again).  Only SQL Server 2012 syntax: no CREATE OR ALTER, no
-- DROP ... IF EXISTS, no inline index definitions.
SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
GO

IF OBJECT_ID(N'[dbo].[UPKIT_RUNTIME]', N'U') IS NULL
    CREATE TABLE [dbo].[UPKIT_RUNTIME] (
        [COMPONENT]    NVARCHAR(64) NOT NULL CONSTRAINT [PK_UPKIT_RUNTIME] PRIMARY KEY,
        [VERSION]      NVARCHAR(32) NOT NULL,  -- major.minor
        [INSTALLED_AT] DATETIME2    NOT NULL); -- UTC, when this version was installed
GO

-- A database whose runtime is newer than this script keeps it.
DECLARE @THIS NVARCHAR(32) = N'0.3';
DECLARE @HAVE NVARCHAR(32);
DECLARE @MSG NVARCHAR(2048);
SELECT @HAVE = R.[VERSION] FROM [dbo].[UPKIT_RUNTIME] AS R WHERE R.[COMPONENT] = N'runtime';
IF @HAVE IS NOT NULL
   AND ISNULL(TRY_CAST(PARSENAME(@HAVE, 2) AS INT) * 100000 + TRY_CAST(PARSENAME(@HAVE, 1) AS INT), 2147483647)
       > CAST(PARSENAME(@THIS, 2) AS INT) * 100000 + CAST(PARSENAME(@THIS, 1) AS INT)
BEGIN
    SET @MSG = N'upkit runtime: this database holds upkit runtime ' + @HAVE
               + N', newer than this script''s ' + @THIS + N'; install the runtime of that upkit version or later';
    THROW 50100, @MSG, 1;
END;
GO

-- The delta state, with the 0.2 columns first (as 0.2 created it) ...
IF OBJECT_ID(N'[dbo].[UPKIT_DELTA_STATE]', N'U') IS NULL
    CREATE TABLE [dbo].[UPKIT_DELTA_STATE] (
        [SHADOW_TABLE]  NVARCHAR(257) NOT NULL,  -- schema.table of the shadow
        [DATAAREAID]    NVARCHAR(100) NOT NULL,  -- the company, or a shared spec's list
        [SOURCE_TABLE]  NVARCHAR(257) NOT NULL,  -- schema.table of the source
        [NEW_ROWS]      BIGINT        NOT NULL,  -- counts of the latest run that changed something
        [UPDATED_ROWS]  BIGINT        NOT NULL,
        [DELETED_ROWS]  BIGINT        NOT NULL,
        [CHANGED_AT]    DATETIME2     NOT NULL,  -- UTC, start of that run
        [READY_TO_COPY] BIT           NOT NULL,  -- 1: the latest run found nothing to do
        CONSTRAINT [PK_UPKIT_DELTA_STATE] PRIMARY KEY ([SHADOW_TABLE], [DATAAREAID]));
GO
-- ... then the columns of 0.3.
IF COL_LENGTH(N'dbo.UPKIT_DELTA_STATE', N'LAST_RUN_AT') IS NULL
    ALTER TABLE [dbo].[UPKIT_DELTA_STATE] ADD [LAST_RUN_AT] DATETIME2 NULL;  -- UTC, start of the latest run
IF COL_LENGTH(N'dbo.UPKIT_DELTA_STATE', N'LAST_RUN_ID') IS NULL
    ALTER TABLE [dbo].[UPKIT_DELTA_STATE] ADD [LAST_RUN_ID] BIGINT NULL;     -- [UPKIT_DELTA_RUN].[RUN_ID]
GO
UPDATE [dbo].[UPKIT_DELTA_STATE]
   SET [LAST_RUN_AT] = [CHANGED_AT], [READY_TO_COPY] = 0
 WHERE [LAST_RUN_AT] IS NULL;
GO
IF COLUMNPROPERTY(OBJECT_ID(N'dbo.UPKIT_DELTA_STATE'), N'LAST_RUN_AT', 'AllowsNull') = 1
    ALTER TABLE [dbo].[UPKIT_DELTA_STATE] ALTER COLUMN [LAST_RUN_AT] DATETIME2 NOT NULL;
GO

IF OBJECT_ID(N'[dbo].[UPKIT_DELTA_RUN]', N'U') IS NULL
    CREATE TABLE [dbo].[UPKIT_DELTA_RUN] (
        [RUN_ID]       BIGINT IDENTITY(1, 1) NOT NULL CONSTRAINT [PK_UPKIT_DELTA_RUN] PRIMARY KEY,
        [SHADOW_TABLE] NVARCHAR(257) NOT NULL,
        [DATAAREAID]   NVARCHAR(100) NOT NULL,
        [SOURCE_TABLE] NVARCHAR(257) NOT NULL,
        [STARTED_AT]   DATETIME2     NOT NULL,   -- UTC, when the procedure was called
        [FINISHED_AT]  DATETIME2     NOT NULL,   -- UTC, when it had done its work
        [NEW_ROWS]     BIGINT        NOT NULL,
        [UPDATED_ROWS] BIGINT        NOT NULL,
        [DELETED_ROWS] BIGINT        NOT NULL,
        [OUTCOME]      VARCHAR(7)    NOT NULL    -- clean: 0, 0, 0; changed: the shadow was brought up to date
            CONSTRAINT [CK_UPKIT_DELTA_RUN_OUTCOME] CHECK ([OUTCOME] IN ('clean', 'changed')));
GO

IF OBJECT_ID(N'[dbo].[UPKIT_DELTA_CHECK_KEYS]', N'P') IS NOT NULL
    DROP PROCEDURE [dbo].[UPKIT_DELTA_CHECK_KEYS];
GO
-- A source row without RECID (in scope) or without DATAAREAID can be
-- neither mapped nor reported: THROW 50102 naming the table, the scope and
-- both counts.  Called by the generated delta procedures and reports.
CREATE PROCEDURE [dbo].[UPKIT_DELTA_CHECK_KEYS]
    @SOURCE_TABLE     NVARCHAR(257),
    @SCOPE            NVARCHAR(4000),
    @NULL_RECIDS      BIGINT,
    @NULL_DATAAREAIDS BIGINT
AS
BEGIN
    SET NOCOUNT ON;
    DECLARE @MSG NVARCHAR(2048);

    IF @NULL_RECIDS > 0 OR @NULL_DATAAREAIDS > 0
    BEGIN
        SET @MSG = N'upkit delta: ' + @SOURCE_TABLE + N' has '
                   + CASE WHEN @NULL_RECIDS = 1 THEN N'1 row' ELSE CAST(@NULL_RECIDS AS NVARCHAR(20)) + N' rows' END
                   + N' with a NULL RECID in ' + @SCOPE + N' and '
                   + CASE WHEN @NULL_DATAAREAIDS = 1 THEN N'1 row' ELSE CAST(@NULL_DATAAREAIDS AS NVARCHAR(20)) + N' rows' END
                   + N' with a NULL DATAAREAID; nothing was changed and the shadow is not ready to copy.'
                   + N' Give the rows their RECID and DATAAREAID (or delete them), then run again.';
        THROW 50102, @MSG, 1;
    END;
END;
GO

-- Last: the version this script installed, never lowered (in SSMS, which
-- goes on after a failed batch, the 50100 check above does not stop this one).
DECLARE @THIS NVARCHAR(32) = N'0.3';
UPDATE R
   SET [VERSION] = @THIS, [INSTALLED_AT] = SYSUTCDATETIME()
  FROM [dbo].[UPKIT_RUNTIME] AS R
 WHERE R.[COMPONENT] = N'runtime'
   AND ISNULL(TRY_CAST(PARSENAME(R.[VERSION], 2) AS INT) * 100000 + TRY_CAST(PARSENAME(R.[VERSION], 1) AS INT), 2147483647)
       < CAST(PARSENAME(@THIS, 2) AS INT) * 100000 + CAST(PARSENAME(@THIS, 1) AS INT);
IF NOT EXISTS (SELECT 1 FROM [dbo].[UPKIT_RUNTIME] WHERE [COMPONENT] = N'runtime')
    INSERT INTO [dbo].[UPKIT_RUNTIME] ([COMPONENT], [VERSION], [INSTALLED_AT])
    VALUES (N'runtime', @THIS, SYSUTCDATETIME());
GO
