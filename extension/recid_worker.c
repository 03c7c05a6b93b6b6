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
 * Self-deadlock.  The worker waits like any session for row and table locks
 * on SYSTEMSEQUENCES.  If the caller's own transaction holds such a lock
 * (say it updated the row), the worker would wait for the caller while the
 * caller waits for the worker, and the deadlock detector sees only half of
 * that.  So while it waits the caller asks pg_blocking_pids(), transitively,
 * whether the worker waits for it, and if so stops the worker and raises
 * 55P03 (directly) or 40P01 (through other sessions).
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

/* How long to wait for a free worker slot before giving up. */
#define SLOT_WAIT_MS	60000
/* How often to look for a worker that waits for its caller. */
#define BLOCK_CHECK_MS	200
/* How many sessions the transitive blocker search visits at most. */
#define BLOCK_CHECK_MAX	256

typedef enum
{
	RW_PENDING = 0,
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

static BackgroundWorkerHandle *
register_worker(dsm_segment *seg)
{
	BackgroundWorker worker;
	BackgroundWorkerHandle *handle;
	TimestampTz since = GetCurrentTimestamp();

	memset(&worker, 0, sizeof(worker));
	worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
	worker.bgw_restart_time = BGW_NEVER_RESTART;
	snprintf(worker.bgw_library_name, BGW_MAXLEN, "upkit");
	snprintf(worker.bgw_function_name, BGW_MAXLEN, "upkit_recid_worker_main");
	snprintf(worker.bgw_name, BGW_MAXLEN, "upkit recid reservation for PID %d", MyProcPid);
	snprintf(worker.bgw_type, BGW_MAXLEN, "upkit recid reservation");
	worker.bgw_main_arg = UInt32GetDatum(dsm_segment_handle(seg));
	worker.bgw_notify_pid = MyProcPid;

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

/* Wait until the worker has stopped; see the header about self-deadlock. */
static void
wait_for_worker(BackgroundWorkerHandle *handle, int32 tabid)
{
	TimestampTz last_check = GetCurrentTimestamp();

	for (;;)
	{
		pid_t		pid;
		BgwHandleStatus status = GetBackgroundWorkerPid(handle, &pid);

		if (status == BGWH_STOPPED)
			return;
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
								tabid, how == 1 ? "" : " (through other sessions)"),
						 errdetail("upkit advances SYSTEMSEQUENCES in a transaction of its own, so that a rollback "
								   "cannot hand the range out again; that transaction would wait for this one forever."),
						 errhint("Reserve before updating or locking SYSTEMSEQUENCES in this transaction, or commit first.")));
		}
	}
}

/*
 * out_of_range, when not NULL, turns the worker's 22003 (the range would run
 * past bigint) into *out_of_range = true and a return value of 0, for the
 * cache, which then asks for less.
 */
int64
upkit_recid_advance_autonomous(Oid relid, int32 tabid, int64 n, bool *out_of_range)
{
	dsm_segment *seg;
	RecidWorkerShared *shared;
	BackgroundWorkerHandle *handle;
	int64		start;

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
	shared->state = RW_PENDING;

	handle = register_worker(seg);
	PG_TRY();
	{
		wait_for_worker(handle, tabid);
	}
	PG_CATCH();
	{
		TerminateBackgroundWorker(handle);
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

/* One step of the worker in a transaction of its own, committed. */
static bool
worker_step(RecidWorkerShared *shared, AdvanceStep step, int64 *start)
{
	bool		done;

	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	PushActiveSnapshot(GetTransactionSnapshot());
	pgstat_report_activity(STATE_RUNNING, "upkit: advance SYSTEMSEQUENCES");
	done = step(shared->relid, shared->tabid, shared->n, 0, start);
	PopActiveSnapshot();
	CommitTransactionCommand();
	return done;
}

/* The worker. */
void
upkit_recid_worker_main(Datum main_arg)
{
	dsm_segment *seg;
	RecidWorkerShared *shared;

	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();

	CurrentResourceOwner = ResourceOwnerCreate(NULL, "upkit recid worker");
	seg = dsm_attach(DatumGetUInt32(main_arg));
	if (seg == NULL)
		proc_exit(0);			/* the caller is gone already */
	dsm_pin_mapping(seg);
	shared = dsm_segment_address(seg);

	/*
	 * Connect as the role that logged in (the current role may be NOLOGIN,
	 * after SET ROLE), then act as the caller's current role, so that the
	 * UPDATE is checked against the same privileges as in the caller.
	 */
	BackgroundWorkerInitializeConnectionByOid(shared->dbid, shared->login_userid, 0);
	SetUserIdAndSecContext(shared->userid, SECURITY_LOCAL_USERID_CHANGE);

	/* The commit must be durable before the caller hands the range out. */
	SetConfigOption("synchronous_commit", "on", PGC_SUSET, PGC_S_OVERRIDE);
	SetConfigOption("default_transaction_isolation", "read committed", PGC_SUSET, PGC_S_OVERRIDE);
	SetConfigOption("search_path", "pg_catalog", PGC_SUSET, PGC_S_OVERRIDE);

	PG_TRY();
	{
		int64		start;

		/*
		 * The row usually exists: one transaction.  A table's first
		 * reservation makes the row in a transaction of its own (deadlock
		 * freedom, recid_advance.c); if someone else made it meanwhile,
		 * advance it in a third.
		 */
		if (!worker_step(shared, upkit_recid_advance_existing, &start) &&
			!worker_step(shared, upkit_recid_insert_first, &start) &&
			!worker_step(shared, upkit_recid_advance_existing, &start))
			elog(ERROR, "the SYSTEMSEQUENCES row of tabid %d vanished", shared->tabid);
		shared->start = start;
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

	pgstat_report_stat(true);
	pgstat_report_activity(STATE_IDLE, NULL);
	dsm_detach(seg);
	proc_exit(0);
}
