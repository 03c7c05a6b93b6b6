/*
 * test_copy_mssql.c: SQL Server to PostgreSQL without a server: the type
 * mapping (copy_mssql_types.c), db-lib values written as COPY text
 * (copy_mssql_encode.c: escapes, NULL, datetime ticks and AX's 1900-01-01,
 * uniqueidentifier's byte order, varbinary, DBNUMERIC, wrong lengths and
 * unknown types), the catalog reader on a fixture file and its problems
 * (copy_catalog_mssql.c), readiness from UPKIT_DELTA_STATE rows, and the
 * mapping of that catalog against a PostgreSQL target reporting per field:
 * --explain's text for it matches tests/fixtures/copy/mssql_explain.txt
 * (UPKIT_GOLDEN_UPDATE=1 rewrites it after an intended change).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sybdb.h>

#include "copy_catalog_mssql.h"
#include "copy_map.h"
#include "copy_mapfile.h"
#include "copy_mssql.h"
#include "copy_plan.h"
#include "spec.h"
#include "strbuf.h"
#include "copy_tables.h"
#include "tap.h"

static void
type_is(const char *name, int max_length, int precision, int scale, const char *pg,
		const char *sql)
{
	struct copy_mssql_type t = {name, max_length, precision, scale};
	struct strbuf a = STRBUF_INIT;
	struct strbuf b = STRBUF_INIT;
	char		label[128];

	copy_mssql_type_pg(&a, &t);
	copy_mssql_type_sql(&b, &t);
	snprintf(label, sizeof label, "%s maps to %s", sql, pg);
	is_str(sb_str(&a), pg, label);
	snprintf(label, sizeof label, "%s is spelt %s", name, sql);
	is_str(sb_str(&b), sql, label);
	sb_free(&a);
	sb_free(&b);
}

static void
value_is(int systype, const void *data, int len, const char *want, const char *label)
{
	struct strbuf sb = STRBUF_INIT;
	char		msg[200] = "";
	int			rc = copy_text_dblib_value(&sb, systype, data, len, msg, sizeof msg);

	if (!is_int(rc, 0, label))
		fprintf(stderr, "# %s\n", msg);
	is_str(sb_str(&sb), want, label);
	sb_free(&sb);
}

static void
value_fails(int systype, const void *data, int len, const char *want_msg, const char *label)
{
	struct strbuf sb = STRBUF_INIT;
	char		msg[200] = "";

	is_int(copy_text_dblib_value(&sb, systype, data, len, msg, sizeof msg), -1, label);
	ok(strstr(msg, want_msg) != NULL, want_msg);
	if (strstr(msg, want_msg) == NULL)
		fprintf(stderr, "# got: %s\n", msg);
	sb_free(&sb);
}

static void
test_types(void)
{
	type_is("nvarchar", 40, 0, 0, "character varying(20)", "nvarchar(20)");
	type_is("nvarchar", -1, 0, 0, "text", "nvarchar(max)");
	type_is("NVARCHAR", 8, 0, 0, "character varying(4)", "NVARCHAR(4)");
	type_is("nchar", 6, 0, 0, "character(3)", "nchar(3)");
	type_is("varchar", 10, 0, 0, "character varying(10)", "varchar(10)");
	type_is("int", 4, 10, 0, "integer", "int");
	type_is("bigint", 8, 19, 0, "bigint", "bigint");
	type_is("numeric", 17, 32, 16, "numeric(32,16)", "numeric(32,16)");
	type_is("decimal", 9, 12, 2, "numeric(12,2)", "decimal(12,2)");
	type_is("datetime", 8, 23, 3, "timestamp without time zone", "datetime");
	type_is("uniqueidentifier", 16, 0, 0, "uuid", "uniqueidentifier");
	type_is("varbinary", -1, 0, 0, "bytea", "varbinary(max)");
	type_is("varbinary", 16, 0, 0, "bytea", "varbinary(16)");
	type_is("image", 16, 0, 0, "bytea", "image");
	type_is("ntext", 16, 0, 0, "text", "ntext");
	type_is("date", 3, 10, 0, "date", "date");
	type_is("sql_variant", 8016, 0, 0, "sql_variant (SQL Server; no PostgreSQL mapping)",
			"sql_variant");
	type_is("datetime2", 8, 27, 7, "datetime2(7) (SQL Server; no PostgreSQL mapping)",
			"datetime2(7)");

	{
		struct copy_mssql_type t = {"xml", -1, 0, 0};
		struct strbuf sb = STRBUF_INIT;

		is_int(copy_mssql_type_pg(&sb, &t), -1, "an unmapped type says so");
		sb_free(&sb);
		is_int(copy_mssql_type_for(&sb, &t, UPKIT_DIALECT_MSSQL), 0,
			   "any type is spelt for a SQL Server target");
		is_str(sb_str(&sb), "xml", "as SQL Server spells it");
		sb_free(&sb);
	}
}

static void
test_values(void)
{
	int32_t		i4 = -2147483647 - 1;
	int64_t		i8 = 5637144576LL;
	int16_t		i2 = -7;
	unsigned char i1 = 255;
	double		f8 = 0.1;
	DBDATETIME	empty = {0, 0};	/* AX's empty date */
	DBDATETIME	tick = {45000, 300 * 3661 + 1};
	DBDATETIME	old = {-53690, 0};	/* 1753-01-01, datetime's first day */
	DBDATETIME	last = {2958463, 25919999};	/* 9999-12-31 23:59:59.997 */
	DBDATETIME4 small = {36525, 61};
	DBDATETIMEALL day;
	/* 6F9619FF-8B86-D011-B42D-00C04FC964FF as SQL Server stores it */
	unsigned char guid[16] = {0xff, 0x19, 0x96, 0x6f, 0x86, 0x8b, 0x11, 0xd0, 0xb4, 0x2d, 0x00,
	0xc0, 0x4f, 0xc9, 0x64, 0xff};
	unsigned char bin[3] = {0x00, 0x0a, 0xff};
	DBNUMERIC	n = {0};

	memset(&day, 0, sizeof day);
	value_is(SYBNVARCHAR, "a\tb\nc\\d\re", 9, "a\\tb\\nc\\\\d\\re", "text escapes tab, newline, backslash, CR");
	value_is(SYBNVARCHAR, "Müller", 7, "Müller", "UTF-8 passes unchanged");
	value_is(SYBNVARCHAR, "", 0, "", "an empty string stays empty, not NULL");
	value_is(SYBNVARCHAR, NULL, 0, "\\N", "NULL is \\N");
	value_is(SYBCHAR, "\\N", 2, "\\\\N", "the text \\N is not NULL");
	value_is(SYBINT4, &i4, 4, "-2147483648", "int");
	value_is(SYBINT8, &i8, 8, "5637144576", "bigint (a RECID)");
	value_is(SYBINT2, &i2, 2, "-7", "smallint");
	value_is(SYBINT1, &i1, 1, "255", "tinyint is unsigned");
	value_is(SYBFLT8, &f8, 8, "0.10000000000000001", "float keeps every digit");
	value_is(SYBDATETIME, &empty, 8, "1900-01-01 00:00:00", "AX's empty date stays 1900-01-01");
	value_is(SYBDATETIME, &tick, 8, "2023-03-17 01:01:01.003333", "one tick is 3333 microseconds");
	value_is(SYBDATETIME, &old, 8, "1753-01-01 00:00:00", "datetime's first day");
	value_is(SYBDATETIME, &last, 8, "9999-12-31 23:59:59.996667", "datetime's last tick");
	value_is(SYBDATETIME4, &small, 4, "2000-01-02 01:01:00", "smalldatetime");
	day.date = 0;
	value_is(SYBMSDATE, &day, (int) sizeof day, "1900-01-01", "date: day 0 is 1900-01-01");
	day.date = -693595;
	value_is(SYBMSDATE, &day, (int) sizeof day, "0001-01-01", "date: its first day");
	day.date = 2958463;
	value_is(SYBMSDATE, &day, (int) sizeof day, "9999-12-31", "date: its last day");
	value_fails(SYBMSDATE, &day, 3, "has 3 bytes", "a date of the wrong length");
	value_is(COPY_MSSQL_SYBUNIQUE, guid, 16, "6f9619ff-8b86-d011-b42d-00c04fc964ff",
			 "uniqueidentifier: the first three groups are little-endian");
	value_is(SYBVARBINARY, bin, 3, "\\\\x000aff", "varbinary as bytea hex, backslash doubled");
	value_is(SYBVARBINARY, bin, 0, "\\\\x", "an empty varbinary");

	/* numeric(32,16): 15 bytes, sign first, magnitude big-endian */
	n.precision = 32;
	n.scale = 16;
	n.array[0] = 1;
	/* 125000000000000000 = 12.5 at scale 16 = 0x01BC16D674EC8000 */
	memcpy(n.array + 15 - 8, "\x01\xbc\x16\xd6\x74\xec\x80\x00", 8);
	value_is(SYBNUMERIC, &n, (int) sizeof n, "-12.5000000000000000", "numeric(32,16), negative");
	memset(n.array, 0, sizeof n.array);
	n.array[14] = 5;
	value_is(SYBNUMERIC, &n, (int) sizeof n, "0.0000000000000005", "numeric(32,16), tiny");
	memset(n.array, 0, sizeof n.array);
	value_is(SYBNUMERIC, &n, (int) sizeof n, "0.0000000000000000", "numeric zero");
	n.precision = 10;
	n.scale = 0;
	n.array[1] = 0xff;			/* 6 bytes: 0xff00000000 has 13 digits > 10 */
	value_fails(SYBNUMERIC, &n, (int) sizeof n, "numeric(10,0) value whose bytes", "too many digits");

	value_fails(SYBINT4, &i8, 8, "has 8 bytes, not 4", "an int of the wrong length");
	value_fails(SYBMSDATETIME2, &i8, 8, "db-lib type 42 has no COPY text encoding", "datetime2 is refused");
}

