/*-------------------------------------------------------------------------
 *
 * recid_session.c
 *	  What one session knows about RECIDs: the ranges it reserved, the
 *	  tables it suspended, and the block it numbers guarded rows from.
 *
 * AX's kernel keeps this per session, and so does upkit, in backend memory
 * (TopMemoryContext): it is not transactional and it ends with the session.
 * A range reserved in a transaction that rolled back is still this
 * session's (it was handed out and will never be handed out again), so it
 * stays in the list.
 *
 * Reserved ranges are kept per (SYSTEMSEQUENCES relation, TABID) as a
 * sorted array of disjoint [first, last] pairs, merged when adjacent (the
 * cache usually hands out adjacent ranges), so upkit.recid_guard checks a
 * RECID with a binary search.
 *
 * The guard's block: rows inserted without a RECID take the next number of
 * a block this session reserved durably (reserve.c, without the shared
 * cache).  The first block has upkit.recid_session_block RECIDs, each
 * further one for the same table twice as many, up to 1024 times that, so
 * a million-row INSERT ... SELECT makes a handful of reservations, not a
 * million.  What is left of a block when the session ends is a gap.
 *
 * Tables created in the current transaction (issue 8, item 1).  Their
 * SYSTEMSEQUENCES is advanced in the caller's transaction (reserve.c), so a
 * rollback to a savepoint undoes the advance but not the hand-out: the
 * ranges, the guard's block and the floor (the end of everything handed
 * out) stay in this session's memory.  Each entry of such a table is
 * "local": it carries the subtransaction that created the table and goes
 * through these states (RegisterXactCallback / RegisterSubXactCallback):
 *
 *   made local     by the in-transaction path, with rd_createSubid; an older
 *                  entry with the same OID (a dropped table) is emptied first
 *   RELEASE of the creating subtransaction: follows the table to the parent
 *   ROLLBACK TO / abort of the creating subtransaction: removed (the table
 *                  is gone, and with it everything handed out from it)
 *   PRE_COMMIT     NEXTVAL := greatest(NEXTVAL, floor), making the row if a
 *                  rollback to a savepoint removed it (recid_advance.c); a
 *                  table dropped meanwhile: removed
 *   COMMIT         becomes an ordinary entry of a committed table
 *   ABORT          removed (the table is gone)
 *   PRE_PREPARE / PREPARE: raised as at PRE_COMMIT, then removed (the
 *                  session cannot know how the prepared transaction ends;
 *                  forgetting a range only makes the guard refuse it)
 *
 * So when the table survives, its committed NEXTVAL lies beyond every range
 * and every guard block this session got from it, whatever savepoints were
 * rolled back: a transaction that commits has run PRE_COMMIT, and an error
 * there aborts the commit.  When the table does not survive, neither does
 * anything the session kept about it.  A duplicate through a rolled-back
 * savepoint is therefore impossible, not merely unlikely.  Entries of
 * tables committed earlier change only through committed advances (the
 * worker, the cache), which no rollback undoes.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/table.h"
#include "access/xact.h"
#include "utils/hsearch.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#include "upkit.h"

typedef struct RecidKey
{
	Oid			relid;
	int32		tabid;
} RecidKey;

typedef struct RecidSessionEntry
{
	RecidKey	key;
	int			nranges;
	int			maxranges;
	int64	   *first;			/* sorted, disjoint, not adjacent */
	int64	   *last;
	int64		block_next;		/* guard block [block_next, block_limit) */
	int64		block_limit;
	int64		block_size;		/* size of the last block taken */
	int64		local_floor;	/* see upkit_session_local_floor */
	SubTransactionId local_subid;	/* the table's creating subtransaction, or
									 * Invalid: a committed table */
} RecidSessionEntry;

typedef struct SuspensionEntry
{
	int32		tabid;
	bool		suspended;
} SuspensionEntry;

static HTAB *recid_entries = NULL;
static HTAB *suspensions = NULL;

/* How many entries are local (of tables created in this transaction). */
static int	nlocal = 0;
static bool callbacks_registered = false;

