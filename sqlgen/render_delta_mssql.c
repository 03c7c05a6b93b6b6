/*
 * render_delta_mssql.c: the SQL Server words of the delta objects
 * (procs/mssql/delta.sql.in): an inline table-valued function for the
 * classification, procedures for the report and the run.
 *
 * The content hash is HASHBYTES('SHA1', ...) over the named columns, each
 * as LENGTH:TEXT with TEXT = CONVERT(NVARCHAR(MAX), value, 126) (ISO 8601
 * for dates, all digits for floats; the style is ignored for other types)
 * and NULL as '-': a length prefix cannot be confused with a value, so two
 * different rows never give the same input.  DATALENGTH, not LEN, since LEN
 * ignores trailing blanks.  Only SQL Server 2012 functions.
 */
#include "ident.h"
#include "render_delta.h"

static void
mssql_hash(struct strbuf *sb, const char *alias, const struct upkit_delta_spec *s)
{
	sb_append(sb, "HASHBYTES('SHA1',");
	for (int i = 0; i < s->n_content; i++)
	{
		struct strbuf col = STRBUF_INIT;

		sb_appendf(&col, "%s.", alias);
		upkit_quote_ident(&col, s->content_columns[i], UPKIT_DIALECT_MSSQL);
		sb_appendf(sb, "\n    %sISNULL(CONVERT(NVARCHAR(MAX), DATALENGTH(CONVERT(NVARCHAR(MAX), %s, 126)))"
				   " + N':' + CONVERT(NVARCHAR(MAX), %s, 126), N'-')",
				   i ? "+ " : "", sb_str(&col), sb_str(&col));
		sb_free(&col);
	}
	sb_append(sb, ")");
}

static const struct upkit_delta_words mssql_words = {
	.dialect = UPKIT_DIALECT_MSSQL,
	.template_path = "procs/mssql/delta.sql.in",
	.company_param = "@DATAAREAID",
	.company_decl = "@DATAAREAID NVARCHAR(4000)",
	.col_recid = "[RECID]",
	.col_recversion = "[RECVERSION]",
	.col_dataareaid = "[DATAAREAID]",
	.changes_hash = "C.[CONTENT_HASH]",
	.concat = "+",
	.null_hash = "CAST(NULL AS VARBINARY(20))",
	.hash = mssql_hash,
};

int
upkit_render_delta_mssql(struct strbuf *out, const struct upkit_spec *spec, char *err, size_t errn)
{
	return upkit_render_delta(out, spec, &mssql_words, err, errn);
}
