/*-------------------------------------------------------------------------
 *
 * reserve.c
 *	  upkit.reserve_recids(tabid, n): the first RECID of a contiguous range
 *	  of n that nobody else will ever get.
 *
 * Where the range comes from (upkit_recid_reserve_range):
 *
 * 1. SYSTEMSEQUENCES was created in the current transaction (tests, demos,
 *	  a script that builds its tables and fills them in one go): the advance
 *	  runs in this transaction.  No other session can see the table, and a
 *	  rollback removes it.  A rollback to a savepoint undoes the advance but
 *	  not the hand-out: the session's floor (upkit_session_local_floor) is
 *	  not undone, so the session does not hand those RECIDs out again, and
 *	  at PRE_COMMIT NEXTVAL is raised to it, so no other session does after
 *	  the commit either.  The floor follows the subtransaction that created
 *	  the table and goes with it (recid_session.c has the state machine), so
 *	  a duplicate through a rolled-back savepoint is impossible (issue 8,
 *	  item 1).
 * 2. upkit is preloaded and n is at most a quarter of
 *	  upkit.recid_cache_block: the shared block cache (recid_cache.c).
 * 3. Otherwise: a background worker advances SYSTEMSEQUENCES by exactly n
 *	  and commits (recid_worker.c).
 *
 * In cases 2 and 3 SYSTEMSEQUENCES is advanced and committed before the
 * range is returned; the caller's rollback, to a savepoint or of the whole
 * transaction, does not give it back (gaps are allowed, duplicates never).
 * A caller that has to wait for the advance waits on a heavyweight lock
 * (recid_worker.c), never unseen (issue 8, item 2).  A temporary SYSTEMSEQUENCES from an earlier
 * transaction cannot be advanced by another backend and is refused.
 *
 * Every range this session got is remembered (recid_session.c), so that
 * upkit.recid_guard can accept RECIDs from it while the table is suspended.
 * The caller needs UPDATE on SYSTEMSEQUENCES, also when the cache serves it.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/table.h"
#include "catalog/pg_class.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "storage/lmgr.h"
#include "utils/acl.h"
#include "utils/rel.h"

#include "upkit.h"

PG_FUNCTION_INFO_V1(upkit_reserve_recids);

int64
upkit_recid_reserve_range(Relation seqrel, int32 tabid, int64 n, bool use_shared_cache)
{
	Oid			relid = RelationGetRelid(seqrel);

	if (seqrel->rd_createSubid != InvalidSubTransactionId)
	{
		int64	   *floor = upkit_session_local_floor(seqrel, tabid);
		int64		start = upkit_recid_advance(relid, tabid, n, *floor);

		*floor = start + n;
		return start;
	}
	if (seqrel->rd_rel->relpersistence == RELPERSISTENCE_TEMP)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot reserve RECIDs from the temporary table \"%s\"",
						RelationGetRelationName(seqrel)),
				 errdetail("upkit advances SYSTEMSEQUENCES in a transaction of its own, which cannot see "
						   "this session's temporary tables.")));
	if (use_shared_cache && upkit_recid_cache_available() &&
		n <= upkit_recid_cache_block / 4)
		return upkit_recid_cache_take(seqrel, tabid, n);
	return upkit_recid_advance_autonomous(relid, tabid, n, NULL);
}

/*
 * The arguments both SQL functions take, checked, and SYSTEMSEQUENCES
 * opened with the caller's UPDATE privilege checked.
 */
static Relation
open_for_reservation(FunctionCallInfo fcinfo, const char *fname, int32 *tabid, int64 *n)
{
	Relation	seqrel;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("upkit.%s needs a tabid and a count, got NULL", fname)));
	*tabid = PG_GETARG_INT32(0);
	*n = PG_GETARG_INT64(1);
	if (*n < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot reserve " INT64_FORMAT " RECIDs of tabid %d: the count must be at least 1",
						*n, *tabid)));

	seqrel = upkit_open_ax_table("systemsequences", AccessShareLock);
	if (pg_class_aclcheck(RelationGetRelid(seqrel), GetUserId(), ACL_UPDATE) != ACLCHECK_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to reserve RECIDs: no UPDATE privilege on table %s",
						RelationGetRelationName(seqrel))));
	return seqrel;
}

Datum
upkit_reserve_recids(PG_FUNCTION_ARGS)
{
	int32		tabid;
	int64		n;
	Relation	seqrel = open_for_reservation(fcinfo, "reserve_recids", &tabid, &n);
	int64		start;

	start = upkit_recid_reserve_range(seqrel, tabid, n, true);
	upkit_session_note_range(RelationGetRelid(seqrel), tabid, start, n);
	table_close(seqrel, NoLock);
	PG_RETURN_INT64(start);
}

/*
 * upkit.reserve_recids_transactional(tabid, n): the same range, but advanced
 * in the caller's transaction, which keeps the SYSTEMSEQUENCES row locked
 * until it ends.  For the generated set-based insert procedures (DESIGN.md,
 * Set-based insert, steps 2 and 4): their RECIDs exist only in rows that
 * the same transaction inserts, so a rollback that gives the range back also
 * removes every row that used it, and a failed run leaves the sequence as
 * it was.  Nothing can be handed out twice: the cache and the worker only
 * hand out what is below a committed NEXTVAL, and they wait for our row lock
 * before they move it.
 *
 * A range that a rollback can give back must not be used outside the
 * transaction, so it is not remembered for upkit.recid_guard (the guard
 * accepts only ranges that stay reserved).
 *
 * A table without a row gets one in the caller's transaction too, starting
 * at 5637144576 like every other path (upkit_recid_make_row_here says how
 * two sessions never both make it): a rollback removes it with every row
 * that used its RECIDs, and a failed run leaves SYSTEMSEQUENCES exactly as
 * it was.
 */

PG_FUNCTION_INFO_V1(upkit_reserve_recids_transactional);

Datum
upkit_reserve_recids_transactional(PG_FUNCTION_ARGS)
{
	int32		tabid;
	int64		n;
	Relation	seqrel = open_for_reservation(fcinfo, "reserve_recids_transactional", &tabid, &n);
	Oid			relid = RelationGetRelid(seqrel);
	int64		start;

	if (seqrel->rd_createSubid != InvalidSubTransactionId)
	{
		/*
		 * Created in this transaction: advance here, above what reserve_recids
		 * handed out before a rollback to a savepoint (the floor), without
		 * raising the floor: a rollback gives this range back.
		 */
		start = upkit_recid_advance(relid, tabid, n, *upkit_session_local_floor(seqrel, tabid));
	}
	else if (!upkit_recid_advance_existing(relid, tabid, n, 0, &start))
	{
		upkit_recid_make_row_here(seqrel, tabid);
		if (!upkit_recid_advance_existing(relid, tabid, n, 0, &start))
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("the SYSTEMSEQUENCES row of tabid %d vanished while it was being reserved", tabid),
					 errdetail("Another transaction made the row after this transaction's snapshot was taken."),
					 errhint("Retry the transaction.")));
	}
	table_close(seqrel, NoLock);
	PG_RETURN_INT64(start);
}
