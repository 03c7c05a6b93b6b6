/*
 * test_copy_text_load.c: the PostgreSQL end of a SQL Server to PostgreSQL
 * copy, against the test cluster (PGHOST set by with-cluster.sh; skipped
 * without it).  Rows of values as db-lib hands them over (DBDATETIME ticks,
 * DBDATETIME4, DBDATETIMEALL dates, DBNUMERIC, uniqueidentifier bytes,
 * binary, bit, float, UTF-8 text with tabs, newlines and backslashes, empty
 * strings, NULLs) go through copy_target_pg's load (COPY ... FROM STDIN in
 * text format, in the caller's transaction) into a table of the mapped
 * PostgreSQL types, and come back as PostgreSQL prints them; a value the
 * encoding refuses aborts the load and leaves nothing; the row count the
 * server reports is the rows sent.  What is left untested here is db-lib's
 * reading (tests/mssql/copy.t, where UPKIT_MSSQL is set).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sybfront.h>
#include <sybdb.h>

#include "conn.h"
#include "copy_mssql.h"
#include "copy_plan.h"
#include "copy_side.h"
#include "pg_open.h"
#include "tap.h"

#define NCOLS 12

static const char *const columns[NCOLS] = {"recid", "name", "created", "small", "d", "guid", "pic",
"credit", "flag", "f", "t", "memo"};

static void
cell(struct copy_cell *c, int type, const void *data, int len)
{
	c->type = type;
	c->data = data;
	c->len = len;
}

/* Load rows (nrows x NCOLS cells) in one transaction; 0, or -1 with err. */
static int
load(struct upkit_conn *c, const struct copy_table_plan *t, struct copy_cell rows[][NCOLS],
	 int nrows, long long *taken, struct strbuf *err)
{
	struct copy_load l = {c, t, -1, STRBUF_INIT, NULL};
	int			rc = 0;

	if (c->ops->begin(c) != 0 || copy_target_pg.load_begin(&l, 1, err) != 0)
		return -1;
	for (int i = 0; rc == 0 && i < nrows; i++)
		rc = copy_target_pg.load_row(&l, rows[i], err);
	if (rc != 0)
	{
		struct strbuf ignore = STRBUF_INIT;

		copy_target_pg.load_end(&l, "test: abandoned", &ignore);
		sb_free(&ignore);
		c->ops->rollback(c);
		return -1;
	}
	rc = copy_target_pg.load_end(&l, NULL, err);
	*taken = l.rows;
	return upkit_conn_finish(c, rc);
}

