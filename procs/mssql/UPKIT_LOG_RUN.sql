-- [dbo].[UPKIT_LOG_RUN] @RUN_ID, @SCRIPT OUTPUT, @DATAAREAID OUTPUT,
-- @DETAIL_CAP OUTPUT: the script, company and cap of a run, read under
-- UPDLOCK (the run's entries change only under it, in the caller's
-- transaction).  Used by [UPKIT_LOG], [UPKIT_LOG_DETAIL], [UPKIT_LOG_FOUND].
--
-- Errors (THROW): 50302 a run id that is not the latest run of any script
-- (a later run of the same script and company replaced it).
SET ANSI_NULLS ON;
GO
SET QUOTED_IDENTIFIER ON;
GO
IF OBJECT_ID(N'[dbo].[UPKIT_LOG_RUN]', N'P') IS NOT NULL
    DROP PROCEDURE [dbo].[UPKIT_LOG_RUN];
GO
CREATE PROCEDURE [dbo].[UPKIT_LOG_RUN]
    @RUN_ID     BIGINT,
    @SCRIPT     NVARCHAR(257) OUTPUT,
    @DATAAREAID NVARCHAR(20) OUTPUT,
    @DETAIL_CAP INT OUTPUT
AS
BEGIN
    SET NOCOUNT ON;
    DECLARE @MSG NVARCHAR(2048);

    SET @SCRIPT = NULL;
    SELECT @SCRIPT = [SCRIPT], @DATAAREAID = [DATAAREAID], @DETAIL_CAP = [DETAIL_CAP]
      FROM [dbo].[UPKIT_VALIDATION_RUN] WITH (UPDLOCK, HOLDLOCK)
     WHERE [RUN_ID] = @RUN_ID;
    IF @SCRIPT IS NULL
    BEGIN
        SET @MSG = N'upkit validation log: run ' + ISNULL(CAST(@RUN_ID AS NVARCHAR(20)), N'NULL')
                   + N' is not the latest run of any script';
        THROW 50302, @MSG, 1;
    END;
END;
GO
