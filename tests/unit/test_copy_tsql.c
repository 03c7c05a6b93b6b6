/*
 * test_copy_tsql.c: the SQL Server paths of upkit copy without a server:
 *  - the command-line sides (copy_endpoint.c): mssql://USER@HOST[:PORT]/DB,
 *    the password only from the side's variable, every refusal;
 *  - which engines can copy to which (copy_side.c): PostgreSQL to SQL
 *    Server is refused, naming both;
 *  - how db-lib values are bound for bcp (copy_mssql_bcp.c): bind types,
 *    lengths, NULL, and the empty string that db-lib cannot send;
 *  - the SELECT rendered in T-SQL for a SQL Server source (copy_plan.c with
 *    copy_source_mssql.c): quoting, LTRIM, the LEFT JOIN with the shadow,
 *    a RECID range; it matches tests/fixtures/copy/mssql_select.sql
 *    (UPKIT_GOLDEN_UPDATE=1 rewrites it).
 * "--print-tsql" prints those SELECTs and the SQL Server ledger's statements
 * as batches, which tests/tsql/parse.t parses with the T-SQL grammar.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sybfront.h>
#include <sybdb.h>

#include "copy_catalog_mssql.h"
#include "copy_endpoint.h"
#include "copy_map.h"
#include "copy_mapfile.h"
#include "copy_mssql.h"
#include "copy_plan.h"
#include "copy_side.h"
#include "spec.h"
#include "strbuf.h"
#include "tap.h"

/* ---- the sides on the command line ---- */

static int
parse(const char *arg, struct copy_endpoint *e, struct strbuf *err)
{
	sb_free(err);
	copy_endpoint_free(e);
	return copy_endpoint_parse("--source", arg, "UPKIT_TEST_SOURCE_PASSWORD", e, err);
}

