/*-------------------------------------------------------------------------
 *
 * recid_worker.c
 *	  Advance SYSTEMSEQUENCES in a transaction of its own: a dynamic
 *	  background worker does the advance and commits before the caller hands
 *	  the range out.
 *
 * Why a worker.  DESIGN.md: "a range handed out is never handed out again,
 * also after a crash or a rollback".  An UPDATE of SYSTEMSEQUENCES in the
 * caller's transaction is undone by the caller's rollback, and the next
 * reservation (by upkit, the AX application or another script) would hand
 * the same RECIDs out again; a subtransaction does not help, it dies with
 * its parent.  PostgreSQL has no autonomous transactions, so the advance
 * runs in another backend: a dynamic background worker, which needs no
 * shared_preload_libraries, connects to the same database as the same user,
 * runs recid_advance.c's UPDATE and commits with synchronous_commit = on.
 * Only after that commit is the range returned.  So SYSTEMSEQUENCES is the
 * durable truth: a crash at any point leaves NEXTVAL at or beyond every
 * range that was handed out (gaps are possible, duplicates are not).
 *
 * The price is a worker start per call (a few milliseconds).  With upkit in
 * shared_preload_libraries the shared block cache (recid_cache.c) calls this
 * once per block instead of once per reservation.
 *
 * Protocol.  The caller creates a DSM segment with the request, registers
 * the worker (retrying while all max_worker_processes slots are busy) and
 * waits on its latch until the worker has stopped; then it reads the result
 * or the worker's error (SQLSTATE, message, detail, hint) and re-raises that
 * error as its own.  If the caller fails or is cancelled meanwhile, it
 * terminates the worker; a worker that committed before that leaves a gap.
 *
 * Every wait for a worker is a heavyweight lock wait (issue 8, item 2).
 * The worker, once connected and before it touches SYSTEMSEQUENCES, takes
 * an advisory lock of its own (upkit's private key space: field4 =
 * UPKIT_WAIT_LOCK_SPACE, keys caller PID and request number) and keeps it
 * until it has written its answer.  The caller waits for the answer by
 * asking for the same lock.  So PostgreSQL's deadlock detector sees the edge
 * "caller waits for worker", and every cycle through it (the worker waits
 * for a row or table lock that the caller holds, directly or through other
 * sessions, or through other upkit callers and their workers) is a cycle of
 * ordinary lock waits: it is broken with 40P01 after deadlock_timeout, and
 * lock_timeout and statement_timeout apply to the caller's wait.  Before the
 * worker holds its lock (it is still connecting) the caller waits on its
 * latch; connecting needs no lock a transaction can hold, but the caller
 * still asks pg_blocking_pids(), transitively, whether the worker waits for
 * it, and raises 55P03 / 40P01 if so.  A deadlock the worker reports (it may
 * be the one the detector picks) is raised by the caller with upkit's hint.
 *
 * The prefetch worker (upkit_recid_prefetch_start) is the same advance for
 * the shared cache, started without waiting for it: it stores the block it
 * got in the cache itself (recid_cache.c says why that is safe).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "access/xlog.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "storage/dsm.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/lock.h"
#include "storage/proc.h"
#include "tcop/tcopprot.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/resowner.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

#include "upkit.h"

PGDLLEXPORT void upkit_recid_worker_main(Datum main_arg);
PGDLLEXPORT void upkit_recid_prefetch_main(Datum main_arg);

/* field4 of the advisory lock tags a caller waits on (none of SQL's 1, 2). */
#define UPKIT_WAIT_LOCK_SPACE	0x5550

/* How long to wait for a free worker slot before giving up. */
#define SLOT_WAIT_MS	60000
/* How often to look for a worker that waits for its caller. */
#define BLOCK_CHECK_MS	200
/* How many sessions the transitive blocker search visits at most. */
#define BLOCK_CHECK_MAX	256

typedef enum
{
	RW_PENDING = 0,
	RW_LOCKED,					/* the worker holds its wait lock */
	RW_DONE,
	RW_FAILED
} RecidWorkerState;

