/*
 * ledger.c: what the two ledger dialects (ledger_pg.c, ledger_mssql.c)
 * share: picking one, and the values of a generated procedure's call
 * (the parameters themselves are the kind's: kind.h, the call hook).
 */
#include "ledger.h"

const struct upkit_ledger_sql *
upkit_ledger_for(enum upkit_dialect d)
{
	return d == UPKIT_DIALECT_MSSQL ? &upkit_ledger_mssql : &upkit_ledger_pg;
}

int
upkit_job_call_args(const struct upkit_plan_job *j, const char *company, const char **values)
{
	for (int i = 0; i < j->call.n_params; i++)
	{
		const struct upkit_call_param *p = &j->call.params[i];

		values[i] = p->source == UPKIT_CALL_COMPANY ? company
			: j->args[i] ? j->args[i] : p->fallback;
	}
	return j->call.n_params;
}
