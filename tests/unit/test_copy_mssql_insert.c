/*
 * test_copy_mssql_insert.c: the INSERT writer of a SQL Server target
 * without a server: every db-lib type the copy carries written as a T-SQL
 * literal (copy_mssql_literal.c), hostile text, NULL, refused types and
 * wrong lengths; the list of SQL Server types with a literal
 * (COPY_TSQL_LITERAL_TYPES, copy_tsql_literal_type) against the writer; and which writer a target table gets
 * (copy_mssql_writer.c): bcp without IDENTITY, INSERT under
 * IDENTITY_INSERT with one the mapping fills, refusals naming the field;
 * the INSERT statements it builds.  --print-tsql prints a load's T-SQL
 * (SET IDENTITY_INSERT ON, a multi-row INSERT with a literal of every type
 * and hostile text, OFF) for tests/tsql/parse.t.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <sybfront.h>
#include <sybdb.h>

#include "copy_catalog_mssql.h"
#include "copy_map.h"
#include "copy_mssql.h"
#include "diag.h"
#include "copy_side.h"
#include "strbuf.h"
#include "tap.h"

static void
lit_is(int type, const void *data, int len, const char *want, const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	char		msg[160] = "";

	if (copy_tsql_literal(&sb, type, data, len, msg, sizeof msg) != 0)
		sb_appendf(&sb, "(refused: %s)", msg);
	is_str(sb_str(&sb), want, name);
	sb_free(&sb);
}

static void
lit_refused(int type, const void *data, int len, const char *want_msg, const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	char		msg[160] = "";
	int			rc = copy_tsql_literal(&sb, type, data, len, msg, sizeof msg);

	ok(rc == -1 && strstr(msg, want_msg) != NULL, name);
	if (strstr(msg, want_msg) == NULL)
		fprintf(stderr, "# got: %s\n", msg);
	sb_free(&sb);
}

static void
literals(void)
{
	int8_t		i1 = 7;
	int16_t		i2 = -300;
	int32_t		i4 = -2147483647 - 1;
	int64_t		i8 = 5637144576LL;
	double		f8 = 0.5;
	float		f4 = -1.25f;
	unsigned char bit = 1;
	DBDATETIME	empty = {0, 0};
	DBDATETIME	tick = {45000, 300 * 3661 + 1};
	DBDATETIME	two = {45000, 2};
	DBDATETIME	last = {2958463, 25919999};
	DBDATETIME4 small = {1, 61};
	DBNUMERIC	num;
	DBDATETIMEALL date;
	unsigned char guid[16] = {0xff, 0x19, 0x96, 0x6f, 0x86, 0x8b, 0x11, 0xd0,
	0xb4, 0x2d, 0x00, 0xc0, 0x4f, 0xc9, 0x64, 0xff};
	unsigned char bin[3] = {0x00, 0x0a, 0xff};
	const char *hostile = "O'Brien'); DROP TABLE [x]; --\t\\n\xc3\xa9";
	double		inf = 1e308 * 10;

	lit_is(SYBINT4, NULL, 0, "NULL", "NULL");
	lit_is(SYBINT1, &i1, 1, "7", "tinyint");
	lit_is(SYBINT2, &i2, 2, "-300", "smallint");
	lit_is(SYBINT4, &i4, 4, "-2147483648", "int, its lowest");
	lit_is(SYBINT8, &i8, 8, "5637144576", "bigint");
	lit_is(SYBFLT8, &f8, 8, "0.5", "float");
	lit_is(SYBREAL, &f4, 4, "-1.25", "real");
	lit_is(SYBBIT, &bit, 1, "1", "bit");
	lit_is(SYBNVARCHAR, "plain", 5, "N'plain'", "nvarchar");
	lit_is(SYBCHAR, "", 0, "N''", "an empty string is itself (not NULL)");
	lit_is(SYBVARCHAR, hostile, (int) strlen(hostile),
		   "N'O''Brien''); DROP TABLE [x]; --\t\\n\xc3\xa9'", "hostile text: quotes doubled, the rest kept");
	lit_is(SYBTEXT, "''", 2, "N''''''", "text of quotes only");
	lit_refused(SYBNVARCHAR, "a\0b", 3, "NUL byte", "text with a NUL byte: refused");
	lit_is(SYBVARBINARY, bin, 3, "0x000AFF", "varbinary");
	lit_is(SYBBINARY, bin, 0, "0x", "an empty binary");
	lit_is(SYBIMAGE, bin, 1, "0x00", "image");
	lit_is(SYBDATETIME, &empty, (int) sizeof empty, "CONVERT(DATETIME, '1900-01-01 00:00:00.000', 121)",
		   "datetime: AX's empty date");
	lit_is(SYBDATETIME, &tick, (int) sizeof tick, "CONVERT(DATETIME, '2023-03-17 01:01:01.003', 121)",
		   "datetime: one tick is .003");
	lit_is(SYBDATETIME, &two, (int) sizeof two, "CONVERT(DATETIME, '2023-03-17 00:00:00.007', 121)",
		   "datetime: two ticks are .007");
	lit_is(SYBDATETIME, &last, (int) sizeof last, "CONVERT(DATETIME, '9999-12-31 23:59:59.997', 121)",
		   "datetime: its last tick");
	lit_is(SYBDATETIME4, &small, (int) sizeof small, "CONVERT(DATETIME, '1900-01-02 01:01:00', 121)",
		   "smalldatetime");
	memset(&num, 0, sizeof num);
	num.precision = 32;
	num.scale = 16;
	num.array[0] = 1;			/* db-lib's sign byte: 1 is negative */
	num.array[14] = 0x05;
	lit_is(SYBNUMERIC, &num, (int) sizeof num, "-0.0000000000000005", "numeric(32,16), negative");
	memset(&date, 0, sizeof date);
	date.date = 45000;
	lit_is(SYBMSDATE, &date, (int) sizeof date, "CONVERT(DATE, '2023-03-17', 23)", "date");
	memset(&date, 0, sizeof date);
	date.date = 45000;
	date.time = 3661ULL * 10000000 + 1234567;
	lit_is(SYBMSDATETIME2, &date, (int) sizeof date,
		   "CONVERT(DATETIME2(7), '2023-03-17 01:01:01.1234567', 121)", "datetime2: 100 ns units");
	date.time = 864000000000ULL;
	lit_refused(SYBMSDATETIME2, &date, (int) sizeof date, "past 24 hours", "datetime2 past midnight: refused");
	lit_is(COPY_MSSQL_SYBUNIQUE, guid, 16,
		   "CONVERT(UNIQUEIDENTIFIER, '6f9619ff-8b86-d011-b42d-00c04fc964ff')", "uniqueidentifier");
	lit_refused(SYBINT4, &i4, 2, "bytes, not 4", "an int of the wrong length: refused");
	lit_refused(SYBBIT, &bit, 2, "length", "a bit of the wrong length: refused");
	lit_refused(SYBDATETIME, &empty, 3, "length", "a datetime of the wrong length: refused");
	lit_refused(SYBMONEY, &i8, 8, "no T-SQL literal", "money: no literal, refused");
	lit_refused(SYBFLT8, &inf, 8, "not a number", "an infinite float: refused");
}

