-- [dbo].[UPKIT_LIVE_CONTROL]: pause a running live fill (it stops after its
-- current batch, checkpoint kept) or clear a pause, by setting the control
-- word of its row in [dbo].[UPKIT_LIVE_STATE]; returns the fill's status as
-- a result set.  Resuming is calling the live procedure again.  THROW 50406
-- for a word other than pause or run, 50407 when there is no such fill.
SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
GO

IF OBJECT_ID(N'[dbo].[UPKIT_LIVE_CONTROL]', N'P') IS NOT NULL
    DROP PROCEDURE [dbo].[UPKIT_LIVE_CONTROL];
GO
CREATE PROCEDURE [dbo].[UPKIT_LIVE_CONTROL]
    @SHADOW_TABLE NVARCHAR(257),
    @DATAAREAID   NVARCHAR(100),
    @CONTROL      VARCHAR(10)
AS
BEGIN
    SET NOCOUNT ON;
    DECLARE @MSG NVARCHAR(2048);
    DECLARE @STATUS TABLE ([STATUS] VARCHAR(10) NOT NULL);

    IF @CONTROL IS NULL OR @CONTROL NOT IN ('run', 'pause')
    BEGIN
        SET @MSG = N'upkit [dbo].[UPKIT_LIVE_CONTROL]: @CONTROL must be ''pause'' or ''run'', not '
                   + COALESCE(N'''' + CAST(@CONTROL AS NVARCHAR(10)) + N'''', N'NULL');
        THROW 50406, @MSG, 1;
    END;
    UPDATE ST SET [CONTROL] = @CONTROL
    OUTPUT INSERTED.[STATUS] INTO @STATUS ([STATUS])
      FROM [dbo].[UPKIT_LIVE_STATE] AS ST
     WHERE ST.[SHADOW_TABLE] = @SHADOW_TABLE AND ST.[DATAAREAID] = @DATAAREAID;
    IF NOT EXISTS (SELECT 1 FROM @STATUS)
    BEGIN
        SET @MSG = N'upkit [dbo].[UPKIT_LIVE_CONTROL]: no live fill of ' + COALESCE(@SHADOW_TABLE, N'NULL')
                   + N' for ' + COALESCE(@DATAAREAID, N'NULL')
                   + N' (names as [dbo].[UPKIT_LIVE_STATE] shows them)';
        THROW 50407, @MSG, 1;
    END;
    SELECT [STATUS] FROM @STATUS;
END;
GO
