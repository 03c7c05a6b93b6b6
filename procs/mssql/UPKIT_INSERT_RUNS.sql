-- [dbo].[UPKIT_INSERT_RUNS]: the record of the generated insert procedures'
-- calls (DESIGN.md "Idempotency"; procs/mssql/insert.sql.in): one row per
-- procedure and company, written by each call in the caller's transaction,
-- so it commits or rolls back with the rows the call inserted.  A call reads
-- its row WITH (UPDLOCK, HOLDLOCK) first, so a second concurrent call for
-- the same company waits for the first.  A spec without a key ("rerun" mode
-- "record") refuses a second call when its row shows a successful call,
-- unless called with @FORCE = 1.  Deleting a row lets the procedure run
-- again for that company.
--
-- Created when missing, never dropped: installing the runtime again keeps
-- the record.  The key (3 x 256 bytes) stays under SQL Server 2012's
-- 900-byte index key limit; a company longer than 128 characters cannot
-- exist in DATAAREA, which the procedure checks first.
SET ANSI_NULLS ON;
GO
SET QUOTED_IDENTIFIER ON;
GO
IF OBJECT_ID(N'[dbo].[UPKIT_INSERT_RUNS]', N'U') IS NULL
    CREATE TABLE [dbo].[UPKIT_INSERT_RUNS] (
        [PROCEDURE_SCHEMA] SYSNAME       NOT NULL,  -- the procedure, as sys.objects names it
        [PROCEDURE_NAME]   SYSNAME       NOT NULL,
        [DATAAREAID]       NVARCHAR(128) NOT NULL,  -- the company; N'' for a procedure without one
        [CALLS]            INT           NOT NULL,  -- successful calls (the first, then each forced one)
        [LAST_ROWS]        BIGINT        NOT NULL,  -- rows the last successful call inserted
        [TOTAL_ROWS]       BIGINT        NOT NULL,  -- rows all of them inserted
        [FIRST_CALL_AT]    DATETIME2     NOT NULL,
        [LAST_CALL_AT]     DATETIME2     NOT NULL,
        [LAST_CALL_BY]     NVARCHAR(128) NOT NULL,
        CONSTRAINT [PK_UPKIT_INSERT_RUNS] PRIMARY KEY ([PROCEDURE_SCHEMA], [PROCEDURE_NAME], [DATAAREAID])
    );
GO
