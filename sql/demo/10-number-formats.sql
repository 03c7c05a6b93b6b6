-- Step 10: FN_FMT_NUMBERSEQUENCE on a sample of AX-like number sequences.
-- upkit.fn_fmt_numbersequence(format, value, nextrec, rjustify_length) formats
-- value + nextrec into the format: each # is a digit slot, filled from the right.
CREATE EXTENSION IF NOT EXISTS upkit;

CREATE TABLE demo_numbersequences (
    dataareaid     varchar(4)  NOT NULL,
    numbersequence varchar(20) NOT NULL,
    format         varchar(40) NOT NULL,
    nextrec        bigint      NOT NULL,
    highest        bigint      NOT NULL,
    PRIMARY KEY (dataareaid, numbersequence));

INSERT INTO demo_numbersequences VALUES
    ('dat',  'SalesQuotation', 'SQ-######',      41,     999999),
    ('dat',  'SalesOrder',     'SO-########',    1234,   99999999),
    ('ceu',  'Invoice',        'INV_###_EU',     7,      999),
    ('ceu',  'Voucher',        '#-#####',        123456, 999999),
    ('jp01', 'Quotation',      '見積-#####',      88,     99999);

-- The next three numbers of every sequence, as the set-based insert hands them
-- out: row number 0, 1, 2 plus NEXTREC.
SELECT s.dataareaid, s.numbersequence, s.format, s.nextrec,
       string_agg(upkit.fn_fmt_numbersequence(s.format, r, s.nextrec), ', ' ORDER BY r) AS next_three
  FROM demo_numbersequences s, generate_series(0, 2) r
 GROUP BY 1, 2, 3, 4
 ORDER BY 1, 2;

-- @RJUSTIFY = 'Y' pads to the column's length: here 12 characters.
SELECT '[' || upkit.fn_fmt_numbersequence('SQ-######', 0, 42, 12) || ']' AS right_justified;

-- A number that no longer fits its format is an error, never a truncated id.
\set ON_ERROR_STOP 0
SELECT upkit.fn_fmt_numbersequence('INV_###_EU', 0, 1000);
\set ON_ERROR_STOP 1

-- One million business ids, set-based, in one statement.
\timing on
SELECT count(DISTINCT upkit.fn_fmt_numbersequence('SO-########', g, 1234)) AS distinct_ids
  FROM generate_series(0, 999999) g;
\timing off
