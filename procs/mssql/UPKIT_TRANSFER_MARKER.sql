-- [dbo].[UPKIT_TRANSFER_MARKER] and [dbo].[UPKIT_TRANSFER_MARKER_VALUE]:
-- upkit transfer's marker on a SQL Server production, written by
-- [dbo].[UPKIT_TRANSFER_MARK] (UPKIT_TRANSFER_MARK.sql says what they hold;
-- docs/transfer.md, "The marker").  The PostgreSQL side is
-- upkit.transfer_marker, whose two JSON columns are the value table here
-- (SQL Server 2012 has no JSON).  Created when missing, never dropped: a
-- ledger of this system, it never moves.
SET ANSI_NULLS ON;
GO
SET QUOTED_IDENTIFIER ON;
GO
IF OBJECT_ID(N'[dbo].[UPKIT_TRANSFER_MARKER]', N'U') IS NULL
    CREATE TABLE [dbo].[UPKIT_TRANSFER_MARKER] (
        [MARKER_ID]           NVARCHAR(32)   NOT NULL CONSTRAINT [PK_UPKIT_TRANSFER_MARKER] PRIMARY KEY,
        [MARKED_AT]           DATETIME2      NOT NULL,  -- UTC
        [AX_SCHEMA]           NVARCHAR(128)  NOT NULL,  -- where NUMBERSEQUENCETABLE and SYSTEMSEQUENCES are
        [LAST_DELTA_RUN]      BIGINT         NOT NULL,  -- MAX([UPKIT_DELTA_RUN].[RUN_ID]), 0 for none
        [TRANSFER_STARTED_AT] DATETIME2      NULL,      -- UTC, production only
        [TRANSFER_DONE_AT]    DATETIME2      NULL,
        [TRANSFER_FROM]       NVARCHAR(4000) NULL       -- the test system, as given to --from
    );
GO
IF OBJECT_ID(N'[dbo].[UPKIT_TRANSFER_MARKER_VALUE]', N'U') IS NULL
    CREATE TABLE [dbo].[UPKIT_TRANSFER_MARKER_VALUE] (
        [MARKER_ID] NVARCHAR(32)  NOT NULL,
        [KIND]      NVARCHAR(8)   NOT NULL,  -- N'number' or N'recid'
        [SEQ_KEY]   NVARCHAR(100) NOT NULL,  -- N'dat:CRM_1' or the TABID
        [VALUE]     BIGINT        NOT NULL,  -- NEXTREC or NEXTVAL at the mark
        CONSTRAINT [PK_UPKIT_TRANSFER_MARKER_VALUE] PRIMARY KEY ([MARKER_ID], [KIND], [SEQ_KEY]),
        CONSTRAINT [CK_UPKIT_TRANSFER_MARKER_VALUE_KIND] CHECK ([KIND] IN (N'number', N'recid')),
        CONSTRAINT [FK_UPKIT_TRANSFER_MARKER_VALUE] FOREIGN KEY ([MARKER_ID])
            REFERENCES [dbo].[UPKIT_TRANSFER_MARKER] ([MARKER_ID]) ON DELETE CASCADE
    );
GO
