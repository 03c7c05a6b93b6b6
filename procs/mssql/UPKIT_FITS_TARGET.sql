-- [dbo].[UPKIT_FITS_TARGET]: for the generated "fits" checks, the type a
-- value must fit: the target column's, read from the catalog when the
-- target table exists (its kind of type must be the spec's: character,
-- integer or decimal), else the spec's.  Returns the limits the check
-- compares with: the length in characters (NULL: unlimited, MAX), the
-- integer bounds, precision and scale, and a name for messages.
--
-- Errors (THROW): 50308 the target table has no such column; 50309 the
-- column's kind of type is not the spec's; 50312 an unknown @FAMILY.
SET ANSI_NULLS ON;
GO
SET QUOTED_IDENTIFIER ON;
GO
IF OBJECT_ID(N'[dbo].[UPKIT_FITS_TARGET]', N'P') IS NOT NULL
    DROP PROCEDURE [dbo].[UPKIT_FITS_TARGET];
GO
CREATE PROCEDURE [dbo].[UPKIT_FITS_TARGET]
    @TABLE          NVARCHAR(600),
    @COLUMN         NVARCHAR(128),
    @FAMILY         NVARCHAR(10),
    @SPEC_TYPE      NVARCHAR(40),
    @SPEC_LENGTH    INT,
    @SPEC_PRECISION INT,
    @SPEC_SCALE     INT,
    @TYPE_NAME      NVARCHAR(200) OUTPUT,
    @MAX_LENGTH     INT OUTPUT,
    @MIN_VALUE      DECIMAL(38, 0) OUTPUT,
    @MAX_VALUE      DECIMAL(38, 0) OUTPUT,
    @NUM_PRECISION  INT OUTPUT,
    @NUM_SCALE      INT OUTPUT
AS
BEGIN
    SET NOCOUNT ON;
    DECLARE @OBJ INT = CASE WHEN @TABLE IS NULL THEN NULL ELSE OBJECT_ID(@TABLE, N'U') END;
    DECLARE @T SYSNAME;
    DECLARE @LEN SMALLINT;
    DECLARE @PREC TINYINT;
    DECLARE @SCALE TINYINT;
    DECLARE @KIND NVARCHAR(10);
    DECLARE @MSG NVARCHAR(2048);

    SELECT @TYPE_NAME = NULL, @MAX_LENGTH = NULL, @MIN_VALUE = NULL, @MAX_VALUE = NULL,
           @NUM_PRECISION = NULL, @NUM_SCALE = NULL;
    IF @FAMILY IS NULL OR @FAMILY NOT IN (N'string', N'integer', N'numeric')
        THROW 50312, N'UPKIT_FITS_TARGET: @FAMILY must be string, integer or numeric', 1;
    IF @OBJ IS NULL
    BEGIN
        SET @T = CASE LOWER(@SPEC_TYPE) WHEN N'integer' THEN N'int' WHEN N'character varying' THEN N'varchar'
                                        WHEN N'character' THEN N'char' ELSE LOWER(@SPEC_TYPE) END;
        SET @MAX_LENGTH = @SPEC_LENGTH;
        SET @NUM_PRECISION = @SPEC_PRECISION;
        SET @NUM_SCALE = ISNULL(@SPEC_SCALE, 0);
    END
    ELSE
    BEGIN
        SELECT @T = TYPE_NAME(C.[system_type_id]), @LEN = C.[max_length], @PREC = C.[precision], @SCALE = C.[scale]
          FROM sys.columns AS C
         WHERE C.[object_id] = @OBJ AND C.[name] = @COLUMN;
        IF @T IS NULL
        BEGIN
            SET @MSG = N'upkit validate: the target table ' + @TABLE + N' has no column "' + ISNULL(@COLUMN, N'NULL') + N'"';
            THROW 50308, @MSG, 1;
        END;
        SET @KIND = CASE WHEN @T IN (N'varchar', N'char', N'nvarchar', N'nchar') THEN N'string'
                         WHEN @T IN (N'tinyint', N'smallint', N'int', N'bigint') THEN N'integer'
                         WHEN @T IN (N'decimal', N'numeric') THEN N'numeric' END;
        IF @KIND IS NULL OR @KIND <> @FAMILY
        BEGIN
            SET @MSG = N'upkit validate: the target column ' + @TABLE + N'.' + @COLUMN + N' is ' + @T
                       + N', not a ' + @FAMILY + N' type as the spec says';
            THROW 50309, @MSG, 1;
        END;
        IF @KIND = N'string'
            SET @MAX_LENGTH = CASE WHEN @LEN = -1 THEN NULL
                                   WHEN @T IN (N'nvarchar', N'nchar') THEN @LEN / 2 ELSE @LEN END;
        IF @KIND = N'numeric'
            SELECT @NUM_PRECISION = @PREC, @NUM_SCALE = @SCALE;
    END;
    IF @FAMILY = N'integer'
        SELECT @MIN_VALUE = CASE @T WHEN N'tinyint' THEN 0 WHEN N'smallint' THEN -32768
                                    WHEN N'bigint' THEN -9223372036854775808 ELSE -2147483648 END,
               @MAX_VALUE = CASE @T WHEN N'tinyint' THEN 255 WHEN N'smallint' THEN 32767
                                    WHEN N'bigint' THEN 9223372036854775807 ELSE 2147483647 END;
    SET @TYPE_NAME = @T + CASE @FAMILY
        WHEN N'string' THEN N'(' + ISNULL(CAST(@MAX_LENGTH AS NVARCHAR(11)), N'max') + N')'
        WHEN N'numeric' THEN N'(' + CAST(@NUM_PRECISION AS NVARCHAR(11)) + N',' + CAST(@NUM_SCALE AS NVARCHAR(11)) + N')'
        ELSE N'' END;
END;
GO