/* The request and the answer, in a DSM segment the two backends share. */
typedef struct RecidWorkerShared
{
	Oid			dbid;
	Oid			login_userid;	/* connects as this role (it logged in) */
	Oid			userid;			/* and works as this one (caller's current) */
	Oid			relid;
	int32		tabid;
	int64		n;
	int			caller_pid;		/* with lock_key: the wait lock's tag */
	uint32		lock_key;
	int			caller_procno;	/* whose latch to set once it is held */
	int			state;			/* RecidWorkerState */
	int64		start;			/* RW_DONE: first RECID */
	int			sqlerrcode;		/* RW_FAILED: the worker's error */
	char		message[1024];
	char		detail[1024];
	char		hint[512];
} RecidWorkerShared;

/*
 * Does the worker wait, directly or through other sessions, for a lock this
 * backend holds?  0: no; 1: directly; 2: through others.
 */
static int
worker_waits_for_me(int worker_pid)
{
	int			queue[BLOCK_CHECK_MAX];
	int			depth[BLOCK_CHECK_MAX];
	int			head = 0;
	int			tail = 0;

	queue[tail] = worker_pid;
	depth[tail++] = 0;
	while (head < tail)
	{
		int			pid = queue[head];
		int			d = depth[head++];
		ArrayType  *arr;
		int32	   *pids;
		int			npids;
		int			i;

		arr = DatumGetArrayTypeP(DirectFunctionCall1(pg_blocking_pids, Int32GetDatum(pid)));
		npids = ArrayGetNItems(ARR_NDIM(arr), ARR_DIMS(arr));
		pids = (int32 *) ARR_DATA_PTR(arr);
		for (i = 0; i < npids; i++)
		{
			int			j;
			bool		seen = false;

			if (pids[i] == MyProcPid)
				return d == 0 ? 1 : 2;
			for (j = 0; j < tail; j++)
				seen |= (queue[j] == pids[i]);
			if (!seen && tail < BLOCK_CHECK_MAX)
			{
				queue[tail] = pids[i];
				depth[tail++] = d + 1;
			}
		}
	}
	return 0;
}

static void
set_wait_locktag(LOCKTAG *tag, Oid dbid, int caller_pid, uint32 key)
{
	SET_LOCKTAG_ADVISORY(*tag, dbid, (uint32) caller_pid, key, UPKIT_WAIT_LOCK_SPACE);
}

/* Fill in what both kinds of worker have in common. */
static void
init_worker(BackgroundWorker *worker, const char *function, const char *what)
{
	memset(worker, 0, sizeof(*worker));
	worker->bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	worker->bgw_start_time = BgWorkerStart_RecoveryFinished;
	worker->bgw_restart_time = BGW_NEVER_RESTART;
	snprintf(worker->bgw_library_name, BGW_MAXLEN, "upkit");
	snprintf(worker->bgw_function_name, BGW_MAXLEN, "%s", function);
	snprintf(worker->bgw_name, BGW_MAXLEN, "upkit recid %s for PID %d", what, MyProcPid);
	snprintf(worker->bgw_type, BGW_MAXLEN, "upkit recid reservation");
	worker->bgw_notify_pid = MyProcPid;
}

static BackgroundWorkerHandle *
register_worker(dsm_segment *seg)
{
	BackgroundWorker worker;
	BackgroundWorkerHandle *handle;
	TimestampTz since = GetCurrentTimestamp();

	init_worker(&worker, "upkit_recid_worker_main", "reservation");
	worker.bgw_main_arg = UInt32GetDatum(dsm_segment_handle(seg));

	while (!RegisterDynamicBackgroundWorker(&worker, &handle))
	{
		if (TimestampDifferenceExceeds(since, GetCurrentTimestamp(), SLOT_WAIT_MS))
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_RESOURCES),
					 errmsg("no background worker slot became free for a RECID reservation in %d seconds",
							SLOT_WAIT_MS / 1000),
					 errhint("Raise max_worker_processes, or put upkit in shared_preload_libraries "
							 "so that most reservations need no worker.")));
		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 10, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
		CHECK_FOR_INTERRUPTS();
	}
	return handle;
}

/*
 * Wait until the worker has answered.  While it connects: on the latch,
 * with the pg_blocking_pids check (see the header).  Once it holds its wait
 * lock: on that lock, where the deadlock detector sees us.
 */