static void
test_endpoints(void)
{
	struct copy_endpoint e = {0};
	struct strbuf err = STRBUF_INIT;

	unsetenv("UPKIT_TEST_SOURCE_PASSWORD");
	is_int(parse("dbname=ax2009 host=/tmp", &e, &err), 0, "a conninfo is a PostgreSQL side");
	ok(e.t.dialect == UPKIT_DIALECT_PG && strcmp(e.t.conninfo, "dbname=ax2009 host=/tmp") == 0,
	   "... taken as it is");
	is_int(parse("dbname=ax2009 password=secret", &e, &err), COPY_ENDPOINT_BAD,
		   "a conninfo with a password is refused");
	ok(strstr(sb_str(&err), "--source: a password never goes on the command line") &&
	   strstr(sb_str(&err), "PGPASSWORD"), "... saying where the password goes");
	is_int(parse("postgresql://ax:secret@db1/ax2009", &e, &err), COPY_ENDPOINT_BAD,
		   "a URI with user:password@ is refused");
	is_int(parse("postgresql://db1/ax2009?password=secret", &e, &err), COPY_ENDPOINT_BAD,
		   "a URI with ?password= is refused");
	is_int(parse("host=db1 password = secret", &e, &err), COPY_ENDPOINT_BAD, "password = with spaces too");
	is_int(parse("dbname=passwords host=db1", &e, &err), 0, "a database named like a password is no password");

	is_int(parse("mssql://sa@sql1/AX2009", &e, &err), COPY_ENDPOINT_NO_PASSWORD,
		   "mssql:// without its password variable is refused");
	is_str(sb_str(&err), "--source: set UPKIT_TEST_SOURCE_PASSWORD to the password of login 'sa'"
		   " (it is never taken from the command line)", "... naming the variable and the login");

	setenv("UPKIT_TEST_SOURCE_PASSWORD", "pw'\"x", 1);
	is_int(parse("mssql://sa@sql1/AX2009", &e, &err), 0, "mssql://USER@HOST/DATABASE");
	ok(e.t.dialect == UPKIT_DIALECT_MSSQL && strcmp(e.t.user, "sa") == 0 &&
	   strcmp(e.t.server, "sql1") == 0 && e.t.port == 0 && strcmp(e.t.database, "AX2009") == 0,
	   "... gives login, server, the default port and the database");
	is_str(e.t.password, "pw'\"x", "... and the password from the variable, as it is");
	is_int(parse("MSSQL://upg@10.0.0.5:14330/AX2012_UPG", &e, &err), 0, "with a port, any case of the scheme");
	ok(strcmp(e.t.server, "10.0.0.5") == 0 && e.t.port == 14330 &&
	   strcmp(e.t.database, "AX2012_UPG") == 0, "... the port apart from the host");
	is_int(parse("mssql://domain\\upg@sql1/AX", &e, &err), 0, "a login with a backslash");
	is_str(e.t.user, "domain\\upg", "... kept whole");

	is_int(parse("mssql://sa:secret@sql1/AX2009", &e, &err), COPY_ENDPOINT_BAD,
		   "mssql://USER:PASSWORD@ is refused");
	ok(strstr(sb_str(&err), "a password never goes on the command line") &&
	   strstr(sb_str(&err), "UPKIT_TEST_SOURCE_PASSWORD"), "... pointing to the variable");
	ok(strstr(sb_str(&err), "secret") == NULL, "... without repeating the password");
	is_int(parse("mssql://sql1/AX2009", &e, &err), COPY_ENDPOINT_BAD, "no login: refused");
	ok(strstr(sb_str(&err), "names no login") != NULL, "... saying so");
	is_int(parse("mssql://sa@sql1", &e, &err), COPY_ENDPOINT_BAD, "no database: refused");
	is_str(sb_str(&err), "--source mssql://sa@sql1: is not mssql://USER@HOST[:PORT]/DATABASE",
		   "... with the form to use");
	is_int(parse("mssql://sa@sql1/", &e, &err), COPY_ENDPOINT_BAD, "an empty database: refused");
	is_int(parse("mssql://sa@/AX", &e, &err), COPY_ENDPOINT_BAD, "no host: refused");
	is_int(parse("mssql://sa@sql1/AX/more", &e, &err), COPY_ENDPOINT_BAD, "more after the database: refused");
	is_int(parse("mssql://sa@sql1:0/AX", &e, &err), COPY_ENDPOINT_BAD, "port 0: refused");
	is_int(parse("mssql://sa@sql1:70000/AX", &e, &err), COPY_ENDPOINT_BAD, "port 70000: refused");
	is_int(parse("mssql://sa@sql1:14x/AX", &e, &err), COPY_ENDPOINT_BAD, "a port that is no number: refused");
	ok(strstr(sb_str(&err), "a number from 1 to 65535") != NULL, "... saying what a port is");
	unsetenv("UPKIT_TEST_SOURCE_PASSWORD");
	copy_endpoint_free(&e);
	sb_free(&err);
}

/* ---- which engine to which ---- */

static void
test_paths(void)
{
	struct upkit_conn pg = {.ops = &upkit_conn_pg_ops, .dialect = UPKIT_DIALECT_PG};
	struct upkit_conn ms = {.ops = &upkit_conn_mssql_ops, .dialect = UPKIT_DIALECT_MSSQL};
	const char *why = copy_side_no_path(&pg, &ms);

	ok(copy_side_no_path(&pg, &pg) == NULL, "PostgreSQL to PostgreSQL: COPY binary chunks");
	ok(copy_side_no_path(&ms, &pg) == NULL, "SQL Server to PostgreSQL: db-lib rows into COPY text");
	ok(copy_side_no_path(&ms, &ms) == NULL, "SQL Server to SQL Server: db-lib rows into bcp");
	ok(why && strstr(why, "no bulk copy from PostgreSQL to SQL Server"), "PostgreSQL to SQL Server is refused");
	ok(copy_source_of(&ms)->rows_begin != NULL && copy_source_of(&pg)->rows_begin == NULL,
	   "a SQL Server source hands over rows, a PostgreSQL one chunks");
	is_str(copy_source_of(&ms)->default_schema, "dbo", "a SQL Server side's schema is dbo by default");
	is_str(copy_target_of(&pg)->default_schema, "public", "a PostgreSQL side's is public");
}

/* ---- binding for bcp ---- */

