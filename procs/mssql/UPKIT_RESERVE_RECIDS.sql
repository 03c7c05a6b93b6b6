-- [dbo].[UPKIT_RESERVE_RECIDS] @TABID, @COUNT, @START OUTPUT: reserve @COUNT
-- RECIDs for table @TABID.  The caller owns [@START, @START + @COUNT - 1],
-- contiguous; SYSTEMSEQUENCES.NEXTVAL of the table's row (ID = -1) advances
-- by @COUNT.  A table without a row gets one that starts at 5637144576, as
-- the AX kernel does.
--
-- Concurrency.  The procedure opens no transaction of its own (the caller
-- owns it), so every change it makes is one statement that is atomic by
-- itself:
-- * the common case is a single UPDATE that advances NEXTVAL under an
--   update lock and reads the new value into @START in the same statement
--   (SET @START = [NEXTVAL] = [NEXTVAL] + @COUNT, the form SQL Server
--   documents as "the variable is set to the same value as the column");
--   the start is that value minus @COUNT.  The form SET @START = NEXTVAL,
--   NEXTVAL = ... is documented to give the value before the update, but
--   Babelfish gives the value after it; this form means the same on both.
--   No ';' follows that UPDATE: Babelfish rejects one there ("syntax error
--   at or near RETURNING");
-- * a table without a row gets it from one INSERT ... WHERE NOT EXISTS whose
--   existence test holds UPDLOCK, HOLDLOCK (a key-range lock) until the
--   statement ends, so two sessions cannot both insert; the session that
--   finds the row inserted meanwhile goes back to the UPDATE.
-- Rollback.  T-SQL has no autonomous transaction without CLR or a loopback
-- linked server, so the advance belongs to the caller's transaction: called
-- in autocommit mode, the reservation commits at once and the range is never
-- handed out again (DESIGN's guarantee, as in PostgreSQL); called inside a
-- transaction that rolls back, the range comes back together with every row
-- that used it, so a RECID still never appears twice in the database.
-- Gaps are possible, duplicates are not.
--
-- Errors (THROW, so the caller's batch stops; under SET XACT_ABORT ON the
-- transaction rolls back): 50001 a NULL @TABID, 50004 an @COUNT that is NULL
-- or below 1, 50002 a range past the largest bigint, 50003 more than one
-- SYSTEMSEQUENCES row for the table (docs/mssql.md lists every number).
-- @START is NULL whenever the procedure fails.
SET ANSI_NULLS ON;
GO
SET QUOTED_IDENTIFIER ON;
GO
IF OBJECT_ID(N'[dbo].[UPKIT_RESERVE_RECIDS]', N'P') IS NOT NULL
    DROP PROCEDURE [dbo].[UPKIT_RESERVE_RECIDS];
GO
CREATE PROCEDURE [dbo].[UPKIT_RESERVE_RECIDS]
    @TABID INT,
    @COUNT BIGINT,
    @START BIGINT OUTPUT
AS
BEGIN
    SET NOCOUNT ON;
    DECLARE @ROWS INT;
    DECLARE @NEXTVAL BIGINT;
    DECLARE @MSG NVARCHAR(2048);

    SET @START = NULL;
    IF @TABID IS NULL
    BEGIN
        SET @MSG = N'upkit UPKIT_RESERVE_RECIDS: @TABID must not be NULL (@COUNT '
                   + ISNULL(CAST(@COUNT AS NVARCHAR(20)), N'NULL') + N')';
        THROW 50001, @MSG, 1;
    END;
    IF @COUNT IS NULL OR @COUNT < 1
    BEGIN
        SET @MSG = N'upkit UPKIT_RESERVE_RECIDS: @COUNT must be 1 or more, not '
                   + ISNULL(CAST(@COUNT AS NVARCHAR(20)), N'NULL') + N' (table id '
                   + CAST(@TABID AS NVARCHAR(11)) + N')';
        THROW 50004, @MSG, 1;
    END;

    -- 1. The table has its row: advance it.  The bound keeps NEXTVAL +
    --    @COUNT inside bigint (the literal is DECIMAL, so it cannot overflow).
    UPDATE S
       SET @START = [NEXTVAL] = S.[NEXTVAL] + @COUNT
      FROM [dbo].[SYSTEMSEQUENCES] AS S WITH (UPDLOCK, HOLDLOCK)
     WHERE S.[ID] = -1
       AND S.[TABID] = @TABID
       AND S.[NEXTVAL] <= 9223372036854775807 - @COUNT
    SET @ROWS = @@ROWCOUNT;
    SET @START = @START - @COUNT;

    IF @ROWS = 0
    BEGIN
        -- 2. No row yet: insert the table's first range in one statement.
        INSERT INTO [dbo].[SYSTEMSEQUENCES] ([ID], [TABID], [NEXTVAL])
        SELECT -1, @TABID,
               CASE WHEN @COUNT <= 9223372036854775807 - 5637144576
                    THEN CAST(5637144576 AS BIGINT) + @COUNT END
         WHERE @COUNT <= 9223372036854775807 - 5637144576
           AND NOT EXISTS (SELECT *
                             FROM [dbo].[SYSTEMSEQUENCES] AS E WITH (UPDLOCK, HOLDLOCK)
                            WHERE E.[ID] = -1 AND E.[TABID] = @TABID);
        IF @@ROWCOUNT = 1
        BEGIN
            SET @START = 5637144576;
            RETURN 0;
        END;

        -- 3. Another session inserted the row meanwhile, or the range does
        --    not fit in bigint: try the UPDATE once more.
        UPDATE S
           SET @START = [NEXTVAL] = S.[NEXTVAL] + @COUNT
          FROM [dbo].[SYSTEMSEQUENCES] AS S WITH (UPDLOCK, HOLDLOCK)
         WHERE S.[ID] = -1
           AND S.[TABID] = @TABID
           AND S.[NEXTVAL] <= 9223372036854775807 - @COUNT
        SET @ROWS = @@ROWCOUNT;
        SET @START = @START - @COUNT;
    END;

    IF @ROWS = 0
    BEGIN
        SET @START = NULL;
        SELECT @NEXTVAL = MAX(S.[NEXTVAL])
          FROM [dbo].[SYSTEMSEQUENCES] AS S
         WHERE S.[ID] = -1 AND S.[TABID] = @TABID;
        SET @MSG = N'upkit UPKIT_RESERVE_RECIDS: ' + CAST(@COUNT AS NVARCHAR(20))
                   + N' RECIDs for table id ' + CAST(@TABID AS NVARCHAR(11)) + N' from '
                   + CAST(ISNULL(@NEXTVAL, 5637144576) AS NVARCHAR(20))
                   + N' would pass the largest bigint 9223372036854775807';
        THROW 50002, @MSG, 1;
    END;

    IF @ROWS > 1
    BEGIN
        -- Every row advanced, so nothing handed out before comes again; the
        -- range is withheld all the same, since its start is ambiguous.
        SET @START = NULL;
        SET @MSG = N'upkit UPKIT_RESERVE_RECIDS: table id ' + CAST(@TABID AS NVARCHAR(11))
                   + N' has ' + CAST(@ROWS AS NVARCHAR(11))
                   + N' SYSTEMSEQUENCES rows with ID = -1; it must have one';
        THROW 50003, @MSG, 1;
    END;

    RETURN 0;
END;
GO
