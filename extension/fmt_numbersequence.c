/*-------------------------------------------------------------------------
 *
 * fmt_numbersequence.c
 *	  upkit.fn_fmt_numbersequence(format, value, nextrec, rjustify_length):
 *	  AX's FN_FMT_NUMBERSEQUENCE, in C.
 *
 * The number is value + nextrec.  Every '#' in the format is a digit slot;
 * the number's decimal digits fill the slots from the rightmost '#' leftwards
 * and slots left over become '0'.  Every other character is copied as it is.
 * With rjustify_length > 0 the result is padded on the left with spaces to
 * exactly that many characters.
 *
 * The function is called once per row by the set-based insert procedures, so
 * it is written for speed: one pass over the format to count slots, one pass
 * to fill the result from the right, one palloc.  '#' is ASCII, and every
 * PostgreSQL server encoding keeps ASCII bytes out of multibyte characters,
 * so a byte scan finds exactly the slots; only rjustify needs a character
 * count (pg_mbstrlen_with_len), and only when it is asked for.
 *
 * It never truncates and never wraps: a number with more digits than slots,
 * a negative number or an overflow raises 22003, a result longer than
 * rjustify_length raises 22001, a format without a slot or a negative
 * rjustify_length raises 22023, a result longer than PostgreSQL's 1 GB
 * limit for a value (rjustify_length near 2^31) raises 54000 before
 * anything is allocated.  The SQL Server twin in
 * functions/mssql/FN_FMT_NUMBERSEQUENCE.sql gives the same results; the
 * shared vectors pin both down.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/int.h"
#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(upkit_fn_fmt_numbersequence);

/* How much of a long format an error message quotes. */
#define FORMAT_QUOTE_MAX 64

/*
 * A NUL-terminated, possibly abbreviated copy of the format for messages:
 * formats can be thousands of characters long, messages should not be.
 */
static char *
format_for_message(const char *fmt, int len)
{
	int			cut;

	if (len <= FORMAT_QUOTE_MAX)
		return pnstrdup(fmt, len);
	cut = pg_mbcliplen(fmt, len, FORMAT_QUOTE_MAX);
	return psprintf("%s... (%d bytes)", pnstrdup(fmt, cut), len);
}

Datum
upkit_fn_fmt_numbersequence(PG_FUNCTION_ARGS)
{
	text	   *format = PG_GETARG_TEXT_PP(0);
	int64		value = PG_GETARG_INT64(1);
	int64		nextrec = PG_GETARG_INT64(2);
	int32		rjustify = PG_GETARG_INT32(3);
	const char *fmt = VARDATA_ANY(format);
	int			fmtlen = VARSIZE_ANY_EXHDR(format);
	int64		number;
	int			slots = 0;
	char		digits[24];
	int			ndigits = 0;
	int			pad = 0;
	text	   *result;
	char	   *out;
	int			i;
	int			d;

	/* Validate the parameters first. */
	if (rjustify < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("rjustify_length must not be negative: %d", rjustify),
				 errhint("Use 0 for no justification.")));

	for (i = 0; i < fmtlen; i++)
		slots += (fmt[i] == '#');
	if (slots == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("number sequence format \"%s\" has no digit slot",
						format_for_message(fmt, fmtlen)),
				 errdetail("Every '#' in the format is a digit slot; the format needs at least one.")));

	if (pg_add_s64_overflow(value, nextrec, &number))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("number " INT64_FORMAT " + " INT64_FORMAT " is out of range for format \"%s\"",
						value, nextrec, format_for_message(fmt, fmtlen)),
				 errdetail("value + nextrec must fit in bigint.")));
	if (number < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("number " INT64_FORMAT " is negative and cannot be formatted with \"%s\"",
						number, format_for_message(fmt, fmtlen)),
				 errdetail("value " INT64_FORMAT " + nextrec " INT64_FORMAT ".", value, nextrec)));

	/* Decimal digits, least significant first. */
	do
	{
		digits[ndigits++] = (char) ('0' + number % 10);
		number /= 10;
	} while (number > 0);

	if (ndigits > slots)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("number " INT64_FORMAT " does not fit format \"%s\"",
						value + nextrec, format_for_message(fmt, fmtlen)),
				 errdetail("The number has %d digits, the format has %d digit slots.",
						   ndigits, slots)));

	if (rjustify > 0)
	{
		int			chars = pg_mbstrlen_with_len(fmt, fmtlen);

		if (chars > rjustify)
			ereport(ERROR,
					(errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
					 errmsg("formatted number " INT64_FORMAT " with format \"%s\" is %d characters, longer than rjustify_length %d",
							value + nextrec, format_for_message(fmt, fmtlen), chars, rjustify)));
		pad = rjustify - chars;
	}

	/* pad + fmtlen is at most 2^31 - 1 + 1 GB: computed in 64 bits. */
	if ((int64) pad + fmtlen > (int64) (MaxAllocSize - VARHDRSZ))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("formatted number " INT64_FORMAT " would be " INT64_FORMAT " bytes long (rjustify_length %d), more than the largest value of %d bytes",
						value + nextrec, (int64) pad + fmtlen, rjustify, (int) (MaxAllocSize - VARHDRSZ))));

	result = (text *) palloc(VARHDRSZ + pad + fmtlen);
	SET_VARSIZE(result, VARHDRSZ + pad + fmtlen);
	out = VARDATA(result);
	memset(out, ' ', pad);
	out += pad;

	/* Fill from the right: slots take digits, then zeros. */
	d = 0;
	for (i = fmtlen - 1; i >= 0; i--)
	{
		if (fmt[i] == '#')
			out[i] = (d < ndigits) ? digits[d++] : '0';
		else
			out[i] = fmt[i];
	}

	PG_RETURN_TEXT_P(result);
}