static RecidSessionEntry *
session_entry(Oid relid, int32 tabid, bool create)
{
	RecidKey	key;
	RecidSessionEntry *e;
	bool		found;

	if (recid_entries == NULL)
	{
		HASHCTL		ctl;

		if (!create)
			return NULL;
		ctl.keysize = sizeof(RecidKey);
		ctl.entrysize = sizeof(RecidSessionEntry);
		ctl.hcxt = TopMemoryContext;
		recid_entries = hash_create("upkit session recids", 16, &ctl,
									HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}
	memset(&key, 0, sizeof(key));
	key.relid = relid;
	key.tabid = tabid;
	e = hash_search(recid_entries, &key, create ? HASH_ENTER : HASH_FIND, &found);
	if (e != NULL && !found)
	{
		e->nranges = 0;
		e->maxranges = 16;
		e->first = MemoryContextAlloc(TopMemoryContext, sizeof(int64) * e->maxranges);
		e->last = MemoryContextAlloc(TopMemoryContext, sizeof(int64) * e->maxranges);
		e->block_next = e->block_limit = 0;
		e->block_size = 0;
		e->local_floor = 0;
		e->local_subid = InvalidSubTransactionId;
	}
	return e;
}

/* Forget an entry altogether. */
static void
remove_entry(RecidSessionEntry *e)
{
	if (e->local_subid != InvalidSubTransactionId)
		nlocal--;
	pfree(e->first);
	pfree(e->last);
	hash_search(recid_entries, &e->key, HASH_REMOVE, NULL);
}

/* What happens to local entries at the end of a (sub)transaction. */
typedef enum
{
	LOCAL_RAISE,				/* PRE_COMMIT: floor into NEXTVAL */
	LOCAL_KEEP,					/* COMMIT: an ordinary entry now */
	LOCAL_FORGET,				/* ABORT, PREPARE, ABORT_SUB: the table is gone */
	LOCAL_TO_PARENT				/* COMMIT_SUB: follows the table */
} LocalAction;

/*
 * Apply action to every local entry, or only to those of subtransaction
 * subid when it is valid.
 */
static void
for_local_entries(LocalAction action, SubTransactionId subid, SubTransactionId parent)
{
	HASH_SEQ_STATUS seq;
	RecidSessionEntry *e;

	hash_seq_init(&seq, recid_entries);
	while ((e = hash_seq_search(&seq)) != NULL)
	{
		if (e->local_subid == InvalidSubTransactionId ||
			(subid != InvalidSubTransactionId && e->local_subid != subid))
			continue;
		switch (action)
		{
			case LOCAL_RAISE:
				/* A table dropped in this transaction: nothing to raise. */
				if (!SearchSysCacheExists1(RELOID, ObjectIdGetDatum(e->key.relid)))
					remove_entry(e);
				else if (e->local_floor > 0)
				{
					PushActiveSnapshot(GetTransactionSnapshot());
					upkit_recid_raise_to(e->key.relid, e->key.tabid, e->local_floor);
					PopActiveSnapshot();
				}
				break;
			case LOCAL_KEEP:
				e->local_subid = InvalidSubTransactionId;
				nlocal--;
				break;
			case LOCAL_FORGET:
				remove_entry(e);
				break;
			case LOCAL_TO_PARENT:
				e->local_subid = parent;
				break;
		}
	}
}

static void
session_xact_callback(XactEvent event, void *arg)
{
	(void) arg;
	if (nlocal == 0)
		return;
	if (event == XACT_EVENT_PRE_COMMIT || event == XACT_EVENT_PRE_PREPARE)
		for_local_entries(LOCAL_RAISE, InvalidSubTransactionId, InvalidSubTransactionId);
	else if (event == XACT_EVENT_COMMIT)
		for_local_entries(LOCAL_KEEP, InvalidSubTransactionId, InvalidSubTransactionId);
	else if (event == XACT_EVENT_ABORT || event == XACT_EVENT_PREPARE)
		for_local_entries(LOCAL_FORGET, InvalidSubTransactionId, InvalidSubTransactionId);
}

static void
session_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
						 SubTransactionId parentSubid, void *arg)
{
	(void) arg;
	if (nlocal == 0)
		return;
	if (event == SUBXACT_EVENT_COMMIT_SUB)
		for_local_entries(LOCAL_TO_PARENT, mySubid, parentSubid);
	else if (event == SUBXACT_EVENT_ABORT_SUB)
		for_local_entries(LOCAL_FORGET, mySubid, InvalidSubTransactionId);
}

