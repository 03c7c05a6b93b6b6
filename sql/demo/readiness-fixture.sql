-- The readiness step's data (sql/demo/25-readiness.sh): an item table of
-- company dat in schema rdy, whose upgrade adds a unique index on ITEMID and
-- shortens ITEMNAME to 20 characters.  Item 5637144579 repeats the id of
-- 5637144578 (the error), 5637144580's name is 32 characters (the advisory).
DROP SCHEMA IF EXISTS rdy CASCADE;
CREATE SCHEMA rdy;
CREATE TABLE rdy.inventtable (
    recid bigint PRIMARY KEY, dataareaid varchar(4) NOT NULL,
    itemid varchar(20) NOT NULL, itemname varchar(60) NOT NULL);
INSERT INTO rdy.inventtable VALUES
    (5637144576, 'dat', 'SPK-100', 'Speaker'),
    (5637144577, 'dat', 'AMP-200', 'Amplifier'),
    (5637144578, 'dat', 'CBL-300', 'Cable, 3 m'),
    (5637144579, 'dat', 'CBL-300', 'Cable, 5 m'),
    (5637144580, 'dat', 'TUN-400', 'Tuner with remote control, black');
