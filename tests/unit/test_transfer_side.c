/*
 * test_transfer_side.c: the statements "upkit transfer" sends to each
 * engine (sqlgen/transfer_side_pg.c, transfer_side_mssql.c), without a
 * server: every statement is there on both sides and takes the same
 * parameters, each side speaks its own dialect (no $n, LIMIT or pg_catalog
 * in SQL Server's; no @Pn in PostgreSQL's; nothing newer than SQL Server
 * 2012), locks where the sync needs a lock, the types the IDENTITY check
 * lets pass are the INSERT writer's (copy_tsql_literal_type), and the
 * ledgers that never move are recognised, --replace empties SQL Server's
 * copies by DELETE.  "--print-tsql" prints SQL Server's statements
 * (the %s filled as the transfer fills them) as batches, which
 * tests/tsql/parse.t parses with the T-SQL grammar.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "copy_mssql.h"
#include "strbuf.h"
#include "tap.h"
#include "transfer.h"
#include "transfer_side.h"

#define COUNT_TYPE(type, systype) + 1

#define STATEMENT(f) {#f, offsetof(struct transfer_side, f)}

static const struct
{
	const char *name;
	size_t		offset;
}			statements[] = {
	STATEMENT(exists), STATEMENT(resolve), STATEMENT(columns), STATEMENT(table_id),
	STATEMENT(state_tables), STATEMENT(foreign_keys), STATEMENT(marker_latest),
	STATEMENT(delta_runs_since), STATEMENT(validation_runs_since), STATEMENT(marker_lock),
	STATEMENT(ledger_forget), STATEMENT(marker_start), STATEMENT(marker_done),
	STATEMENT(backup_number), STATEMENT(backup_recid), STATEMENT(delta_not_ready),
	STATEMENT(live_not_done), STATEMENT(delta_state_rows), STATEMENT(clear_ready),
	STATEMENT(read_number), STATEMENT(read_recid), STATEMENT(sync_number),
};
#define NSTATEMENTS (sizeof statements / sizeof statements[0])

static const char *
get(const struct transfer_side *s, size_t i)
{
	return *(const char *const *) ((const char *) s + statements[i].offset);
}

/* The statement as the transfer sends it: %s the table (and the row lock, locked). */
static void
render(struct strbuf *sb, const struct transfer_side *s, size_t i, int locked)
{
	const char *name = strcmp(statements[i].name, "table_id") == 0 ? s->dictionary
		: strcmp(statements[i].name, "read_recid") == 0 ? s->systemsequences : s->numbers;
	char		table[200];

	snprintf(table, sizeof table, s->dialect == UPKIT_DIALECT_MSSQL ? "[dbo].[%s]" : "public.%s", name);

	sb_appendf(sb, get(s, i), table, locked ? s->lock_row : "");
}

/* The highest parameter a statement names: $n or @Pn. */
static int
max_param(const char *sql, const char *mark)
{
	int			n = 0;
	size_t		len = strlen(mark);

	for (const char *p = strstr(sql, mark); p; p = strstr(p + len, mark))
		if (atoi(p + len) > n)
			n = atoi(p + len);
	return n;
}

static void
print_tsql(void)
{
	for (size_t i = 0; i < NSTATEMENTS; i++)
		for (int locked = 0; locked <= (strstr(get(&transfer_side_mssql, i), "%s%s") ||
										strstr(get(&transfer_side_mssql, i), "AS N%s") ||
										strstr(get(&transfer_side_mssql, i), "AS S%s") ? 1 : 0); locked++)
		{
			struct strbuf sb = STRBUF_INIT;

			render(&sb, &transfer_side_mssql, i, locked);
			printf("-- transfer_side_mssql.%s%s\n%s%s\nGO\n", statements[i].name, locked ? " (locked)" : "",
				   sb_str(&sb), sb_str(&sb)[sb.len - 1] == ';' ? "" : ";");
			sb_free(&sb);
		}
	printf("-- transfer_side_mssql.uncopyable_columns\n%s;\nGO\n", transfer_side_mssql.uncopyable_columns);
}

