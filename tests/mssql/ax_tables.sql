-- ax_tables.sql: the two AX tables the reservation procedures use, for the
-- integration tests (tests/mssql/reserve.t runs this batch before every
-- case).  Each is created only when it is missing, with AX's names and types
-- for the columns the procedures use and defaults for the rest, as AX
-- creates them.  The indexes are not unique, so a case can build the
-- duplicate rows the procedures must refuse.
IF OBJECT_ID(N'[dbo].[SYSTEMSEQUENCES]', N'U') IS NULL
BEGIN
    CREATE TABLE [dbo].[SYSTEMSEQUENCES] (
        [ID]         INT          NOT NULL,
        [NEXTVAL]    BIGINT       NOT NULL,
        [MINVAL]     BIGINT       NOT NULL DEFAULT (1),
        [MAXVAL]     BIGINT       NOT NULL DEFAULT (9223372036854775807),
        [CYCLE]      INT          NOT NULL DEFAULT (0),
        [NAME]       NVARCHAR(40) NOT NULL DEFAULT (N'SEQNO'),
        [TABID]      INT          NOT NULL,
        [DATAAREAID] NVARCHAR(4)  NOT NULL DEFAULT (N'dat')
    );
    CREATE INDEX [I_SYSTEMSEQUENCES_TABID_ID] ON [dbo].[SYSTEMSEQUENCES] ([TABID], [ID]);
END;
IF OBJECT_ID(N'[dbo].[NUMBERSEQUENCETABLE]', N'U') IS NULL
BEGIN
    CREATE TABLE [dbo].[NUMBERSEQUENCETABLE] (
        [NUMBERSEQUENCE] NVARCHAR(20) NOT NULL,
        [TXT]            NVARCHAR(60) NOT NULL DEFAULT (N''),
        [LOWEST]         BIGINT       NOT NULL DEFAULT (1),
        [HIGHEST]        BIGINT       NOT NULL,
        [NEXTREC]        BIGINT       NOT NULL,
        [FORMAT]         NVARCHAR(40) NOT NULL,
        [DATAAREAID]     NVARCHAR(4)  NOT NULL
    );
    CREATE INDEX [I_NUMBERSEQUENCETABLE_SEQ] ON [dbo].[NUMBERSEQUENCETABLE] ([DATAAREAID], [NUMBERSEQUENCE]);
END;