static void
test_bcp_binding(void)
{
	static const unsigned char four[4] = {1, 0, 0, 0};
	static const unsigned char text[] = "ab";

	is_int(copy_bcp_bind_type(SYBVARCHAR), SYBCHAR, "varchar is bound as SYBCHAR");
	is_int(copy_bcp_bind_type(SYBNVARCHAR), SYBCHAR, "nvarchar (UTF-8 from db-lib) is bound as SYBCHAR");
	is_int(copy_bcp_bind_type(SYBTEXT), SYBCHAR, "text as SYBCHAR");
	is_int(copy_bcp_bind_type(SYBVARBINARY), SYBBINARY, "varbinary as SYBBINARY");
	is_int(copy_bcp_bind_type(SYBIMAGE), SYBBINARY, "image as SYBBINARY");
	is_int(copy_bcp_bind_type(SYBINT8), SYBINT8, "bigint as itself");
	is_int(copy_bcp_bind_type(SYBNUMERIC), SYBNUMERIC, "numeric as itself (DBNUMERIC)");
	is_int(copy_bcp_bind_type(SYBDATETIME), SYBDATETIME, "datetime as itself");
	is_int(copy_bcp_bind_type(COPY_MSSQL_SYBUNIQUE), COPY_MSSQL_SYBUNIQUE, "uniqueidentifier as itself");
	is_int(copy_bcp_bind_type(SYBINTN), -1, "a nullable type dbcoltype never reports is refused");

	ok(copy_bcp_fixed(SYBINT4) && copy_bcp_fixed(SYBINT8) && copy_bcp_fixed(SYBDATETIME) &&
	   copy_bcp_fixed(SYBFLT8) && copy_bcp_fixed(SYBBIT), "int, bigint, datetime, float, bit are fixed");
	ok(!copy_bcp_fixed(SYBCHAR) && !copy_bcp_fixed(SYBBINARY) && !copy_bcp_fixed(SYBNUMERIC) &&
	   !copy_bcp_fixed(COPY_MSSQL_SYBUNIQUE), "char, binary, numeric, uniqueidentifier are not");

	is_int(copy_bcp_varlen(SYBINT4, NULL, 0, 0, 0), 0, "a NULL int: varlen 0");
	is_int(copy_bcp_varlen(SYBINT4, four, 4, 1, 0), -1, "an int: varlen -1 (its type's size)");
	is_int(copy_bcp_varlen(SYBCHAR, NULL, 0, 0, 0), 0, "a NULL string: varlen 0");
	is_int(copy_bcp_varlen(SYBCHAR, NULL, 0, 1, 1), COPY_BCP_NULL,
		   "a NULL for a NOT NULL field is refused (its DEFAULT would take its place)");
	is_int(copy_bcp_varlen(SYBINT4, NULL, 0, 1, 0), COPY_BCP_NULL, "... of any type");
	is_int(copy_bcp_varlen(SYBCHAR, text, 2, 1, 1), 2, "a string: its length");
	is_int(copy_bcp_varlen(SYBCHAR, text, 0, 0, 0), COPY_BCP_EMPTY,
		   "an empty string where no DEFAULT '' stands for it cannot be sent");
	is_int(copy_bcp_varlen(SYBCHAR, text, 0, 1, 0), COPY_BCP_EMPTY, "... nor into NOT NULL without that DEFAULT");
	is_int(copy_bcp_varlen(SYBBINARY, four, 0, 0, 0), COPY_BCP_EMPTY, "nor an empty binary");
	is_int(copy_bcp_varlen(SYBCHAR, text, 0, 1, 1), 0,
		   "into NOT NULL with DEFAULT '': sent as NULL, which the DEFAULT turns into ''");

	ok(copy_bcp_empty_default("(N'')") && copy_bcp_empty_default("('')") &&
	   copy_bcp_empty_default("((N''))"), "DEFAULT N'' and '' are the empty string");
	ok(!copy_bcp_empty_default("(N' ')") && !copy_bcp_empty_default("((0))") &&
	   !copy_bcp_empty_default("(getutcdate())") && !copy_bcp_empty_default(NULL),
	   "a space, 0, a function or no default are not");
}

/* ---- the SELECT in T-SQL ---- */

static const char *const mapping =
"{ \"source_schema\": \"dbo\", \"target_schema\": \"dbo\", \"tables\": ["
"  { \"table\": \"CUSTTABLE\", \"fields\": [ { \"field\": \"ACCOUNTNUM\", \"option\": \"ltrim\" } ],"
"    \"shadow\": { \"table\": \"SHD_CUSTTABLE\", \"join\": \"left\" } } ] }";

