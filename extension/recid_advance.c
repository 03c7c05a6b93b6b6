/*-------------------------------------------------------------------------
 *
 * recid_advance.c
 *	  The one place that moves SYSTEMSEQUENCES.NEXTVAL: reserve n RECIDs of
 *	  a table in the current transaction.
 *
 * AX keeps one SYSTEMSEQUENCES row per table with ID = -1; NEXTVAL is the
 * next RECID to hand out.  Reserving n locks that row (SELECT ... FOR
 * UPDATE), checks that [NEXTVAL, NEXTVAL + n) fits in bigint, and sets
 * NEXTVAL to NEXTVAL + n.  A table without a row gets one that starts at
 * 5637144576; the insert takes SHARE ROW EXCLUSIVE on the table and looks
 * again, so two sessions never both insert the row, whether or not the
 * table has a unique index, in a transaction of its own (see
 * upkit_recid_insert_first for why).  Other columns of a new row take their
 * defaults.
 *
 * floor, when not 0, is the lowest start allowed: the caller's session
 * already handed out everything below it (see reserve.c).
 *
 * Everything here runs in the current transaction.  Who calls it decides
 * which one that is: the background worker of recid_worker.c (a transaction
 * of its own that commits before the range is handed out, the normal case),
 * the caller's own transaction when the table was created in it (then a
 * rollback removes the table itself, and upkit_recid_raise_to puts NEXTVAL
 * beyond what a rolled-back savepoint handed out, see recid_session.c), or
 * the caller's transaction for reserve_recids_transactional, whose ranges a
 * rollback may give back because only rows of the same transaction use
 * them (upkit_recid_make_row_here makes a new table's row there too).
 *
 * The SQL is built from the table's schema-qualified, quoted name, with
 * OPERATOR(pg_catalog.=) and pg_catalog types, so nothing the search_path
 * adds can change what it means.  Values travel as parameters.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_index.h"
#include "catalog/pg_type.h"
#include "common/int.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/syscache.h"

#include "upkit.h"

static char *
qualified_name(Oid relid)
{
	char	   *rel = get_rel_name(relid);
	char	   *nsp;

	if (rel == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("systemsequences table with OID %u does not exist", relid),
				 errdetail("It was dropped, or it is not yet committed.")));
	nsp = get_namespace_name(get_rel_namespace(relid));
	return quote_qualified_identifier(nsp, rel);
}

/*
 * Lock the table's ID = -1 row and return its NEXTVAL; false when there is
 * no such row.
 */
static bool
lock_row(const char *qname, int32 tabid, int64 *nextval)
{
	char	   *sql;
	Oid			types[2] = {INT4OID, INT4OID};
	Datum		values[2] = {Int32GetDatum(tabid), Int32GetDatum(-1)};
	bool		isnull;
	Datum		d;

	sql = psprintf("SELECT (nextval)::pg_catalog.int8 FROM %s"
				   " WHERE tabid OPERATOR(pg_catalog.=) $1 AND id OPERATOR(pg_catalog.=) $2"
				   " FOR UPDATE", qname);
	if (SPI_execute_with_args(sql, 2, types, values, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_with_args failed: %s", sql);
	if (SPI_processed == 0)
		return false;
	if (SPI_processed > 1)
		ereport(ERROR,
				(errcode(ERRCODE_CARDINALITY_VIOLATION),
				 errmsg("%s has " UINT64_FORMAT " rows with ID = -1 for tabid %d",
						qname, SPI_processed, tabid),
				 errdetail("The RECID allocator needs exactly one row per table.")));
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("NEXTVAL of tabid %d in %s is NULL", tabid, qname)));
	*nextval = DatumGetInt64(d);
	return true;
}

/* SPI connected: set NEXTVAL of the (locked) row. */
static void
set_nextval(const char *qname, int32 tabid, int64 value)
{
	Oid			types[3] = {INT4OID, INT4OID, INT8OID};
	Datum		values[3] = {Int32GetDatum(tabid), Int32GetDatum(-1), Int64GetDatum(value)};
	char	   *sql;

	sql = psprintf("UPDATE %s SET nextval = $3"
				   " WHERE tabid OPERATOR(pg_catalog.=) $1 AND id OPERATOR(pg_catalog.=) $2", qname);
	if (SPI_execute_with_args(sql, 3, types, values, NULL, false, 0) != SPI_OK_UPDATE ||
		SPI_processed != 1)
		elog(ERROR, "advancing NEXTVAL of tabid %d in %s changed " UINT64_FORMAT " rows",
			 tabid, qname, SPI_processed);
}

