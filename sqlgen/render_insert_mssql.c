/*
 * render_insert_mssql.c: the T-SQL words of the insert procedure (SQL Server
 * 2012 and later, procs/mssql/insert.sql.in).  It reserves through the
 * runtime's [dbo].[UPKIT_RESERVE_RECIDS] and [dbo].[UPKIT_RESERVE_NUMBERS]
 * and formats with the inline table-valued function
 * [dbo].[UPKIT_FMT_NUMBERSEQUENCE_TVF], which the template applies to every
 * row (CROSS APPLY ... AS F), not with the scalar FN_FMT_NUMBERSEQUENCE per
 * row; "upkit generate --dialect mssql" includes that runtime unless
 * --no-runtime is given.
 */
#include "render_insert.h"

static const struct upkit_insert_words mssql_words = {
	.dialect = UPKIT_DIALECT_MSSQL,
	.template_path = "procs/mssql/insert.sql.in",
	.dataareaid_param = "@DATAAREAID",
	.row_alias = "R",
	.first_recid = "@FIRST_RECID",
	.fmt_call = "F.[FORMATTED]",
	.step_insert_seq = "5",
	.step_insert_noseq = "3",
	.ax_tables_schema = "dbo",
	.no_company = "N''",
	.company_fmt = "",
	.company_arg = "",
	.company_msg = " + N' for company ''' + @DATAAREAID + N''''",
};

int
upkit_render_insert_mssql(struct strbuf *out, const struct upkit_spec *spec, char *err, size_t errn)
{
	return upkit_render_insert(out, spec, &mssql_words, err, errn);
}
