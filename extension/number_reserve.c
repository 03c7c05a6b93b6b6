/*-------------------------------------------------------------------------
 *
 * number_reserve.c
 *	  upkit.reserve_numbers(dataareaid, numbersequence, n, OUT first_number,
 *	  OUT format): n business numbers of an AX number sequence.
 *
 * NUMBERSEQUENCETABLE(DATAAREAID, NUMBERSEQUENCE, NEXTREC, FORMAT, HIGHEST)
 * is found through the caller's search_path (ax_tables.c).  The sequence's
 * row is locked (SELECT ... FOR UPDATE), [NEXTREC, NEXTREC + n - 1] is
 * checked against bigint and, when HIGHEST > 0, against HIGHEST, and NEXTREC
 * advances by n.  The result is the first number and the FORMAT, ready for
 * upkit.fn_fmt_numbersequence(format, rownum, first_number).
 *
 * Unlike RECIDs, business numbers are reserved in the caller's transaction.
 * AX number sequences are often continuous (no gaps allowed: invoice and
 * voucher numbers), the numbers only mean something in rows the same
 * transaction writes, and a rollback that removes those rows should give
 * the numbers back, as AX does for continuous sequences.  Concurrent
 * reservations of one sequence wait for each other's commit on the row
 * lock; different sequences do not.
 *
 * Errors, each naming company and sequence: count below 1 or a NULL
 * argument 22023 / 22004, no such row P0002 (no_data_found), more than one
 * row 21000, NEXTREC or FORMAT NULL 22004 (a NULL FORMAT would make the
 * insert procedures write NULL business ids), past HIGHEST or past bigint
 * 22003.  A
 * failed call changes nothing.  DATAAREAID and NUMBERSEQUENCE are compared
 * exactly (PostgreSQL text equality).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/pg_type.h"
#include "common/int.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

#include "upkit.h"

PG_FUNCTION_INFO_V1(upkit_reserve_numbers);

Datum
upkit_reserve_numbers(PG_FUNCTION_ARGS)
{
	char	   *company;
	char	   *sequence;
	int64		n;
	Relation	rel;
	char	   *qname;
	char	   *sql;
	Oid			types[3] = {TEXTOID, TEXTOID, INT8OID};
	Datum		args[3];
	bool		isnull;
	int64		nextrec;
	int64		highest = 0;
	int64		after;
	text	   *format = NULL;
	TupleDesc	rdesc;
	Datum		values[2];
	bool		nulls[2] = {false, false};
	HeapTuple	result;
	Datum		d;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("upkit.reserve_numbers needs a dataareaid, a numbersequence and a count, got NULL")));
	company = text_to_cstring(PG_GETARG_TEXT_PP(0));
	sequence = text_to_cstring(PG_GETARG_TEXT_PP(1));
	n = PG_GETARG_INT64(2);
	if (n < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot reserve " INT64_FORMAT " numbers of sequence \"%s\" in company \"%s\": the count must be at least 1",
						n, sequence, company)));
	if (get_call_result_type(fcinfo, NULL, &rdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "upkit.reserve_numbers must return a row");
	rdesc = BlessTupleDesc(rdesc);

	rel = upkit_open_ax_table("numbersequencetable", AccessShareLock);
	qname = quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)),
									   RelationGetRelationName(rel));
	table_close(rel, NoLock);

	SPI_connect();
	args[0] = PointerGetDatum(PG_GETARG_TEXT_PP(0));
	args[1] = PointerGetDatum(PG_GETARG_TEXT_PP(1));
	sql = psprintf("SELECT (nextrec)::pg_catalog.int8, (format)::pg_catalog.text, (highest)::pg_catalog.int8"
				   " FROM %s WHERE dataareaid OPERATOR(pg_catalog.=) $1 AND numbersequence OPERATOR(pg_catalog.=) $2"
				   " FOR UPDATE", qname);
	if (SPI_execute_with_args(sql, 2, types, args, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_with_args failed: %s", sql);
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("number sequence \"%s\" of company \"%s\" does not exist in %s",
						sequence, company, qname)));
	if (SPI_processed > 1)
		ereport(ERROR,
				(errcode(ERRCODE_CARDINALITY_VIOLATION),
				 errmsg("number sequence \"%s\" of company \"%s\" has " UINT64_FORMAT " rows in %s",
						sequence, company, SPI_processed, qname)));
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("NEXTREC of number sequence \"%s\" of company \"%s\" is NULL", sequence, company)));
	nextrec = DatumGetInt64(d);
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3, &isnull);
	if (!isnull)
		highest = DatumGetInt64(d);
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull);
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("FORMAT of number sequence \"%s\" of company \"%s\" is NULL", sequence, company),
				 errdetail("Numbers are formatted with the sequence's FORMAT; AX declares the column NOT NULL."),
				 errhint("Set FORMAT of the sequence in %s.", qname)));
	format = (text *) SPI_datumTransfer(d, false, -1);

	if (pg_add_s64_overflow(nextrec, n, &after))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("reserving " INT64_FORMAT " numbers of sequence \"%s\" in company \"%s\" from " INT64_FORMAT " runs past the bigint range",
						n, sequence, company, nextrec)));
	if (highest > 0 && after - 1 > highest)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg_plural("reserving " INT64_FORMAT " number of sequence \"%s\" in company \"%s\" from " INT64_FORMAT " runs past HIGHEST " INT64_FORMAT,
							   "reserving " INT64_FORMAT " numbers of sequence \"%s\" in company \"%s\" from " INT64_FORMAT " runs past HIGHEST " INT64_FORMAT,
							   (unsigned long) n,
							   n, sequence, company, nextrec, highest),
				 errdetail_plural("The last number would be " INT64_FORMAT "; " INT64_FORMAT " number is left.",
								  "The last number would be " INT64_FORMAT "; " INT64_FORMAT " numbers are left.",
								  (unsigned long) (nextrec > highest ? 0 : highest - nextrec + 1),
								  after - 1, nextrec > highest ? 0 : highest - nextrec + 1)));

	args[2] = Int64GetDatum(after);
	sql = psprintf("UPDATE %s SET nextrec = $3"
				   " WHERE dataareaid OPERATOR(pg_catalog.=) $1 AND numbersequence OPERATOR(pg_catalog.=) $2", qname);
	if (SPI_execute_with_args(sql, 3, types, args, NULL, false, 0) != SPI_OK_UPDATE || SPI_processed != 1)
		elog(ERROR, "advancing NEXTREC of sequence \"%s\" in company \"%s\" changed " UINT64_FORMAT " rows",
			 sequence, company, SPI_processed);
	SPI_finish();

	values[0] = Int64GetDatum(nextrec);
	values[1] = PointerGetDatum(format);
	result = heap_form_tuple(rdesc, values, nulls);
	PG_RETURN_DATUM(HeapTupleGetDatum(result));
}
