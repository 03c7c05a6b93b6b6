/*
 * transfer_mark_mssql.c: "upkit transfer --mark" on a SQL Server production
 * (transfer_marker.c says what the marker is for): the T-SQL runtime's
 * [dbo].[UPKIT_TRANSFER_MARK] (procs/mssql/UPKIT_TRANSFER_MARK.sql) writes
 * the marker row and the values of the number sequences and
 * SYSTEMSEQUENCES rows in one transaction and returns the marker's id.
 * The schema is a parameter (@P1, sent through sp_executesql).
 */
#include <string.h>

#include "transfer.h"

int
transfer_mark_mssql(struct upkit_conn *prod, const char *ax_schema, struct strbuf *id)
{
	const char *p[] = {ax_schema};
	int			rc = upkit_query_value(prod, "EXEC [dbo].[UPKIT_TRANSFER_MARK] @AX_SCHEMA = @P1", 1, p, id);

	/* error 2812, the runtime not installed: say what to do */
	if (rc < 0 && strstr(sb_str(&prod->error), "Could not find stored procedure"))
		sb_append(&prod->error, " (install the upkit runtime: upkit install --dialect mssql --runtime)");
	return rc == 1 ? 0 : -1;
}
