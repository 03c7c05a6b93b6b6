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
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/table.h"
#include "utils/hsearch.h"
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
} RecidSessionEntry;

typedef struct SuspensionEntry
{
	int32		tabid;
	bool		suspended;
} SuspensionEntry;

static HTAB *recid_entries = NULL;
static HTAB *suspensions = NULL;

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
	}
	return e;
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
 * transaction, reserve.c): the end of the last range this session got from
 * it, so that a rollback to a savepoint, which undoes the advance, does not
 * make the session hand the range out again.
 */
int64 *
upkit_session_local_floor(Oid relid, int32 tabid)
{
	return &session_entry(relid, tabid, true)->local_floor;
}
