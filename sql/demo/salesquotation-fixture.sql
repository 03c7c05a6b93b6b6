-- salesquotation-fixture.sql: the worked example's tables and data for
-- PostgreSQL (spec: sql/demo/specs/salesquotation.json).
--
--   psql -v rows=1000000 -f sql/demo/salesquotation-fixture.sql
--
-- DEL_SMMQUOTATIONTABLE is the AX 4.0 table kept for the upgrade, with
-- :rows rows spread evenly over the companies dat, usmf and demf (row g
-- belongs to company g % 3); every tenth row is cancelled (status 4), which
-- the spec's filter leaves out.  SALESQUOTATIONTABLE is the AX 2009 target
-- (TABID 1967).  SYSTEMSEQUENCES and NUMBERSEQUENCETABLE come from
-- upkit.create_ax_tables(); each company gets the number sequence SALESQUOT
-- with format SQ-######## starting at 1001; DATAAREA (the company table)
-- gets the three companies.  Needs the upkit extension.
\if :{?rows}
\else
\set rows 1000000
\endif

SELECT upkit.create_ax_tables();

DROP TABLE IF EXISTS public.del_smmquotationtable, public.salesquotationtable;

CREATE TABLE public.del_smmquotationtable (
    recid            bigint      NOT NULL PRIMARY KEY,
    recversion       integer     NOT NULL DEFAULT 1,
    dataareaid       varchar(4)  NOT NULL,
    quotationid      varchar(20) NOT NULL,
    custaccount      varchar(20) NOT NULL,
    quotationname    varchar(60) NOT NULL DEFAULT '',
    quotationstatus  integer     NOT NULL,
    currencycode     varchar(3),
    salesresponsible varchar(20),
    expirydate       date,
    createddatetime  timestamp   NOT NULL
);

INSERT INTO public.del_smmquotationtable
       (recid, dataareaid, quotationid, custaccount, quotationname, quotationstatus,
        currencycode, salesresponsible, expirydate, createddatetime)
SELECT 5637000000 + g,
       (ARRAY['dat', 'usmf', 'demf'])[g % 3 + 1],
       'SMM-' || g,
       'C' || lpad((g % 5000)::text, 6, '0'),
       'Quotation ' || g,
       CASE WHEN g % 10 = 9 THEN 4 ELSE (g / 3) % 3 END,
       CASE WHEN g % 7 = 0 THEN NULL ELSE (ARRAY['EUR', 'USD', 'GBP'])[g % 3 + 1] END,
       'E' || (g % 97),
       date '2009-01-01' + (g % 365),
       timestamp '2008-01-01' + g * interval '1 minute'
  FROM generate_series(1, :rows) AS g;

CREATE TABLE public.salesquotationtable (
    recid                 bigint      NOT NULL PRIMARY KEY,
    recversion            integer     NOT NULL DEFAULT 1,
    dataareaid            varchar(4)  NOT NULL,
    quotationid           varchar(20) NOT NULL,
    custaccount           varchar(20) NOT NULL,
    quotationname         varchar(60) NOT NULL,
    quotationstatus       integer     NOT NULL,
    currencycode          varchar(3)  NOT NULL,
    salesresponsible      varchar(20),
    quotationexpirydate   date,
    createddatetime       timestamp   NOT NULL,
    origsmmquotationrecid bigint      NOT NULL,
    UNIQUE (dataareaid, quotationid)
);

-- DATAAREA, AX's company table: the insert procedure refuses a company that
-- is not in it (a mistyped company is an error, not 0 rows).
CREATE TABLE IF NOT EXISTS public.dataarea (
    id        varchar(4)  NOT NULL PRIMARY KEY,
    name      varchar(40) NOT NULL DEFAULT '',
    isvirtual integer     NOT NULL DEFAULT 0
);
INSERT INTO public.dataarea (id, name)
VALUES ('dat', 'Default company'), ('usmf', 'Contoso USA'), ('demf', 'Contoso Germany')
    ON CONFLICT DO NOTHING;

DELETE FROM public.numbersequencetable WHERE numbersequence = 'SALESQUOT';
INSERT INTO public.numbersequencetable (dataareaid, numbersequence, txt, lowest, highest, nextrec, format)
VALUES ('dat',  'SALESQUOT', 'Sales quotations', 1, 99999999, 1001, 'SQ-########'),
       ('usmf', 'SALESQUOT', 'Sales quotations', 1, 99999999, 1001, 'SQ-########'),
       ('demf', 'SALESQUOT', 'Sales quotations', 1, 99999999, 1001, 'SQ-########');

-- Only when the table has no RECID row yet: RECIDs are never handed out
-- twice, so a second run of this script must not move NEXTVAL back.
INSERT INTO public.systemsequences (id, tabid, nextval) VALUES (-1, 1967, 5637150000)
    ON CONFLICT DO NOTHING;

ANALYZE public.del_smmquotationtable;
