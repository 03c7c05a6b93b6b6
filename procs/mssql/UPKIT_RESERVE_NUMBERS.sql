-- [dbo].[UPKIT_RESERVE_NUMBERS] @DATAAREAID, @NUMBERSEQUENCE, @COUNT,
-- @FIRST OUTPUT, @FORMAT OUTPUT: reserve @COUNT numbers of a number
-- sequence.  The caller owns the numbers [@FIRST, @FIRST + @COUNT - 1] and
-- formats them with [dbo].[FN_FMT_NUMBERSEQUENCE](@FORMAT, n, 0, ...);
-- NUMBERSEQUENCETABLE.NEXTREC advances by @COUNT.  HIGHEST > 0 is the
-- largest number allowed; HIGHEST <= 0 means no limit.
--
-- The parameters are longer than AX's columns (DATAAREAID nvarchar(4),
-- NUMBERSEQUENCE nvarchar(20)): a value that is too long then finds no row
-- and fails, where a short parameter type would cut it silently and could
-- reserve numbers of another sequence.  @FORMAT is NVARCHAR(4000), which
-- holds any FORMAT AX writes (its column is NVARCHAR(40) or so); Babelfish
-- rejects NVARCHAR(MAX) OUTPUT parameters.  A longer FORMAT is refused
-- (50017), never cut.
--
-- Concurrency.  No transaction of its own (the caller owns it): the
-- reservation is one UPDATE that advances NEXTREC under an update lock and
-- reads the new value and FORMAT into the output parameters (SET @FIRST =
-- [NEXTREC] = [NEXTREC] + @COUNT, then @FIRST - @COUNT is the first number:
-- the form that means the same on SQL Server and Babelfish, see
-- UPKIT_RESERVE_RECIDS.sql; no ';' after that UPDATE, which Babelfish
-- rejects).  The limits are part of its WHERE clause, so a range past
-- HIGHEST, past the largest bigint or with a FORMAT too long for @FORMAT
-- changes nothing; the comparisons are done in
-- DECIMAL, so they cannot overflow.  Only when no row was updated does it
-- read the row again, to say why.  The advance belongs to the caller's
-- transaction: a rollback gives the numbers back together with the rows that
-- used them (see UPKIT_RESERVE_RECIDS.sql).
--
-- Errors (THROW; under SET XACT_ABORT ON the caller's transaction rolls
-- back): 50011 a NULL @DATAAREAID or @NUMBERSEQUENCE, 50016 an @COUNT that
-- is NULL or below 1, 50012 no such number sequence, 50013 the range would
-- pass HIGHEST, 50014 the range would pass the largest bigint, 50015 more
-- than one row for the sequence, 50017 a FORMAT longer than 4000
-- characters, 50020 a NULL FORMAT (a table without AX's NOT NULL; it would
-- make the insert procedures write NULL business ids) (docs/mssql.md lists
-- every number).  @FIRST and @FORMAT are NULL whenever the procedure fails.
SET ANSI_NULLS ON;
GO
SET QUOTED_IDENTIFIER ON;
GO
IF OBJECT_ID(N'[dbo].[UPKIT_RESERVE_NUMBERS]', N'P') IS NOT NULL
    DROP PROCEDURE [dbo].[UPKIT_RESERVE_NUMBERS];
GO
CREATE PROCEDURE [dbo].[UPKIT_RESERVE_NUMBERS]
    @DATAAREAID     NVARCHAR(128),
    @NUMBERSEQUENCE NVARCHAR(128),
    @COUNT          BIGINT,
    @FIRST          BIGINT OUTPUT,
    @FORMAT         NVARCHAR(4000) OUTPUT
