-- Step 10: FN_FMT_NUMBERSEQUENCE on a sample of AX-like number sequences.
-- upkit.fn_fmt_numbersequence(format, value, nextrec, rjustify_length) formats
-- value + nextrec into the format: each # is a digit slot, filled from the right.
CREATE EXTENSION IF NOT EXISTS upkit;

\echo '-- Five sample number sequences of three companies (as in NUMBERSEQUENCETABLE):'
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

\echo
\echo '-- The next three numbers of every sequence, as the set-based insert hands them'
\echo '-- out: row number 0, 1, 2 plus NEXTREC, each # a digit slot filled from the right:'
SELECT s.dataareaid, s.numbersequence, s.format, s.nextrec,
       string_agg(upkit.fn_fmt_numbersequence(s.format, r, s.nextrec), ', ' ORDER BY r) AS next_three
  FROM demo_numbersequences s, generate_series(0, 2) r
 GROUP BY 1, 2, 3, 4
 ORDER BY 1, 2;

\echo
\echo '-- @RJUSTIFY = ''Y'' pads to the column''s length; here 12 characters:'
SELECT '[' || upkit.fn_fmt_numbersequence('SQ-######', 0, 42, 12) || ']' AS right_justified;

\echo
\echo '-- Expected error: number 1000 no longer fits INV_###_EU (3 digit slots); upkit'
\echo '-- refuses it rather than hand out a truncated id (the demo goes on):'
\set ON_ERROR_STOP 0
SELECT upkit.fn_fmt_numbersequence('INV_###_EU', 0, 1000);
\set ON_ERROR_STOP 1

\echo
\echo '-- One million business ids in one set-based statement, all distinct (what a'
\echo '-- call costs next to a plain value::text: make bench, docs/BENCHMARKS.md):'
SELECT count(*) AS ids, count(DISTINCT upkit.fn_fmt_numbersequence('SO-########', g, 1234)) AS distinct_ids,
       min(upkit.fn_fmt_numbersequence('SO-########', g, 1234)) AS first_id,
       max(upkit.fn_fmt_numbersequence('SO-########', g, 1234)) AS last_id
  FROM generate_series(0, 999999) g;