/*
 * The plan of the fixture copied to itself on SQL Server, where the
 * target's BADTYPE has a field more (NEWFIELD): its --explain text into
 * explain (may be NULL); the SELECT of every table to copy, and SALESLINE's
 * cut in three RECID ranges, into out.
 */
static void
render_selects(struct strbuf *out, struct strbuf *explain)
{
	struct upkit_diags diags = UPKIT_DIAGS_INIT;
	struct upkit_rows state = UPKIT_ROWS_INIT;
	struct copy_plan plan = {0};
	struct copy_options opt = {0};
	const char *fixture = "tests/fixtures/copy/mssql_catalog.json";

	if (copy_mapping_read_text("map.json", mapping, &plan.mapping, &diags) != 0 ||
		copy_catalog_mssql_fixture(fixture, UPKIT_DIALECT_MSSQL, &plan.src, &state, &diags) != 0 ||
		copy_catalog_mssql_fixture(fixture, UPKIT_DIALECT_MSSQL, &plan.dst, NULL, &diags) != 0)
	{
		upkit_diags_print(&diags, stderr);
		exit(1);
	}
	for (int i = 0; i < plan.dst.ntables; i++)
	{
		if (strcmp(plan.dst.tables[i].name, "BADTYPE") == 0)
			copy_table_add_column(&plan.dst.tables[i], "NEWFIELD", "int");
		/* the target's SALESLINE.RECID is an IDENTITY column: the INSERT writer */
		if (strcmp(plan.dst.tables[i].name, "SALESLINE") == 0)
			plan.dst.tables[i].cols[0].identity = 1;
	}
	copy_map(&plan.src, &plan.dst, &plan.mapping, &plan.map, &diags);
	if (diags.n > 0)
	{
		upkit_diags_print(&diags, stderr);
		exit(1);
	}
	copy_plan_tables(&plan, &opt);
	for (int i = 0; i < plan.ntables; i++)
		if (plan.tables[i].state == COPY_STATE_TODO)
		{
			copy_plan_render(&plan.tables[i], UPKIT_DIALECT_MSSQL);
			plan.tables[i].writer = copy_target_mssql.writer(&plan.tables[i]);
			copy_plan_refuse_unfilled(&plan.tables[i]);
		}
	if (explain)
		copy_explain_text(explain, &plan);
	for (int i = 0; i < plan.ntables; i++)
	{
		struct copy_table_plan *t = &plan.tables[i];
		static struct copy_range three[3] = {{0, 0, 1, 0, 5637144600LL, 0, 0, 0},
		{1, 1, 1, 5637144600LL, 5637144700LL, 0, 0, 0},
		{2, 1, 0, 5637144700LL, 0, 0, 0, 0}};

		if (t->state != COPY_STATE_TODO)
			continue;
		sb_appendf(out, "-- %s -> %s\n%s;\nGO\n", t->map->src->name, t->map->dst->name, t->select_sql);
		if (strcmp(t->map->src->name, "SALESLINE") == 0)
		{
			t->ranges = three;
			t->nranges = 3;
			for (int r = 0; r < 3; r++)
			{
				sb_appendf(out, "-- %s range %d of 3\n", t->map->src->name, r + 1);
				copy_range_sql(out, t, r);
				sb_append(out, ";\nGO\n");
			}
			t->ranges = NULL;
			t->nranges = 0;
		}
		sb_appendf(out, "-- its count\nSELECT COUNT_BIG(*)%s;\nGO\n", t->from_sql);
	}
	upkit_rows_free(&state);
	copy_plan_free(&plan);
	upkit_diags_free(&diags);
}

static void
print_ledger(void)
{
	const struct copy_ledger_sql *L = copy_target_mssql.ledger;
	const char *s[] = {L->exists, L->read, L->insert, L->claim, L->done, L->totals};

	for (size_t i = 0; i < sizeof s / sizeof *s; i++)
		printf("%s;\nGO\n", s[i]);
}