static void
wait_for_worker(BackgroundWorkerHandle *handle, volatile RecidWorkerShared *shared)
{
	TimestampTz last_check = GetCurrentTimestamp();
	LOCKTAG		tag;
	pid_t		pid;

	for (;;)
	{
		BgwHandleStatus status = GetBackgroundWorkerPid(handle, &pid);

		pg_read_barrier();
		if (shared->state != RW_PENDING || status == BGWH_STOPPED)
			break;
		if (status == BGWH_POSTMASTER_DIED)
			ereport(FATAL,
					(errcode(ERRCODE_ADMIN_SHUTDOWN),
					 errmsg("postmaster exited during a RECID reservation")));
		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 BLOCK_CHECK_MS, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
		CHECK_FOR_INTERRUPTS();

		if (status == BGWH_STARTED &&
			TimestampDifferenceExceeds(last_check, GetCurrentTimestamp(), BLOCK_CHECK_MS))
		{
			int			how = worker_waits_for_me((int) pid);

			last_check = GetCurrentTimestamp();
			if (how != 0)
				ereport(ERROR,
						(errcode(how == 1 ? ERRCODE_LOCK_NOT_AVAILABLE : ERRCODE_T_R_DEADLOCK_DETECTED),
						 errmsg("cannot reserve RECIDs of tabid %d: SYSTEMSEQUENCES is locked by this session's own transaction%s",
								shared->tabid, how == 1 ? "" : " (through other sessions)"),
						 errdetail("upkit advances SYSTEMSEQUENCES in a transaction of its own, so that a rollback "
								   "cannot hand the range out again; that transaction would wait for this one forever."),
						 errhint("Reserve before updating or locking SYSTEMSEQUENCES in this transaction, or commit first.")));
		}
	}

	/* The worker holds (or held) its lock: wait for it as for any lock. */
	set_wait_locktag(&tag, MyDatabaseId, MyProcPid, shared->lock_key);
	(void) LockAcquire(&tag, ShareLock, false, false);
	LockRelease(&tag, ShareLock, false);

	/* It answered (or died); it is about to stop: let it, slots are few. */
	(void) WaitForBackgroundWorkerShutdown(handle);
}

/* A deadlock that involved the wait for our worker, in upkit's words. */
static void
raise_deadlock(int32 tabid, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_T_R_DEADLOCK_DETECTED),
			 errmsg("cannot reserve RECIDs of tabid %d: deadlock detected", tabid),
			 detail && detail[0] ? errdetail_internal("%s", detail) : 0,
			 errhint("upkit advances SYSTEMSEQUENCES in a transaction of its own, so that a rollback cannot "
					 "hand the range out again; here that transaction waited for this one.  Reserve before "
					 "updating or locking SYSTEMSEQUENCES in a transaction, or commit first.")));
}

/*
 * out_of_range, when not NULL, turns the worker's 22003 (the range would run
 * past bigint) into *out_of_range = true and a return value of 0, for the
 * cache, which then asks for less.
 */
int64
upkit_recid_advance_autonomous(Oid relid, int32 tabid, int64 n, bool *out_of_range)
{
	static uint32 requests = 0;
	dsm_segment *seg;
	RecidWorkerShared *shared;
	BackgroundWorkerHandle *handle;
	int64		start;
	MemoryContext ccxt = CurrentMemoryContext;

	/* Workers that write start only after recovery: do not wait for them. */
	if (RecoveryInProgress())
		ereport(ERROR,
				(errcode(ERRCODE_READ_ONLY_SQL_TRANSACTION),
				 errmsg("cannot reserve RECIDs of tabid %d during recovery", tabid)));

	seg = dsm_create(sizeof(RecidWorkerShared), 0);
	shared = dsm_segment_address(seg);
	memset(shared, 0, sizeof(*shared));
	shared->dbid = MyDatabaseId;
	shared->login_userid = GetAuthenticatedUserId();
	shared->userid = GetUserId();
	shared->relid = relid;
	shared->tabid = tabid;
	shared->n = n;
	shared->caller_pid = MyProcPid;
	shared->lock_key = ++requests;
	shared->caller_procno = MyProc->pgprocno;
	shared->state = RW_PENDING;

	handle = register_worker(seg);
	PG_TRY();
	{
		wait_for_worker(handle, shared);
	}
	PG_CATCH();
	{
		/*
		 * Stop the worker and wait until it has, while this transaction
		 * still holds its locks: a worker that waited for them dies without
		 * committing, so the failed call moved nothing (one that committed
		 * already left a gap).
		 */
		TerminateBackgroundWorker(handle);
		HOLD_INTERRUPTS();
		(void) WaitForBackgroundWorkerShutdown(handle);
		RESUME_INTERRUPTS();
		if (geterrcode() == ERRCODE_T_R_DEADLOCK_DETECTED)
		{
			ErrorData  *edata;

			MemoryContextSwitchTo(ccxt);
			edata = CopyErrorData();
			FlushErrorState();
			raise_deadlock(tabid, edata->detail);
		}
		PG_RE_THROW();
	}
	PG_END_TRY();

	pg_read_barrier();
	if (out_of_range)
		*out_of_range = false;
	if (shared->state == RW_FAILED && out_of_range &&
		shared->sqlerrcode == ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE)
	{
		dsm_detach(seg);
		*out_of_range = true;
		return 0;
	}
	if (shared->state == RW_FAILED && shared->sqlerrcode == ERRCODE_T_R_DEADLOCK_DETECTED)
		raise_deadlock(tabid, shared->detail);
	if (shared->state == RW_FAILED)
		ereport(ERROR,
				(errcode(shared->sqlerrcode),
				 errmsg("%s", shared->message),
				 shared->detail[0] ? errdetail("%s", shared->detail) : 0,
				 shared->hint[0] ? errhint("%s", shared->hint) : 0));
	if (shared->state != RW_DONE)
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("the RECID reservation worker for tabid %d stopped without an answer", tabid),
				 errhint("The server log may say why.")));
	start = shared->start;
	dsm_detach(seg);
	return start;
}

