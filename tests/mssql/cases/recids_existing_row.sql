-- An existing allocator row (ID = -1) advances; a row of the same table with
-- another ID is left alone.
DECLARE @S BIGINT;
DELETE FROM [dbo].[SYSTEMSEQUENCES] WHERE [TABID] = 4002;
INSERT INTO [dbo].[SYSTEMSEQUENCES] ([ID], [TABID], [NEXTVAL]) VALUES (-1, 4002, 1000), (7, 4002, 1);
EXEC [dbo].[UPKIT_RESERVE_RECIDS] 4002, 1, @S OUTPUT;
SELECT N'one', @S;
EXEC [dbo].[UPKIT_RESERVE_RECIDS] 4002, 3, @S OUTPUT;
SELECT N'three', @S;
SELECT N'allocator', [NEXTVAL] FROM [dbo].[SYSTEMSEQUENCES] WHERE [TABID] = 4002 AND [ID] = -1;
SELECT N'other row', [NEXTVAL] FROM [dbo].[SYSTEMSEQUENCES] WHERE [TABID] = 4002 AND [ID] = 7;
