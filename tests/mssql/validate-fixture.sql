-- The readiness checks' fixture for SQL Server (tests/mssql/validate.t): the
-- same rows as tests/fixtures/validate/fixture.sql, in schema rdy, one
-- batch (CREATE SCHEMA runs through EXEC, as it must be alone in its batch).
IF SCHEMA_ID(N'rdy') IS NULL EXEC (N'CREATE SCHEMA [rdy]');
CREATE TABLE [rdy].[INVENTITEMGROUP] (
    [RECID] BIGINT PRIMARY KEY, [DATAAREAID] NVARCHAR(4) NOT NULL, [ITEMGROUPID] NVARCHAR(10) NOT NULL);
INSERT INTO [rdy].[INVENTITEMGROUP] VALUES (101, N'dat', N'Audio'), (102, N'dat', N'Video'), (103, N'ceu', N'Video');
CREATE TABLE [rdy].[INVENTTABLE] (
    [RECID] BIGINT PRIMARY KEY, [DATAAREAID] NVARCHAR(4) NOT NULL, [ITEMID] NVARCHAR(20) NULL,
    [ITEMNAME] NVARCHAR(60) NULL, [ITEMGROUPID] NVARCHAR(10) NULL, [PRICETEXT] NVARCHAR(20) NULL,
    [QTYTEXT] NVARCHAR(20) NULL);
INSERT INTO [rdy].[INVENTTABLE] VALUES
    (1,  N'dat', N'A1',  N'Speaker',               N'Audio', N'10.00',     N'1'),
    (2,  N'dat', N'A1',  N'Speaker, again',        N'Audio', N'10.00',     N'2'),
    (3,  N'dat', N'A2',  NULL,                     N'Audio', N'5',         N'3'),
    (4,  N'dat', N'A3',  N'Tuner',                 N'NOPE',  N'7.5',       N'4'),
    (5,  N'dat', N'A4',  N'A very long item name', N'Video', N'1.25',      N'5'),
    (6,  N'dat', N'A5',  N'Amp',                   N'Audio', N'1234567.5', N'x'),
    (7,  N'dat', N'A 6', N'Cable',                 N'Audio', N'99999.995', N'99999'),
    (8,  N'dat', NULL,   N'Nameless',              NULL,     NULL,         NULL),
    (11, N'ceu', N'A1',  N'Speaker',               N'Video', N'3',         N'1'),
    (12, N'ceu', N'B1',  N'Radio',                 N'Audio', N'3',         N'1'),
    (13, N'ceu', N'B2',  N'Radio 2',               N'Video', N'3',         N'1'),
    (14, N'ceu', N'B2',  N'Radio 2 copy',          N'Video', N'3',         N'40000'),
    (15, N'ceu', N'B2',  N'Radio 2 copy 2',        N'Video', N'3',         N'-1');
CREATE TABLE [rdy].[INVENTTABLE_NEW] ([RECID] BIGINT, [DATAAREAID] NVARCHAR(4), [ITEMNAME] NVARCHAR(12));
CREATE TABLE [rdy].[NUMBERSEQUENCETABLE] (
    [RECID] BIGINT PRIMARY KEY, [DATAAREAID] NVARCHAR(4) NOT NULL, [NUMBERSEQUENCE] NVARCHAR(20) NOT NULL,
    [NEXTREC] BIGINT NOT NULL, [HIGHEST] BIGINT NOT NULL, [FORMAT] NVARCHAR(40) NULL);
INSERT INTO [rdy].[NUMBERSEQUENCETABLE] VALUES
    (201, N'dat', N'Item', 995, 1000, N'IT-#####'), (202, N'ceu', N'Item', 97, 0, N'IT-##'),
    (203, N'dat', N'Misc', 1, 0, N'MISC'), (204, N'ceu', N'Misc', 1, 0, NULL), (205, N'dat', N'Ok', 1, 0, N'####');
CREATE TABLE [rdy].[UNITOFMEASURE] ([RECID] BIGINT PRIMARY KEY, [SYMBOL] NVARCHAR(10) NULL, [DESCRIPTION] NVARCHAR(60) NULL);
INSERT INTO [rdy].[UNITOFMEASURE] VALUES (301, N'pcs', N'Pieces'), (302, N'kg', N'Kilogram'),
    (303, N'pcs', N'Pieces again'), (304, NULL, N'No symbol');