typedef bool (*AdvanceStep) (Oid relid, int32 tabid, int64 n, int64 floor, int64 *start);

/* One step of a worker in a transaction of its own, committed. */
static bool
worker_step(AdvanceStep step, Oid relid, int32 tabid, int64 n, int64 *start)
{
	bool		done;

	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	PushActiveSnapshot(GetTransactionSnapshot());
	pgstat_report_activity(STATE_RUNNING, "upkit: advance SYSTEMSEQUENCES");
	done = step(relid, tabid, n, 0, start);
	PopActiveSnapshot();
	CommitTransactionCommand();
	return done;
}

/*
 * The advance, committed.  The row usually exists: one transaction.  A
 * table's first reservation makes the row in a transaction of its own
 * (deadlock freedom, recid_advance.c); if someone else made it meanwhile,
 * advance it in a third.
 */
static int64
advance_committed(Oid relid, int32 tabid, int64 n)
{
	int64		start;

	if (!worker_step(upkit_recid_advance_existing, relid, tabid, n, &start) &&
		!worker_step(upkit_recid_insert_first, relid, tabid, n, &start) &&
		!worker_step(upkit_recid_advance_existing, relid, tabid, n, &start))
		elog(ERROR, "the SYSTEMSEQUENCES row of tabid %d vanished", tabid);
	return start;
}

/*
 * Connect as the role that logged in (the current role may be NOLOGIN,
 * after SET ROLE), then act as the caller's current role, so that the
 * UPDATE is checked against the same privileges as in the caller.
 */
static void
worker_connect(Oid dbid, Oid login_userid, Oid userid)
{
	BackgroundWorkerInitializeConnectionByOid(dbid, login_userid, 0);
	SetUserIdAndSecContext(userid, SECURITY_LOCAL_USERID_CHANGE);

	/* The commit must be durable before the caller hands the range out. */
	SetConfigOption("synchronous_commit", "on", PGC_SUSET, PGC_S_OVERRIDE);
	SetConfigOption("default_transaction_isolation", "read committed", PGC_SUSET, PGC_S_OVERRIDE);
	SetConfigOption("search_path", "pg_catalog", PGC_SUSET, PGC_S_OVERRIDE);
}