static void
test_statements(void)
{
	int			both = 1,
				params = 1,
				pg_own = 1,
				ms_own = 1,
				ms_2012 = 1;
	static const char *const newer[] = {"CREATE OR ALTER", "TRIM(", "STRING_AGG", "CONCAT_WS", "OPENJSON",
	"JSON_VALUE", "LIMIT ", NULL};

	for (size_t i = 0; i < NSTATEMENTS; i++)
	{
		const char *pg = get(&transfer_side_pg, i);
		const char *ms = get(&transfer_side_mssql, i);

		if (pg == NULL || ms == NULL)
		{
			printf("# %s missing on %s\n", statements[i].name, pg ? "SQL Server" : "PostgreSQL");
			both = 0;
			continue;
		}
		if (max_param(pg, "$") != max_param(ms, "@P"))
		{
			printf("# %s: $%d on PostgreSQL, @P%d on SQL Server\n", statements[i].name, max_param(pg, "$"),
				   max_param(ms, "@P"));
			params = 0;
		}
		if (strstr(pg, "@P"))
			pg_own = 0, printf("# PostgreSQL's %s names @P\n", statements[i].name);
		if (strchr(ms, '$') || strstr(ms, "pg_catalog") || strstr(ms, "::"))
			ms_own = 0, printf("# SQL Server's %s has PostgreSQL syntax\n", statements[i].name);
		for (const char *const *n = newer; *n; n++)
			if (strstr(ms, *n))
				ms_2012 = 0, printf("# SQL Server's %s uses %s\n", statements[i].name, *n);
	}
	ok(both, "every statement of the transfer is there for both engines");
	ok(params, "... taking the same parameters on both");
	ok(pg_own, "PostgreSQL's statements name their parameters $n");
	ok(ms_own, "SQL Server's statements have no PostgreSQL syntax ($n, ::, pg_catalog)");
	ok(ms_2012, "SQL Server's statements use nothing newer than SQL Server 2012 (no LIMIT, STRING_AGG, TRIM, JSON)");
}

static void
test_locks(void)
{
	struct strbuf a = STRBUF_INIT,
				b = STRBUF_INIT,
				c = STRBUF_INIT;
	size_t		rn = 0,
				rr = 0;

	for (size_t i = 0; i < NSTATEMENTS; i++)
		if (strcmp(statements[i].name, "read_number") == 0)
			rn = i;
		else if (strcmp(statements[i].name, "read_recid") == 0)
			rr = i;
	render(&a, &transfer_side_mssql, rn, 1);
	render(&b, &transfer_side_mssql, rr, 0);
	render(&c, &transfer_side_pg, rn, 1);
	ok(strstr(sb_str(&a), "FROM [dbo].[NUMBERSEQUENCETABLE] AS N WITH (UPDLOCK, HOLDLOCK) WHERE") != NULL,
	   "SQL Server: the locked read of a number sequence holds the row's update lock (the lock UPKIT_RESERVE_NUMBERS takes)");
	ok(strstr(sb_str(&b), "WITH") == NULL && strstr(sb_str(&b), "[ID] = -1"), "... an unlocked read takes none; RECIDs from ID = -1");
	ok(strstr(sb_str(&c), "numbersequence = $2 FOR UPDATE") != NULL, "PostgreSQL: FOR UPDATE at the end");
	ok(strstr(transfer_side_mssql.sync_number, "[dbo].[UPKIT_TRANSFER_SYNC_NUMBER]") &&
	   strstr(transfer_side_mssql.sync_number, "@AT_BACKUP = @AT_BACKUP") &&
	   strcmp(transfer_side_mssql.sync_schema, "dbo") == 0,
	   "SQL Server: the number sync is the runtime's procedure, with the value at the backup (its schema is dbo)");
	ok(strstr(transfer_side_pg.sync_number, "GREATEST(nextrec, $4::bigint)") != NULL,
	   "PostgreSQL: NEXTREC never lowered");
	ok(strstr(transfer_side_mssql.marker_lock, "UPDLOCK") && strstr(transfer_side_pg.marker_lock, "FOR UPDATE"),
	   "the marker row is locked while the start is recorded, on both");
	ok(strstr(transfer_side_mssql.foreign_keys, "sys.foreign_keys") &&
	   strstr(transfer_side_mssql.foreign_keys, "[parent_object_id] <> K.[referenced_object_id]"),
	   "SQL Server: the foreign keys between two tables from sys.foreign_keys");
	ok(transfer_side_pg.uncopyable_columns == NULL &&
	   strstr(transfer_side_mssql.uncopyable_columns, "[is_identity] = 1") &&
	   strstr(transfer_side_mssql.uncopyable_columns, "NOT IN (N'', N'tinyint'") &&
	   strstr(transfer_side_mssql.uncopyable_columns, "N'uniqueidentifier')") &&
	   max_param(transfer_side_mssql.uncopyable_columns, "@P") == 2,
	   "SQL Server: only the columns of an IDENTITY table that the INSERT writer has no literal for are"
	   " refused up front");
	sb_free(&a);
	sb_free(&b);
	sb_free(&c);
}

/*
 * SQL Server's system types (sys.types, is_user_defined = 0, as
 * TYPE_NAME(system_type_id) names a column's; sysname is nvarchar there).
 */
