-- [dbo].[UPKIT_LOG_START] @SCRIPT, @DATAAREAID, @DETAIL_CAP, @RUN_ID OUTPUT:
-- start a run of a readiness script for a company (N'' for all): deletes
-- the script's entries for it (a re-run replaces them; their details go
-- with them, ON DELETE CASCADE), records the run and returns its run id.
-- @DETAIL_CAP: how many details an entry stores (all are counted).
--
-- The run row is updated (or inserted) under UPDLOCK, HOLDLOCK in the
-- caller's transaction, or in one of its own when there is none: a second
-- run of the same script and company waits for the first to end.
--
-- Errors (THROW): 50300 a NULL or empty @SCRIPT, a NULL @DATAAREAID or
-- @DETAIL_CAP; 50301 a negative @DETAIL_CAP; 50311 a @SCRIPT longer than
-- 257 or a @DATAAREAID longer than 20 characters (the log's key columns).
SET ANSI_NULLS ON;
GO
SET QUOTED_IDENTIFIER ON;
GO
IF OBJECT_ID(N'[dbo].[UPKIT_LOG_START]', N'P') IS NOT NULL
    DROP PROCEDURE [dbo].[UPKIT_LOG_START];
GO
CREATE PROCEDURE [dbo].[UPKIT_LOG_START]
    @SCRIPT     NVARCHAR(4000),
    @DATAAREAID NVARCHAR(4000) = N'',
    @DETAIL_CAP INT = 1000,
    @RUN_ID     BIGINT = NULL OUTPUT
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    DECLARE @MSG NVARCHAR(2048);
    DECLARE @OWN_TRANSACTION BIT = 0;
    DECLARE @FIRST SQL_VARIANT;

    SET @RUN_ID = NULL;
    IF @SCRIPT IS NULL OR @SCRIPT = N'' OR @DATAAREAID IS NULL OR @DETAIL_CAP IS NULL
        THROW 50300, N'UPKIT_LOG_START: @SCRIPT, @DATAAREAID and @DETAIL_CAP must not be NULL (@SCRIPT not empty)', 1;
    IF @DETAIL_CAP < 0
    BEGIN
        SET @MSG = N'UPKIT_LOG_START: @DETAIL_CAP ' + CAST(@DETAIL_CAP AS NVARCHAR(11)) + N' is negative';
        THROW 50301, @MSG, 1;
    END;
    IF LEN(@SCRIPT + N'x') - 1 > 257 OR LEN(@DATAAREAID + N'x') - 1 > 20
        THROW 50311, N'UPKIT_LOG_START: @SCRIPT is longer than 257 or @DATAAREAID longer than 20 characters', 1;

    IF @@TRANCOUNT = 0
    BEGIN
        BEGIN TRANSACTION;
        SET @OWN_TRANSACTION = 1;
    END;
    BEGIN TRY
        -- The sequence's next value (sp_sequence_get_range: SQL Server 2012's
        -- procedure form of NEXT VALUE FOR).
        EXEC sys.sp_sequence_get_range @sequence_name = N'[dbo].[UPKIT_VALIDATION_RUN_ID]',
                                       @range_size = 1, @range_first_value = @FIRST OUTPUT;
        SET @RUN_ID = CAST(@FIRST AS BIGINT);
        UPDATE [dbo].[UPKIT_VALIDATION_RUN] WITH (UPDLOCK, HOLDLOCK)
           SET [RUN_ID] = @RUN_ID, [STARTED_AT] = SYSUTCDATETIME(), [STARTED_BY] = SUSER_SNAME(),
               [DETAIL_CAP] = @DETAIL_CAP
         WHERE [SCRIPT] = @SCRIPT AND [DATAAREAID] = @DATAAREAID;
        IF @@ROWCOUNT = 0
            INSERT INTO [dbo].[UPKIT_VALIDATION_RUN] ([SCRIPT], [DATAAREAID], [RUN_ID], [STARTED_AT],
                                                      [STARTED_BY], [DETAIL_CAP])
            VALUES (@SCRIPT, @DATAAREAID, @RUN_ID, SYSUTCDATETIME(), SUSER_SNAME(), @DETAIL_CAP);
        DELETE FROM [dbo].[UPKIT_VALIDATION_LOG]
         WHERE [SCRIPT] = @SCRIPT AND [DATAAREAID] = @DATAAREAID;
        IF @OWN_TRANSACTION = 1
            COMMIT TRANSACTION;
    END TRY
    BEGIN CATCH
        IF @OWN_TRANSACTION = 1 AND @@TRANCOUNT > 0
            ROLLBACK TRANSACTION;
        SET @RUN_ID = NULL;
        THROW;
    END CATCH;
END;
GO