static void
test_catalog(void)
{
	struct upkit_diags diags = UPKIT_DIAGS_INIT;
	struct upkit_rows state = UPKIT_ROWS_INIT;
	struct copy_db_desc src;
	const struct copy_table_desc *t;
	struct strbuf note = STRBUF_INIT;

	is_int(copy_catalog_mssql_fixture("tests/fixtures/copy/mssql_catalog.json", UPKIT_DIALECT_PG,
									  &src, &state, &diags), 0, "the fixture catalog reads");
	upkit_diags_print(&diags, stderr);
	t = copy_db_find(&src, "CUSTTABLE");
	ok(t != NULL && t->tabid == 77, "CUSTTABLE with its table id from SQLDICTIONARY");
	ok(src.has_dictionary, "SQLDICTIONARY seen");
	if (t)
	{
		is_str(copy_table_column(t, "ACCOUNTNUM")->type, "character varying(20)", "ACCOUNTNUM's type for PostgreSQL");
		is_str(copy_table_column(t, "ACCOUNTNUM")->native, "nvarchar(20)", "and its SQL Server spelling, for messages");
		ok(copy_table_column(t, "RECID")->native == NULL, "none where both spell it alike");
		ok(copy_table_column(t, "ACCOUNTNUM")->notnull, "NOT NULL from IS_NULLABLE 0");
		ok(copy_table_column(t, "RECID")->hasdefault == 0, "no default");
	}
	copy_db_desc_free(&src);

	is_int(copy_catalog_mssql_ready_rows(&state, "dbo.SHD_CUSTTABLE", &note), 1, "ready when every company is");
	is_str(sb_str(&note), "[dbo].[UPKIT_DELTA_STATE]: every company of dbo.SHD_CUSTTABLE READY_TO_COPY", "ready note");
	sb_free(&note);
	is_int(copy_catalog_mssql_ready_rows(&state, "dbo.SHD_VENDTABLE", &note), 0, "not ready when one company is not");
	is_str(sb_str(&note), "[dbo].[UPKIT_DELTA_STATE]: the latest delta run changed something (company ceu)", "not-ready note names the company");
	sb_free(&note);
	is_int(copy_catalog_mssql_ready_rows(&state, "dbo.SHD_OTHER", &note), 0, "not ready without a row");
	ok(strstr(sb_str(&note), "no row for dbo.SHD_OTHER") != NULL, "no-row note");
	sb_free(&note);
	upkit_rows_free(&state);

	is_int(copy_catalog_mssql_fixture("tests/fixtures/copy/mssql_catalog_bad.json", UPKIT_DIALECT_PG,
									  &src, NULL, &diags), -1, "a malformed fixture is refused");
	ok(upkit_diags_has(&diags, NULL, "column row 1: needs TABLE, COLUMN, TYPE and five whole numbers"),
	   "the bad row is named");
	copy_db_desc_free(&src);
	upkit_diags_free(&diags);
	is_int(copy_catalog_mssql_fixture("tests/fixtures/copy/no-such.json", UPKIT_DIALECT_PG,
									  &src, NULL, &diags), -1, "a missing fixture is refused");
	ok(diags.n == 1, "with one problem");
	copy_db_desc_free(&src);
	upkit_diags_free(&diags);
}