/* The reservation worker. */
void
upkit_recid_worker_main(Datum main_arg)
{
	dsm_segment *seg;
	RecidWorkerShared *shared;
	LOCKTAG		tag;

	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();

	CurrentResourceOwner = ResourceOwnerCreate(NULL, "upkit recid worker");
	seg = dsm_attach(DatumGetUInt32(main_arg));
	if (seg == NULL)
		proc_exit(0);			/* the caller is gone already */
	dsm_pin_mapping(seg);
	shared = dsm_segment_address(seg);

	worker_connect(shared->dbid, shared->login_userid, shared->userid);

	/* The lock the caller waits on (header), before anything else. */
	set_wait_locktag(&tag, shared->dbid, shared->caller_pid, shared->lock_key);
	(void) LockAcquire(&tag, ExclusiveLock, true, false);
	shared->state = RW_LOCKED;
	pg_write_barrier();
	SetLatch(&ProcGlobal->allProcs[shared->caller_procno].procLatch);

	PG_TRY();
	{
		shared->start = advance_committed(shared->relid, shared->tabid, shared->n);
		pg_write_barrier();
		shared->state = RW_DONE;
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(TopMemoryContext);
		edata = CopyErrorData();
		FlushErrorState();
		AbortCurrentTransaction();
		shared->sqlerrcode = edata->sqlerrcode;
		strlcpy(shared->message, edata->message ? edata->message : "", sizeof(shared->message));
		strlcpy(shared->detail, edata->detail ? edata->detail : "", sizeof(shared->detail));
		strlcpy(shared->hint, edata->hint ? edata->hint : "", sizeof(shared->hint));
		pg_write_barrier();
		shared->state = RW_FAILED;
	}
	PG_END_TRY();

	/* The answer is written: let the caller go. */
	LockRelease(&tag, ExclusiveLock, true);
	pgstat_report_stat(true);
	pgstat_report_activity(STATE_IDLE, NULL);
	dsm_detach(seg);
	proc_exit(0);
}

/* What a prefetch worker is told (fits in bgw_extra). */
typedef struct PrefetchArgs
{
	Oid			dbid;
	Oid			login_userid;
	Oid			userid;
	Oid			relid;
	int32		tabid;
	int32		slot;			/* the cache entry */
	int64		block;
	uint64		ticket;			/* the refill lease (recid_cache.c) */
} PrefetchArgs;

StaticAssertDecl(sizeof(PrefetchArgs) <= BGW_EXTRALEN, "PrefetchArgs must fit in bgw_extra");

/*
 * Start a worker that advances SYSTEMSEQUENCES by block and hands the block
 * to upkit_recid_cache_store(slot, ticket, ...), without waiting for it.
 * Raises no error of its own: returns the worker's PID once it runs, 0 when
 * it could not be started or has stopped already.  Interrupts are held
 * while it waits for the fork, so a cancel cannot fail the served call that
 * starts it (the postmaster answers promptly; no lock is involved).
 */
int
upkit_recid_prefetch_start(int slot, uint64 ticket, Oid relid, int32 tabid, int64 block)
{
	BackgroundWorker worker;
	BackgroundWorkerHandle *handle;
	PrefetchArgs args;
	pid_t		pid = 0;
	BgwHandleStatus status;

	if (RecoveryInProgress())
		return 0;
	init_worker(&worker, "upkit_recid_prefetch_main", "prefetch");
	memset(&args, 0, sizeof(args));
	args.dbid = MyDatabaseId;
	args.login_userid = GetAuthenticatedUserId();
	args.userid = GetUserId();
	args.relid = relid;
	args.tabid = tabid;
	args.slot = slot;
	args.block = block;
	args.ticket = ticket;
	memcpy(worker.bgw_extra, &args, sizeof(args));
	if (!RegisterDynamicBackgroundWorker(&worker, &handle))
		return 0;
	HOLD_INTERRUPTS();
	status = WaitForBackgroundWorkerStartup(handle, &pid);
	RESUME_INTERRUPTS();
	pfree(handle);
	return status == BGWH_STARTED ? (int) pid : 0;
}

/* The prefetch worker. */
void
upkit_recid_prefetch_main(Datum main_arg)
{
	PrefetchArgs args;
	volatile int64 start = 0;
	volatile bool ok = false;

	(void) main_arg;
	memcpy(&args, MyBgworkerEntry->bgw_extra, sizeof(args));
	/* First of all, so that no exit can leave the lease behind. */
	upkit_recid_cache_prefetcher(args.ticket);

	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();
	CurrentResourceOwner = ResourceOwnerCreate(NULL, "upkit recid prefetch");
	worker_connect(args.dbid, args.login_userid, args.userid);

	PG_TRY();
	{
		start = advance_committed(args.relid, args.tabid, args.block);
		ok = true;
	}
	PG_CATCH();
	{
		/* Logged, and nothing cached: the next reservations refill. */
		EmitErrorReport();
		FlushErrorState();
		AbortCurrentTransaction();
	}
	PG_END_TRY();

	upkit_recid_cache_store(args.slot, args.ticket, ok ? start : 0, ok ? args.block : 0);
	pgstat_report_stat(true);
	pgstat_report_activity(STATE_IDLE, NULL);
	proc_exit(0);
}
