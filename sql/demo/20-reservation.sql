-- Step 20: RECID and number-sequence reservation, and the AX kernel's RECID
-- rules for a table that opts in.
CREATE EXTENSION IF NOT EXISTS upkit;

\echo '-- A fresh database has no AX tables; upkit creates minimal ones (an upgraded'
\echo '-- AX database has its own, found through search_path):'
SELECT upkit.create_ax_tables();

\echo
\echo '-- Reserve 1000 RECIDs of CUSTTABLE (TABID 77), then 10 more. A table without a'
\echo '-- SYSTEMSEQUENCES row starts at 5637144576; the caller owns [first, first + n - 1]'
\echo '-- and NEXTVAL moves by n:'
SELECT upkit.reserve_recids(77, 1000) AS first_recid;
SELECT upkit.reserve_recids(77, 10) AS next_range;
SELECT tabid, nextval FROM systemsequences WHERE id = -1 ORDER BY tabid;

\echo
\echo '-- A range is never handed out twice, also when the caller rolls back: the 5 RECIDs'
\echo '-- reserved in the rolled-back transaction are not handed out again (a gap, never'
\echo '-- a duplicate), since SYSTEMSEQUENCES was advanced and committed on its own:'
BEGIN;
SELECT upkit.reserve_recids(77, 5) AS rolled_back_range;
ROLLBACK;
SELECT upkit.reserve_recids(77, 5) AS after_the_rollback;

\echo
\echo '-- Business numbers: reserving 2 of Cust_1 returns the first number and the FORMAT,'
\echo '-- and NEXTREC advances by 2:'
INSERT INTO numbersequencetable (dataareaid, numbersequence, nextrec, format, highest)
VALUES ('dat', 'Cust_1', 41, 'C-######', 999999);
SELECT * FROM upkit.reserve_numbers('dat', 'Cust_1', 2);
SELECT dataareaid, numbersequence, nextrec, highest FROM numbersequencetable;

\echo
\echo '-- CUSTTABLE opts in to the AX kernel''s RECID rules with a trigger: a row inserted'
\echo '-- without RECID gets one from a block the session holds:'
CREATE TABLE custtable (
    accountnum varchar(20) NOT NULL,
    name       text        NOT NULL,
    recid      bigint,
    recversion integer     NOT NULL DEFAULT 1);
CREATE TRIGGER recid_guard BEFORE INSERT ON custtable
    FOR EACH ROW EXECUTE FUNCTION upkit.recid_guard(77);
INSERT INTO custtable (accountnum, name) VALUES ('C-000001', 'Contoso');

\echo
\echo '-- A set-based insert with reserved RECIDs and business numbers: suspend the table,'
\echo '-- reserve both ranges once, number the rows from a 0-based row number:'
SELECT upkit.suspend_recids(77);
WITH src(rownum, name) AS (VALUES (0, 'Fabrikam'), (1, 'Litware'), (2, 'Northwind')),
     r AS (SELECT upkit.reserve_recids(77, 3) AS first_recid),
     nr AS (SELECT * FROM upkit.reserve_numbers('dat', 'Cust_1', 3))
INSERT INTO custtable (accountnum, name, recid)
SELECT upkit.fn_fmt_numbersequence(nr.format, src.rownum, nr.first_number), src.name, r.first_recid + src.rownum
  FROM src, r, nr;
SELECT accountnum, name, recid FROM custtable ORDER BY recid;

\echo
\echo '-- Expected error: while the table is suspended, a RECID that this session did not'
\echo '-- reserve is refused (the demo goes on):'
\set ON_ERROR_STOP 0
INSERT INTO custtable (accountnum, name, recid) VALUES ('C-999999', 'Typo Ltd', 5637999999);
\set ON_ERROR_STOP 1

\echo
\echo '-- Lift the suspension; every row has its own RECID:'
SELECT upkit.remove_recid_suspension(77);
SELECT count(*) AS rows, count(DISTINCT recid) AS distinct_recids FROM custtable;
