/*-------------------------------------------------------------------------
 *
 * upkit.h
 *	  What crosses the files of the upkit extension: the AX tables and how
 *	  they are found, the durable RECID advance, the shared block cache and
 *	  the session's RECID state.  Each function is documented where it is
 *	  defined.
 *
 *-------------------------------------------------------------------------
 */
#ifndef UPKIT_H
#define UPKIT_H

#include "postgres.h"

#include "storage/lockdefs.h"
#include "storage/relfilenode.h"
#include "utils/relcache.h"

/* A table without a SYSTEMSEQUENCES row starts here (AX convention). */
#define UPKIT_FIRST_RECID	INT64CONST(5637144576)

/* The LWLock tranche of the shared RECID block cache. */
#define UPKIT_LWLOCK_NAME	"upkit"

/* GUCs (upkit.c). */
extern int	upkit_recid_cache_block;
extern int	upkit_recid_session_block;

/* ax_tables.c: the database's own AX tables, found through search_path. */
extern Relation upkit_open_ax_table(const char *name, LOCKMODE lockmode);

/* recid_advance.c: advance SYSTEMSEQUENCES in the current transaction. */
extern bool upkit_recid_advance_existing(Oid relid, int32 tabid, int64 n, int64 floor, int64 *start);
extern bool upkit_recid_insert_first(Oid relid, int32 tabid, int64 n, int64 floor, int64 *start);
extern int64 upkit_recid_advance(Oid relid, int32 tabid, int64 n, int64 floor);
extern void upkit_recid_raise_to(Oid relid, int32 tabid, int64 floor);
extern void upkit_recid_make_row_here(Relation seqrel, int32 tabid);

/*
 * recid_worker.c: the same advance, committed by a background worker in a
 * transaction of its own (survives the caller's rollback).
 */
extern int64 upkit_recid_advance_autonomous(Oid relid, int32 tabid, int64 n,
											 bool *out_of_range);
extern int	upkit_recid_prefetch_start(int slot, uint64 ticket, Oid relid, int32 tabid, int64 block);

/* reserve.c: a durable range for (systemsequences, tabid), cache or not. */
extern int64 upkit_recid_reserve_range(Relation seqrel, int32 tabid, int64 n,
									   bool use_shared_cache);

/* recid_cache.c: the shared-memory block cache (only when preloaded). */
extern void upkit_recid_cache_request(void);
extern void upkit_recid_cache_startup(void);
extern bool upkit_recid_cache_available(void);
extern int64 upkit_recid_cache_take(Relation seqrel, int32 tabid, int64 n);
extern void upkit_recid_cache_prefetcher(uint64 ticket);
extern void upkit_recid_cache_store(int slot, uint64 ticket, int64 start, int64 n);
extern void upkit_recid_cache_forget(Relation seqrel, int32 tabid);

/* recid_session.c: what this session reserved and suspended. */
extern void upkit_session_note_range(Oid relid, int32 tabid, int64 start, int64 n);
extern bool upkit_session_owns(Oid relid, int32 tabid, int64 recid);
extern bool upkit_session_suspended(int32 tabid);
extern void upkit_session_set_suspended(int32 tabid, bool suspended);
extern int64 upkit_session_next_recid(Relation seqrel, int32 tabid);
extern int64 *upkit_session_local_floor(Relation seqrel, int32 tabid);

#endif							/* UPKIT_H */
