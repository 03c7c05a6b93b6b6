-- Job map_currency of the demo plan: the quotations' old currency codes to
-- the new ones, from the mapping table UPG_CURRENCY_MAP.  The demo runs it
-- once before that table exists (the job fails, copy_quotations waits),
-- then creates the table and runs the plan again.
UPDATE public.del_smmquotationtable AS q
   SET currencycode = m.new_code
  FROM public.upg_currency_map AS m
 WHERE q.currencycode = m.old_code;