static const char *const golden_mapping =
"{ \"source_schema\": \"dbo\", \"target_schema\": \"public\", \"tables\": ["
"  { \"table\": \"CUSTTABLE\", \"fields\": [ { \"field\": \"ACCOUNTNUM\", \"option\": \"ltrim\" } ],"
"    \"shadow\": { \"table\": \"SHD_CUSTTABLE\", \"join\": \"left\" } } ] }";

static void
test_golden_explain(void)
{
	const char *golden = "tests/fixtures/copy/mssql_explain.txt";
	struct upkit_diags diags = UPKIT_DIAGS_INIT;
	struct upkit_rows state = UPKIT_ROWS_INIT;
	struct copy_plan plan = {0};
	struct copy_options opt = {0};
	struct strbuf text = STRBUF_INIT;
	struct strbuf want = STRBUF_INIT;
	FILE	   *f;

	is_int(copy_mapping_read_text("map.json", golden_mapping, &plan.mapping, &diags), 0, "the mapping reads");
	is_int(copy_catalog_mssql_fixture("tests/fixtures/copy/mssql_catalog.json", UPKIT_DIALECT_PG,
									  &plan.src, &state, &diags), 0, "the source catalog reads");
	plan.dst.schema = xstrdup("public");
	add_table(&plan.dst, "custtable", 77,
			  "recid:bigint;dataareaid:character varying(4);accountnum:character varying(20);"
			  "name:character varying(60);custgroup:character varying(10);blocked:integer");
	add_table(&plan.dst, "salesline", 359,
			  "recid:bigint;dataareaid:character varying(4);itemid:character varying(20);"
			  "qty:numeric(32,16);created:timestamp without time zone;guid:uuid;picture:bytea;"
			  "code:character(3)");
	add_table(&plan.dst, "badtype", 900,
			  "recid:bigint;amount:numeric(10,2);txt:character varying(30);variant:text");
	copy_map(&plan.src, &plan.dst, &plan.mapping, &plan.map, &diags);
	is_int(diags.n, 0, "no problem with the mapping file");
	upkit_diags_print(&diags, stderr);
	copy_plan_tables(&plan, &opt);
	/* What copy_plan_build asks the server for affected tables, from the fixture's state rows. */
	for (int i = 0; i < plan.ntables; i++)
	{
		struct copy_table_plan *t = &plan.tables[i];
		struct strbuf key = STRBUF_INIT;
		struct strbuf note = STRBUF_INIT;

		if (t->map->shadow == NULL || t->state != COPY_STATE_TODO)
			continue;
		sb_appendf(&key, "%s.%s", t->src_schema, t->map->shadow->name);
		if (copy_catalog_mssql_ready_rows(&state, sb_str(&key), &note) == 0)
			copy_plan_refuse(t, "not ready for copy: %s", sb_str(&note));
		t->ready_note = xstrdup(sb_str(&note));
		sb_free(&key);
		sb_free(&note);
	}
	copy_explain_text(&text, &plan);
	if (getenv("UPKIT_GOLDEN_UPDATE") && (f = fopen(golden, "w")) != NULL)
	{
		fputs(sb_str(&text), f);
		fclose(f);
	}
	ok(upkit_read_text_file(golden, "a golden file is text", &want, &diags) == 0, "the golden file reads");
	if (!is_str(sb_str(&text), sb_str(&want), "--explain of the SQL Server fixture matches the golden file"))
		fprintf(stderr, "# got:\n%s", sb_str(&text));
	sb_free(&text);
	sb_free(&want);
	upkit_rows_free(&state);
	copy_plan_free(&plan);
	upkit_diags_free(&diags);
}

int
main(void)
{
	plan(118);
	test_types();
	test_values();
	test_catalog();
	test_golden_explain();
	return done();
}
