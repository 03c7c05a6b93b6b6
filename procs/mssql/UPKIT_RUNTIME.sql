-- [dbo].[UPKIT_RUNTIME]: the version of the upkit runtime in this database
-- (docs/mssql.md, "Runtime state").  SQL Server has no extensions, so the
-- runtime script plays the part of PostgreSQL's versioned extension
-- scripts (sql/upkit--*.sql): each file creates what is missing and
-- upgrades its own table in place, and running it twice is harmless.  This
-- file, the last of the runtime (path order), records the version: one row
-- ('runtime', '0.5'), the same numbering as the PostgreSQL extension's
-- versions (tests/delta/state.t checks that they agree).
--
-- The version is never lowered: a script older than the version recorded
-- stops with THROW 50100.  upkit install runs the whole script in one
-- transaction, so nothing of it stays; SSMS goes on with the next batch
-- after an error, so the DBA must stop at the first one.
SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
GO

IF OBJECT_ID(N'[dbo].[UPKIT_RUNTIME]', N'U') IS NULL
    CREATE TABLE [dbo].[UPKIT_RUNTIME] (
        [COMPONENT]    NVARCHAR(64) NOT NULL CONSTRAINT [PK_UPKIT_RUNTIME] PRIMARY KEY,
        [VERSION]      NVARCHAR(32) NOT NULL,  -- major.minor
        [INSTALLED_AT] DATETIME2    NOT NULL); -- UTC, when this version was installed
GO

-- A database whose runtime is newer than this script keeps it.
DECLARE @THIS NVARCHAR(32) = N'0.5';
DECLARE @HAVE NVARCHAR(32);
DECLARE @MSG NVARCHAR(2048);
SELECT @HAVE = R.[VERSION] FROM [dbo].[UPKIT_RUNTIME] AS R WHERE R.[COMPONENT] = N'runtime';
IF @HAVE IS NOT NULL
   AND ISNULL(TRY_CAST(PARSENAME(@HAVE, 2) AS INT) * 100000 + TRY_CAST(PARSENAME(@HAVE, 1) AS INT), 2147483647)
       > CAST(PARSENAME(@THIS, 2) AS INT) * 100000 + CAST(PARSENAME(@THIS, 1) AS INT)
BEGIN
    SET @MSG = N'upkit runtime: this database holds upkit runtime ' + @HAVE
               + N', newer than this script''s ' + @THIS + N'; install the runtime of that upkit version or later';
    THROW 50100, @MSG, 1;
END;
GO

-- The version this script installed, never lowered (in SSMS, which goes on
-- after a failed batch, the 50100 check above does not stop this one).
DECLARE @THIS NVARCHAR(32) = N'0.5';
UPDATE R
   SET [VERSION] = @THIS, [INSTALLED_AT] = SYSUTCDATETIME()
  FROM [dbo].[UPKIT_RUNTIME] AS R
 WHERE R.[COMPONENT] = N'runtime'
   AND ISNULL(TRY_CAST(PARSENAME(R.[VERSION], 2) AS INT) * 100000 + TRY_CAST(PARSENAME(R.[VERSION], 1) AS INT), 2147483647)
       < CAST(PARSENAME(@THIS, 2) AS INT) * 100000 + CAST(PARSENAME(@THIS, 1) AS INT);
IF NOT EXISTS (SELECT 1 FROM [dbo].[UPKIT_RUNTIME] WHERE [COMPONENT] = N'runtime')
    INSERT INTO [dbo].[UPKIT_RUNTIME] ([COMPONENT], [VERSION], [INSTALLED_AT])
    VALUES (N'runtime', @THIS, SYSUTCDATETIME());
GO