AS
BEGIN
    SET NOCOUNT ON;
    DECLARE @ROWS INT;
    DECLARE @NEXTREC BIGINT;
    DECLARE @HIGHEST BIGINT;
    DECLARE @NULLFORMAT INT;
    DECLARE @FORMAT_LENGTH BIGINT;
    DECLARE @WHAT NVARCHAR(400);
    DECLARE @MSG NVARCHAR(2048);

    SET @FIRST = NULL;
    SET @FORMAT = NULL;
    SET @WHAT = N'number sequence ' + ISNULL(N'''' + @NUMBERSEQUENCE + N'''', N'NULL')
                + N' of company ' + ISNULL(N'''' + @DATAAREAID + N'''', N'NULL');
    IF @DATAAREAID IS NULL OR @NUMBERSEQUENCE IS NULL
    BEGIN
        SET @MSG = N'upkit UPKIT_RESERVE_NUMBERS: @DATAAREAID and @NUMBERSEQUENCE must not be NULL ('
                   + @WHAT + N')';
        THROW 50011, @MSG, 1;
    END;
    IF @COUNT IS NULL OR @COUNT < 1
    BEGIN
        SET @MSG = N'upkit UPKIT_RESERVE_NUMBERS: @COUNT must be 1 or more, not '
                   + ISNULL(CAST(@COUNT AS NVARCHAR(20)), N'NULL') + N' (' + @WHAT + N')';
        THROW 50016, @MSG, 1;
    END;

    UPDATE N
       SET @FIRST = [NEXTREC] = N.[NEXTREC] + @COUNT,
           @FORMAT = N.[FORMAT]
      FROM [dbo].[NUMBERSEQUENCETABLE] AS N WITH (UPDLOCK, HOLDLOCK)
     WHERE N.[DATAAREAID] = @DATAAREAID
       AND N.[NUMBERSEQUENCE] = @NUMBERSEQUENCE
       AND N.[FORMAT] IS NOT NULL
       AND N.[NEXTREC] <= 9223372036854775807 - @COUNT
       AND (N.[HIGHEST] <= 0
            OR CAST(N.[NEXTREC] AS DECIMAL(20, 0)) + (@COUNT - 1) <= N.[HIGHEST])
       AND (N.[FORMAT] IS NULL OR LEN((N.[FORMAT] + N'|') COLLATE Latin1_General_BIN2) - 1 <= 4000)
    SET @ROWS = @@ROWCOUNT;

    IF @ROWS = 1
    BEGIN
        SET @FIRST = @FIRST - @COUNT;
        RETURN 0;
    END;

    SET @FIRST = NULL;
    SET @FORMAT = NULL;
    IF @ROWS > 1
    BEGIN
        -- Every row advanced, so no number comes twice; the range is
        -- withheld all the same, since its start is ambiguous.
        SET @MSG = N'upkit UPKIT_RESERVE_NUMBERS: ' + @WHAT + N' has ' + CAST(@ROWS AS NVARCHAR(11))
                   + N' rows in NUMBERSEQUENCETABLE; it must have one';
        THROW 50015, @MSG, 1;
    END;

    -- Nothing was reserved: say why.
    SELECT @NEXTREC = MAX(N.[NEXTREC]), @HIGHEST = MAX(N.[HIGHEST]),
           @NULLFORMAT = MAX(CASE WHEN N.[FORMAT] IS NULL THEN 1 ELSE 0 END),
           @FORMAT_LENGTH = MAX(LEN((N.[FORMAT] + N'|') COLLATE Latin1_General_BIN2) - 1)
      FROM [dbo].[NUMBERSEQUENCETABLE] AS N
     WHERE N.[DATAAREAID] = @DATAAREAID
       AND N.[NUMBERSEQUENCE] = @NUMBERSEQUENCE;
    IF @NEXTREC IS NULL
    BEGIN
        SET @MSG = N'upkit UPKIT_RESERVE_NUMBERS: ' + @WHAT + N' does not exist in NUMBERSEQUENCETABLE';
        THROW 50012, @MSG, 1;
    END;
    IF @NULLFORMAT = 1
    BEGIN
        SET @MSG = N'upkit UPKIT_RESERVE_NUMBERS: FORMAT of ' + @WHAT + N' is NULL in NUMBERSEQUENCETABLE';
        THROW 50020, @MSG, 1;
    END;
    IF @FORMAT_LENGTH > 4000
    BEGIN
        SET @MSG = N'upkit UPKIT_RESERVE_NUMBERS: the FORMAT of ' + @WHAT + N' is '
                   + CAST(@FORMAT_LENGTH AS NVARCHAR(20))
                   + N' characters long; @FORMAT holds 4000 (nothing was reserved)';
        THROW 50017, @MSG, 1;
    END;
    IF @NEXTREC > 9223372036854775807 - @COUNT
    BEGIN
        SET @MSG = N'upkit UPKIT_RESERVE_NUMBERS: ' + CAST(@COUNT AS NVARCHAR(20)) + N' numbers of '
                   + @WHAT + N' from NEXTREC ' + CAST(@NEXTREC AS NVARCHAR(20))
                   + N' would pass the largest bigint 9223372036854775807';
        THROW 50014, @MSG, 1;
    END;
    SET @MSG = N'upkit UPKIT_RESERVE_NUMBERS: ' + CAST(@COUNT AS NVARCHAR(20)) + N' numbers of '
               + @WHAT + N' from NEXTREC ' + CAST(@NEXTREC AS NVARCHAR(20))
               + N' would pass HIGHEST ' + CAST(@HIGHEST AS NVARCHAR(20))
               + N' (the last would be ' + CAST(CAST(@NEXTREC AS DECIMAL(20, 0)) + (@COUNT - 1) AS NVARCHAR(21)) + N')';
    THROW 50013, @MSG, 1;
END;
GO
