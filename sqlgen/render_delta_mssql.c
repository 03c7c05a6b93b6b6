/*
 * render_delta_mssql.c: the SQL Server words of the delta objects
 * (procs/mssql/delta.sql.in): an inline table-valued function for the
 * classification, procedures for the report and the run.
 *
 * The content hash is HASHBYTES('SHA1', x) with x the named columns as one
 * XML element, (SELECT S.[A] AS [c1], S.[B] AS [c2] FOR XML RAW('r'),
 * BINARY BASE64): FOR XML writes every type without loss (dates in ISO
 * 8601 with their fractions, floats with all digits, binary in base64,
 * text escaped), and a NULL column leaves its attribute out, so NULL and ''
 * differ and no two different rows give the same text.  CONVERT with a
 * style would be lossy or unsupported for some types.  Only SQL Server 2012
 * functions.
 */
#include "ident.h"
#include "render_delta.h"

static void
mssql_hash(struct strbuf *sb, const char *alias, const struct upkit_delta_spec *s)
{
	sb_append(sb, "HASHBYTES('SHA1', (SELECT ");
	for (int i = 0; i < s->n_content; i++)
	{
		sb_appendf(sb, "%s%s.", i ? ", " : "", alias);
		upkit_quote_ident(sb, s->content_columns[i], UPKIT_DIALECT_MSSQL);
		sb_appendf(sb, " AS [c%d]", i + 1);
	}
	sb_append(sb, "\n                   FOR XML RAW('r'), BINARY BASE64))");
}

static void
mssql_examples(struct strbuf ex[UPKIT_DELTA_EXAMPLES], const struct upkit_delta_example_of *x)
{
	sb_appendf(&ex[UPKIT_DELTA_EX_CALL], "EXEC %s%s;", x->proc, x->per_company ? " @DATAAREAID = N'dat'" : "");
	sb_appendf(&ex[UPKIT_DELTA_EX_REPORT], "EXEC %s%s @WITH_RECIDS = 'Y';", x->report,
			   x->per_company ? " @DATAAREAID = N'dat'," : "");
	sb_appendf(&ex[UPKIT_DELTA_EX_READY], "SELECT %s(%s);", x->ready, x->per_company ? "N'dat'" : "");
	sb_appendf(&ex[UPKIT_DELTA_EX_LIVE], "EXEC %s%s @BATCH_SIZE = 5000, @PAUSE_MS = 0;", x->live,
			   x->per_company ? " @DATAAREAID = N'dat'," : "");
	sb_appendf(&ex[UPKIT_DELTA_EX_LIVE_PAUSE],
			   "EXEC [dbo].[UPKIT_LIVE_CONTROL] @SHADOW_TABLE = %s, @DATAAREAID = %s, @CONTROL = N'pause';",
			   x->shadow_lit, x->scope_lit);
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
	.source_alias = "S",
	.shadow_alias = "T",
	/* No object needs the caller's transaction: the procedure opens one when there is none. */
	.units = {
		{"CHANGES_FN", "function", UPKIT_DELTA_CHANGES_SUFFIX, 0, 0, {{0}}},
		{"REPORT", "procedure", UPKIT_DELTA_REPORT_SUFFIX, 0, 0, {{0}}},
		{"READY", "function", UPKIT_DELTA_READY_SUFFIX, 0, 0,
		{{"dbo", "UPKIT_DELTA_STATE", UPKIT_ACCESS_READ}}},
		{"PROC", "procedure", "", 0, UPKIT_ACCESS_CREATE | UPKIT_ACCESS_DELETE,
			{{"dbo", "UPKIT_DELTA_STATE", UPKIT_ACCESS_CREATE | UPKIT_ACCESS_READ | UPKIT_ACCESS_UPDATE},
		{"dbo", "UPKIT_DELTA_RUN", UPKIT_ACCESS_CREATE}}},
		{"LIVE", "procedure", UPKIT_DELTA_LIVE_SUFFIX, 0, UPKIT_ACCESS_CREATE,
		{{"dbo", "UPKIT_LIVE_STATE", UPKIT_ACCESS_CREATE | UPKIT_ACCESS_READ | UPKIT_ACCESS_UPDATE}}},
	},
	.hash = mssql_hash,
	.examples = mssql_examples,
};

int
upkit_render_delta_mssql(struct upkit_units *out, const struct upkit_spec *spec, char *err, size_t errn)
{
	return upkit_render_delta(out, spec, &mssql_words, err, errn);
}