static const char *const mssql_system_types[] = {
	"bigint", "binary", "bit", "char", "date", "datetime", "datetime2", "datetimeoffset", "decimal",
	"float", "geography", "geometry", "hierarchyid", "image", "int", "money", "nchar", "ntext",
	"numeric", "nvarchar", "real", "smalldatetime", "smallint", "smallmoney", "sql_variant", "text",
	"time", "timestamp", "tinyint", "uniqueidentifier", "varbinary", "varchar", "xml",
};

/*
 * The NOT IN list of uncopyable_columns is the literal writer's own:
 * every type it names has a literal (copy_tsql_literal_type), and every
 * system type with a literal is named (so a type the writer learns is no
 * longer refused here, and one it cannot write never passes).
 */
static void
test_uncopyable_types(void)
{
	const char *sql = transfer_side_mssql.uncopyable_columns;
	const char *list = strstr(sql, "NOT IN (");
	const char *end = list ? strchr(list, ')') : NULL;
	int			named = 0,
				listed_ok = 1,
				agree = 1;

	for (const char *p = list; p && p < end && (p = strstr(p, "N'")) != NULL && p < end; named++)
	{
		const char *q = strchr(p + 2, '\'');
		char		name[64];

		snprintf(name, sizeof name, "%.*s", (int) (q - p - 2), p + 2);
		if (name[0] && !copy_tsql_literal_type(name))
			listed_ok = 0, printf("# %s is named but has no literal\n", name);
		p = q + 1;
	}
	ok(list && end && listed_ok && named == 1 + 0 COPY_TSQL_LITERAL_TYPES(COUNT_TYPE),
	   "SQL Server: the types uncopyable_columns lets pass are the literal writer's list, each with a literal");
	for (size_t i = 0; i < sizeof mssql_system_types / sizeof mssql_system_types[0]; i++)
	{
		char		quoted[64];
		int			in_sql;

		snprintf(quoted, sizeof quoted, "N'%s'", mssql_system_types[i]);
		in_sql = strstr(list ? list : "", quoted) != NULL && strstr(list, quoted) < end;
		if (in_sql != copy_tsql_literal_type(mssql_system_types[i]))
			agree = 0, printf("# %s: %s the statement's list, literal %d\n", mssql_system_types[i],
							  in_sql ? "in" : "not in", copy_tsql_literal_type(mssql_system_types[i]));
	}
	ok(agree && !copy_tsql_literal_type("money") && !copy_tsql_literal_type("timestamp") &&
	   copy_tsql_literal_type("NVARCHAR"),
	   "... a system type is let pass exactly when the writer has a literal for it (money, timestamp refused)");
}

static void
test_ledgers(void)
{
	const struct transfer_side *ms = &transfer_side_mssql,
			   *pg = &transfer_side_pg;

	ok(transfer_side_is_ledger(ms, "UPKIT_COPY_LEDGER") && transfer_side_is_ledger(ms, "UPKIT_TRANSFER_MARKER") &&
	   transfer_side_is_ledger(ms, "UPKIT_TRANSFER_MARKER_VALUE") && transfer_side_is_ledger(ms, "UPKIT_RUNNER_JOBS") &&
	   transfer_side_is_ledger(ms, "UPKIT_RUNTIME") && transfer_side_is_ledger(ms, "upkit_insert_runs"),
	   "SQL Server: the ledgers of one system do not move (any case)");
	ok(!transfer_side_is_ledger(ms, "UPKIT_DELTA_STATE") && !transfer_side_is_ledger(ms, "UPKIT_DELTA_RUN") &&
	   !transfer_side_is_ledger(ms, "UPKIT_VALIDATION_LOG") && !transfer_side_is_ledger(ms, "UPKIT_LIVE_STATE"),
	   "... the state does");
	ok(transfer_side_is_ledger(pg, "copy_ledger") && transfer_side_is_ledger(pg, "runner_runs") &&
	   !transfer_side_is_ledger(pg, "delta_state") && !transfer_side_is_ledger(pg, "runner"),
	   "PostgreSQL: the same, by the extension's names");
	ok(ms->counter_value == NULL && ms->raise_counter == NULL && ms->sync_serials == NULL &&
	   pg->counter_value && pg->raise_counter && pg->sync_serials,
	   "counters and serials are PostgreSQL's; SQL Server's run ids are IDENTITY values");
	ok(ms->empty == transfer_delete_rows && pg->empty && pg->empty != transfer_delete_rows,
	   "--replace: SQL Server deletes, children first (never TRUNCATE TABLE); PostgreSQL has its own way"
	   " (one TRUNCATE where it can, tests/transfer/truncate.t)");
}

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--print-tsql") == 0)
	{
		print_tsql();
		return 0;
	}
	plan(20);
	test_statements();
	test_locks();
	test_uncopyable_types();
	test_ledgers();
	return done();
}