/* A valid value of db-lib type systype in buf (64 bytes); its length. */
static int
sample(int systype, unsigned char *buf)
{
	memset(buf, 0, 64);
	switch (systype)
	{
		case SYBNUMERIC:
		case SYBDECIMAL:
			((DBNUMERIC *) buf)->precision = 18;
			((DBNUMERIC *) buf)->scale = 2;
			return (int) sizeof(DBNUMERIC);
		case SYBDATETIME:
			return (int) sizeof(DBDATETIME);
		case SYBDATETIME4:
			return (int) sizeof(DBDATETIME4);
		case SYBMSDATE:
		case SYBMSDATETIME2:
			return (int) sizeof(DBDATETIMEALL);
		case SYBINT2:
			return 2;
		case SYBINT4:
		case SYBREAL:
			return 4;
		case SYBINT8:
		case SYBFLT8:
			return 8;
		case COPY_MSSQL_SYBUNIQUE:
			return 16;
		default:
			/* one byte: a tinyint, a bit, a character, a binary */
			buf[0] = 'x';
			return 1;
	}
}

/*
 * The list of types with a literal (COPY_TSQL_LITERAL_TYPES) and the
 * writer agree: every type on it is accepted by copy_tsql_literal_type (in
 * any case) and gets a literal; every other db-lib type is refused by the
 * writer as having none; SQL Server's other system types are refused by
 * the predicate.
 */