/* SPI connected: insert the table's row with this NEXTVAL. */
static void
insert_row(const char *qname, int32 tabid, int64 value)
{
	Oid			types[3] = {INT4OID, INT4OID, INT8OID};
	Datum		values[3] = {Int32GetDatum(tabid), Int32GetDatum(-1), Int64GetDatum(value)};
	char	   *sql;

	sql = psprintf("INSERT INTO %s (id, tabid, nextval) VALUES ($2, $1, $3)", qname);
	if (SPI_execute_with_args(sql, 3, types, values, NULL, false, 0) != SPI_OK_INSERT ||
		SPI_processed != 1)
		elog(ERROR, "inserting the SYSTEMSEQUENCES row of tabid %d into %s failed", tabid, qname);
}

/* [start, start + n) must leave a NEXTVAL that fits in bigint. */
static void
check_range(int32 tabid, int64 start, int64 n, int64 *after)
{
	if (pg_add_s64_overflow(start, n, after))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("reserving " INT64_FORMAT " RECIDs of tabid %d from " INT64_FORMAT " runs past the bigint range",
						n, tabid, start),
				 errdetail("NEXTVAL after the reservation must fit in bigint (at most " INT64_FORMAT ").",
						   PG_INT64_MAX)));
}

/*
 * Advance an existing row: lock it, check, update.  false (and nothing
 * changed) when the table has no row.
 */
bool
upkit_recid_advance_existing(Oid relid, int32 tabid, int64 n, int64 floor, int64 *start)
{
	char	   *qname;
	int64		after;

	Assert(n >= 1);
	SPI_connect();
	qname = qualified_name(relid);
	if (!lock_row(qname, tabid, start))
	{
		SPI_finish();
		return false;
	}
	if (*start < floor)
		*start = floor;
	check_range(tabid, *start, n, &after);

	set_nextval(qname, tabid, after);
	SPI_finish();
	return true;
}

/*
 * Make the table's first row, which reserves [5637144576, 5637144576 + n):
 * SHARE ROW EXCLUSIVE on the table (one inserter at a time), look without
 * locking a row, insert when still missing.  false (and nothing changed)
 * when someone else made the row meanwhile.
 *
 * To be deadlock-free against upkit_recid_advance_existing in other
 * sessions this must be the first thing its transaction does to the table:
 * those hold a row lock and then want ROW EXCLUSIVE, which our lock blocks,
 * so we must never wait for a row lock while holding it, nor hold their
 * ROW SHARE lock from an earlier look when we ask for ours.
 */
