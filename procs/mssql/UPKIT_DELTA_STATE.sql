-- [dbo].[UPKIT_DELTA_STATE]: the state of the generated delta procedures
-- (docs/delta.md, "State and readiness"), one row per shadow table and
-- company (a shared spec: its list of companies): the latest run and
-- whether it found nothing to do (READY_TO_COPY), and the counts of the
-- latest run that changed something.
--
-- Created when missing, never dropped.  Up to runtime 0.2 each generated
-- delta script created this table itself, with the columns of the CREATE
-- below; such a table is kept with its rows and gets the 0.3 columns, each
-- added only when missing and in a batch of its own, so that the next
-- batches compile against it.  The 0.2 READY_TO_COPY meant something
-- weaker ("the shadow matched the source after the last run that wrote
-- the state"), so upgraded rows start at 0: one clean run sets them again.
-- Only SQL Server 2012 syntax.
SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
GO

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
-- The columns of 0.3, each only when missing.
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
