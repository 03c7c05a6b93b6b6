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
 * upgrade scripts run at close to nextval() speed.
 *
 * Refills (issue 8, items 2-4).  An entry has at most one refill lease:
 * (refiller_pid, refill_ticket), the ticket unique for the life of the
 * server, 0 in a fresh or evicted entry.  Only the holder of the current
 * ticket may store a block in the entry, and it checks the ticket under
 * the lock, so a block from a lease that was given up, taken over or whose
 * entry was evicted is never stored (it becomes a gap).
 *
 * - Prefetch: when a cut leaves the current block below half and there is
 *	 no spare, that caller takes the lease and starts a prefetch worker
 *	 (recid_worker.c) that advances SYSTEMSEQUENCES by one block, commits,
 *	 and stores the block as the spare itself.  The caller waits only for
 *	 the worker's fork (interrupts held), hands the lease to the worker's
 *	 PID and returns its range.  Nothing the prefetch does can fail the
 *	 served call: its errors happen in another process (logged there), and
 *	 the range was cut before it started.  [item 4]
 * - Both blocks used up and no live lease: the caller takes the lease and
 *	 fetches a block for itself (a reservation not yet served may fail).
 * - Both blocks used up and a live lease: the caller does not wait for it;
 *	 it takes its range directly from SYSTEMSEQUENCES (exactly n), like a
 *	 reservation without the cache.
 *
 * Nothing here ever sleeps: there is no condition variable.  The only waits
 * are a caller's wait for its own worker, which is a heavyweight lock wait
 * that the deadlock detector sees (recid_worker.c).  So a backend that holds
 * the SYSTEMSEQUENCES row (reserve_recids_transactional) and then calls
 * reserve_recids cannot wait unseen for a refill that waits for it: it is
 * served from the cache, or it waits for its own worker, and that cycle is
 * broken with 40P01.  [item 2]
 *
 * A lease is live only while its holder's process exists.  Every process
 * that takes or is handed a lease has registered a before_shmem_exit
 * callback that gives up its leases, which runs on every exit of a backend
 * or worker, FATAL (pg_terminate_backend) included; the only exits that
 * skip it (SIGKILL, a crash) make the postmaster reinitialize shared memory,
 * and the cache with it.  The prefetch worker registers its callback before
 * it can receive a signal.  And a caller that finds a lease whose holder's
 * PID no longer exists (kill(pid, 0) fails with ESRCH) treats it as given
 * up.  So a terminated refiller cannot leave a TABID stuck; and since no
 * caller waits for a lease, even a lease that looked live could only make
 * reservations take the direct path, never hang them.  [item 3]
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
 * (tranche of one).  Full, the least recently used entry without a live
 * lease is evicted (its blocks become a gap); when every entry has one the
 * caller takes the direct path.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <signal.h>

#include "miscadmin.h"
#include "storage/ipc.h"
#include "storage/lwlock.h"
#include "storage/shmem.h"
#include "utils/rel.h"

#include "upkit.h"

#define RECID_CACHE_ENTRIES 256

typedef struct RecidCacheEntry
{
	bool		used;
	Oid			dbid;
	Oid			relid;
	Oid			relfilenode;
	int32		tabid;
	int64		next;			/* current block [next, limit) */
	int64		limit;
	int64		spare_start;	/* spare block, or both 0 */
	int64		spare_limit;
	uint64		last_used;
	int			refiller_pid;	/* the lease: 0 when none */
	uint64		refill_ticket;
} RecidCacheEntry;

typedef struct RecidCache
{
	LWLock	   *lock;
	uint64		clock;
	uint64		tickets;
	RecidCacheEntry entries[RECID_CACHE_ENTRIES];
} RecidCache;

static RecidCache *cache = NULL;

/* This process's exit callback is registered; the prefetch worker's ticket. */
static bool exit_callback_registered = false;
static uint64 my_prefetch_ticket = 0;

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
	}
	LWLockRelease(AddinShmemInitLock);
}

bool
upkit_recid_cache_available(void)
{
	return cache != NULL;
}

