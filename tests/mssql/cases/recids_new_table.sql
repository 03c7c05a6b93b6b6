-- A table without a SYSTEMSEQUENCES row starts at 5637144576; the next
-- reservation continues where the first ended.
DECLARE @S BIGINT;
DELETE FROM [dbo].[SYSTEMSEQUENCES] WHERE [TABID] = 4001;
EXEC [dbo].[UPKIT_RESERVE_RECIDS] @TABID = 4001, @COUNT = 10, @START = @S OUTPUT;
SELECT N'first', @S;
EXEC [dbo].[UPKIT_RESERVE_RECIDS] 4001, 5, @S OUTPUT;
SELECT N'second', @S;
SELECT N'rows', COUNT(*), MAX([NEXTVAL]) FROM [dbo].[SYSTEMSEQUENCES] WHERE [TABID] = 4001 AND [ID] = -1;
