-- [dbo].[UPKIT_TRANSFER_MARK] @AX_SCHEMA: "upkit transfer --mark" on a SQL
-- Server production (docs/transfer.md, "The marker"; the PostgreSQL side
-- is upkit.transfer_marker, written by sqlgen/transfer_marker.c).  Run
-- right before the backup that the test system is restored from: the
-- backup carries the row, so both systems name the same marker.
--
-- [dbo].[UPKIT_TRANSFER_MARKER] has one row per mark: its id, time, the AX
-- schema, the largest [UPKIT_DELTA_RUN].[RUN_ID] (0 for none), and, filled
-- on production by the transfer, its start and end.  SQL Server 2012 has
-- no JSON type, so the values at the mark are rows of
-- [dbo].[UPKIT_TRANSFER_MARKER_VALUE]: KIND N'number' (SEQ_KEY
-- DATAAREAID:NUMBERSEQUENCE, VALUE its NEXTREC) and N'recid' (SEQ_KEY the
-- TABID, VALUE the NEXTVAL of its SYSTEMSEQUENCES row, ID = -1).  The
-- marker is a ledger of one system: it never moves.
--
-- Both tables are in UPKIT_TRANSFER_MARKER.sql (created when missing,
-- never dropped; this procedure, created first in path order, resolves
-- them when it runs).  The mark is one transaction (XACT_ABORT):
-- the marker row and all its values, or nothing.  The tables of
-- NUMBERSEQUENCETABLE and SYSTEMSEQUENCES are read under their shared
-- locks held to the end (HOLDLOCK), so a number reserved during the mark
-- is either in the values or after them, never half.  The schema name is
-- a parameter, quoted with QUOTENAME into the one dynamic statement; its
-- values are parameters of sp_executesql.
--
-- Errors: 50600 the AX schema does not exist.
SET ANSI_NULLS ON;
GO
SET QUOTED_IDENTIFIER ON;
GO
IF OBJECT_ID(N'[dbo].[UPKIT_TRANSFER_MARK]', N'P') IS NOT NULL
    DROP PROCEDURE [dbo].[UPKIT_TRANSFER_MARK];
GO
CREATE PROCEDURE [dbo].[UPKIT_TRANSFER_MARK]
    @AX_SCHEMA SYSNAME = N'dbo'
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;
    DECLARE @ID NVARCHAR(32) = LOWER(REPLACE(CONVERT(NVARCHAR(36), NEWID()), N'-', N''));
    DECLARE @LAST BIGINT = 0;
    DECLARE @SQL NVARCHAR(MAX);
    DECLARE @MSG NVARCHAR(2048);

    IF @AX_SCHEMA IS NULL OR SCHEMA_ID(@AX_SCHEMA) IS NULL
    BEGIN
        SET @MSG = N'UPKIT_TRANSFER_MARK: no schema ' + ISNULL(QUOTENAME(@AX_SCHEMA), N'NULL')
                   + N' in database ' + QUOTENAME(DB_NAME()) + N'; give the AX tables'' schema as @AX_SCHEMA';
        THROW 50600, @MSG, 1;
    END;

    BEGIN TRANSACTION;
    IF OBJECT_ID(N'[dbo].[UPKIT_DELTA_RUN]', N'U') IS NOT NULL
        SELECT @LAST = ISNULL(MAX(R.[RUN_ID]), 0) FROM [dbo].[UPKIT_DELTA_RUN] AS R WITH (HOLDLOCK);
    INSERT INTO [dbo].[UPKIT_TRANSFER_MARKER] ([MARKER_ID], [MARKED_AT], [AX_SCHEMA], [LAST_DELTA_RUN])
    VALUES (@ID, SYSUTCDATETIME(), @AX_SCHEMA, @LAST);

    IF OBJECT_ID(QUOTENAME(@AX_SCHEMA) + N'.[NUMBERSEQUENCETABLE]', N'U') IS NOT NULL
    BEGIN
        SET @SQL = N'INSERT INTO [dbo].[UPKIT_TRANSFER_MARKER_VALUE] ([MARKER_ID], [KIND], [SEQ_KEY], [VALUE])'
                 + N' SELECT @ID, N''number'', N.[DATAAREAID] + N'':'' + N.[NUMBERSEQUENCE], N.[NEXTREC]'
                 + N' FROM ' + QUOTENAME(@AX_SCHEMA) + N'.[NUMBERSEQUENCETABLE] AS N WITH (HOLDLOCK);';
        EXEC sys.sp_executesql @SQL, N'@ID NVARCHAR(32)', @ID = @ID;
    END;
    IF OBJECT_ID(QUOTENAME(@AX_SCHEMA) + N'.[SYSTEMSEQUENCES]', N'U') IS NOT NULL
    BEGIN
        SET @SQL = N'INSERT INTO [dbo].[UPKIT_TRANSFER_MARKER_VALUE] ([MARKER_ID], [KIND], [SEQ_KEY], [VALUE])'
                 + N' SELECT @ID, N''recid'', CONVERT(NVARCHAR(20), S.[TABID]), S.[NEXTVAL]'
                 + N' FROM ' + QUOTENAME(@AX_SCHEMA) + N'.[SYSTEMSEQUENCES] AS S WITH (HOLDLOCK) WHERE S.[ID] = -1;';
        EXEC sys.sp_executesql @SQL, N'@ID NVARCHAR(32)', @ID = @ID;
    END;
    COMMIT TRANSACTION;

    SELECT @ID AS [MARKER_ID];
END;
GO
