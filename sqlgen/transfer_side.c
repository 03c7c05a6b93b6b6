/*
 * transfer_side.c: the statements of a connection's engine for "upkit
 * transfer" (transfer_side.h), and the two helpers every side shares.
 */
#include <string.h>
#include <strings.h>

#include "transfer_side.h"

const struct transfer_side *
transfer_side_of(const struct upkit_conn *c)
{
	return c->dialect == UPKIT_DIALECT_MSSQL ? &transfer_side_mssql : &transfer_side_pg;
}

int
transfer_side_yes(struct upkit_conn *c, const char *sql, int nparams, const char *const *params)
{
	struct strbuf v = STRBUF_INIT;
	int			rc = upkit_query_value(c, sql, nparams, params, &v);

	if (rc == 1)
		rc = strcmp(sb_str(&v), "t") == 0 || strcmp(sb_str(&v), "1") == 0;
	sb_free(&v);
	return rc;
}

int
transfer_side_is_ledger(const struct transfer_side *s, const char *name)
{
	for (const char *const *l = s->ledgers; *l; l++)
	{
		size_t		n = strlen(*l);

		if ((*l)[n - 1] == '*' ? strncasecmp(name, *l, n - 1) == 0 : strcasecmp(name, *l) == 0)
			return 1;
	}
	return 0;
}
