/*-------------------------------------------------------------------------
 *
 * recid_guard.c
 *	  The AX kernel's RECID rules for tables that opt in:
 *	  upkit.suspend_recids(tabid), upkit.remove_recid_suspension(tabid) and
 *	  the trigger function upkit.recid_guard().
 *
 * A table opts in with
 *
 *	 CREATE TRIGGER recid_guard BEFORE INSERT ON custtable
 *	   FOR EACH ROW EXECUTE FUNCTION upkit.recid_guard(77);	-- its TABID
 *
 * and then, per inserted row (a RECID of NULL or 0 counts as none, as in
 * AX, where 0 is the unassigned RECID):
 *
 * - no RECID, table not suspended: the row gets the next RECID of the block
 *	 this session holds for the table (recid_session.c);
 * - no RECID, table suspended: error 55000, the allocator dispenses
 *	 nothing for a suspended table;
 * - a RECID, table not suspended: error 55000, assigning RECIDs needs a
 *	 suspension (upkit.suspend_recids) first;
 * - a RECID, table suspended: it must lie in a range this session reserved
 *	 with upkit.reserve_recids, else error 23514.
 *
 * Suspension is session state, not transactional, and ends with the
 * session, as AX's suspendRecId does.  Suspending twice or removing a
 * suspension that is not there is harmless.
 *
 * Rows without RECID take numbers from a block this session reserved
 * (recid_session.c).  A block of a committed SYSTEMSEQUENCES was committed
 * by a worker before its first number was used, so no rollback, to a
 * savepoint or not, can give it back.  A block of a SYSTEMSEQUENCES created
 * in the current transaction is counted in the session's floor for that
 * table, which PRE_COMMIT writes into NEXTVAL and which is forgotten with
 * the table (recid_session.c): a rolled-back savepoint cannot make a guarded
 * row and a later reservation share a RECID (issue 8, item 1).
 *
 * The trigger finds SYSTEMSEQUENCES through the inserting session's
 * search_path once per statement and keeps it, with the position of the
 * "recid" column, in fn_extra; the per-row work is a hash lookup and,
 * for numbered rows, an increment.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/rel.h"

#include "upkit.h"

PG_FUNCTION_INFO_V1(upkit_suspend_recids);
PG_FUNCTION_INFO_V1(upkit_remove_recid_suspension);
PG_FUNCTION_INFO_V1(upkit_recid_guard);

static int32
tabid_arg(FunctionCallInfo fcinfo)
{
	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("tabid must not be NULL")));
	return PG_GETARG_INT32(0);
}

Datum
upkit_suspend_recids(PG_FUNCTION_ARGS)
{
	upkit_session_set_suspended(tabid_arg(fcinfo), true);
	PG_RETURN_VOID();
}

Datum
upkit_remove_recid_suspension(PG_FUNCTION_ARGS)
{
	upkit_session_set_suspended(tabid_arg(fcinfo), false);
	PG_RETURN_VOID();
}

/* What the trigger keeps for one statement. */
typedef struct GuardCache
{
	int32		tabid;
	AttrNumber	attno;
	Oid			seqrelid;
} GuardCache;

