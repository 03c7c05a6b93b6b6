-- [dbo].[UPKIT_LOG] @RUN_ID, @MESSAGE_ID, @LEVEL, @MESSAGE, @RESOLUTION,
-- @LOGGED OUTPUT: ReleaseUpdateValidationLogger.log.  Logs the message id
-- once per run (@LEVEL N'error' or N'advisory'); a later call with the same
-- id changes nothing (@LOGGED = 0).
--
-- Errors (THROW): 50302 not the latest run (UPKIT_LOG_RUN); 50303 a NULL
-- argument or a message id longer than 100 characters; 50304 an unknown
-- level.
SET ANSI_NULLS ON;
GO
SET QUOTED_IDENTIFIER ON;
GO
IF OBJECT_ID(N'[dbo].[UPKIT_LOG]', N'P') IS NOT NULL
    DROP PROCEDURE [dbo].[UPKIT_LOG];
GO
CREATE PROCEDURE [dbo].[UPKIT_LOG]
    @RUN_ID     BIGINT,
    @MESSAGE_ID NVARCHAR(4000),
    @LEVEL      NVARCHAR(4000),
    @MESSAGE    NVARCHAR(MAX),
    @RESOLUTION NVARCHAR(MAX),
    @LOGGED     BIT = NULL OUTPUT
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    DECLARE @SCRIPT NVARCHAR(257);
    DECLARE @DATAAREAID NVARCHAR(20);
    DECLARE @CAP INT;
    DECLARE @MSG NVARCHAR(2048);

    SET @LOGGED = 0;
    IF @MESSAGE_ID IS NULL OR @LEVEL IS NULL OR @MESSAGE IS NULL OR @RESOLUTION IS NULL
       OR LEN(@MESSAGE_ID + N'x') - 1 > 100
        THROW 50303, N'UPKIT_LOG: @MESSAGE_ID, @LEVEL, @MESSAGE and @RESOLUTION must not be NULL, @MESSAGE_ID at most 100 characters', 1;
    IF @LEVEL NOT IN (N'error', N'advisory')
    BEGIN
        SET @MSG = N'UPKIT_LOG: level "' + LEFT(@LEVEL, 100) + N'" is neither error nor advisory';
        THROW 50304, @MSG, 1;
    END;
    EXEC [dbo].[UPKIT_LOG_RUN] @RUN_ID = @RUN_ID, @SCRIPT = @SCRIPT OUTPUT,
                               @DATAAREAID = @DATAAREAID OUTPUT, @DETAIL_CAP = @CAP OUTPUT;
    INSERT INTO [dbo].[UPKIT_VALIDATION_LOG] ([SCRIPT], [DATAAREAID], [MESSAGE_ID], [LEVEL], [MESSAGE],
                                              [RESOLUTION], [DETAIL_COUNT], [RUN_ID], [LOGGED_AT])
    SELECT @SCRIPT, @DATAAREAID, @MESSAGE_ID, @LEVEL, @MESSAGE, @RESOLUTION, 0, @RUN_ID, SYSUTCDATETIME()
     WHERE NOT EXISTS (SELECT 1 FROM [dbo].[UPKIT_VALIDATION_LOG] AS L WITH (UPDLOCK, HOLDLOCK)
                        WHERE L.[SCRIPT] = @SCRIPT AND L.[DATAAREAID] = @DATAAREAID
                          AND L.[MESSAGE_ID] = @MESSAGE_ID);
    IF @@ROWCOUNT > 0
        SET @LOGGED = 1;
END;
GO
