-- salesquotation-fixture.mssql.sql: the worked example's tables and data for
-- SQL Server (spec: sql/demo/specs/salesquotation.json); the same rows as
-- sql/demo/salesquotation-fixture.sql builds on PostgreSQL.
--
-- Open in SSMS and execute (one batch).  @ROWS sets the number of source
-- rows: row g belongs to company dat, usmf or demf (g % 3) and every tenth
-- row is cancelled (QUOTATIONSTATUS 4), which the spec's filter leaves out.
-- SYSTEMSEQUENCES, NUMBERSEQUENCETABLE and DATAAREA are created only when
-- missing (an AX database has them; DATAAREA gets the three companies); each company gets the number sequence SALESQUOT,
-- format SQ-########, NEXTREC 1001; TABID 1967 starts at 5637150000 unless
-- it has a row already.
SET NOCOUNT ON;
DECLARE @ROWS INT = 1000000;

IF OBJECT_ID(N'[dbo].[SYSTEMSEQUENCES]', N'U') IS NULL
    CREATE TABLE [dbo].[SYSTEMSEQUENCES] (
        [ID]         INT          NOT NULL,
        [NEXTVAL]    BIGINT       NOT NULL,
        [MINVAL]     BIGINT       NOT NULL DEFAULT (1),
        [MAXVAL]     BIGINT       NOT NULL DEFAULT (9223372036854775807),
        [CYCLE]      INT          NOT NULL DEFAULT (0),
        [NAME]       NVARCHAR(40) NOT NULL DEFAULT (N'SEQNO'),
        [TABID]      INT          NOT NULL,
        [DATAAREAID] NVARCHAR(4)  NOT NULL DEFAULT (N'dat'),
        PRIMARY KEY ([TABID], [ID])
    );
IF OBJECT_ID(N'[dbo].[NUMBERSEQUENCETABLE]', N'U') IS NULL
    CREATE TABLE [dbo].[NUMBERSEQUENCETABLE] (
        [NUMBERSEQUENCE] NVARCHAR(20) NOT NULL,
        [TXT]            NVARCHAR(60) NOT NULL DEFAULT (N''),
        [LOWEST]         BIGINT       NOT NULL DEFAULT (1),
        [HIGHEST]        BIGINT       NOT NULL,
        [NEXTREC]        BIGINT       NOT NULL,
        [FORMAT]         NVARCHAR(40) NOT NULL,
        [DATAAREAID]     NVARCHAR(4)  NOT NULL,
        PRIMARY KEY ([DATAAREAID], [NUMBERSEQUENCE])
    );

IF OBJECT_ID(N'[dbo].[DEL_SMMQUOTATIONTABLE]', N'U') IS NOT NULL
    DROP TABLE [dbo].[DEL_SMMQUOTATIONTABLE];
IF OBJECT_ID(N'[dbo].[SALESQUOTATIONTABLE]', N'U') IS NOT NULL
    DROP TABLE [dbo].[SALESQUOTATIONTABLE];

CREATE TABLE [dbo].[DEL_SMMQUOTATIONTABLE] (
    [RECID]            BIGINT       NOT NULL PRIMARY KEY,
    [RECVERSION]       INT          NOT NULL DEFAULT (1),
    [DATAAREAID]       NVARCHAR(4)  NOT NULL,
    [QUOTATIONID]      NVARCHAR(20) NOT NULL,
    [CUSTACCOUNT]      NVARCHAR(20) NOT NULL,
    [QUOTATIONNAME]    NVARCHAR(60) NOT NULL DEFAULT (N''),
    [QUOTATIONSTATUS]  INT          NOT NULL,
    [CURRENCYCODE]     NVARCHAR(3)  NULL,
    [SALESRESPONSIBLE] NVARCHAR(20) NULL,
    [EXPIRYDATE]       DATE         NULL,
    [CREATEDDATETIME]  DATETIME     NOT NULL
);

WITH E1(N) AS (SELECT 1 FROM (VALUES (1), (1), (1), (1), (1), (1), (1), (1), (1), (1)) AS V(N)),
     E7(N) AS (SELECT 1 FROM E1 AS A, E1 AS B, E1 AS C, E1 AS D, E1 AS E, E1 AS F, E1 AS G),
     ROWS_(G) AS (SELECT TOP (@ROWS) CAST(ROW_NUMBER() OVER (ORDER BY (SELECT NULL)) AS BIGINT) FROM E7)
