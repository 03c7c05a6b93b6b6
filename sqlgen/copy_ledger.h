/*
 * copy_ledger.h: the copy's ledger in the target, upkit.copy_ledger on
 * PostgreSQL (the extension's, sql/upkit--0.2--0.3.sql section "copy") and
 * [dbo].[UPKIT_COPY_LEDGER] on SQL Server (the T-SQL runtime's,
 * procs/mssql/UPKIT_COPY_LEDGER.sql): the same steps in copy_ledger.c, the
 * SQL of each in copy_target_pg.c / copy_target_mssql.c.
 *
 * One row per target table and RECID range.  The rows of a table are
 * written together, with the table's TRUNCATE when it has the exception
 * truncate_on_copy, in one transaction before its first range is copied;
 * so a re-run finds the same ranges and never truncates again.  Each range
 * is claimed (its row locked, "not done" checked) at the start of the
 * transaction that copies it and marked done in that same transaction: a
 * copier killed mid-range leaves the range not done and none of its rows,
 * and two copiers never both copy a range (the second waits for the row
 * lock, then finds it done).
 */
#ifndef UPKIT_COPY_LEDGER_H
#define UPKIT_COPY_LEDGER_H

#include "conn.h"
#include "copy_plan.h"

/*
 * Read t's ledger rows into t->ranges (state PARTLY or DONE) when there
 * are any: 1 found, 0 none, -1 error.  A fingerprint other than t's gives
 * 1 and *changed set.
 */
int			copy_ledger_read(struct upkit_conn *dst, struct copy_table_plan *t, int *changed);

/* Write t's ranges (and TRUNCATE first when asked), committed; 0 or -1. */
int			copy_ledger_plan(struct upkit_conn *dst, const struct copy_table_plan *t, int truncate);

/*
 * In the caller's open transaction: lock range's row if not done.  1
 * claimed, 0 done already (or the mapping changed), -1 error.
 */
int			copy_ledger_claim(struct upkit_conn *dst, const struct copy_table_plan *t, int range);

/* In the same transaction: mark the range done with its counts; 0 or -1. */
int			copy_ledger_done(struct upkit_conn *dst, const struct copy_table_plan *t, int range,
							 long long rows, long long bytes);

/* Rows the ledger records for t's done ranges, and how many are not done; 0 or -1. */
int			copy_ledger_totals(struct upkit_conn *dst, const struct copy_table_plan *t,
							   long long *rows, int *pending);

#endif
