/*
 * ledger.c: what the two ledger dialects (ledger_pg.c, ledger_mssql.c)
 * share: picking one, and a generated procedure's call parameters.
 */
#include "ledger.h"
#include "spec_delta.h"
#include "spec_insert.h"

const struct upkit_ledger_sql *
upkit_ledger_for(enum upkit_dialect d)
{
	return d == UPKIT_DIALECT_MSSQL ? &upkit_ledger_mssql : &upkit_ledger_pg;
}

int
upkit_job_call_params(const struct upkit_plan_job *j, const char *company,
					  const struct upkit_qname **proc,
					  enum upkit_call_param *which, const char **values)
{
	int			n = 0;
	int			per_company;

	if (j->spec->kind == UPKIT_SPEC_INSERT)
	{
		const struct upkit_insert_spec *s = j->spec->body;

		*proc = &s->procedure;
		per_company = s->per_company;
		if (per_company)
		{
			which[n] = UPKIT_PARAM_COMPANY;
			values[n++] = company;
		}
		if (s->sequence_column)
		{
			which[n] = UPKIT_PARAM_NUMBERSEQUENCE;
			values[n++] = j->numbersequence;
			which[n] = UPKIT_PARAM_RJUSTIFY;
			values[n++] = j->rjustify ? j->rjustify : "N";
		}
		return n;
	}
	*proc = &((const struct upkit_delta_spec *) j->spec->body)->procedure;
	if (((const struct upkit_delta_spec *) j->spec->body)->per_company)
	{
		which[n] = UPKIT_PARAM_COMPANY;
		values[n++] = company;
	}
	return n;
}
