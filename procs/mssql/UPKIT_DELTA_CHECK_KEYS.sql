-- [dbo].[UPKIT_DELTA_CHECK_KEYS]: the one place of the NULL-key error of
-- the generated delta procedures and reports (procs/mssql/delta.sql.in).  A
-- source row without RECID (in the run's company) or without DATAAREAID
-- (in any: it belongs to no company) can be neither mapped nor reported;
-- counted as new it would make every run report a change it never makes.
-- THROW 50102 names the source table, the scope and both counts.
SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
GO

IF OBJECT_ID(N'[dbo].[UPKIT_DELTA_CHECK_KEYS]', N'P') IS NOT NULL
    DROP PROCEDURE [dbo].[UPKIT_DELTA_CHECK_KEYS];
GO
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
