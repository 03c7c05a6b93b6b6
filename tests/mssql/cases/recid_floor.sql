-- [dbo].[UPKIT_RAISE_RECID_FLOOR] (upkit copy's RECID realignment): NEXTVAL
-- raised where below the floor, never lowered, a row made for a table
-- without one (at the floor, or where the AX kernel starts), reservations
-- afterwards start at or above the floor; bad arguments and duplicate
-- allocator rows fail with THROW 50500-50502 and change nothing.
DECLARE @N BIGINT, @S BIGINT;
DELETE FROM [dbo].[SYSTEMSEQUENCES] WHERE [TABID] BETWEEN 4101 AND 4105;
INSERT INTO [dbo].[SYSTEMSEQUENCES] ([ID], [TABID], [NEXTVAL])
VALUES (-1, 4101, 5637144600), (-1, 4102, 5637200000), (-1, 4105, 100), (-1, 4105, 200);

EXEC [dbo].[UPKIT_RAISE_RECID_FLOOR] 4101, 5637150000, @N OUTPUT;
SELECT N'raised', @N, [NEXTVAL] FROM [dbo].[SYSTEMSEQUENCES] WHERE [TABID] = 4101;
EXEC [dbo].[UPKIT_RESERVE_RECIDS] 4101, 10, @S OUTPUT;
SELECT N'next reservation from the floor', @S;
EXEC [dbo].[UPKIT_RAISE_RECID_FLOOR] 4102, 5637150000, @N OUTPUT;
SELECT N'never lowered', @N, [NEXTVAL] FROM [dbo].[SYSTEMSEQUENCES] WHERE [TABID] = 4102;
EXEC [dbo].[UPKIT_RAISE_RECID_FLOOR] 4103, 5637150000, @N OUTPUT;
SELECT N'new row at the floor', @N, COUNT(*) FROM [dbo].[SYSTEMSEQUENCES] WHERE [TABID] = 4103;
EXEC [dbo].[UPKIT_RAISE_RECID_FLOOR] 4104, 12, @N OUTPUT;
SELECT N'new row where AX starts', @N;
EXEC [dbo].[UPKIT_RAISE_RECID_FLOOR] 4104, 12, @N OUTPUT;
SELECT N'twice is harmless', @N, COUNT(*) FROM [dbo].[SYSTEMSEQUENCES] WHERE [TABID] = 4104;

BEGIN TRY EXEC [dbo].[UPKIT_RAISE_RECID_FLOOR] NULL, 5, @N OUTPUT; SELECT N'tabid NULL', N'no error'; END TRY
BEGIN CATCH SELECT N'tabid NULL', ERROR_NUMBER(), ERROR_MESSAGE(); END CATCH;
BEGIN TRY EXEC [dbo].[UPKIT_RAISE_RECID_FLOOR] 4101, 0, @N OUTPUT; SELECT N'floor 0', N'no error'; END TRY
BEGIN CATCH SELECT N'floor 0', ERROR_NUMBER(), ERROR_MESSAGE(); END CATCH;
BEGIN TRY EXEC [dbo].[UPKIT_RAISE_RECID_FLOOR] 4101, NULL, @N OUTPUT; SELECT N'floor NULL', N'no error'; END TRY
BEGIN CATCH SELECT N'floor NULL', ERROR_NUMBER(), ERROR_MESSAGE(); END CATCH;
SELECT N'unchanged by the errors', [NEXTVAL] FROM [dbo].[SYSTEMSEQUENCES] WHERE [TABID] = 4101;
BEGIN TRY EXEC [dbo].[UPKIT_RAISE_RECID_FLOOR] 4105, 150, @N OUTPUT; SELECT N'duplicate rows', N'no error'; END TRY
BEGIN CATCH SELECT N'duplicate rows', ERROR_NUMBER(), ERROR_MESSAGE(); END CATCH;
SELECT N'both at or above the floor', MIN([NEXTVAL]), MAX([NEXTVAL]) FROM [dbo].[SYSTEMSEQUENCES] WHERE [TABID] = 4105;

-- The copy's ledger: one row per table and range, a range number inside its count.
INSERT INTO [dbo].[UPKIT_COPY_LEDGER] ([TARGET_SCHEMA], [TARGET_TABLE], [RANGE_NO], [NRANGES],
                                       [SOURCE_TABLE], [MAPPING_HASH])
VALUES (N'dbo', N'CUSTTABLE', 0, 1, N'dbo.CUSTTABLE', N'0123456789abcdef');
SELECT N'ledger row', [RANGE_NO], [NRANGES], CAST([DONE] AS INT), [ROWS]
  FROM [dbo].[UPKIT_COPY_LEDGER] WHERE [TARGET_TABLE] = N'CUSTTABLE';
BEGIN TRY
    INSERT INTO [dbo].[UPKIT_COPY_LEDGER] ([TARGET_SCHEMA], [TARGET_TABLE], [RANGE_NO], [NRANGES],
                                           [SOURCE_TABLE], [MAPPING_HASH])
    VALUES (N'dbo', N'SALESLINE', 1, 1, N'dbo.SALESLINE', N'0123456789abcdef');
    SELECT N'range outside its count', N'no error';
END TRY
BEGIN CATCH SELECT N'range outside its count', ERROR_NUMBER(); END CATCH;
BEGIN TRY
    INSERT INTO [dbo].[UPKIT_COPY_LEDGER] ([TARGET_SCHEMA], [TARGET_TABLE], [RANGE_NO], [NRANGES],
                                           [SOURCE_TABLE], [MAPPING_HASH])
    VALUES (N'dbo', N'CUSTTABLE', 0, 1, N'dbo.CUSTTABLE', N'0123456789abcdef');
    SELECT N'a range twice', N'no error';
END TRY
BEGIN CATCH SELECT N'a range twice', ERROR_NUMBER(); END CATCH;