/* got matches the golden file (UPKIT_GOLDEN_UPDATE=1 rewrites it first). */
static void
golden_is(const struct strbuf *got, const char *golden, const char *label)
{
	struct upkit_diags diags = UPKIT_DIAGS_INIT;
	struct strbuf want = STRBUF_INIT;
	FILE	   *f;

	if (getenv("UPKIT_GOLDEN_UPDATE") && (f = fopen(golden, "w")) != NULL)
	{
		fputs(sb_str(got), f);
		fclose(f);
	}
	if (upkit_read_text_file(golden, "a golden file is text", &want, &diags) != 0)
		upkit_diags_print(&diags, stderr);
	if (!is_str(sb_str(got), sb_str(&want), label))
		fprintf(stderr, "# got:\n%s", sb_str(got));
	sb_free(&want);
	upkit_diags_free(&diags);
}

static void
test_selects(void)
{
	struct strbuf text = STRBUF_INIT;
	struct strbuf explain = STRBUF_INIT;

	render_selects(&text, &explain);
	golden_is(&text, "tests/fixtures/copy/mssql_select.sql",
			  "the T-SQL SELECTs of the SQL Server fixture match the golden file");
	golden_is(&explain, "tests/fixtures/copy/mssql_mssql_explain.txt",
			  "--explain of the fixture copied SQL Server to SQL Server matches the golden file");
	ok(strstr(sb_str(&explain), "error: target field NEWFIELD gets no value: the bulk copy into SQL Server"
				  " sends every field") != NULL, "a target field the mapping leaves empty refuses the table");
	ok(strstr(sb_str(&explain), "dbo.SALESLINE -> dbo.SALESLINE  [same name]  to copy\n"
			  "  writer: INSERT under SET IDENTITY_INSERT ON\n") != NULL &&
	   strstr(sb_str(&explain), "  to copy\n  writer: bcp (db-lib bulk copy)\n  affected: shadow SHD_CUSTTABLE") != NULL,
	   "--explain names each table's writer: INSERT for the IDENTITY target, bcp for the other");
	ok(strstr(sb_str(&explain), "ACCOUNTNUM             -> ACCOUNTNUM             same name, LTRIM  nvarchar(20)") != NULL,
	   "LTRIM on an nvarchar field, types in SQL Server's spelling");
	ok(strstr(sb_str(&text), "LTRIM(src.[ACCOUNTNUM])") != NULL, "ltrim is T-SQL's LTRIM");
	ok(strstr(sb_str(&text), "LEFT JOIN [dbo].[SHD_CUSTTABLE] AS shd ON shd.[REFRECID] = src.[RECID]") != NULL,
	   "the shadow is joined on REFRECID, with [quoted] names");
	ok(strstr(sb_str(&text), "pg_catalog") == NULL && strstr(sb_str(&text), "\"") == NULL,
	   "nothing of PostgreSQL's spelling");
	ok(strstr(sb_str(&text), "[BADTYPE]") == NULL, "a refused table has no SELECT");
	sb_free(&text);
	sb_free(&explain);
}

static void
test_ledger_sql(void)
{
	const struct copy_ledger_sql *ms = copy_target_mssql.ledger;
	const struct copy_ledger_sql *pg = copy_target_pg.ledger;

	ok(strstr(ms->claim, "UPDLOCK") && strstr(ms->claim, "HOLDLOCK") && strstr(ms->claim, "[DONE] = 0"),
	   "SQL Server's claim holds the row's update lock and takes only a range not done");
	ok(strstr(pg->claim, "FOR UPDATE") && strstr(pg->claim, "NOT done"), "PostgreSQL's claim locks the row");
	ok(strstr(ms->insert, "@P8") && !strstr(ms->insert, "@P9") && strstr(pg->insert, "$8"),
	   "the ledger rows take eight parameters on both");
	ok(strstr(ms->done, "[DONE] = 1") && strstr(ms->done, "@P5"), "done marks the range with its counts");
}

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--print-tsql") == 0)
	{
		struct strbuf text = STRBUF_INIT;

		render_selects(&text, NULL);
		fputs(sb_str(&text), stdout);
		print_ledger();
		sb_free(&text);
		return 0;
	}
	plan(75);
	test_endpoints();
	test_paths();
	test_bcp_binding();
	test_selects();
	test_ledger_sql();
	return done();
}