/* Index of the first range whose last >= recid (nranges when none). */
static int
range_search(RecidSessionEntry *e, int64 recid)
{
	int			lo = 0;
	int			hi = e->nranges;

	while (lo < hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (e->last[mid] < recid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void
upkit_session_note_range(Oid relid, int32 tabid, int64 start, int64 n)
{
	RecidSessionEntry *e = session_entry(relid, tabid, true);
	int64		last = start + (n - 1);
	int			i;

	/* The common case: right after the last range. */
	if (e->nranges > 0 && e->last[e->nranges - 1] < start)
	{
		if (e->last[e->nranges - 1] == start - 1)
		{
			e->last[e->nranges - 1] = last;
			return;
		}
		i = e->nranges;
	}
	else
		i = range_search(e, start);

	/* Merge with an adjacent neighbour where possible (ranges are disjoint). */
	if (i > 0 && e->last[i - 1] == start - 1)
	{
		e->last[i - 1] = last;
		if (i < e->nranges && e->first[i] == last + 1)
		{
			e->last[i - 1] = e->last[i];
			memmove(&e->first[i], &e->first[i + 1], sizeof(int64) * (e->nranges - i - 1));
			memmove(&e->last[i], &e->last[i + 1], sizeof(int64) * (e->nranges - i - 1));
			e->nranges--;
		}
		return;
	}
	if (i < e->nranges && e->first[i] == last + 1)
	{
		e->first[i] = start;
		return;
	}

	if (e->nranges == e->maxranges)
	{
		e->maxranges *= 2;
		e->first = repalloc(e->first, sizeof(int64) * e->maxranges);
		e->last = repalloc(e->last, sizeof(int64) * e->maxranges);
	}
	memmove(&e->first[i + 1], &e->first[i], sizeof(int64) * (e->nranges - i));
	memmove(&e->last[i + 1], &e->last[i], sizeof(int64) * (e->nranges - i));
	e->first[i] = start;
	e->last[i] = last;
	e->nranges++;
}

bool
upkit_session_owns(Oid relid, int32 tabid, int64 recid)
{
	RecidSessionEntry *e = session_entry(relid, tabid, false);
	int			i;

	if (e == NULL)
		return false;
	i = range_search(e, recid);
	return i < e->nranges && e->first[i] <= recid;
}

bool
upkit_session_suspended(int32 tabid)
{
	SuspensionEntry *s;

	if (suspensions == NULL)
		return false;
	s = hash_search(suspensions, &tabid, HASH_FIND, NULL);
	return s != NULL && s->suspended;
}

void
upkit_session_set_suspended(int32 tabid, bool suspended)
{
	SuspensionEntry *s;

	if (suspensions == NULL)
	{
		HASHCTL		ctl;

		ctl.keysize = sizeof(int32);
		ctl.entrysize = sizeof(SuspensionEntry);
		ctl.hcxt = TopMemoryContext;
		suspensions = hash_create("upkit suspended tables", 16, &ctl,
								  HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}
	s = hash_search(suspensions, &tabid, HASH_ENTER, NULL);
	s->suspended = suspended;
}

/*
 * The next RECID for a row the guard numbers.  The caller holds a lock on
 * the SYSTEMSEQUENCES relation relid.
 */
int64
upkit_session_next_recid(Relation seqrel, int32 tabid)
{
	RecidSessionEntry *e = session_entry(RelationGetRelid(seqrel), tabid, true);

	if (e->block_next >= e->block_limit)
	{
		int64		size;

		if (e->block_size == 0)
			size = upkit_recid_session_block;
		else
			size = Min(e->block_size * 2, (int64) upkit_recid_session_block * 1024);
		e->block_next = upkit_recid_reserve_range(seqrel, tabid, size, false);
		e->block_limit = e->block_next + size;
		e->block_size = size;
	}
	return e->block_next++;
}

/*
 * For a SYSTEMSEQUENCES created in the current transaction (advanced in that
 * transaction, reserve.c): the end of everything this session handed out
 * from it, so that a rollback to a savepoint, which undoes the advance, does
 * not make the session hand the range out again, and so that PRE_COMMIT
 * puts NEXTVAL beyond it (see the header).
 */
int64 *
upkit_session_local_floor(Relation seqrel, int32 tabid)
{
	RecidSessionEntry *e = session_entry(RelationGetRelid(seqrel), tabid, true);

	Assert(seqrel->rd_createSubid != InvalidSubTransactionId);
	if (!callbacks_registered)
	{
		RegisterXactCallback(session_xact_callback, NULL);
		RegisterSubXactCallback(session_subxact_callback, NULL);
		callbacks_registered = true;
	}
	if (e->local_subid == InvalidSubTransactionId)
	{
		/* Whatever an entry with this OID held belonged to another table. */
		e->nranges = 0;
		e->block_next = e->block_limit = 0;
		e->block_size = 0;
		e->local_floor = 0;
		e->local_subid = seqrel->rd_createSubid;
		nlocal++;
	}
	return &e->local_floor;
}
