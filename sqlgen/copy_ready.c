/*
 * copy_ready.c: readiness of an affected table through the mapping file's
 * ready function (the generated NAME_ready / NAME_READY), asked for each
 * listed company on either engine (copy_catalog_pg.c, copy_catalog_mssql.c
 * give the call in their own SQL).  See copy_ready.h.
 */
#include <string.h>

#include "copy_ready.h"

int
copy_ready_by_function(struct upkit_conn *c, const char *fn, const char *sql,
					   const struct copy_shadow_rule *sh, const char *true_value,
					   struct strbuf *note)
{
	int			n = sh->ncompanies > 0 ? sh->ncompanies : 1;
	int			ready = 1;

	sb_appendf(note, "%s", fn);
	for (int i = 0; i < n && ready >= 0; i++)
	{
		const char *p[] = {sh->ncompanies > 0 ? sh->companies[i] : NULL};
		struct strbuf v = STRBUF_INIT;

		if (upkit_query_value(c, sql, sh->ncompanies > 0 ? 1 : 0, p, &v) < 0)
			ready = -1;
		else if (strcmp(sb_str(&v), true_value) != 0)
		{
			sb_appendf(note, "%s%s%s%s", ready ? " is false for " : ", ",
					   sh->ncompanies > 0 ? "'" : "", sh->ncompanies > 0 ? sh->companies[i] : "()",
					   sh->ncompanies > 0 ? "'" : "");
			ready = 0;
		}
		sb_free(&v);
	}
	if (ready == 1)
		sb_appendf(note, " is true%s", sh->ncompanies > 0 ? " for every company" : "");
	return ready;
}
