-- [dbo].[UPKIT_FMT_NUMBERSEQUENCE_TVF](@FORMAT, @VALUE, @NEXTREC, @RJUSTIFY_LENGTH):
-- the inline table-valued form of [dbo].[FN_FMT_NUMBERSEQUENCE], for
-- set-based code.  SQL Server 2012 or later, and Babelfish.
--
-- Why it exists.  A scalar UDF runs once per row and keeps a plan serial
-- (before SQL Server 2019's inlining, which an upgrade database's
-- compatibility level often turns off): on a TDS engine the generated insert
-- spent 11 times as long as the bare INSERT ... SELECT calling it.  An inline
-- table-valued function is one SELECT that the optimizer expands into the
-- calling query, like a view with parameters; used with CROSS APPLY it costs
-- a few string functions per row.
--
-- What it returns: one row,
--   [FORMATTED]       the scalar function's result, or NULL;
--   [PROBLEM_NUMBER]  NULL, or the error number that names the problem;
--   [PROBLEM]         NULL, or the scalar function's error message, word
--                     for word.
-- [FORMATTED] is NULL exactly when an argument is NULL or [PROBLEM] is set.
-- A table-valued function cannot fail on purpose, so it says what is wrong
-- and the caller THROWs: the generated insert checks the first and the last
-- number of its range once, before the INSERT (if those fit, every number
-- between fits: the length of the result does not depend on the number),
-- and then reads only [FORMATTED].  tests/mssql/vectors.t compares both
-- forms over every vector.
--
--   50041  rjustify_length is negative
--   50042  the format has no digit slot
--   50043  value + nextrec is outside bigint
--   50044  the number is negative
--   50045  the number has more digits than the format has slots
--   50046  the result is longer than rjustify_length
--   50047  the format is longer than 4000 characters (this form only,
--          checked right after rjustify_length: the scalar function takes
--          any length; NUMBERSEQUENCETABLE's FORMAT is far shorter, and
--          UPKIT_RESERVE_NUMBERS refuses a longer one)
-- The checks come in the scalar function's order.  Nothing here depends on
-- CONCAT_NULL_YIELDS_NULL (db-lib clients turn it off): a NULL is tested,
-- never concatenated ([FORMATTED] and [PROBLEM] are built only when the
-- arguments and [PROBLEM_NUMBER] say so).
--
-- How it works, in the same units and with the same collation rules as
-- the scalar function (see FN_FMT_NUMBERSEQUENCE.sql): [F] holds what
-- depends on the format only (the optimizer computes it once for a whole
-- INSERT, since it does not refer to the row), [N] the number, [P] the
-- problem.  The digits fill the slots from the right, so the format is
-- reversed, the k-th '#' from the left takes the k-th digit from the right
-- (S1 ... S19: a bigint has at most 19 digits), the slots left over become
-- '0' and the string is reversed back.  Reversing code units twice gives
-- the same units back, surrogate pairs included.  Characters are counted
-- as in the scalar function: LEN in the engine's units, minus the
-- surrogate pairs a SQL Server string holds (found by a tally over the
-- positions, only for a format with a character outside printable ASCII).
SET ANSI_NULLS ON;
GO
SET QUOTED_IDENTIFIER ON;
GO
IF OBJECT_ID(N'[dbo].[UPKIT_FMT_NUMBERSEQUENCE_TVF]', N'IF') IS NOT NULL
    DROP FUNCTION [dbo].[UPKIT_FMT_NUMBERSEQUENCE_TVF];
