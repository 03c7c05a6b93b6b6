/*-------------------------------------------------------------------------
 *
 * recid_cache.c
 *	  The shared RECID block cache: with upkit in shared_preload_libraries,
 *	  small reservations are served from blocks that SYSTEMSEQUENCES has
 *	  already durably given away.
 *
 * The AX application server caches RECIDs in blocks; this is the same idea
 * shared by all backends of the server.  An entry, keyed by database,
 * SYSTEMSEQUENCES relation (OID and relfilenode) and TABID, holds
 *
 *	 current block  [next, limit)   what reservations are cut from
 *	 spare block    [spare_start, spare_limit), or none
 *
 * Every RECID in both blocks was reserved by a committed advance of
 * SYSTEMSEQUENCES (recid_worker.c) before it entered the cache: NEXTVAL is
 * always a block or two ahead of what the cache has handed out.  So:
 *
 * - a crash loses the cache and leaves gaps, never duplicates: NEXTVAL is
 *	 beyond everything handed out;
 * - a caller's rollback changes nothing here (the cache is not
 *	 transactional), so a range is never handed out twice;
 * - ranges from the cache, from direct reservations (large n, no preload)
 *	 and the AX application's own allocations come from disjoint durable
 *	 advances of the same row, so they never overlap.
 *
 * A reservation of n <= upkit.recid_cache_block / 4 takes the lock, cuts
 * [next, next + n) from the current block (switching to the spare block
 * when the current one has less than n left; the rest is a gap), and
 * releases the lock: no I/O and no row lock, which is what lets parallel
 * upgrade scripts run at close to nextval() speed.  When the current block
 * falls below half and there is no spare, that caller marks the entry
 * "refilling" and, without the lock, has a worker advance SYSTEMSEQUENCES
 * by one block, which becomes the spare; the others keep cutting from the
 * current block meanwhile.  Only when both blocks are used up does a caller
 * wait, on the condition variable, for the refill.
 *
 * Within a block of the end of bigint the cache takes nothing and each
 * reservation advances SYSTEMSEQUENCES by exactly its n, so the cache
 * changes no result there either.
 *
 * Lowering NEXTVAL by hand while blocks are cached is as unsafe here as it
 * is with the AX application server running; TRUNCATE or re-creating the
 * table changes the relfilenode and so starts new entries.
 *
 * Shared state: one array of entries, protected by the LWLock "upkit"
 * (tranche of one), plus one condition variable for refills.  Full, the
 * least recently used entry that is not refilling is evicted (its blocks
 * become a gap).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"
#include "storage/condition_variable.h"
#include "utils/wait_event.h"
#include "storage/lwlock.h"
#include "storage/shmem.h"
#include "utils/rel.h"

#include "upkit.h"

#define RECID_CACHE_ENTRIES 256

typedef struct RecidCacheEntry
{
	bool		used;
	bool		refilling;		/* a backend is getting a spare block */
	Oid			dbid;
	Oid			relid;
	Oid			relfilenode;
	int32		tabid;
	int64		next;			/* current block [next, limit) */
	int64		limit;
	int64		spare_start;	/* spare block, or both 0 */
	int64		spare_limit;
	uint64		last_used;
} RecidCacheEntry;

typedef struct RecidCache
{
	LWLock	   *lock;
	ConditionVariable refilled;
	uint64		clock;
	RecidCacheEntry entries[RECID_CACHE_ENTRIES];
} RecidCache;

static RecidCache *cache = NULL;

void
upkit_recid_cache_request(void)
{
	RequestAddinShmemSpace(MAXALIGN(sizeof(RecidCache)));
	RequestNamedLWLockTranche(UPKIT_LWLOCK_NAME, 1);
}

void
upkit_recid_cache_startup(void)
{
	bool		found;

	LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
	cache = ShmemInitStruct("upkit recid cache", sizeof(RecidCache), &found);
	if (!found)
	{
		memset(cache, 0, sizeof(RecidCache));
		cache->lock = &(GetNamedLWLockTranche(UPKIT_LWLOCK_NAME))->lock;
		ConditionVariableInit(&cache->refilled);
	}
	LWLockRelease(AddinShmemInitLock);
}

bool
upkit_recid_cache_available(void)
{
	return cache != NULL;
}

