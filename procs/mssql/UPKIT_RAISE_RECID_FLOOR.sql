-- [dbo].[UPKIT_RAISE_RECID_FLOOR] @TABID, @FLOOR, @NEXTVAL OUTPUT: make
-- SYSTEMSEQUENCES hand out no RECID of table @TABID below @FLOOR, for upkit
-- copy's RECID realignment after it copied a table (docs/copy.md "Checks
-- afterwards"; the PostgreSQL target's is upkit.raise_recid_floor).
-- NEXTVAL of the table's row (ID = -1) is raised to @FLOOR where it is
-- lower and never lowered; a table without a row gets one at @FLOOR (at
-- least 5637144576, where the AX kernel starts).  @NEXTVAL is the value
-- afterwards.
--
-- Why no RECID is handed out twice: every change is one statement under
-- the row's update lock (UPDLOCK, HOLDLOCK), the same lock
-- [dbo].[UPKIT_RESERVE_RECIDS] takes, so a reservation is either before
-- the raise (its range lies below the old NEXTVAL, which only grows) or
-- after it (its range starts at or above @FLOOR).  The row for a table
-- without one comes from one INSERT ... WHERE NOT EXISTS whose test holds a
-- key-range lock, so two sessions cannot both insert it.  The procedure
-- opens no transaction: the raise belongs to the caller's, and a rollback
-- takes it back together with whatever the caller did, never below what
-- was handed out.  RECIDs an AOS holds in its own memory are beyond its
-- reach: copy into an idle target, as the upgrade does.
--
-- Errors (THROW; docs/mssql.md lists every number): 50500 a NULL @TABID,
-- 50501 an @FLOOR that is NULL or below 1, 50502 more than one
-- SYSTEMSEQUENCES row with ID = -1 for the table.  @NEXTVAL is NULL
-- whenever the procedure fails.
SET ANSI_NULLS ON;
GO
SET QUOTED_IDENTIFIER ON;
GO
IF OBJECT_ID(N'[dbo].[UPKIT_RAISE_RECID_FLOOR]', N'P') IS NOT NULL
    DROP PROCEDURE [dbo].[UPKIT_RAISE_RECID_FLOOR];
GO
CREATE PROCEDURE [dbo].[UPKIT_RAISE_RECID_FLOOR]
    @TABID INT,
    @FLOOR BIGINT,
    @NEXTVAL BIGINT OUTPUT
AS
BEGIN
    SET NOCOUNT ON;
    DECLARE @ROWS INT;
    DECLARE @MSG NVARCHAR(2048);

    SET @NEXTVAL = NULL;
    IF @TABID IS NULL
    BEGIN
        SET @MSG = N'upkit UPKIT_RAISE_RECID_FLOOR: @TABID must not be NULL (@FLOOR '
                   + ISNULL(CAST(@FLOOR AS NVARCHAR(20)), N'NULL') + N')';
        THROW 50500, @MSG, 1;
    END;
    IF @FLOOR IS NULL OR @FLOOR < 1
    BEGIN
        SET @MSG = N'upkit UPKIT_RAISE_RECID_FLOOR: @FLOOR must be 1 or more, not '
                   + ISNULL(CAST(@FLOOR AS NVARCHAR(20)), N'NULL') + N' (table id '
                   + CAST(@TABID AS NVARCHAR(11)) + N')';
        THROW 50501, @MSG, 1;
    END;

    -- 1. Raise the row where it is lower; never lower it.
    UPDATE S
       SET [NEXTVAL] = @FLOOR
      FROM [dbo].[SYSTEMSEQUENCES] AS S WITH (UPDLOCK, HOLDLOCK)
     WHERE S.[ID] = -1
       AND S.[TABID] = @TABID
       AND S.[NEXTVAL] < @FLOOR;

    -- 2. No row yet: make it, at the floor or where the AX kernel starts.
    INSERT INTO [dbo].[SYSTEMSEQUENCES] ([ID], [TABID], [NEXTVAL])
    SELECT -1, @TABID, CASE WHEN @FLOOR > 5637144576 THEN @FLOOR
                            ELSE CAST(5637144576 AS BIGINT) END
     WHERE NOT EXISTS (SELECT *
                         FROM [dbo].[SYSTEMSEQUENCES] AS E WITH (UPDLOCK, HOLDLOCK)
                        WHERE E.[ID] = -1 AND E.[TABID] = @TABID);

    -- 3. What it is now, under the lock the statements above took.
    SELECT @ROWS = COUNT(*), @NEXTVAL = MAX(S.[NEXTVAL])
      FROM [dbo].[SYSTEMSEQUENCES] AS S WITH (UPDLOCK, HOLDLOCK)
     WHERE S.[ID] = -1 AND S.[TABID] = @TABID;
    IF @ROWS > 1
    BEGIN
        -- Every row was raised, so nothing below @FLOOR comes from any of
        -- them; the caller is told all the same, since AX needs one row.
        SET @NEXTVAL = NULL;
        SET @MSG = N'upkit UPKIT_RAISE_RECID_FLOOR: table id ' + CAST(@TABID AS NVARCHAR(11))
                   + N' has ' + CAST(@ROWS AS NVARCHAR(11))
                   + N' SYSTEMSEQUENCES rows with ID = -1; it must have one';
        THROW 50502, @MSG, 1;
    END;

    RETURN 0;
END;
GO
