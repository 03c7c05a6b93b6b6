-- [dbo].[UPKIT_TRANSFER_SYNC_NUMBER] @DATAAREAID, @NUMBERSEQUENCE,
-- @AT_BACKUP, @TEST_NEXTREC, @TEST_HIGHEST, @NEXTREC OUTPUT: the number
-- sequence sync of "upkit transfer" on a SQL Server production
-- (docs/transfer.md, "Number sequences"; the PostgreSQL side is the UPDATE
-- in sqlgen/transfer_seq.c).  Preprocessing on the test system consumed
-- numbers that the moved state refers to, so production must never hand
-- them out again: NEXTREC becomes the larger of production's and
-- @TEST_NEXTREC, never lower, and HIGHEST becomes the test system's.
-- @AT_BACKUP is the NEXTREC the marker recorded at the backup
-- ([dbo].[UPKIT_TRANSFER_MARKER_VALUE]): when both systems moved past it,
-- their ranges overlap and no value fixes that, so the procedure refuses.
-- @NEXTREC is production's NEXTREC afterwards.
--
-- Why no number is handed out twice: the check and the change are made
-- under the row's update lock (UPDLOCK, HOLDLOCK), the lock
-- [dbo].[UPKIT_RESERVE_NUMBERS] takes, so a reservation is either before
-- (its numbers are below production's NEXTREC, which only grows, and the
-- overlap check sees them) or after (it starts at the raised NEXTREC).  The
-- procedure opens no transaction: the sync belongs to the caller's, the
-- transaction that finishes the transfer, and a rollback takes it back
-- with the rest.
--
-- Errors (THROW; docs/mssql.md lists every number): 50610 a NULL argument,
-- 50611 the sequence does not exist, 50612 more than one row for it, 50613
-- numbers consumed on both systems since the backup (both ranges named).
-- @NEXTREC is NULL whenever the procedure fails.
SET ANSI_NULLS ON;
GO
SET QUOTED_IDENTIFIER ON;
GO
IF OBJECT_ID(N'[dbo].[UPKIT_TRANSFER_SYNC_NUMBER]', N'P') IS NOT NULL
    DROP PROCEDURE [dbo].[UPKIT_TRANSFER_SYNC_NUMBER];
GO
CREATE PROCEDURE [dbo].[UPKIT_TRANSFER_SYNC_NUMBER]
    @DATAAREAID NVARCHAR(20),
    @NUMBERSEQUENCE NVARCHAR(40),
    @AT_BACKUP BIGINT,
    @TEST_NEXTREC BIGINT,
    @TEST_HIGHEST BIGINT,
    @NEXTREC BIGINT OUTPUT
AS
BEGIN
    SET NOCOUNT ON;
    DECLARE @ROWS INT;
    DECLARE @PROD BIGINT;
    DECLARE @MSG NVARCHAR(2048);
    DECLARE @WHAT NVARCHAR(100) = ISNULL(@DATAAREAID, N'NULL') + N':' + ISNULL(@NUMBERSEQUENCE, N'NULL');

    SET @NEXTREC = NULL;
    IF @DATAAREAID IS NULL OR @NUMBERSEQUENCE IS NULL OR @AT_BACKUP IS NULL
       OR @TEST_NEXTREC IS NULL OR @TEST_HIGHEST IS NULL
    BEGIN
        SET @MSG = N'upkit UPKIT_TRANSFER_SYNC_NUMBER: ' + @WHAT + N': @DATAAREAID, @NUMBERSEQUENCE, @AT_BACKUP,'
                   + N' @TEST_NEXTREC and @TEST_HIGHEST must not be NULL';
        THROW 50610, @MSG, 1;
    END;

    SELECT @ROWS = COUNT(*), @PROD = MAX(N.[NEXTREC])
      FROM [dbo].[NUMBERSEQUENCETABLE] AS N WITH (UPDLOCK, HOLDLOCK)
     WHERE N.[DATAAREAID] = @DATAAREAID AND N.[NUMBERSEQUENCE] = @NUMBERSEQUENCE;
    IF @ROWS = 0
    BEGIN
        SET @MSG = N'upkit UPKIT_TRANSFER_SYNC_NUMBER: ' + @WHAT + N' does not exist in NUMBERSEQUENCETABLE';
        THROW 50611, @MSG, 1;
    END;
    IF @ROWS > 1
    BEGIN
        SET @MSG = N'upkit UPKIT_TRANSFER_SYNC_NUMBER: ' + @WHAT + N' has ' + CAST(@ROWS AS NVARCHAR(11))
                   + N' rows in NUMBERSEQUENCETABLE; it must have one';
        THROW 50612, @MSG, 1;
    END;
    IF @TEST_NEXTREC > @AT_BACKUP AND @PROD > @AT_BACKUP
    BEGIN
        SET @MSG = N'upkit UPKIT_TRANSFER_SYNC_NUMBER: ' + @WHAT + N': both systems consumed numbers since the backup'
                   + N' (it was at ' + CAST(@AT_BACKUP AS NVARCHAR(20)) + N'): the test system '
                   + CAST(@AT_BACKUP AS NVARCHAR(20)) + N'..' + CAST(@TEST_NEXTREC - 1 AS NVARCHAR(20))
                   + N', production ' + CAST(@AT_BACKUP AS NVARCHAR(20)) + N'..' + CAST(@PROD - 1 AS NVARCHAR(20))
                   + N'; no value fixes overlapping ranges';
        THROW 50613, @MSG, 1;
    END;

    UPDATE N
       SET [NEXTREC] = CASE WHEN N.[NEXTREC] < @TEST_NEXTREC THEN @TEST_NEXTREC ELSE N.[NEXTREC] END,
           [HIGHEST] = @TEST_HIGHEST
      FROM [dbo].[NUMBERSEQUENCETABLE] AS N WITH (UPDLOCK, HOLDLOCK)
     WHERE N.[DATAAREAID] = @DATAAREAID AND N.[NUMBERSEQUENCE] = @NUMBERSEQUENCE;
    SELECT @NEXTREC = N.[NEXTREC]
      FROM [dbo].[NUMBERSEQUENCETABLE] AS N WITH (UPDLOCK, HOLDLOCK)
     WHERE N.[DATAAREAID] = @DATAAREAID AND N.[NUMBERSEQUENCE] = @NUMBERSEQUENCE;
END;
GO