/* Find or make the entry; NULL when every entry is refilling.  Lock held. */
static RecidCacheEntry *
entry_for(Oid relid, Oid relfilenode, int32 tabid)
{
	RecidCacheEntry *victim = NULL;
	int			i;

	for (i = 0; i < RECID_CACHE_ENTRIES; i++)
	{
		RecidCacheEntry *e = &cache->entries[i];

		if (e->used && e->dbid == MyDatabaseId && e->relid == relid &&
			e->relfilenode == relfilenode && e->tabid == tabid)
			return e;
		if (!e->used)
		{
			if (victim == NULL || victim->used)
				victim = e;
		}
		else if (!e->refilling && (victim == NULL || (victim->used && e->last_used < victim->last_used)))
			victim = e;
	}
	if (victim == NULL)
		return NULL;
	memset(victim, 0, sizeof(*victim));
	victim->used = true;
	victim->dbid = MyDatabaseId;
	victim->relid = relid;
	victim->relfilenode = relfilenode;
	victim->tabid = tabid;
	return victim;
}

/*
 * Get one block from SYSTEMSEQUENCES for the entry the caller marked
 * refilling, and store it as the spare (or, when take > 0, cut take RECIDs
 * from it for the caller first).  Returns the caller's start (take > 0).
 */
static int64
refill(RecidCacheEntry *e, Oid relid, int32 tabid, int64 take)
{
	int64		block = upkit_recid_cache_block;
	int64		start = 0;
	bool		out_of_range = false;

	PG_TRY();
	{
		start = upkit_recid_advance_autonomous(relid, tabid, block, &out_of_range);
		/* Near the end of bigint a block does not fit; the caller's n may. */
		if (out_of_range && take > 0)
			start = upkit_recid_advance_autonomous(relid, tabid, take, NULL);
	}
	PG_CATCH();
	{
		LWLockAcquire(cache->lock, LW_EXCLUSIVE);
		e->refilling = false;
		LWLockRelease(cache->lock);
		ConditionVariableBroadcast(&cache->refilled);
		PG_RE_THROW();
	}
	PG_END_TRY();

	LWLockAcquire(cache->lock, LW_EXCLUSIVE);
	e->refilling = false;
	if (out_of_range)
	{
		/* Nothing cached: the caller got exactly its range, if any. */
	}
	else if (take > 0)
	{
		/* The current block was too small for the caller: replace it. */
		e->next = start + take;
		e->limit = start + block;
	}
	else
	{
		e->spare_start = start;
		e->spare_limit = start + block;
	}
	LWLockRelease(cache->lock);
	ConditionVariableBroadcast(&cache->refilled);
	return start;
}

int64
upkit_recid_cache_take(Relation seqrel, int32 tabid, int64 n)
{
	Oid			relid = RelationGetRelid(seqrel);
	Oid			relfilenode = seqrel->rd_node.relNode;
	bool		slept = false;
	int64		start;

	Assert(cache != NULL && n >= 1 && n <= upkit_recid_cache_block / 4);
	for (;;)
	{
		RecidCacheEntry *e;
		bool		prefetch;

		LWLockAcquire(cache->lock, LW_EXCLUSIVE);
		e = entry_for(relid, relfilenode, tabid);
		if (e == NULL)
		{
			LWLockRelease(cache->lock);
			ConditionVariableSleep(&cache->refilled, PG_WAIT_EXTENSION);
			slept = true;
			continue;
		}
		e->last_used = ++cache->clock;

		if (e->limit - e->next < n && e->spare_limit != 0)
		{
			e->next = e->spare_start;
			e->limit = e->spare_limit;
			e->spare_start = e->spare_limit = 0;
		}

		if (e->limit - e->next >= n)
		{
			start = e->next;
			e->next += n;
			prefetch = !e->refilling && e->spare_limit == 0 &&
				e->limit - e->next < upkit_recid_cache_block / 2;
			if (prefetch)
				e->refilling = true;
			LWLockRelease(cache->lock);
			if (slept)
				ConditionVariableCancelSleep();
			if (prefetch)
				(void) refill(e, relid, tabid, 0);
			return start;
		}

		if (e->refilling)
		{
			/* Both blocks are used up and someone is getting the next one. */
			LWLockRelease(cache->lock);
			ConditionVariableSleep(&cache->refilled, PG_WAIT_EXTENSION);
			slept = true;
			continue;
		}

		e->refilling = true;
		LWLockRelease(cache->lock);
		if (slept)
			ConditionVariableCancelSleep();
		return refill(e, relid, tabid, n);
	}
}
