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

static void
mssql_call_example(struct strbuf *sb, const char *proc, int has_daid, int has_seq)
{
	sb_appendf(sb, "BEGIN TRANSACTION; DECLARE @N BIGINT; EXEC %s %s%s@ROWS_INSERTED = @N OUTPUT; COMMIT TRANSACTION;", proc,
			   has_daid ? "@DATAAREAID = N'dat', " : "",
			   has_seq ? "@NUMBERSEQUENCE = N'NUMSEQ', @RJUSTIFY = 'N', " : "");
}

static const struct upkit_insert_words mssql_words = {
	.call_example = mssql_call_example,
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
	.needs_transaction = 1,
	.runs_schema = "dbo",
	.runs_table = "UPKIT_INSERT_RUNS",
	.company_msg = " + N' for company ''' + @DATAAREAID + N''''",
};

int
upkit_render_insert_mssql(struct upkit_units *out, const struct upkit_spec *spec, char *err, size_t errn)
{
	return upkit_render_insert(out, spec, &mssql_words, err, errn);
}