static void
literal_types(void)
{
	static const struct
	{
		const char *name;
		int			systype;
	}			listed[] = {
#define LISTED(type, systype) {#type, systype},
		COPY_TSQL_LITERAL_TYPES(LISTED)
#undef LISTED
	};
	/* the others, as sys.types names them (TYPE_NAME(system_type_id)) */
	static const char *const others[] = {
		"money", "smallmoney", "time", "datetimeoffset", "ntext", "sql_variant", "xml",
		"geography", "geometry", "hierarchyid", "timestamp", "sysname", "",
	};
	unsigned char buf[64];
	char		upper[32];
	int			good = 1;

	for (size_t i = 0; i < sizeof listed / sizeof listed[0]; i++)
	{
		struct strbuf sb = STRBUF_INIT;
		char		msg[160] = "";
		int			len = sample(listed[i].systype, buf);

		snprintf(upper, sizeof upper, "%s", listed[i].name);
		for (char *c = upper; *c; c++)
			*c = (char) toupper((unsigned char) *c);
		if (!copy_tsql_literal_type(listed[i].name) || !copy_tsql_literal_type(upper) ||
			copy_tsql_literal(&sb, listed[i].systype, buf, len, msg, sizeof msg) != 0 ||
			strcmp(sb_str(&sb), "NULL") == 0)
			good = 0, fprintf(stderr, "# %s (db-lib %d): %s\n", listed[i].name, listed[i].systype, msg);
		sb_free(&sb);
	}
	ok(good && sizeof listed / sizeof listed[0] == 22,
	   "every SQL Server type on the list of literals gets one from the writer");
	good = 1;
	for (int t = 0; t < 256; t++)
	{
		struct strbuf sb = STRBUF_INIT;
		char		msg[160] = "";
		int			on_list = t == SYBBITN;	/* bit as a nullable bit: read as bit is */

		for (size_t i = 0; i < sizeof listed / sizeof listed[0]; i++)
			on_list |= listed[i].systype == t;
		if (!on_list && (copy_tsql_literal(&sb, t, buf, sample(t, buf), msg, sizeof msg) != -1 ||
						 strstr(msg, "has no T-SQL literal") == NULL))
			good = 0, fprintf(stderr, "# db-lib type %d is not on the list but: %s%s\n", t, sb_str(&sb), msg);
		sb_free(&sb);
	}
	ok(good, "every db-lib type off the list is refused by the writer as having no literal");
	good = 1;
	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
		if (copy_tsql_literal_type(others[i]))
			good = 0, fprintf(stderr, "# %s has a literal?\n", others[i]);
	ok(good, "SQL Server's other types (money, time, xml, timestamp, ...) have none");
}

static void
writer_is(const struct copy_mssql_tcol *tc, int ntc, const char *const *cols, int n, int want,
		  const char *want_err, const char *name)
{
	struct strbuf err = STRBUF_INIT;
	int			colno[8];
	int			w = copy_mssql_writer_choose("[dbo].[T]", tc, ntc, cols, n, colno, &err);

	if (want_err)
	{
		ok(w == -1 && strstr(sb_str(&err), want_err) != NULL, name);
		if (strstr(sb_str(&err), want_err) == NULL)
			fprintf(stderr, "# got: %s\n", sb_str(&err));
	}
	else
		is_int(w, want, name);
	sb_free(&err);
}

