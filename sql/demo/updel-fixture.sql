-- updel-fixture.sql: the demo's data for step 35 (sql/demo/35-update-delete.sh),
-- beside step 30's SALESQUOTATIONTABLE and DEL_SMMQUOTATIONTABLE.
--
-- UPG_EMPLIDMAP maps the AX 4.0 employee ids in SALESRESPONSIBLE (E0 to E96)
-- to new ones (W-0000 to W-0096).  Like EMPLTABLE it is kept in a virtual
-- company, vemp; under dat a decoy maps every id to "WRONG", which a join
-- on DATAAREAID = DATAAREAID would pick.  The unique index on (DATAAREAID,
-- OLDEMPLID) proves that each quotation matches at most one mapping.
DROP TABLE IF EXISTS public.upg_emplidmap;
CREATE TABLE public.upg_emplidmap (
    recid      bigint      NOT NULL PRIMARY KEY,
    dataareaid varchar(4)  NOT NULL,
    oldemplid  varchar(20) NOT NULL,
    newemplid  varchar(20) NOT NULL
);
CREATE UNIQUE INDEX upg_emplidmap_old ON public.upg_emplidmap (dataareaid, oldemplid);
INSERT INTO public.upg_emplidmap
SELECT 5637100000 + e, 'vemp', 'E' || e, 'W-' || lpad(e::text, 4, '0') FROM generate_series(0, 96) AS e
UNION ALL
SELECT 5637100100 + e, 'dat', 'E' || e, 'WRONG' FROM generate_series(0, 96) AS e;
