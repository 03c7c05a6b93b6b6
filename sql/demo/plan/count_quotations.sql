-- Job count_quotations of the demo plan (final): the rows per company, as a
-- notice the ledger keeps in the job's message.
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT dataareaid, count(*) AS n FROM public.salesquotationtable GROUP BY 1 ORDER BY 1 LOOP
        RAISE NOTICE 'salesquotationtable: % rows in %', r.n, r.dataareaid;
    END LOOP;
END
$$;
