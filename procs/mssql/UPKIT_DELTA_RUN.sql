-- [dbo].[UPKIT_DELTA_RUN]: one row per completed run of a generated delta
-- procedure, clean runs included (docs/delta.md, "State and readiness"),
-- written in the run's transaction: a run that fails or is rolled back
-- leaves none.  [dbo].[UPKIT_DELTA_STATE].[LAST_RUN_ID] points here.
-- Created when missing, never dropped; upkit never deletes its rows.
SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
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