/*
 * Give up every lease this process holds: by PID (a caller) or by ticket
 * (a prefetch worker, whose lease may still carry its starter's PID).
 */
static void
give_up_leases(int code, Datum arg)
{
	bool		held = LWLockHeldByMe(cache->lock);
	int			i;

	(void) code;
	(void) arg;
	if (!held)
		LWLockAcquire(cache->lock, LW_EXCLUSIVE);
	for (i = 0; i < RECID_CACHE_ENTRIES; i++)
	{
		RecidCacheEntry *e = &cache->entries[i];

		if (e->refiller_pid != 0 &&
			(e->refiller_pid == MyProcPid ||
			 (my_prefetch_ticket != 0 && e->refill_ticket == my_prefetch_ticket)))
			e->refiller_pid = 0;
	}
	if (!held)
		LWLockRelease(cache->lock);
}

static void
register_exit_callback(void)
{
	if (!exit_callback_registered)
	{
		before_shmem_exit(give_up_leases, (Datum) 0);
		exit_callback_registered = true;
	}
}

/* Lock held.  Does the entry have a lease whose holder still exists? */
static bool
lease_live(RecidCacheEntry *e)
{
	if (e->refiller_pid == 0)
		return false;
	if (e->refiller_pid == MyProcPid)
		return true;
	if (kill(e->refiller_pid, 0) != 0 && errno == ESRCH)
	{
		e->refiller_pid = 0;	/* its holder died without a word */
		return false;
	}
	return true;
}

/* Lock held.  Take the entry's lease for this process; returns the ticket. */
static uint64
take_lease(RecidCacheEntry *e)
{
	e->refiller_pid = MyProcPid;
	e->refill_ticket = ++cache->tickets;
	return e->refill_ticket;
}

/* Find or make the entry; NULL when every entry has a live lease.  Lock held. */
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
		else if (!lease_live(e) && (victim == NULL || (victim->used && e->last_used < victim->last_used)))
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
 * Called by the prefetch worker before anything else: its exit gives up
 * the lease with this ticket.
 */
void
upkit_recid_cache_prefetcher(uint64 ticket)
{
	my_prefetch_ticket = ticket;
	if (cache != NULL)
		register_exit_callback();
}

/*
 * The prefetch worker's result: [start, start + n) becomes the spare block
 * of entry slot if the lease with this ticket is still the entry's (n = 0:
 * nothing was got).  The lease ends either way.
 */
void
upkit_recid_cache_store(int slot, uint64 ticket, int64 start, int64 n)
{
	RecidCacheEntry *e;

	if (cache == NULL || slot < 0 || slot >= RECID_CACHE_ENTRIES)
		return;
	e = &cache->entries[slot];
	LWLockAcquire(cache->lock, LW_EXCLUSIVE);
	if (e->used && e->refiller_pid != 0 && e->refill_ticket == ticket)
	{
		if (n > 0 && e->spare_limit == 0)
		{
			e->spare_start = start;
			e->spare_limit = start + n;
		}
		e->refiller_pid = 0;
	}
	LWLockRelease(cache->lock);
}

/*
 * Start the prefetch for the lease ticket that this caller took on entry
 * slot, and hand the lease to the worker (or give it up when no worker
 * runs).  Never raises an error of its own (see upkit_recid_prefetch_start).
 */
static void
prefetch(int slot, uint64 ticket, Oid relid, int32 tabid)
{
	RecidCacheEntry *e = &cache->entries[slot];
	int			pid = upkit_recid_prefetch_start(slot, ticket, relid, tabid, upkit_recid_cache_block);

	LWLockAcquire(cache->lock, LW_EXCLUSIVE);
	if (e->refill_ticket == ticket && e->refiller_pid == MyProcPid)
		e->refiller_pid = pid;	/* 0: no worker, no lease */
	LWLockRelease(cache->lock);
}

/*
 * Both blocks are used up and this caller holds the lease ticket on e: get
 * a block for it and cut its n from it.  Returns the caller's start.
 */