INSERT INTO [dbo].[DEL_SMMQUOTATIONTABLE]
       ([RECID], [DATAAREAID], [QUOTATIONID], [CUSTACCOUNT], [QUOTATIONNAME], [QUOTATIONSTATUS],
        [CURRENCYCODE], [SALESRESPONSIBLE], [EXPIRYDATE], [CREATEDDATETIME])
SELECT 5637000000 + G,
       CASE G % 3 WHEN 0 THEN N'dat' WHEN 1 THEN N'usmf' ELSE N'demf' END,
       N'SMM-' + CAST(G AS NVARCHAR(20)),
       N'C' + RIGHT(N'000000' + CAST(G % 5000 AS NVARCHAR(20)), 6),
       N'Quotation ' + CAST(G AS NVARCHAR(20)),
       CASE WHEN G % 10 = 9 THEN 4 ELSE (G / 3) % 3 END,
       CASE WHEN G % 7 = 0 THEN NULL WHEN G % 3 = 0 THEN N'EUR' WHEN G % 3 = 1 THEN N'USD' ELSE N'GBP' END,
       N'E' + CAST(G % 97 AS NVARCHAR(20)),
       DATEADD(DAY, CAST(G % 365 AS INT), CAST('2009-01-01' AS DATE)),
       DATEADD(MINUTE, CAST(G AS INT), CAST('2008-01-01' AS DATETIME))
  FROM ROWS_;

CREATE TABLE [dbo].[SALESQUOTATIONTABLE] (
    [RECID]                 BIGINT       NOT NULL PRIMARY KEY,
    [RECVERSION]            INT          NOT NULL DEFAULT (1),
    [DATAAREAID]            NVARCHAR(4)  NOT NULL,
    [QUOTATIONID]           NVARCHAR(20) NOT NULL,
    [CUSTACCOUNT]           NVARCHAR(20) NOT NULL,
    [QUOTATIONNAME]         NVARCHAR(60) NOT NULL,
    [QUOTATIONSTATUS]       INT          NOT NULL,
    [CURRENCYCODE]          NVARCHAR(3)  NOT NULL,
    [SALESRESPONSIBLE]      NVARCHAR(20) NULL,
    [QUOTATIONEXPIRYDATE]   DATE         NULL,
    [CREATEDDATETIME]       DATETIME     NOT NULL,
    [ORIGSMMQUOTATIONRECID] BIGINT       NOT NULL,
    UNIQUE ([DATAAREAID], [QUOTATIONID])
);

-- DATAAREA, AX's company table: the insert procedure refuses a company that
-- is not in it (a mistyped company is an error, not 0 rows).
IF OBJECT_ID(N'[dbo].[DATAAREA]', N'U') IS NULL
    CREATE TABLE [dbo].[DATAAREA] (
        [ID]        NVARCHAR(4)  NOT NULL PRIMARY KEY,
        [NAME]      NVARCHAR(40) NOT NULL DEFAULT (N''),
        [ISVIRTUAL] INT          NOT NULL DEFAULT (0)
    );
INSERT INTO [dbo].[DATAAREA] ([ID], [NAME])
SELECT V.[ID], V.[NAME]
  FROM (VALUES (N'dat', N'Default company'), (N'usmf', N'Contoso USA'), (N'demf', N'Contoso Germany')) AS V([ID], [NAME])
 WHERE NOT EXISTS (SELECT 1 FROM [dbo].[DATAAREA] AS D WHERE D.[ID] = V.[ID]);

DELETE FROM [dbo].[NUMBERSEQUENCETABLE] WHERE [NUMBERSEQUENCE] = N'SALESQUOT';
INSERT INTO [dbo].[NUMBERSEQUENCETABLE] ([DATAAREAID], [NUMBERSEQUENCE], [TXT], [LOWEST], [HIGHEST], [NEXTREC], [FORMAT])
VALUES (N'dat',  N'SALESQUOT', N'Sales quotations', 1, 99999999, 1001, N'SQ-########'),
       (N'usmf', N'SALESQUOT', N'Sales quotations', 1, 99999999, 1001, N'SQ-########'),
       (N'demf', N'SALESQUOT', N'Sales quotations', 1, 99999999, 1001, N'SQ-########');

-- RECIDs are never handed out twice: keep NEXTVAL when TABID 1967 has a row.
IF NOT EXISTS (SELECT 1 FROM [dbo].[SYSTEMSEQUENCES] WHERE [ID] = -1 AND [TABID] = 1967)
    INSERT INTO [dbo].[SYSTEMSEQUENCES] ([ID], [TABID], [NEXTVAL]) VALUES (-1, 1967, 5637150000);
