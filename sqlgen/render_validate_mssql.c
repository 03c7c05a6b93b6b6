/*
 * render_validate_mssql.c: the SQL Server words of a validate procedure
 * (procs/mssql/validate.sql.in): casts, the "fits" type checks, and the
 * statement of one check.  Nothing newer than SQL Server 2012
 * (TRY_CONVERT is 2012's).
 *
 * A check is one statement over its bad rows: it puts the first
 * @DETAIL_CAP of them (in order of DATAAREAID, RECID, key; one row when
 * the cap is 0) into #UPKIT_BAD, each with the exact count of all of them
 * (COUNT_BIG(*) OVER (), computed before TOP), so tempdb holds at most the
 * cap, never every bad row.  When the count is above 0,
 * [dbo].[UPKIT_LOG_FOUND] logs the entry with it, then at most @DETAIL_CAP
 * rows are stored; the entry comes first, for the details' foreign key.
 *
 * "fits" reads the target's limits once per run ([dbo].[UPKIT_FITS_TARGET]):
 * the catalog's where the target table exists, the spec's elsewhere.  A
 * value fits an integer type when TRY_CONVERT(BIGINT, value) succeeds and
 * is within the type's range, a decimal(p, s) when TRY_CONVERT(DECIMAL(38,
 * 16), value) succeeds and, rounded to s places, has at most p - s integer
 * digits, a character type when LEN (which, like SQL Server's own
 * truncation check, ignores trailing blanks) is at most the length.
 */
#include <stdlib.h>

#include "ident.h"
#include "render_validate.h"

static void
ms_text(struct strbuf *sb, const char *expr)
{
	sb_appendf(sb, "CAST(%s AS NVARCHAR(4000))", expr);
}

static void
ms_exact(struct strbuf *sb, const char *expr)
{
	sb_appendf(sb, "CAST(%s AS DECIMAL(38, 0))", expr);
}

static void
ms_slots(struct strbuf *sb, const char *fmt)
{
	/* LEN ignores trailing blanks: count with a character after them. */
	sb_appendf(sb, "(LEN(%s + N'x') - LEN(REPLACE(%s, N'#', N'') + N'x'))", fmt, fmt);
}

static void
ms_digits(struct strbuf *sb, const char *num)
{
	sb_appendf(sb, "LEN(CAST(ABS(%s) AS VARCHAR(40)))", num);
}

static void
ms_fits(struct strbuf *prelude, struct strbuf *pred, struct strbuf *detail,
		const struct upkit_validate_check *k, const char *col, const char *name_lit)
{
	static const char *const family[] = {"string", "integer", "numeric"};

	sb_append(prelude, "        EXEC [dbo].[UPKIT_FITS_TARGET] @TABLE = ");
	if (k->target.name)
	{
		struct strbuf q = STRBUF_INIT;
		char	   *c = upkit_ident_fold(k->target_column, UPKIT_DIALECT_MSSQL);

		upkit_quote_qualified(&q, k->target.schema, k->target.name, UPKIT_DIALECT_MSSQL);
		upkit_quote_literal(prelude, sb_str(&q), UPKIT_DIALECT_MSSQL);
		sb_append(prelude, ", @COLUMN = ");
		upkit_quote_literal(prelude, c, UPKIT_DIALECT_MSSQL);
		sb_free(&q);
		free(c);
	}
	else
		sb_append(prelude, "NULL, @COLUMN = NULL");
	sb_appendf(prelude, ",\n             @FAMILY = N'%s', @SPEC_TYPE = N'%s', ", family[k->family], k->type);
	if (k->family == UPKIT_FITS_STRING)
		sb_appendf(prelude, "@SPEC_LENGTH = %lld, @SPEC_PRECISION = NULL, @SPEC_SCALE = NULL,\n", k->length);
	else if (k->family == UPKIT_FITS_NUMERIC)
		sb_appendf(prelude, "@SPEC_LENGTH = NULL, @SPEC_PRECISION = %lld, @SPEC_SCALE = %lld,\n",
				   k->precision, k->scale);
	else
		sb_append(prelude, "@SPEC_LENGTH = NULL, @SPEC_PRECISION = NULL, @SPEC_SCALE = NULL,\n");
	sb_append(prelude, "             @TYPE_NAME = @FIT_TYPE OUTPUT, @MAX_LENGTH = @FIT_LENGTH OUTPUT,\n"
			  "             @MIN_VALUE = @FIT_MIN OUTPUT, @MAX_VALUE = @FIT_MAX OUTPUT,\n"
			  "             @NUM_PRECISION = @FIT_PRECISION OUTPUT, @NUM_SCALE = @FIT_SCALE OUTPUT;\n");

	switch (k->family)
	{
		case UPKIT_FITS_STRING:
			sb_appendf(pred, "@FIT_LENGTH IS NOT NULL AND LEN(CAST(%s AS NVARCHAR(MAX))) > @FIT_LENGTH", col);
			sb_appendf(detail, "%s + N' is ' + CAST(LEN(CAST(%s AS NVARCHAR(MAX))) AS NVARCHAR(20)) + N' characters, longer than ' + @FIT_TYPE",
					   name_lit, col);
			return;
		case UPKIT_FITS_INTEGER:
			sb_appendf(pred, "%s IS NOT NULL\n   AND (TRY_CONVERT(BIGINT, %s) IS NULL\n"
					   "        OR TRY_CONVERT(BIGINT, %s) NOT BETWEEN @FIT_MIN AND @FIT_MAX)", col, col, col);
			break;
		case UPKIT_FITS_NUMERIC:
			sb_appendf(pred, "%s IS NOT NULL AND @FIT_PRECISION IS NOT NULL\n"
					   "   AND (TRY_CONVERT(DECIMAL(38, 16), %s) IS NULL\n"
					   "        OR ABS(ROUND(TRY_CONVERT(DECIMAL(38, 16), %s), @FIT_SCALE))\n"
					   "           >= POWER(CAST(10 AS DECIMAL(38, 0)), @FIT_PRECISION - @FIT_SCALE))", col, col, col);
			break;
	}
	sb_appendf(detail, "%s + N' = ' + LEFT(CAST(%s AS NVARCHAR(4000)), 100) + N' does not fit ' + @FIT_TYPE",
			   name_lit, col);
}