static int64
refill_for_caller(RecidCacheEntry *e, uint64 ticket, Oid relid, int32 tabid, int64 n)
{
	int64		block = upkit_recid_cache_block;
	int64		start = 0;
	bool		out_of_range = false;

	PG_TRY();
	{
		start = upkit_recid_advance_autonomous(relid, tabid, block, &out_of_range);
		/* Near the end of bigint a block does not fit; the caller's n may. */
		if (out_of_range)
			start = upkit_recid_advance_autonomous(relid, tabid, n, NULL);
	}
	PG_CATCH();
	{
		LWLockAcquire(cache->lock, LW_EXCLUSIVE);
		if (e->refill_ticket == ticket && e->refiller_pid == MyProcPid)
			e->refiller_pid = 0;
		LWLockRelease(cache->lock);
		PG_RE_THROW();
	}
	PG_END_TRY();

	LWLockAcquire(cache->lock, LW_EXCLUSIVE);
	if (e->refill_ticket == ticket && e->refiller_pid == MyProcPid)
	{
		e->refiller_pid = 0;
		/* Out of range: nothing cached, the caller got exactly its range. */
		if (!out_of_range)
		{
			e->next = start + n;
			e->limit = start + block;
		}
	}
	LWLockRelease(cache->lock);
	return start;
}

int64
upkit_recid_cache_take(Relation seqrel, int32 tabid, int64 n)
{
	Oid			relid = RelationGetRelid(seqrel);
	Oid			relfilenode = seqrel->rd_node.relNode;
	RecidCacheEntry *e;
	int64		start;
	uint64		ticket;

	Assert(cache != NULL && n >= 1 && n <= upkit_recid_cache_block / 4);
	register_exit_callback();

	LWLockAcquire(cache->lock, LW_EXCLUSIVE);
	e = entry_for(relid, relfilenode, tabid);
	if (e == NULL)
	{
		LWLockRelease(cache->lock);
		return upkit_recid_advance_autonomous(relid, tabid, n, NULL);
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
		bool		start_prefetch;

		start = e->next;
		e->next += n;
		start_prefetch = e->spare_limit == 0 &&
			e->limit - e->next < upkit_recid_cache_block / 2 && !lease_live(e);
		ticket = start_prefetch ? take_lease(e) : 0;
		LWLockRelease(cache->lock);
		if (start_prefetch)
			prefetch((int) (e - cache->entries), ticket, relid, tabid);
		return start;
	}

	if (lease_live(e))
	{
		/* Someone is getting the next block: do not wait for it. */
		LWLockRelease(cache->lock);
		return upkit_recid_advance_autonomous(relid, tabid, n, NULL);
	}
	ticket = take_lease(e);
	LWLockRelease(cache->lock);
	return refill_for_caller(e, ticket, relid, tabid, n);
}

/*
 * Forget what the cache holds for (seqrel, tabid): both blocks and the
 * refill lease, by freeing the entry.  For upkit.raise_recid_floor
 * (recid_realign.c), which calls it after raising NEXTVAL under the row
 * lock: a refill in flight then stores nothing (store and refill check the
 * lease's ticket, unique for the life of the server, against an entry that
 * no longer has it), and the next reservation refills from SYSTEMSEQUENCES,
 * which waits for the caller's row lock and so starts at the new NEXTVAL.
 * The blocks dropped become a gap, never a duplicate.
 */
void
upkit_recid_cache_forget(Relation seqrel, int32 tabid)
{
	Oid			relid = RelationGetRelid(seqrel);
	Oid			relfilenode = seqrel->rd_node.relNode;
	int			i;

	if (cache == NULL)
		return;
	LWLockAcquire(cache->lock, LW_EXCLUSIVE);
	for (i = 0; i < RECID_CACHE_ENTRIES; i++)
	{
		RecidCacheEntry *e = &cache->entries[i];

		if (e->used && e->dbid == MyDatabaseId && e->relid == relid &&
			e->relfilenode == relfilenode && e->tabid == tabid)
			memset(e, 0, sizeof(*e));
	}
	LWLockRelease(cache->lock);
}