static void
writers(void)
{
	struct copy_mssql_tcol plain[] = {{"RECID", 0, 0}, {"NAME", 0, 0}};
	struct copy_mssql_tcol ident[] = {{"RUN_ID", 1, 0}, {"NAME", 0, 0}, {"CALC", 0, 1}};
	const char *both[] = {"recid", "NAME"};
	const char *run[] = {"NAME", "RUN_ID"};
	const char *name_only[] = {"NAME"};
	const char *extra[] = {"RECID", "NAME", "NOPE"};
	struct strbuf err = STRBUF_INIT;
	int			colno[4];

	writer_is(plain, 2, both, 2, COPY_MSSQL_BCP, NULL, "no IDENTITY column: bcp");
	writer_is(ident, 3, run, 2, COPY_MSSQL_INSERT, NULL, "an IDENTITY column the mapping fills: INSERT");
	copy_mssql_writer_choose("[dbo].[T]", ident, 3, run, 2, colno, &err);
	ok(colno[0] == 2 && colno[1] == 1, "... each plan column's table column, the computed one skipped");
	writer_is(ident, 3, name_only, 1, -1, "field RUN_ID of [dbo].[T] gets no value from the mapping: it is an IDENTITY",
			  "an IDENTITY column the mapping leaves out: refused, named");
	writer_is(plain, 2, name_only, 1, -1, "field RECID of [dbo].[T] gets no value", "any other field left out: refused");
	writer_is(plain, 2, extra, 3, -1, "target table [dbo].[T] has no field NOPE", "a plan column the table lacks");
	is_str(copy_mssql_writer_name(COPY_MSSQL_INSERT), "INSERT under SET IDENTITY_INSERT ON", "the INSERT writer's name");
	is_str(copy_mssql_writer_name(COPY_MSSQL_BCP), "bcp (db-lib bulk copy)", "the bcp writer's name");
	sb_free(&err);
}

/* The catalog query's ninth column, IS_IDENTITY, marks the column; eight columns (a fixture) none. */
static void
catalog_identity(void)
{
	char	   *cells9[] = {"UPKIT_DELTA_RUN", "RUN_ID", "bigint", "8", "19", "0", "0", "1", "1",
		"UPKIT_DELTA_RUN", "NAME", "nvarchar", "120", "0", "0", "1", "0", "0"};
	char	   *cells8[] = {"T", "RUN_ID", "bigint", "8", "19", "0", "0", "1"};
	struct upkit_rows r9 = {2, 9, cells9};
	struct upkit_rows r8 = {1, 8, cells8};
	struct upkit_diags diags = UPKIT_DIAGS_INIT;
	struct copy_db_desc db;

	is_int(copy_catalog_mssql_build("test", "dbo", &r9, NULL, UPKIT_DIALECT_MSSQL, &db, &diags), 0,
		   "a catalog with IS_IDENTITY reads");
	ok(db.ntables == 1 && db.tables[0].cols[0].identity == 1 && db.tables[0].cols[1].identity == 0,
	   "... RUN_ID is the IDENTITY column, NAME is not");
	copy_db_desc_free(&db);
	is_int(copy_catalog_mssql_build("test", "dbo", &r8, NULL, UPKIT_DIALECT_MSSQL, &db, &diags), 0,
		   "a catalog without it reads");
	ok(db.tables[0].cols[0].identity == 0, "... and marks no IDENTITY column");
	copy_db_desc_free(&db);
	upkit_diags_free(&diags);
}

static const int8_t i1 = 7;
static const int64_t i8 = 5637144576LL;
static const double f8 = -0.5;
static const unsigned char bin[3] = {0x00, 0x0a, 0xff};
static const char hostile[] = "it's ]]; DROP TABLE [x]; --";

/* Two rows of a table with a column of every kind, NULLs in the second. */
static void
rows_of(struct copy_cell c[2][6])
{
	static DBDATETIME dt = {45000, 300 * 3661 + 1};
	static unsigned char guid[16] = {0xff, 0x19, 0x96, 0x6f, 0x86, 0x8b, 0x11, 0xd0,
	0xb4, 0x2d, 0x00, 0xc0, 0x4f, 0xc9, 0x64, 0xff};
	struct copy_cell r0[6] = {{SYBINT8, (const unsigned char *) &i8, 8},
	{SYBNVARCHAR, (const unsigned char *) hostile, (int) sizeof hostile - 1},
	{SYBDATETIME, (const unsigned char *) &dt, (int) sizeof dt}, {SYBVARBINARY, bin, 3},
	{SYBFLT8, (const unsigned char *) &f8, 8}, {COPY_MSSQL_SYBUNIQUE, guid, 16}};

	for (int i = 0; i < 6; i++)
	{
		c[0][i] = r0[i];
		c[1][i] = r0[i];
	}
	c[1][0].data = (const unsigned char *) &i1;
	c[1][0].type = SYBINT1;
	c[1][0].len = 1;
	for (int i = 1; i < 6; i++)
		c[1][i].data = NULL;
}