/*
 * unique: each row with its group's row count (a window COUNT_BIG, 2012's),
 * in one read of the table; the rows of groups of more than one.
 */
static void
ms_duplicates(struct strbuf *sb, const struct upkit_validate_dups *d)
{
	sb_appendf(sb, "SELECT upkit_w.upkit_recid, upkit_w.upkit_dataareaid, upkit_w.upkit_key, upkit_w.upkit_n\n"
			   "  FROM (SELECT %s AS upkit_recid, %s AS upkit_dataareaid,\n"
			   "               %s AS upkit_key,\n"
			   "               COUNT_BIG(*) OVER (PARTITION BY %s) AS upkit_n\n"
			   "          FROM %s\n         WHERE ",
			   d->recid, d->dataareaid, d->key, d->by, d->from);
	sb_append(sb, d->where);
	sb_append(sb, ") AS upkit_w\n WHERE upkit_w.upkit_n > 1");
}

static void
ms_step(struct strbuf *sb, const struct upkit_validate_step *st)
{
	const char *counter = st->check->error ? "@ERRORS" : "@ADVISORIES";

	sb_append(sb, st->fits_prelude);
	sb_append(sb, "        DELETE FROM #UPKIT_BAD;\n"
			  "        INSERT INTO #UPKIT_BAD ([RECID], [DATAAREAID], [ROW_KEY], [DETAIL], [FOUND])\n"
			  "        SELECT TOP (CASE WHEN @DETAIL_CAP > 0 THEN @DETAIL_CAP ELSE 1 END)\n"
			  "               B.upkit_recid, B.upkit_dataareaid, B.upkit_key, B.upkit_detail, COUNT_BIG(*) OVER ()\n"
			  "          FROM (\n");
	upkit_validate_indent(sb, st->bad, "                ");
	sb_appendf(sb, ") AS B\n"
			   "         ORDER BY B.upkit_dataareaid, B.upkit_recid, B.upkit_key;\n"
			   "        SET @FOUND = ISNULL((SELECT MAX([FOUND]) FROM #UPKIT_BAD), 0);\n"
			   "        IF @FOUND > 0\n"
			   "        BEGIN\n"
			   "            EXEC [dbo].[UPKIT_LOG_FOUND] @RUN_ID = @RUN, @MESSAGE_ID = %s, @LEVEL = %s,\n"
			   "                 @MESSAGE = %s,\n"
			   "                 @RESOLUTION = %s,\n"
			   "                 @DETAIL_COUNT = @FOUND;\n"
			   "            INSERT INTO [dbo].[UPKIT_VALIDATION_DETAIL] ([SCRIPT], [DATAAREAID], [MESSAGE_ID], [SEQ],\n"
			   "                   [ROW_RECID], [ROW_DATAAREAID], [ROW_KEY], [DETAIL])\n"
			   "            SELECT TOP (@DETAIL_CAP) @SCRIPT, @COMPANY, %s,\n"
			   "                   ROW_NUMBER() OVER (ORDER BY B.[DATAAREAID], B.[RECID], B.[ROW_KEY]),\n"
			   "                   B.[RECID], B.[DATAAREAID], B.[ROW_KEY], B.[DETAIL]\n"
			   "              FROM #UPKIT_BAD AS B\n"
			   "             ORDER BY B.[DATAAREAID], B.[RECID], B.[ROW_KEY];\n"
			   "            SET %s = %s + 1;\n"
			   "        END;\n",
			   st->id_lit, st->level_lit, st->message_lit, st->resolution_lit, st->id_lit, counter, counter);
}

static const struct upkit_validate_words mssql_words = {
	.dialect = UPKIT_DIALECT_MSSQL,
	.template_path = "procs/mssql/validate.sql.in",
	.company_param = "@DATAAREAID",
	.indent = "        ",
	.concat = " + ",
	.count = "COUNT_BIG(*)",
	.null_text = "CAST(NULL AS NVARCHAR(4000))",
	.text = ms_text,
	.exact = ms_exact,
	.slots = ms_slots,
	.digits = ms_digits,
	.fits = ms_fits,
	.step = ms_step,
	.duplicates = ms_duplicates,
	.log_schema = "dbo",
	.log_tables = {"UPKIT_VALIDATION_RUN", "UPKIT_VALIDATION_LOG", "UPKIT_VALIDATION_DETAIL"},
};

int
upkit_render_validate_mssql(struct upkit_units *out, const struct upkit_spec *spec, char *err, size_t errn)
{
	return upkit_render_validate(out, spec, &mssql_words, err, errn);
}
