/*-------------------------------------------------------------------------
 *
 * live.c
 *	  upkit.live_refuse_transaction_block(procedure): the first thing the
 *	  generated live procedures (procs/pg/delta.sql.in, unit LIVE) do.
 *
 * A live procedure commits after every batch, so it must be called by
 * itself (CALL at top level, autocommit), never inside BEGIN ... COMMIT or a
 * multi-statement query string: there its first COMMIT would fail with a
 * bare "invalid transaction termination" after the first batch's work.
 * PostgreSQL makes such a CALL atomic exactly when IsTransactionBlock() is
 * true (standard_ProcessUtility), which SQL cannot see; so the check is
 * here, and it raises 25001 naming the procedure before anything is read or
 * written.  Reading a flag changes nothing: the function is safe to call
 * anywhere.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "fmgr.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(upkit_live_refuse_transaction_block);

Datum
upkit_live_refuse_transaction_block(PG_FUNCTION_ARGS)
{
	const char *proc = PG_ARGISNULL(0) ? "upkit live" : text_to_cstring(PG_GETARG_TEXT_PP(0));

	if (IsTransactionBlock())
		ereport(ERROR,
				(errcode(ERRCODE_ACTIVE_SQL_TRANSACTION),
				 errmsg("%s: a live procedure commits after every batch and cannot run inside a transaction block", proc),
				 errdetail("Nothing was read or written."),
				 errhint("CALL it by itself, in autocommit mode (not after BEGIN, not in a multi-statement query string).")));
	PG_RETURN_VOID();
}
