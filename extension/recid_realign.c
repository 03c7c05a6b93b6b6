/*-------------------------------------------------------------------------
 *
 * recid_realign.c
 *	  upkit.raise_recid_floor(tabid, floor): make SYSTEMSEQUENCES hand out
 *	  nothing below floor for table tabid, for upkit copy's RECID safety
 *	  (docs/copy.md): copied rows keep their RECIDs, so NEXTVAL must end up
 *	  above the largest of them.
 *
 * A plain UPDATE of NEXTVAL is not enough with upkit preloaded: the shared
 * block cache (recid_cache.c) may still hold a block cut from below the new
 * NEXTVAL and would go on handing it out, colliding with copied rows.  So,
 * in the caller's transaction:
 *
 *	 1. lock the row (ID = -1, tabid) and raise NEXTVAL to floor where it
 *		is lower; make the row (NEXTVAL = floor) where there is none
 *		(upkit_recid_raise_to);
 *	 2. then drop the cache's entry for the table, blocks and refill lease
 *		(upkit_recid_cache_forget).
 *
 * Why that order is safe: every block in the cache came from an advance of
 * the row committed before step 1 took the lock; step 2 removes all of
 * them, and a refill that committed its advance before step 1 but stores
 * after step 2 is refused by its lease ticket.  Any later refill advances
 * the row, which waits for our lock, so it starts at or above floor once we
 * commit.  A rollback undoes step 1; the dropped blocks are a gap.  NEXTVAL
 * never goes down.
 *
 * Not reachable from here: ranges other sessions reserved before the call
 * and still hold in their own memory (a running AX server's, a session's
 * block); copy into an idle target, as the upgrade does.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/table.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

#include "upkit.h"

PG_FUNCTION_INFO_V1(upkit_raise_recid_floor);

/* NEXTVAL of tabid now (the row exists: step 1 made sure). */
static int64
current_nextval(Relation seqrel, int32 tabid)
{
	char	   *qname = quote_qualified_identifier(get_namespace_name(RelationGetNamespace(seqrel)),
												   RelationGetRelationName(seqrel));
	Oid			types[1] = {INT4OID};
	Datum		values[1] = {Int32GetDatum(tabid)};
	bool		isnull;
	int64		v;

	SPI_connect();
	if (SPI_execute_with_args(psprintf("SELECT (nextval)::pg_catalog.int8 FROM %s"
									   " WHERE tabid OPERATOR(pg_catalog.=) $1 AND id OPERATOR(pg_catalog.=) -1",
									   qname), 1, types, values, NULL, false, 1) != SPI_OK_SELECT ||
		SPI_processed != 1)
		elog(ERROR, "the SYSTEMSEQUENCES row of tabid %d vanished", tabid);
	v = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	SPI_finish();
	return v;
}

Datum
upkit_raise_recid_floor(PG_FUNCTION_ARGS)
{
	int32		tabid;
	int64		floor;
	Relation	seqrel;
	int64		nextval;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("upkit.raise_recid_floor: tabid and floor must not be NULL")));
	tabid = PG_GETARG_INT32(0);
	floor = PG_GETARG_INT64(1);
	if (floor < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("upkit.raise_recid_floor: floor must be at least 1, not " INT64_FORMAT, floor)));

	seqrel = upkit_open_ax_table("systemsequences", RowExclusiveLock);
	upkit_recid_raise_to(RelationGetRelid(seqrel), tabid, floor);
	if (upkit_recid_cache_available())
		upkit_recid_cache_forget(seqrel, tabid);
	nextval = current_nextval(seqrel, tabid);
	table_close(seqrel, NoLock);
	PG_RETURN_INT64(nextval);
}