int
main(void)
{
	struct upkit_conn *admin,
			   *c;
	struct copy_table_desc dst = {.name = "mssql_values"};
	struct copy_table_map map = {.dst = &dst};
	struct copy_table_plan t = {.map = &map, .dst_schema = "public", .columns = (const char **) columns,
	.ncolumns = NCOLS};
	struct copy_cell rows[3][NCOLS];
	struct upkit_rows r = UPKIT_ROWS_INIT;
	struct strbuf err = STRBUF_INIT;
	long long	taken = -1;
	int64_t		recid1 = 5637144577LL,
				recid2 = 5637144578LL,
				recid3 = 5637144579LL;
	DBDATETIME	created = {45000, 300 * 3661 + 1};	/* 2023-03-17 01:01:01.003333 */
	DBDATETIME	axempty = {0, 0};
	DBDATETIME4 small = {36525, 61};
	DBDATETIMEALL day;
	unsigned char guid[16] = {0xff, 0x19, 0x96, 0x6f, 0x86, 0x8b, 0x11, 0xd0, 0xb4, 0x2d, 0x00,
	0xc0, 0x4f, 0xc9, 0x64, 0xff};
	unsigned char pic[3] = {0x00, 0x0a, 0xff};
	DBNUMERIC	credit = {0};
	unsigned char yes = 1;
	double		f = 0.1;
	int16_t		tiny = 255;
	const char *name = "Müller\t☃\\";
	const char *memo = "line one\nline two\r\\N";

	if (getenv("PGHOST") == NULL)
	{
		printf("1..0 # SKIP PGHOST not set: run through tests/harness/with-cluster.sh\n");
		return 0;
	}
	plan(12);
	admin = open_pg("dbname=postgres");
	ok(admin != NULL && admin->ops->exec(admin, "DROP DATABASE IF EXISTS upkit_copy_text_load") == 0 &&
	   admin->ops->exec(admin, "CREATE DATABASE upkit_copy_text_load") == 0, "a scratch database");
	c = open_pg("dbname=upkit_copy_text_load");
	ok(c != NULL && c->ops->exec(c, "CREATE TABLE mssql_values (recid bigint NOT NULL,"
								 " name character varying(60) NOT NULL, created timestamp without time zone,"
								 " small timestamp without time zone, d date, guid uuid, pic bytea,"
								 " credit numeric(32,16), flag boolean, f double precision, t smallint,"
								 " memo text)") == 0, "a table of the mapped PostgreSQL types");

	/* numeric(32,16) -12.5: sign byte 1, 125000000000000000 big-endian */
	credit.precision = 32;
	credit.scale = 16;
	credit.array[0] = 1;
	memcpy(credit.array + 15 - 8, "\x01\xbc\x16\xd6\x74\xec\x80\x00", 8);
	memset(&day, 0, sizeof day);
	day.date = -693595;			/* 0001-01-01 */

	cell(&rows[0][0], SYBINT8, &recid1, 8);
	cell(&rows[0][1], SYBNVARCHAR, name, (int) strlen(name));
	cell(&rows[0][2], SYBDATETIME, &created, 8);
	cell(&rows[0][3], SYBDATETIME4, &small, 4);
	cell(&rows[0][4], SYBMSDATE, &day, (int) sizeof day);
	cell(&rows[0][5], COPY_MSSQL_SYBUNIQUE, guid, 16);
	cell(&rows[0][6], SYBVARBINARY, pic, 3);
	cell(&rows[0][7], SYBNUMERIC, &credit, (int) sizeof credit);
	cell(&rows[0][8], SYBBIT, &yes, 1);
	cell(&rows[0][9], SYBFLT8, &f, 8);
	cell(&rows[0][10], SYBINT2, &tiny, 2);
	cell(&rows[0][11], SYBTEXT, memo, (int) strlen(memo));
	/* AX's empty values: empty strings and binary, the 1900-01-01 date; the rest NULL */
	cell(&rows[1][0], SYBINT8, &recid2, 8);
	cell(&rows[1][1], SYBNVARCHAR, "", 0);
	cell(&rows[1][2], SYBDATETIME, &axempty, 8);
	for (int i = 3; i < NCOLS; i++)
		cell(&rows[1][i], SYBINT4, NULL, 0);
	cell(&rows[1][6], SYBVARBINARY, pic, 0);
	cell(&rows[1][11], SYBTEXT, "", 0);

	ok(load(c, &t, rows, 2, &taken, &err) == 0, "two rows load through COPY text");
	if (err.len)
		printf("# %s\n", sb_str(&err));
	is_int(taken, 2, "... and the server reports the two rows");
	c->ops->query(c, "SELECT recid, name, created, small, d, guid, pic, credit, flag, f, t, memo,"
				  " name = '', pic IS NOT NULL AND length(pic) = 0, memo = '' FROM mssql_values ORDER BY recid",
				  0, NULL, &r);
	is_str(upkit_rows_get(&r, 0, 1), "Müller\t☃\\", "text with a tab, a snowman and a backslash");
	is_str(upkit_rows_get(&r, 0, 2), "2023-03-17 01:01:01.003333", "datetime ticks to microseconds");
	ok(strcmp(upkit_rows_get(&r, 0, 3), "2000-01-02 01:01:00") == 0 &&
	   strcmp(upkit_rows_get(&r, 0, 4), "0001-01-01") == 0, "smalldatetime; date's first day");
	ok(strcmp(upkit_rows_get(&r, 0, 5), "6f9619ff-8b86-d011-b42d-00c04fc964ff") == 0 &&
	   strcmp(upkit_rows_get(&r, 0, 6), "\\x000aff") == 0, "uniqueidentifier as uuid, varbinary as bytea");
	ok(strcmp(upkit_rows_get(&r, 0, 7), "-12.5000000000000000") == 0 &&
	   strcmp(upkit_rows_get(&r, 0, 8), "t") == 0 && strcmp(upkit_rows_get(&r, 0, 9), "0.1") == 0 &&
	   strcmp(upkit_rows_get(&r, 0, 10), "255") == 0, "numeric(32,16), bit, float, tinyint");
	is_str(upkit_rows_get(&r, 0, 11), "line one\nline two\r\\N", "newline, carriage return and the text \\N");
	ok(strcmp(upkit_rows_get(&r, 1, 2), "1900-01-01 00:00:00") == 0 && upkit_rows_get(&r, 1, 3) == NULL &&
	   strcmp(upkit_rows_get(&r, 1, 12), "t") == 0 && strcmp(upkit_rows_get(&r, 1, 13), "t") == 0 &&
	   strcmp(upkit_rows_get(&r, 1, 14), "t") == 0,
	   "AX's empty date stays 1900-01-01; empty text and binary stay empty; NULL stays NULL");
	upkit_rows_free(&r);

	/* A value the encoding refuses (datetime2 has no mapping): nothing of the load is kept. */
	memcpy(rows[2], rows[0], sizeof rows[0]);
	cell(&rows[2][0], SYBINT8, &recid3, 8);
	cell(&rows[2][2], SYBMSDATETIME2, &created, 8);
	sb_free(&err);
	ok(load(c, &t, &rows[1], 2, &taken, &err) != 0 && strstr(sb_str(&err), "field created:") &&
	   upkit_query_value(c, "SELECT count(*) FROM mssql_values", 0, NULL, &err) == 1 &&
	   strstr(sb_str(&err), "has no COPY text encoding") && sb_str(&err)[err.len - 1] == '2',
	   "a value with no encoding fails the load, naming the field, and leaves the table as it was");
	if (!strstr(sb_str(&err), "field created:"))
		printf("# %s\n", sb_str(&err));
	sb_free(&err);
	upkit_conn_close(c);
	admin->ops->exec(admin, "DROP DATABASE IF EXISTS upkit_copy_text_load");
	upkit_conn_close(admin);
	return done();
}
