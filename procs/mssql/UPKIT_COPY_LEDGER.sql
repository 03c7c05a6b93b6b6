-- [dbo].[UPKIT_COPY_LEDGER]: the ledger of upkit copy on a SQL Server
-- target (docs/copy.md "Resume"; the PostgreSQL target's is
-- upkit.copy_ledger, of the same shape): one row per target table and
-- RECID range, written when the table's copy is planned and marked done
-- (DONE = 1, with its counts) in the transaction that copies the range, so
-- that a re-run copies only what is not done and two copiers never both
-- copy a range (the claim holds the row's update lock until COMMIT).
--
-- Created when missing, never dropped: it is the record of what a copy
-- did.  Delete a table's rows (and empty the table) to copy it again.
-- Only SQL Server 2012 syntax.
SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
GO

IF OBJECT_ID(N'[dbo].[UPKIT_COPY_LEDGER]', N'U') IS NULL
    CREATE TABLE [dbo].[UPKIT_COPY_LEDGER] (
        [TARGET_SCHEMA] NVARCHAR(128) NOT NULL,  -- as the catalog spells it
        [TARGET_TABLE]  NVARCHAR(128) NOT NULL,
        [RANGE_NO]      INT           NOT NULL,  -- 0 .. NRANGES - 1
        [NRANGES]       INT           NOT NULL,
        [SOURCE_TABLE]  NVARCHAR(257) NOT NULL,  -- schema.table in the source
        [RANGE_LO]      BIGINT        NULL,      -- RECID >= RANGE_LO; NULL: no lower bound
        [RANGE_HI]      BIGINT        NULL,      -- RECID <  RANGE_HI; NULL: no upper bound
        [MAPPING_HASH]  NVARCHAR(64)  NOT NULL,
        [DONE]          BIT           NOT NULL
            CONSTRAINT [DF_UPKIT_COPY_LEDGER_DONE] DEFAULT 0,
        [ROWS]          BIGINT        NULL,      -- rows the range's bulk load wrote
        [BYTES]         BIGINT        NULL,      -- bytes streamed for it
        [PLANNED_AT]    DATETIME      NOT NULL   -- UTC
            CONSTRAINT [DF_UPKIT_COPY_LEDGER_PLANNED_AT] DEFAULT GETUTCDATE(),
        [COPIED_AT]     DATETIME      NULL,      -- UTC
        CONSTRAINT [PK_UPKIT_COPY_LEDGER] PRIMARY KEY ([TARGET_SCHEMA], [TARGET_TABLE], [RANGE_NO]),
        CONSTRAINT [CK_UPKIT_COPY_LEDGER_RANGE] CHECK ([RANGE_NO] >= 0 AND [RANGE_NO] < [NRANGES]));
GO