bool
upkit_recid_insert_first(Oid relid, int32 tabid, int64 n, int64 floor, int64 *start)
{
	char	   *qname;
	int64		after;
	Oid			types[3] = {INT4OID, INT4OID, INT8OID};
	Datum		values[3];
	char	   *sql;

	SPI_connect();
	qname = qualified_name(relid);
	sql = psprintf("LOCK TABLE %s IN SHARE ROW EXCLUSIVE MODE", qname);
	if (SPI_execute(sql, false, 0) != SPI_OK_UTILITY)
		elog(ERROR, "SPI_execute failed: %s", sql);

	values[0] = Int32GetDatum(tabid);
	values[1] = Int32GetDatum(-1);
	sql = psprintf("SELECT 1 FROM %s WHERE tabid OPERATOR(pg_catalog.=) $1 AND id OPERATOR(pg_catalog.=) $2",
				   qname);
	if (SPI_execute_with_args(sql, 2, types, values, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_with_args failed: %s", sql);
	if (SPI_processed > 0)
	{
		SPI_finish();
		return false;
	}

	*start = Max(UPKIT_FIRST_RECID, floor);
	check_range(tabid, *start, n, &after);
	insert_row(qname, tabid, after);
	SPI_finish();
	return true;
}

/*
 * All of it in the current transaction, for a table no other session can
 * see (created in this transaction): no concurrency to be careful about.
 */
int64
upkit_recid_advance(Oid relid, int32 tabid, int64 n, int64 floor)
{
	int64		start;

	if (upkit_recid_advance_existing(relid, tabid, n, floor, &start) ||
		upkit_recid_insert_first(relid, tabid, n, floor, &start) ||
		upkit_recid_advance_existing(relid, tabid, n, floor, &start))
		return start;
	elog(ERROR, "the SYSTEMSEQUENCES row of tabid %d vanished", tabid);
	return 0;					/* keep the compiler quiet */
}

/*
 * For a table created in the current transaction (recid_session.c, at
 * pre-commit): make NEXTVAL at least floor, making the row if a rollback to
 * a savepoint removed it.  No other session can see the table.
 */
void
upkit_recid_raise_to(Oid relid, int32 tabid, int64 floor)
{
	char	   *qname;
	int64		nextval;

	SPI_connect();
	qname = qualified_name(relid);
	if (!lock_row(qname, tabid, &nextval))
		insert_row(qname, tabid, floor);
	else if (nextval < floor)
		set_nextval(qname, tabid, floor);
	SPI_finish();
}

/*
 * Does a unique index make (id, tabid) unique: immediate, no predicate, no
 * expression, every key column id or tabid?
 */
static bool
has_row_key(Relation rel)
{
	AttrNumber	id_att = SPI_fnumber(RelationGetDescr(rel), "id");
	AttrNumber	tabid_att = SPI_fnumber(RelationGetDescr(rel), "tabid");
	List	   *indexes = RelationGetIndexList(rel);
	ListCell   *lc;
	bool		found = false;

	foreach(lc, indexes)
	{
		HeapTuple	tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(lfirst_oid(lc)));
		Form_pg_index idx;
		int			i;
		bool		fits;

		if (!HeapTupleIsValid(tup))
			continue;
		idx = (Form_pg_index) GETSTRUCT(tup);
		fits = idx->indisunique && idx->indimmediate && idx->indisvalid &&
			heap_attisnull(tup, Anum_pg_index_indpred, NULL) &&
			heap_attisnull(tup, Anum_pg_index_indexprs, NULL);
		for (i = 0; fits && i < idx->indnkeyatts; i++)
			fits = idx->indkey.values[i] == id_att || idx->indkey.values[i] == tabid_att;
		ReleaseSysCache(tup);
		if (fits)
		{
			found = true;
			break;
		}
	}
	list_free(indexes);
	return found;
}

/*
 * Make the table's first row (NEXTVAL 5637144576) in the caller's
 * transaction, for reserve_recids_transactional: a rollback removes it, so
 * a failed run leaves SYSTEMSEQUENCES as it was.  With a unique index on
 * (id, tabid) the insert is INSERT ... ON CONFLICT DO NOTHING: it takes no
 * table lock beyond ROW EXCLUSIVE, and a concurrent first row (ours or
 * another session's) makes it wait for that transaction and then do
 * nothing.  Without one, SHARE ROW EXCLUSIVE keeps two sessions from both
 * inserting it, held until the caller's transaction ends
 * (upkit_recid_insert_first).  Every wait is a lock wait the deadlock
 * detector sees.  Then the caller advances the row as usual.
 */
void
upkit_recid_make_row_here(Relation seqrel, int32 tabid)
{
	Oid			relid = RelationGetRelid(seqrel);
	char	   *qname;
	char	   *sql;
	Oid			types[3] = {INT4OID, INT4OID, INT8OID};
	Datum		values[3] = {Int32GetDatum(tabid), Int32GetDatum(-1), Int64GetDatum(UPKIT_FIRST_RECID)};
	int64		start;

	if (!has_row_key(seqrel))
	{
		/* Inserts a row whose NEXTVAL is 5637144576 + 0 when still missing. */
		(void) upkit_recid_insert_first(relid, tabid, 0, 0, &start);
		return;
	}
	SPI_connect();
	qname = qualified_name(relid);
	sql = psprintf("INSERT INTO %s (id, tabid, nextval) VALUES ($2, $1, $3) ON CONFLICT DO NOTHING", qname);
	if (SPI_execute_with_args(sql, 3, types, values, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "inserting the SYSTEMSEQUENCES row of tabid %d into %s failed", tabid, qname);
	SPI_finish();
}
