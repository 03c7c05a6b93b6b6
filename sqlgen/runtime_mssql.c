/*
 * runtime_mssql.c: the SQL Server runtime (see runtime.h): what each
 * T-SQL file in functions/mssql/ and procs/mssql/ creates and which tables
 * its calls touch.  A file added there needs its line here (generate says
 * so otherwise).
 */
#include "runtime.h"

#define C UPKIT_ACCESS_CREATE
#define R UPKIT_ACCESS_READ
#define U UPKIT_ACCESS_UPDATE
#define D UPKIT_ACCESS_DELETE

static const struct upkit_runtime_file files[] = {
	{"functions/mssql/FN_FMT_NUMBERSEQUENCE.sql", "function", "dbo", "FN_FMT_NUMBERSEQUENCE",
	UPKIT_UNIT_REPLACES, 0, {{0}}},
	{"functions/mssql/UPKIT_FMT_NUMBERSEQUENCE_TVF.sql", "function", "dbo", "UPKIT_FMT_NUMBERSEQUENCE_TVF",
	UPKIT_UNIT_REPLACES, 0, {{0}}},
	/* Created when missing, never dropped: upkit copy's ledger on a SQL Server target. */
	{"procs/mssql/UPKIT_COPY_LEDGER.sql", "table", "dbo", "UPKIT_COPY_LEDGER",
	UPKIT_UNIT_KEEPS, 0, {{"UPKIT_COPY_LEDGER", C}}},
	{"procs/mssql/UPKIT_DELTA_CHECK_KEYS.sql", "procedure", "dbo", "UPKIT_DELTA_CHECK_KEYS",
	UPKIT_UNIT_REPLACES, 0, {{0}}},
	/* Created when missing (or upgraded in place), never dropped: delta's state and run log. */
	{"procs/mssql/UPKIT_DELTA_RUN.sql", "table", "dbo", "UPKIT_DELTA_RUN",
	UPKIT_UNIT_KEEPS, 0, {{"UPKIT_DELTA_RUN", C}}},
	{"procs/mssql/UPKIT_DELTA_STATE.sql", "table", "dbo", "UPKIT_DELTA_STATE",
	UPKIT_UNIT_KEEPS, 0, {{"UPKIT_DELTA_STATE", C | U}}},
	/* The live fills' control call; their state, created when missing, never dropped. */
	{"procs/mssql/UPKIT_LIVE_CONTROL.sql", "procedure", "dbo", "UPKIT_LIVE_CONTROL",
	UPKIT_UNIT_REPLACES, 0, {{"UPKIT_LIVE_STATE", U}}},
	{"procs/mssql/UPKIT_LIVE_STATE.sql", "table", "dbo", "UPKIT_LIVE_STATE",
	UPKIT_UNIT_KEEPS, 0, {{"UPKIT_LIVE_STATE", C}}},
	/* Created when missing, never dropped: it holds the record of calls. */
	{"procs/mssql/UPKIT_INSERT_RUNS.sql", "table", "dbo", "UPKIT_INSERT_RUNS",
	UPKIT_UNIT_KEEPS, 0, {{"UPKIT_INSERT_RUNS", C}}},
	/*
	 * The validation log (docs/readiness.md): its three tables in one file
	 * (UPKIT_LOG_TABLES.sql, created when missing, never dropped), the
	 * procedures over them.
	 */
	{"procs/mssql/UPKIT_FITS_TARGET.sql", "procedure", "dbo", "UPKIT_FITS_TARGET",
	UPKIT_UNIT_REPLACES, 0, {{0}}},
	{"procs/mssql/UPKIT_LOG.sql", "procedure", "dbo", "UPKIT_LOG",
	UPKIT_UNIT_REPLACES, 0, {{"UPKIT_VALIDATION_RUN", R | U}, {"UPKIT_VALIDATION_LOG", C | R}}},
	{"procs/mssql/UPKIT_LOG_DETAIL.sql", "procedure", "dbo", "UPKIT_LOG_DETAIL",
	UPKIT_UNIT_REPLACES, 0, {{"UPKIT_VALIDATION_RUN", R | U}, {"UPKIT_VALIDATION_LOG", R | U}, {"UPKIT_VALIDATION_DETAIL", C}}},
	{"procs/mssql/UPKIT_LOG_FOUND.sql", "procedure", "dbo", "UPKIT_LOG_FOUND",
	UPKIT_UNIT_REPLACES, 0, {{"UPKIT_VALIDATION_RUN", R | U}, {"UPKIT_VALIDATION_LOG", C | R | U}}},
	{"procs/mssql/UPKIT_LOG_RUN.sql", "procedure", "dbo", "UPKIT_LOG_RUN",
	UPKIT_UNIT_REPLACES, 0, {{"UPKIT_VALIDATION_RUN", R | U}}},
	{"procs/mssql/UPKIT_LOG_TABLES.sql", "table", "dbo", "UPKIT_VALIDATION_LOG",
	UPKIT_UNIT_KEEPS, 0, {{"UPKIT_VALIDATION_RUN", C}, {"UPKIT_VALIDATION_LOG", C}, {"UPKIT_VALIDATION_DETAIL", C}}},
	{"procs/mssql/UPKIT_LOG_START.sql", "procedure", "dbo", "UPKIT_LOG_START",
	UPKIT_UNIT_REPLACES, 0, {{"UPKIT_VALIDATION_RUN", C | R | U}, {"UPKIT_VALIDATION_LOG", D}, {"UPKIT_VALIDATION_DETAIL", D}}},
	/* upkit copy's RECID realignment: NEXTVAL raised, never lowered (50500-50502). */
	{"procs/mssql/UPKIT_RAISE_RECID_FLOOR.sql", "procedure", "dbo", "UPKIT_RAISE_RECID_FLOOR",
	UPKIT_UNIT_REPLACES, 0, {{"SYSTEMSEQUENCES", C | R | U}}},
	{"procs/mssql/UPKIT_RESERVE_NUMBERS.sql", "procedure", "dbo", "UPKIT_RESERVE_NUMBERS",
	UPKIT_UNIT_REPLACES, 1, {{"NUMBERSEQUENCETABLE", R | U}}},
	{"procs/mssql/UPKIT_RESERVE_RECIDS.sql", "procedure", "dbo", "UPKIT_RESERVE_RECIDS",
	UPKIT_UNIT_REPLACES, 1, {{"SYSTEMSEQUENCES", C | R | U}}},
	/*
	 * upkit transfer's marker on a SQL Server production (docs/transfer.md):
	 * the procedure that writes a mark, and its two tables, created when
	 * missing, never dropped.
	 */
	{"procs/mssql/UPKIT_TRANSFER_MARK.sql", "procedure", "dbo", "UPKIT_TRANSFER_MARK",
	UPKIT_UNIT_REPLACES, 0, {{"UPKIT_TRANSFER_MARKER", C}, {"UPKIT_TRANSFER_MARKER_VALUE", C}}},
	{"procs/mssql/UPKIT_TRANSFER_MARKER.sql", "table", "dbo", "UPKIT_TRANSFER_MARKER",
	UPKIT_UNIT_KEEPS, 0, {{"UPKIT_TRANSFER_MARKER", C}, {"UPKIT_TRANSFER_MARKER_VALUE", C}}},
	/* The number sequence sync after a transfer: NEXTREC raised, never lowered (50610-50613). */
	{"procs/mssql/UPKIT_TRANSFER_SYNC_NUMBER.sql", "procedure", "dbo", "UPKIT_TRANSFER_SYNC_NUMBER",
	UPKIT_UNIT_REPLACES, 1, {{"NUMBERSEQUENCETABLE", R | U}}},
	/*
	 * Created when missing, never dropped: the runner's ledger (ledger_mssql.c),
	 * [UPKIT_RUNNER_JOBS] with the table of runs its rows reference,
	 * [UPKIT_RUNNER_RUNS], created first in the same file.
	 */
	{"procs/mssql/UPKIT_RUNNER_LEDGER.sql", "table", "dbo", "UPKIT_RUNNER_JOBS",
	UPKIT_UNIT_KEEPS, 0, {{"UPKIT_RUNNER_RUNS", C | R | U}, {"UPKIT_RUNNER_JOBS", C | R | U}}},
	/* The runtime's version, written last: never lowered (50100). */
	{"procs/mssql/UPKIT_RUNTIME.sql", "table", "dbo", "UPKIT_RUNTIME",
	UPKIT_UNIT_KEEPS, 0, {{"UPKIT_RUNTIME", C | R | U}}},
};

const struct upkit_runtime upkit_runtime_mssql = {
	.dirs = {"functions/mssql/", "procs/mssql/", NULL},
	.files = files,
	.n_files = (int) (sizeof files / sizeof files[0]),
	.prelude = NULL,
};