GO
CREATE FUNCTION [dbo].[UPKIT_FMT_NUMBERSEQUENCE_TVF]
(
    @FORMAT          NVARCHAR(MAX),
    @VALUE           BIGINT,
    @NEXTREC         BIGINT,
    @RJUSTIFY_LENGTH INT
)
RETURNS TABLE
WITH SCHEMABINDING
AS
RETURN
SELECT CASE WHEN PN.[ANY_NULL] = 0 AND PN.[PROBLEM_NUMBER] IS NULL THEN
           CASE WHEN @RJUSTIFY_LENGTH > F.[CHARS]
                THEN REPLICATE(CAST(N' ' AS NVARCHAR(MAX)), @RJUSTIFY_LENGTH - F.[CHARS])
                ELSE N'' END
           + REVERSE(REPLACE(S19.[S] COLLATE Latin1_General_BIN2, N'#', N'0') COLLATE Latin1_General_BIN2)
       END AS [FORMATTED],
       P.[PROBLEM_NUMBER],
       P.[PROBLEM]
  FROM (SELECT U.[UNITS],
               U.[UNITS] - (LEN((REPLACE(@FORMAT COLLATE Latin1_General_BIN2, N'#', N'') + N'|')
                                COLLATE Latin1_General_BIN2) - 1) AS [SLOTS],
               U.[UNITS] - C.[PAIRS] AS [CHARS],
               CASE WHEN U.[UNITS] <= 64 THEN @FORMAT
                    ELSE LEFT(@FORMAT, 64) + N'... (' + CAST(U.[UNITS] - C.[PAIRS] AS NVARCHAR(20)) + N' characters)'
               END AS [SHOWN],
               REVERSE(@FORMAT COLLATE Latin1_General_BIN2) AS [REVERSED]
          FROM (SELECT LEN((@FORMAT + N'|') COLLATE Latin1_General_BIN2) - 1 AS [UNITS],
                       PATINDEX(N'%[^ -~]%', @FORMAT COLLATE Latin1_General_BIN2) AS [FIRST_OTHER]) AS U
         CROSS APPLY (
               -- Surrogate pairs: a unit in 0xD800-0xDBFF followed by one in
               -- 0xDC00-0xDFFF (two pairs cannot overlap), at positions 1 .. 4000
               -- (a longer format is problem 50047, checked before any count is used).
               SELECT COUNT_BIG(*) AS [PAIRS]
                 FROM (SELECT TOP (CASE WHEN U.[FIRST_OTHER] > 0 AND U.[UNITS] <= 4000 THEN U.[UNITS] ELSE 0 END)
                              ROW_NUMBER() OVER (ORDER BY (SELECT NULL)) AS [I]
                         FROM (VALUES (0),(0),(0),(0),(0),(0),(0),(0),(0),(0),(0),(0),(0),(0),(0),(0)) AS A ([Z])
                        CROSS JOIN (VALUES (0),(0),(0),(0),(0),(0),(0),(0),(0),(0),(0),(0),(0),(0),(0),(0)) AS B ([Z])
                        CROSS JOIN (VALUES (0),(0),(0),(0),(0),(0),(0),(0),(0),(0),(0),(0),(0),(0),(0),(0)) AS D ([Z])) AS T
                WHERE UNICODE(SUBSTRING(@FORMAT COLLATE Latin1_General_BIN2, T.[I], 1)) BETWEEN 55296 AND 56319
                  AND UNICODE(SUBSTRING(@FORMAT COLLATE Latin1_General_BIN2, T.[I] + 1, 1)) BETWEEN 56320 AND 57343
               ) AS C
       ) AS F
 CROSS APPLY (SELECT CAST(@VALUE AS DECIMAL(20, 0)) + CAST(@NEXTREC AS DECIMAL(20, 0)) AS [SUM]) AS M
 CROSS APPLY (SELECT CAST(M.[SUM] AS NVARCHAR(21)) AS [DIGITS],
                     REVERSE(CAST(M.[SUM] AS NVARCHAR(21))) AS [REVERSED],
                     LEN(CAST(M.[SUM] AS NVARCHAR(21))) AS [NDIGITS]) AS N
 CROSS APPLY (
       SELECT CASE WHEN @FORMAT IS NULL OR @VALUE IS NULL OR @NEXTREC IS NULL OR @RJUSTIFY_LENGTH IS NULL
                   THEN 1 ELSE 0 END AS [ANY_NULL],
              CASE WHEN @FORMAT IS NULL OR @VALUE IS NULL OR @NEXTREC IS NULL OR @RJUSTIFY_LENGTH IS NULL THEN NULL
                   WHEN @RJUSTIFY_LENGTH < 0 THEN 50041
                   WHEN F.[UNITS] > 4000 THEN 50047
                   WHEN F.[SLOTS] = 0 THEN 50042
                   WHEN M.[SUM] > 9223372036854775807 OR M.[SUM] < -9223372036854775808 THEN 50043
                   WHEN M.[SUM] < 0 THEN 50044
                   WHEN N.[NDIGITS] > F.[SLOTS] THEN 50045
                   WHEN @RJUSTIFY_LENGTH > 0 AND F.[CHARS] > @RJUSTIFY_LENGTH THEN 50046
              END AS [PROBLEM_NUMBER]) AS PN
 CROSS APPLY (
       SELECT PN.[PROBLEM_NUMBER],
              -- Only when there is a problem: under CONCAT_NULL_YIELDS_NULL OFF
              -- the prefix + NULL would be the prefix, not NULL.
              CASE WHEN PN.[PROBLEM_NUMBER] IS NOT NULL THEN
              N'upkit FN_FMT_NUMBERSEQUENCE: ' + CASE PN.[PROBLEM_NUMBER]
                  WHEN 50041 THEN N'rjustify_length must not be negative: '
                                  + CAST(@RJUSTIFY_LENGTH AS NVARCHAR(11)) + N' (use 0 for no justification)'
                  WHEN 50042 THEN N'number sequence format "' + F.[SHOWN]
                                  + N'" has no digit slot (every # is a slot; the format needs one)'
                  WHEN 50043 THEN N'number ' + CAST(@VALUE AS NVARCHAR(20)) + N' + ' + CAST(@NEXTREC AS NVARCHAR(20))
                                  + N' is out of range for format "' + F.[SHOWN] + N'" (value + nextrec must fit in bigint)'
                  WHEN 50044 THEN N'number ' + N.[DIGITS] + N' is negative and cannot be formatted with "' + F.[SHOWN]
                                  + N'" (value ' + CAST(@VALUE AS NVARCHAR(20)) + N' + nextrec '
                                  + CAST(@NEXTREC AS NVARCHAR(20)) + N')'
                  WHEN 50045 THEN N'number ' + N.[DIGITS] + N' does not fit format "' + F.[SHOWN] + N'" ('
                                  + CAST(N.[NDIGITS] AS NVARCHAR(20)) + N' digits, '
                                  + CAST(F.[SLOTS] AS NVARCHAR(20)) + N' digit slots)'
                  WHEN 50046 THEN N'formatted number ' + N.[DIGITS] + N' with format "' + F.[SHOWN] + N'" is '
                                  + CAST(F.[CHARS] AS NVARCHAR(20)) + N' characters, longer than rjustify_length '
                                  + CAST(@RJUSTIFY_LENGTH AS NVARCHAR(11))
                  WHEN 50047 THEN N'number sequence format "' + F.[SHOWN]
                                  + N'" is longer than 4000 characters (use [dbo].[FN_FMT_NUMBERSEQUENCE] for it)'
              END END AS [PROBLEM]) AS P
 -- The k-th '#' of the reversed format takes the k-th digit from the right.
 CROSS APPLY (SELECT CASE WHEN N.[NDIGITS] >= 1 AND PN.[PROBLEM_NUMBER] IS NULL THEN STUFF(F.[REVERSED] COLLATE Latin1_General_BIN2, CHARINDEX(N'#', F.[REVERSED] COLLATE Latin1_General_BIN2), 1, SUBSTRING(N.[REVERSED], 1, 1)) END AS [S]) AS S1
 CROSS APPLY (SELECT CASE WHEN N.[NDIGITS] >= 2 THEN STUFF(S1.[S] COLLATE Latin1_General_BIN2, CHARINDEX(N'#', S1.[S] COLLATE Latin1_General_BIN2), 1, SUBSTRING(N.[REVERSED], 2, 1)) ELSE S1.[S] END AS [S]) AS S2
 CROSS APPLY (SELECT CASE WHEN N.[NDIGITS] >= 3 THEN STUFF(S2.[S] COLLATE Latin1_General_BIN2, CHARINDEX(N'#', S2.[S] COLLATE Latin1_General_BIN2), 1, SUBSTRING(N.[REVERSED], 3, 1)) ELSE S2.[S] END AS [S]) AS S3
 CROSS APPLY (SELECT CASE WHEN N.[NDIGITS] >= 4 THEN STUFF(S3.[S] COLLATE Latin1_General_BIN2, CHARINDEX(N'#', S3.[S] COLLATE Latin1_General_BIN2), 1, SUBSTRING(N.[REVERSED], 4, 1)) ELSE S3.[S] END AS [S]) AS S4
 CROSS APPLY (SELECT CASE WHEN N.[NDIGITS] >= 5 THEN STUFF(S4.[S] COLLATE Latin1_General_BIN2, CHARINDEX(N'#', S4.[S] COLLATE Latin1_General_BIN2), 1, SUBSTRING(N.[REVERSED], 5, 1)) ELSE S4.[S] END AS [S]) AS S5
 CROSS APPLY (SELECT CASE WHEN N.[NDIGITS] >= 6 THEN STUFF(S5.[S] COLLATE Latin1_General_BIN2, CHARINDEX(N'#', S5.[S] COLLATE Latin1_General_BIN2), 1, SUBSTRING(N.[REVERSED], 6, 1)) ELSE S5.[S] END AS [S]) AS S6
 CROSS APPLY (SELECT CASE WHEN N.[NDIGITS] >= 7 THEN STUFF(S6.[S] COLLATE Latin1_General_BIN2, CHARINDEX(N'#', S6.[S] COLLATE Latin1_General_BIN2), 1, SUBSTRING(N.[REVERSED], 7, 1)) ELSE S6.[S] END AS [S]) AS S7
 CROSS APPLY (SELECT CASE WHEN N.[NDIGITS] >= 8 THEN STUFF(S7.[S] COLLATE Latin1_General_BIN2, CHARINDEX(N'#', S7.[S] COLLATE Latin1_General_BIN2), 1, SUBSTRING(N.[REVERSED], 8, 1)) ELSE S7.[S] END AS [S]) AS S8
 CROSS APPLY (SELECT CASE WHEN N.[NDIGITS] >= 9 THEN STUFF(S8.[S] COLLATE Latin1_General_BIN2, CHARINDEX(N'#', S8.[S] COLLATE Latin1_General_BIN2), 1, SUBSTRING(N.[REVERSED], 9, 1)) ELSE S8.[S] END AS [S]) AS S9
 CROSS APPLY (SELECT CASE WHEN N.[NDIGITS] >= 10 THEN STUFF(S9.[S] COLLATE Latin1_General_BIN2, CHARINDEX(N'#', S9.[S] COLLATE Latin1_General_BIN2), 1, SUBSTRING(N.[REVERSED], 10, 1)) ELSE S9.[S] END AS [S]) AS S10
 CROSS APPLY (SELECT CASE WHEN N.[NDIGITS] >= 11 THEN STUFF(S10.[S] COLLATE Latin1_General_BIN2, CHARINDEX(N'#', S10.[S] COLLATE Latin1_General_BIN2), 1, SUBSTRING(N.[REVERSED], 11, 1)) ELSE S10.[S] END AS [S]) AS S11
 CROSS APPLY (SELECT CASE WHEN N.[NDIGITS] >= 12 THEN STUFF(S11.[S] COLLATE Latin1_General_BIN2, CHARINDEX(N'#', S11.[S] COLLATE Latin1_General_BIN2), 1, SUBSTRING(N.[REVERSED], 12, 1)) ELSE S11.[S] END AS [S]) AS S12
 CROSS APPLY (SELECT CASE WHEN N.[NDIGITS] >= 13 THEN STUFF(S12.[S] COLLATE Latin1_General_BIN2, CHARINDEX(N'#', S12.[S] COLLATE Latin1_General_BIN2), 1, SUBSTRING(N.[REVERSED], 13, 1)) ELSE S12.[S] END AS [S]) AS S13
 CROSS APPLY (SELECT CASE WHEN N.[NDIGITS] >= 14 THEN STUFF(S13.[S] COLLATE Latin1_General_BIN2, CHARINDEX(N'#', S13.[S] COLLATE Latin1_General_BIN2), 1, SUBSTRING(N.[REVERSED], 14, 1)) ELSE S13.[S] END AS [S]) AS S14
 CROSS APPLY (SELECT CASE WHEN N.[NDIGITS] >= 15 THEN STUFF(S14.[S] COLLATE Latin1_General_BIN2, CHARINDEX(N'#', S14.[S] COLLATE Latin1_General_BIN2), 1, SUBSTRING(N.[REVERSED], 15, 1)) ELSE S14.[S] END AS [S]) AS S15
 CROSS APPLY (SELECT CASE WHEN N.[NDIGITS] >= 16 THEN STUFF(S15.[S] COLLATE Latin1_General_BIN2, CHARINDEX(N'#', S15.[S] COLLATE Latin1_General_BIN2), 1, SUBSTRING(N.[REVERSED], 16, 1)) ELSE S15.[S] END AS [S]) AS S16
 CROSS APPLY (SELECT CASE WHEN N.[NDIGITS] >= 17 THEN STUFF(S16.[S] COLLATE Latin1_General_BIN2, CHARINDEX(N'#', S16.[S] COLLATE Latin1_General_BIN2), 1, SUBSTRING(N.[REVERSED], 17, 1)) ELSE S16.[S] END AS [S]) AS S17
 CROSS APPLY (SELECT CASE WHEN N.[NDIGITS] >= 18 THEN STUFF(S17.[S] COLLATE Latin1_General_BIN2, CHARINDEX(N'#', S17.[S] COLLATE Latin1_General_BIN2), 1, SUBSTRING(N.[REVERSED], 18, 1)) ELSE S17.[S] END AS [S]) AS S18
 CROSS APPLY (SELECT CASE WHEN N.[NDIGITS] >= 19 THEN STUFF(S18.[S] COLLATE Latin1_General_BIN2, CHARINDEX(N'#', S18.[S] COLLATE Latin1_General_BIN2), 1, SUBSTRING(N.[REVERSED], 19, 1)) ELSE S18.[S] END AS [S]) AS S19;
GO
