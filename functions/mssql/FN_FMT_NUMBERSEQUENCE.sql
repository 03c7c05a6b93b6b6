-- [dbo].[FN_FMT_NUMBERSEQUENCE](@FORMAT, @VALUE, @NEXTREC, @RJUSTIFY_LENGTH):
-- AX's number sequence formatting in plain T-SQL (no CLR), SQL Server 2012 or
-- later.  The PostgreSQL twin is upkit.fn_fmt_numbersequence (extension/
-- fmt_numbersequence.c); the shared vectors pin both to the same results.
--
-- What it does.  The number is @VALUE + @NEXTREC.  Every '#' in @FORMAT is a
-- digit slot; the number's decimal digits fill the slots from the rightmost
-- '#' leftwards and slots left over become '0'.  Every other character is
-- copied as it is: '#-#####' with 123456 gives '1-23456'.  With
-- @RJUSTIFY_LENGTH > 0 the result is padded on the left with spaces to exactly
-- that many characters; 0 means no padding.  Any NULL argument gives NULL.
--
-- How it fails.  A number with more digits than slots, a negative number, a
-- sum outside bigint, a format without '#', a negative @RJUSTIFY_LENGTH and a
-- result longer than @RJUSTIFY_LENGTH are errors, never a truncated or wrapped
-- value.  A T-SQL function cannot THROW or RAISERROR, so it fails the way a
-- function can: it converts a message that names the problem to INT, and the
-- call fails with error 245, for example
--   Conversion failed when converting the nvarchar value
--   'upkit FN_FMT_NUMBERSEQUENCE: number 1000000 does not fit format "######"
--   (7 digits, 6 digit slots)' to data type int.
-- A conversion error fails whatever ANSI_WARNINGS and ARITHABORT say (an
-- arithmetic error would turn into NULL with both OFF).  The message holds
-- the parameters, so it is never a constant the optimizer could fold.  The
-- sum is computed in DECIMAL(20,0), so an overflow is reported by name
-- instead of as error 8115.
--
-- Why it is written this way.
-- * @FORMAT and the result are NVARCHAR(MAX): a shorter parameter type would
--   silently cut a longer argument before the function could see it.
-- * Slots are found with the binary collation Latin1_General_BIN2: under the
--   database collation a width-insensitive comparison would take the
--   full-width number sign U+FF03 for '#'.  Positions are counted in the
--   engine's own units throughout (UTF-16 code units on SQL Server, whose
--   BIN2 collation is not supplementary-aware; characters on Babelfish), so
--   CHARINDEX, STUFF and LEN agree with each other.
-- * Lengths come from LEN(x + N'|') - 1 (LEN ignores trailing spaces), never
--   from DATALENGTH: DATALENGTH is UTF-16 bytes on SQL Server but UTF-8
--   bytes on Babelfish.
-- * @RJUSTIFY_LENGTH counts characters, as PostgreSQL does: a character
--   outside the BMP counts once.  On SQL Server it is a surrogate pair, two
--   code units, under every collation AX databases use
--   (SQL_Latin1_General_CP1_CI_AS, Latin1_General_CI_AS); the function
--   counts the pairs (a unit in 0xD800-0xDBFF followed by one in
--   0xDC00-0xDFFF, compared as integers, so no surrogate literal is needed)
--   and takes them off.  On Babelfish a string holds code points, so there
--   is no pair to count and LEN is already right: one form for both
--   engines, without an _SC collation (Babelfish has none).  An unpaired
--   surrogate counts as one character.  Only a format with a character
--   outside printable ASCII is walked.
-- * REPLICATE is given an NVARCHAR(MAX) argument: with a shorter type it
--   stops at 4000 characters.
-- * WITH SCHEMABINDING and only deterministic built-ins, so SQL Server marks
--   it deterministic (OBJECTPROPERTY(..., 'IsDeterministic') = 1).  The WHILE
--   loop keeps SQL Server 2019's scalar UDF inlining away, so the error
--   branches run only when they are reached.
-- * Generated procedures do not call it row by row (a scalar UDF runs once
--   per row and forbids a parallel plan): they check the largest number
--   once and format with the inline table-valued function
--   [dbo].[UPKIT_FMT_NUMBERSEQUENCE_TVF] (UPKIT_FMT_NUMBERSEQUENCE_TVF.sql),
--   which gives the same results and the same messages;
--   tests/mssql/vectors.t compares the two over every vector.
-- The checks come in the same order as in PostgreSQL: rjustify, slots,
-- bigint range, sign, digits, length.
SET ANSI_NULLS ON;
GO
SET QUOTED_IDENTIFIER ON;
GO
IF OBJECT_ID(N'[dbo].[FN_FMT_NUMBERSEQUENCE]', N'FN') IS NOT NULL
    DROP FUNCTION [dbo].[FN_FMT_NUMBERSEQUENCE];