static GuardCache *
guard_setup(FunctionCallInfo fcinfo, TriggerData *td)
{
	GuardCache *gc = (GuardCache *) fcinfo->flinfo->fn_extra;
	Relation	rel = td->tg_relation;
	const char *arg;
	char	   *end;
	long		v;
	int			attno;
	Relation	seqrel;

	if (gc != NULL)
		return gc;

	if (td->tg_trigger->tgnargs != 1)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("trigger \"%s\" on \"%s\" must pass the table's TABID as its only argument",
						td->tg_trigger->tgname, RelationGetRelationName(rel)),
				 errhint("EXECUTE FUNCTION upkit.recid_guard(77)")));
	arg = td->tg_trigger->tgargs[0];
	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || v < PG_INT32_MIN || v > PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("trigger \"%s\" on \"%s\": argument \"%s\" is not a TABID",
						td->tg_trigger->tgname, RelationGetRelationName(rel), arg)));

	attno = SPI_fnumber(RelationGetDescr(rel), "recid");
	if (attno <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("table \"%s\" guarded by upkit.recid_guard has no column \"recid\"",
						RelationGetRelationName(rel))));
	if (TupleDescAttr(RelationGetDescr(rel), attno - 1)->atttypid != INT8OID)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("column \"recid\" of table \"%s\" must be bigint",
						RelationGetRelationName(rel))));

	/* Keeps AccessShareLock until the end of the transaction. */
	seqrel = upkit_open_ax_table("systemsequences", AccessShareLock);

	gc = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(GuardCache));
	gc->tabid = (int32) v;
	gc->attno = (AttrNumber) attno;
	gc->seqrelid = RelationGetRelid(seqrel);
	table_close(seqrel, NoLock);
	fcinfo->flinfo->fn_extra = gc;
	return gc;
}

Datum
upkit_recid_guard(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	GuardCache *gc;
	HeapTuple	tuple;
	TupleDesc	desc;
	bool		isnull;
	int64		recid;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("upkit.recid_guard must be called as a trigger")));
	if (!TRIGGER_FIRED_BEFORE(td->tg_event) || !TRIGGER_FIRED_FOR_ROW(td->tg_event) ||
		!TRIGGER_FIRED_BY_INSERT(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("upkit.recid_guard must be a BEFORE INSERT ... FOR EACH ROW trigger (trigger \"%s\" on \"%s\")",
						td->tg_trigger->tgname, RelationGetRelationName(td->tg_relation))));

	gc = guard_setup(fcinfo, td);
	tuple = td->tg_trigtuple;
	desc = RelationGetDescr(td->tg_relation);
	recid = DatumGetInt64(heap_getattr(tuple, gc->attno, desc, &isnull));
	if (isnull)
		recid = 0;

	if (recid == 0)
	{
		Relation	seqrel;
		Datum		value;
		bool		null = false;
		int			col = gc->attno;

		if (upkit_session_suspended(gc->tabid))
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("row of \"%s\" has no RECID, but RECIDs of tabid %d are suspended in this session",
							RelationGetRelationName(td->tg_relation), gc->tabid),
					 errdetail("While a table is suspended the allocator hands out no RECIDs for it."),
					 errhint("Give the row a RECID from upkit.reserve_recids(%d, n), or call upkit.remove_recid_suspension(%d).",
							 gc->tabid, gc->tabid)));
		/* The lock taken in guard_setup is still held. */
		seqrel = table_open(gc->seqrelid, NoLock);
		recid = upkit_session_next_recid(seqrel, gc->tabid);
		table_close(seqrel, NoLock);
		value = Int64GetDatum(recid);
		tuple = heap_modify_tuple_by_cols(tuple, desc, 1, &col, &value, &null);
		return PointerGetDatum(tuple);
	}

	if (!upkit_session_suspended(gc->tabid))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("row of \"%s\" has RECID " INT64_FORMAT ", but RECIDs of tabid %d are not suspended in this session",
						RelationGetRelationName(td->tg_relation), recid, gc->tabid),
				 errdetail("Only the allocator assigns RECIDs to a table that is not suspended."),
				 errhint("Leave recid empty, or call upkit.suspend_recids(%d) and take RECIDs from upkit.reserve_recids(%d, n).",
						 gc->tabid, gc->tabid)));
	if (!upkit_session_owns(gc->seqrelid, gc->tabid, recid))
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("RECID " INT64_FORMAT " of a row of \"%s\" was not reserved by this session for tabid %d",
						recid, RelationGetRelationName(td->tg_relation), gc->tabid),
				 errdetail("A suspended table accepts only RECIDs from ranges this session got from upkit.reserve_recids."),
				 errhint("Reserve the range with SELECT upkit.reserve_recids(%d, n) and number the rows from its result.",
						 gc->tabid)));
	return PointerGetDatum(tuple);
}
