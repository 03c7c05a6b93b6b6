/*-------------------------------------------------------------------------
 *
 * upkit.c
 *	  Module entry point of the upkit extension: module magic, GUCs and,
 *	  when the library is preloaded, the shared-memory hooks.
 *
 * The SQL-callable functions live one concern per file (fmt_numbersequence.c,
 * reserve.c, number_reserve.c, recid_guard.c, ...); this file only wires the
 * module into the server.
 *
 * upkit works with and without shared_preload_libraries.  Preloaded, it asks
 * for a small shared-memory area (the RECID block cache, recid_cache.c) and
 * one LWLock named "upkit"; loaded on demand it has no shared memory and
 * every reservation is a durable advance of SYSTEMSEQUENCES of its own
 * (recid_worker.c).  Both are correct; the cache is faster.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"
#include "storage/ipc.h"
#include "utils/guc.h"

#include "upkit.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

/* Size of the blocks the shared cache takes from SYSTEMSEQUENCES. */
int			upkit_recid_cache_block = 10000;

/* First block a session takes for the rows recid_guard numbers. */
int			upkit_recid_session_block = 1000;

static shmem_request_hook_type prev_shmem_request_hook = NULL;
static shmem_startup_hook_type prev_shmem_startup_hook = NULL;

static void
upkit_shmem_request(void)
{
	if (prev_shmem_request_hook)
		prev_shmem_request_hook();
	upkit_recid_cache_request();
}

static void
upkit_shmem_startup(void)
{
	if (prev_shmem_startup_hook)
		prev_shmem_startup_hook();
	upkit_recid_cache_startup();
}

void
_PG_init(void)
{
	DefineCustomIntVariable("upkit.recid_cache_block",
							"RECIDs the shared cache takes from SYSTEMSEQUENCES at a time.",
							"Only used when upkit is in shared_preload_libraries.  "
							"Reservations of more than a quarter of a block bypass the cache.",
							&upkit_recid_cache_block,
							10000, 16, 100000000,
							PGC_SUSET, 0,
							NULL, NULL, NULL);
	DefineCustomIntVariable("upkit.recid_session_block",
							"First block of RECIDs a session takes for rows that upkit.recid_guard numbers.",
							"Each further block for the same table is twice as large, up to 1024 times this.",
							&upkit_recid_session_block,
							1000, 1, 100000000,
							PGC_USERSET, 0,
							NULL, NULL, NULL);
	MarkGUCPrefixReserved("upkit");

	if (!process_shared_preload_libraries_in_progress)
		return;

	prev_shmem_request_hook = shmem_request_hook;
	shmem_request_hook = upkit_shmem_request;
	prev_shmem_startup_hook = shmem_startup_hook;
	shmem_startup_hook = upkit_shmem_startup;
}