GO
CREATE FUNCTION [dbo].[FN_FMT_NUMBERSEQUENCE]
(
    @FORMAT          NVARCHAR(MAX),
    @VALUE           BIGINT,
    @NEXTREC         BIGINT,
    @RJUSTIFY_LENGTH INT
)
RETURNS NVARCHAR(MAX)
WITH SCHEMABINDING
AS
BEGIN
    DECLARE @SHOWN   NVARCHAR(200);     -- the format as error messages quote it
    DECLARE @SLOTS   BIGINT;            -- number of '#'
    DECLARE @SUM     DECIMAL(20, 0);    -- @VALUE + @NEXTREC, cannot overflow
    DECLARE @DIGITS  NVARCHAR(20);      -- the number's decimal digits
    DECLARE @NDIGITS BIGINT;
    DECLARE @UNITS   BIGINT;            -- the format's length in the engine's units
    DECLARE @PAIRS   BIGINT;            -- surrogate pairs in it (SQL Server only)
    DECLARE @CHARS   BIGINT;            -- characters in the format (and result)
    DECLARE @RESULT  NVARCHAR(MAX);
    DECLARE @POS     BIGINT;            -- code unit position of the current slot
    DECLARE @SLOT    BIGINT;            -- 1-based slot number, left to right
    DECLARE @ZEROS   BIGINT;            -- slots that stay '0'

    IF @FORMAT IS NULL OR @VALUE IS NULL OR @NEXTREC IS NULL OR @RJUSTIFY_LENGTH IS NULL
        RETURN NULL;

    SET @UNITS = LEN((@FORMAT + N'|') COLLATE Latin1_General_BIN2) - 1;
    SET @PAIRS = 0;
    SET @POS = PATINDEX(N'%[^ -~]%', @FORMAT COLLATE Latin1_General_BIN2);
    WHILE @POS > 0 AND @POS < @UNITS
    BEGIN
        IF UNICODE(SUBSTRING(@FORMAT COLLATE Latin1_General_BIN2, @POS, 1)) BETWEEN 55296 AND 56319
           AND UNICODE(SUBSTRING(@FORMAT COLLATE Latin1_General_BIN2, @POS + 1, 1)) BETWEEN 56320 AND 57343
        BEGIN
            SET @PAIRS = @PAIRS + 1;
            SET @POS = @POS + 2;
        END
        ELSE
            SET @POS = @POS + 1;
    END;
    SET @CHARS = @UNITS - @PAIRS;

    SET @SHOWN = CASE
        WHEN @UNITS <= 64 THEN @FORMAT
        ELSE LEFT(@FORMAT, 64) + N'... (' + CAST(@CHARS AS NVARCHAR(20)) + N' characters)'
    END;

    IF @RJUSTIFY_LENGTH < 0
        RETURN CAST(N'upkit FN_FMT_NUMBERSEQUENCE: rjustify_length must not be negative: '
                    + CAST(@RJUSTIFY_LENGTH AS NVARCHAR(11)) + N' (use 0 for no justification)' AS INT);

    SET @SLOTS = @UNITS - (LEN((REPLACE(@FORMAT COLLATE Latin1_General_BIN2, N'#', N'') + N'|')
                                COLLATE Latin1_General_BIN2) - 1);
    IF @SLOTS = 0
        RETURN CAST(N'upkit FN_FMT_NUMBERSEQUENCE: number sequence format "' + @SHOWN
                    + N'" has no digit slot (every # is a slot; the format needs one)' AS INT);

    SET @SUM = CAST(@VALUE AS DECIMAL(20, 0)) + CAST(@NEXTREC AS DECIMAL(20, 0));
    IF @SUM > 9223372036854775807 OR @SUM < -9223372036854775808
        RETURN CAST(N'upkit FN_FMT_NUMBERSEQUENCE: number ' + CAST(@VALUE AS NVARCHAR(20))
                    + N' + ' + CAST(@NEXTREC AS NVARCHAR(20)) + N' is out of range for format "'
                    + @SHOWN + N'" (value + nextrec must fit in bigint)' AS INT);
    IF @SUM < 0
        RETURN CAST(N'upkit FN_FMT_NUMBERSEQUENCE: number ' + CAST(CAST(@SUM AS BIGINT) AS NVARCHAR(20))
                    + N' is negative and cannot be formatted with "' + @SHOWN + N'" (value '
                    + CAST(@VALUE AS NVARCHAR(20)) + N' + nextrec ' + CAST(@NEXTREC AS NVARCHAR(20)) + N')' AS INT);

    SET @DIGITS = CAST(CAST(@SUM AS BIGINT) AS NVARCHAR(20));
    SET @NDIGITS = LEN(@DIGITS);
    IF @NDIGITS > @SLOTS
        RETURN CAST(N'upkit FN_FMT_NUMBERSEQUENCE: number ' + @DIGITS + N' does not fit format "' + @SHOWN
                    + N'" (' + CAST(@NDIGITS AS NVARCHAR(20)) + N' digits, '
                    + CAST(@SLOTS AS NVARCHAR(20)) + N' digit slots)' AS INT);

    IF @RJUSTIFY_LENGTH > 0 AND @CHARS > @RJUSTIFY_LENGTH
        RETURN CAST(N'upkit FN_FMT_NUMBERSEQUENCE: formatted number ' + @DIGITS + N' with format "' + @SHOWN
                    + N'" is ' + CAST(@CHARS AS NVARCHAR(20)) + N' characters, longer than rjustify_length '
                    + CAST(@RJUSTIFY_LENGTH AS NVARCHAR(11)) AS INT);

    -- Every slot becomes '0'; then the last @NDIGITS slots, walked left to
    -- right, take the digits from the most significant one on.
    SET @RESULT = REPLACE(@FORMAT COLLATE Latin1_General_BIN2, N'#', N'0');
    SET @ZEROS = @SLOTS - @NDIGITS;
    SET @POS = 0;
    SET @SLOT = 0;
    WHILE @SLOT < @SLOTS
    BEGIN
        SET @POS = CHARINDEX(N'#', @FORMAT COLLATE Latin1_General_BIN2, @POS + 1);
        SET @SLOT = @SLOT + 1;
        IF @SLOT > @ZEROS
            SET @RESULT = STUFF(@RESULT COLLATE Latin1_General_BIN2, @POS, 1,
                                SUBSTRING(@DIGITS, @SLOT - @ZEROS, 1));
    END;

    IF @RJUSTIFY_LENGTH > @CHARS
        SET @RESULT = REPLICATE(CAST(N' ' AS NVARCHAR(MAX)), @RJUSTIFY_LENGTH - @CHARS) + @RESULT;
    RETURN @RESULT;
END;
GO
