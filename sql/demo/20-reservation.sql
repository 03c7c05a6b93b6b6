-- Step 20: RECID and number-sequence reservation, and the AX kernel's RECID
-- rules for a table that opts in.
CREATE EXTENSION IF NOT EXISTS upkit;

-- A fresh database has no AX tables; create minimal ones (an upgraded AX
-- database has its own, found through search_path).
SELECT upkit.create_ax_tables();

-- Reserve 1000 RECIDs of CUSTTABLE (TABID 77). A table without a
-- SYSTEMSEQUENCES row starts at 5637144576; the caller owns
-- [first, first + 999].
SELECT upkit.reserve_recids(77, 1000) AS first_recid;
SELECT upkit.reserve_recids(77, 10) AS next_range;
SELECT tabid, nextval FROM systemsequences WHERE id = -1 ORDER BY tabid;

-- A range is never handed out twice, also when the caller rolls back:
-- SYSTEMSEQUENCES was advanced and committed on its own.
BEGIN;
SELECT upkit.reserve_recids(77, 5) AS rolled_back_range;
ROLLBACK;
SELECT upkit.reserve_recids(77, 5) AS after_the_rollback;

-- Business numbers: the first number and the FORMAT, NEXTREC advances by n.
INSERT INTO numbersequencetable (dataareaid, numbersequence, nextrec, format, highest)
VALUES ('dat', 'Cust_1', 41, 'C-######', 999999);
SELECT * FROM upkit.reserve_numbers('dat', 'Cust_1', 2);
SELECT dataareaid, numbersequence, nextrec, highest FROM numbersequencetable;

-- CUSTTABLE opts in to the kernel's rules: rows without RECID are numbered
-- from a block the session holds.
CREATE TABLE custtable (
    accountnum varchar(20) NOT NULL,
    name       text        NOT NULL,
    recid      bigint,
    recversion integer     NOT NULL DEFAULT 1);
CREATE TRIGGER recid_guard BEFORE INSERT ON custtable
    FOR EACH ROW EXECUTE FUNCTION upkit.recid_guard(77);
INSERT INTO custtable (accountnum, name) VALUES ('C-000001', 'Contoso');

-- A set-based insert with reserved RECIDs and business numbers: suspend the
-- table, reserve both ranges once, number the rows from a 0-based rownum.
SELECT upkit.suspend_recids(77);
WITH src(rownum, name) AS (VALUES (0, 'Fabrikam'), (1, 'Litware'), (2, 'Northwind')),
     r AS (SELECT upkit.reserve_recids(77, 3) AS first_recid),
     nr AS (SELECT * FROM upkit.reserve_numbers('dat', 'Cust_1', 3))
INSERT INTO custtable (accountnum, name, recid)
SELECT upkit.fn_fmt_numbersequence(nr.format, src.rownum, nr.first_number), src.name, r.first_recid + src.rownum
  FROM src, r, nr;
SELECT accountnum, name, recid FROM custtable ORDER BY recid;

-- The error a DBA gets for a RECID nobody reserved (the demo goes on).
\set ON_ERROR_STOP 0
INSERT INTO custtable (accountnum, name, recid) VALUES ('C-999999', 'Typo Ltd', 5637999999);
\set ON_ERROR_STOP 1

SELECT upkit.remove_recid_suspension(77);
SELECT count(*) AS rows, count(DISTINCT recid) AS distinct_recids FROM custtable;