static const char *const cols[6] = {"RUN_ID", "NAME", "AT", "DATA", "F", "G"};

static void
statements(void)
{
	struct copy_cell c[2][6];
	struct strbuf ins = STRBUF_INIT;
	struct strbuf err = STRBUF_INIT;
	struct copy_cell bad = {SYBMONEY, (const unsigned char *) &i8, 8};

	rows_of(c);
	ok(copy_mssql_insert_row(&ins, 0, "[dbo].[T]", 0, cols, 6, c[0], &err) == 0 &&
	   copy_mssql_insert_row(&ins, 1, "[dbo].[T]", 0, cols, 6, c[1], &err) == 0, "two rows added");
	is_str(sb_str(&ins),
		   "INSERT INTO [dbo].[T] ([RUN_ID], [NAME], [AT], [DATA], [F], [G]) VALUES\n"
		   "(5637144576, N'it''s ]]; DROP TABLE [x]; --', CONVERT(DATETIME, '2023-03-17 01:01:01.003', 121),"
		   " 0x000AFF, -0.5, CONVERT(UNIQUEIDENTIFIER, '6f9619ff-8b86-d011-b42d-00c04fc964ff')),\n"
		   "(7, NULL, NULL, NULL, NULL, NULL)", "a multi-row INSERT: names quoted, values literals");
	sb_free(&ins);
	copy_mssql_insert_row(&ins, 0, "[dbo].[T]", 1, cols, 1, c[0], &err);
	is_str(sb_str(&ins), "INSERT INTO [dbo].[T] WITH (TABLOCK) ([RUN_ID]) VALUES\n(5637144576)",
		   "--table-lock: WITH (TABLOCK)");
	sb_free(&ins);
	ok(copy_mssql_insert_row(&ins, 0, "[dbo].[T]", 0, cols + 4, 1, &bad, &err) == -1 &&
	   strstr(sb_str(&err), "field F: db-lib type") != NULL, "a value with no literal: refused, the field named");
	sb_free(&ins);
	copy_mssql_identity_insert(&ins, "[dbo].[T]", 1);
	is_str(sb_str(&ins), "SET IDENTITY_INSERT [dbo].[T] ON", "IDENTITY_INSERT ON");
	sb_free(&ins);
	copy_mssql_identity_insert(&ins, "[dbo].[T]", 0);
	is_str(sb_str(&ins), "SET IDENTITY_INSERT [dbo].[T] OFF", "IDENTITY_INSERT OFF");
	sb_free(&ins);
	sb_free(&err);
}

static int
print_tsql(void)
{
	struct copy_cell c[2][6];
	struct strbuf sql = STRBUF_INIT;
	struct strbuf err = STRBUF_INIT;

	rows_of(c);
	sb_append(&sql, "-- upkit copy's INSERT writer (sqlgen/copy_mssql_writer.c), one range\n");
	sb_append(&sql, "CREATE TABLE [dbo].[T] ([RUN_ID] BIGINT IDENTITY(1, 1) NOT NULL, [NAME] NVARCHAR(60) NULL,"
			  " [AT] DATETIME NULL, [DATA] VARBINARY(10) NULL, [F] FLOAT NULL, [G] UNIQUEIDENTIFIER NULL);\n");
	copy_mssql_identity_insert(&sql, "[dbo].[T]", 1);
	sb_append(&sql, ";\n");
	if (copy_mssql_insert_row(&sql, 0, "[dbo].[T]", 0, cols, 6, c[0], &err) != 0 ||
		copy_mssql_insert_row(&sql, 1, "[dbo].[T]", 0, cols, 6, c[1], &err) != 0)
		return 1;
	sb_append(&sql, ";\n");
	if (copy_mssql_insert_row(&sql, 0, "[dbo].[T]", 1, cols, 2, c[0], &err) != 0)
		return 1;
	sb_append(&sql, ";\n");
	copy_mssql_identity_insert(&sql, "[dbo].[T]", 0);
	sb_append(&sql, ";\nGO\n");
	fputs(sb_str(&sql), stdout);
	sb_free(&sql);
	sb_free(&err);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--print-tsql") == 0)
		return print_tsql();
	plan(52);
	catalog_identity();
	statements();
	literals();
	literal_types();
	writers();
	return done();
}
