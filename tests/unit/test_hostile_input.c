/*
 * test_hostile_input.c: the reproductions of issue 9 (items 1 to 3) at the
 * library's level: comment text and names with line ends and control
 * characters, GO lines the batch splitter and the expression check must
 * agree on, reserved words, NUL in JSON strings, order_by items, name
 * lengths per dialect, messages with dialect-correct advice and exact
 * numbers, an empty spec file.  tests/spec/comment_channels.t runs the
 * generated SQL through PostgreSQL and the T-SQL grammar.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batches.h"
#include "units.h"
#include "comment.h"
#include "diag.h"
#include "ident.h"
#include "spec.h"
#include "tap.h"

static int
is_long(long got, long want, const char *name)
{
	if (!ok(got == want, name))
		printf("#   got:  %ld\n#   want: %ld\n", got, want);
	return got == want;
}

/* Read text as a spec; 1 when a problem at path contains reason. */
static int
has_problem(const char *text, enum upkit_dialect d, const char *path, const char *reason)
{
	struct upkit_diags diags = UPKIT_DIAGS_INIT;
	struct upkit_spec *s = upkit_spec_read_text("t.json", text, d, &diags);
	int			found = upkit_diags_has(&diags, path, reason);

	if (!found)
	{
		printf("#   wanted %s: ...%s...\n", path, reason);
		for (int i = 0; i < diags.n; i++)
			printf("#   got %s: %s\n", diags.items[i].path, diags.items[i].reason);
	}
	upkit_spec_free(s);
	upkit_diags_free(&diags);
	return found;
}

/* Read text as a spec; the number of problems. */
static int
problem_count(const char *text, enum upkit_dialect d)
{
	struct upkit_diags diags = UPKIT_DIAGS_INIT;
	struct upkit_spec *s = upkit_spec_read_text("t.json", text, d, &diags);
	int			n = diags.n;

	upkit_spec_free(s);
	upkit_diags_free(&diags);
	return n;
}

/* An insert spec with one field replaced: FIELD is a printf slot. */
#define INSERT_SPEC(desc, alias, table, expr, order, tabid) \
	"{\"description\": " desc ", \"procedure\": {\"name\": \"P\"}," \
	" \"source\": {\"table\": " table ", \"alias\": " alias ", \"order_by\": [" order "]}," \
	" \"target\": {\"table\": \"T\", \"tabid\": " tabid "}, \"per_company\": false," \
	" \"mapping\": [{\"column\": \"A\", \"expr\": " expr "}], \"xpp\": \"x\"}"
#define PLAIN_INSERT INSERT_SPEC("\"d\"", "\"S\"", "\"SRC\"", "\"S.A\"", "\"S.RECID\"", "7")

static char *
delta_spec(const char *description, const char *xpp, const char *company)
{
	static char buf[2048];

	snprintf(buf, sizeof buf,
			 "{\"kind\": \"delta\", \"description\": %s, \"procedure\": {\"name\": \"D\"},"
			 " \"source\": {\"table\": \"SRC\"}, \"shadow\": {\"table\": \"SHD\"}, \"per_company\": false,"
			 " \"dataareaids\": [%s], \"mapping\": [{\"column\": \"B\", \"expr\": \"S.A\"}], \"xpp\": %s}",
			 description, company, xpp);
	return buf;
}

/* A JSON string literal "x<c>y" with the character c as a \u escape. */
static char *
json_with(unsigned c)
{
	static char buf[64];

	snprintf(buf, sizeof buf, "\"x\\u%04Xy\"", c);
	return buf;
}

static void
comment_text(void)
{
	char		why[512];
	struct strbuf sb = STRBUF_INIT;
	int			bad_lines = 0,
				bad_single = 0;
	unsigned	codes[80];
	int			n = 0;

	for (unsigned c = 1; c < 0x20; c++)
		codes[n++] = c;
	codes[n++] = 0x7F;
	for (unsigned c = 0x80; c <= 0x9F; c++)
		codes[n++] = c;
	codes[n++] = 0x2028;
	codes[n++] = 0x2029;
	for (int i = 0; i < n; i++)
	{
		char		text[16];
		unsigned	c = codes[i];
		int			allowed = c == '\t' || c == '\n';

		if (c < 0x80)
			snprintf(text, sizeof text, "a%cb", (char) c);
		else if (c < 0x800)
			snprintf(text, sizeof text, "a%c%cb", (char) (0xC0 | (c >> 6)), (char) (0x80 | (c & 0x3F)));
		else
			snprintf(text, sizeof text, "a%c%c%cb", (char) (0xE0 | (c >> 12)),
					 (char) (0x80 | ((c >> 6) & 0x3F)), (char) (0x80 | (c & 0x3F)));
		if ((upkit_text_check(text, 1, why, sizeof why) == 0) != allowed)
		{
			printf("#   U+%04X: multi-line check %s\n", c, allowed ? "refused" : "passed");
			bad_lines++;
		}
		if (upkit_text_check(text, 0, why, sizeof why) == 0)
		{
			printf("#   U+%04X: one-line check passed\n", c);
			bad_single++;
		}
		/* Whatever the text, the comment writers keep it inside comments. */
		sb_free(&sb);
		upkit_comment_lines(&sb, "", text);
		for (const char *l = sb_str(&sb); *l; l = strchr(l, '\n') + 1)
			if (strncmp(l, "-- |", 4) != 0)
			{
				printf("#   U+%04X: comment line \"%s\"\n", c, l);
				bad_lines++;
			}
		sb_free(&sb);
		upkit_comment_escape(&sb, text);
		if (strpbrk(sb_str(&sb), "\r\n") || strstr(sb_str(&sb), "\xe2\x80\xa8") ||
			strstr(sb_str(&sb), "\xc2\x85") || strlen(sb_str(&sb)) < 4)
		{
			printf("#   U+%04X: escaped as \"%s\"\n", c, sb_str(&sb));
			bad_single++;
		}
	}
	ok(bad_lines == 0, "comment text: every C0, DEL, C1 control and line end is refused but tab and LF; the writer keeps it in '-- |' lines");
	ok(bad_single == 0, "one-line text: every control character and line end is refused, and escaped by the escaping writer");

	ok(upkit_text_check("a\r\nb", 1, why, sizeof why) == 0, "CR LF is a line break in comment text");
	ok(upkit_text_check("a\rCREATE TABLE public.pwned AS SELECT 1;", 1, why, sizeof why) != 0 &&
	   strstr(why, "(U+000D, carriage return) at offset 1"), "a lone CR is refused, named, with its offset");
	ok(upkit_text_check("a\xe2\x80\xa8z", 1, why, sizeof why) != 0 && strstr(why, "U+2028, line separator"),
	   "U+2028 is refused by name");
	ok(upkit_text_check("a\xc0\x8a", 1, why, sizeof why) != 0 && strstr(why, "not valid UTF-8"),
	   "an overlong encoding of LF is invalid UTF-8");

	sb_free(&sb);
	upkit_comment_lines(&sb, "  ", "one\rtwo\xc2\x85three\xe2\x80\xa9" "four\x01\n");
	is_str(sb_str(&sb), "  -- | one\n  -- | two\n  -- | three\n  -- | four\\x01\n",
		   "comment lines: every kind of line end starts a new comment line, controls are escaped");
	sb_free(&sb);
	upkit_comment_escape(&sb, "dir/x\nCREATE\rTABLE\t\x7f\xe2\x80\xa8.json");
	is_str(sb_str(&sb), "dir/x\\nCREATE\\rTABLE\\t\\x7F\\u2028.json", "a file name is escaped onto one line");
	sb_free(&sb);
}

static void
go_lines(void)
{
	static const struct
	{
		const char *line;
		int			go;
	}			cases[] = {
		{"GO", 1}, {"go", 1}, {"  Go\t", 1}, {"\rGO", 1}, {"GO\r", 1}, {"\x0bGO\x0c", 1},
		{"\xc2\xa0GO", 1}, {"\xe2\x80\xa8GO\xe2\x80\xa9", 1}, {"\xc2\x85GO", 1}, {"\xe3\x80\x80GO", 1},
		{"GO 5", 1}, {"GO\t12 ", 1}, {"GO -- end", 1}, {"GO/* x */", 1}, {"GO 2 -- twice", 1},
		{"GO5", 0}, {"GOTO x", 0}, {"GO;", 0}, {"x GO", 0}, {"GO x", 0}, {"-- GO", 0}, {"G O", 0},
		{"", 0}, {"'GO'", 0},
	};
	int			bad = 0;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
	{
		char		script[128],
					expr[128],
					why[512];
		struct upkit_units us = UPKIT_UNITS_INIT;
		struct upkit_unit *u;
		int			split,
					refused;

		snprintf(script, sizeof script, "SELECT 1;\n%s\nSELECT 2;\n", cases[i].line);
		u = upkit_unit_add(&us, UPKIT_DIALECT_MSSQL, "procedure", "dbo", "X", NULL, "t.sql");
		upkit_unit_append_script(u, script, strlen(script));
		upkit_unit_end_batch(u);
		split = u->n_batches == 2;
		upkit_units_free(&us);
		snprintf(expr, sizeof expr, "S.A\n%s\n+ 1", cases[i].line);
		refused = upkit_expr_check(expr, UPKIT_DIALECT_MSSQL, why, sizeof why) != 0 &&
			strstr(why, "only GO") != NULL;
		if (upkit_is_go_line(cases[i].line, strlen(cases[i].line)) != cases[i].go ||
			split != cases[i].go || refused != cases[i].go)
		{
			printf("#   \"%s\": GO line %d, splitter %d, expression check %d, want %d\n",
				   cases[i].line, upkit_is_go_line(cases[i].line, strlen(cases[i].line)), split, refused,
				   cases[i].go);
			bad++;
		}
	}
	ok(bad == 0, "GO lines: the definition, the batch splitter and the expression check agree, case by case");
	ok(has_problem(INSERT_SPEC("\"d\"", "\"S\"", "\"SRC\"", "\"S.A\\n\\rGO\\n+ 1\"", "\"S.RECID\"", "7"),
				   UPKIT_DIALECT_MSSQL, "$.mapping[0].expr", "a line that is only GO"),
	   "issue 9: \"S.A\\n\\rGO\\n+ 1\" is refused as a GO line");
	ok(has_problem(INSERT_SPEC("\"d\"", "\"S\"", "\"SRC\"", "\"S.A\\rGO\\r+ 1\"", "\"S.RECID\"", "7"),
				   UPKIT_DIALECT_PG, "$.mapping[0].expr", "U+000D, carriage return"),
	   "a lone CR in an expression is refused");
}

static void
channels(void)
{
	int			bad = 0;

	/* Every channel refuses every control character but the ones text may hold. */
	for (unsigned c = 1; c <= 0x2029; c = c == 0x9F ? 0x2028 : c + 1)
	{
		const char *j;
		char		buf[2048];
		int			text_ok = c == '\t' || c == '\n';

		if (c >= 0x20 && c < 0x7F)
			continue;			/* printable */
		j = json_with(c);
		for (int d = 0; d < 2; d++)
		{
			enum upkit_dialect dl = d ? UPKIT_DIALECT_MSSQL : UPKIT_DIALECT_PG;

			snprintf(buf, sizeof buf, INSERT_SPEC("%s", "\"S\"", "\"SRC\"", "\"S.A\"", "\"S.RECID\"", "7"), j);
			bad += (problem_count(buf, dl) == 0) != text_ok;
			snprintf(buf, sizeof buf, "%s", delta_spec(j, "\"x\"", "\"dat\""));
			bad += (problem_count(buf, dl) == 0) != text_ok;
			snprintf(buf, sizeof buf, "%s", delta_spec("\"d\"", j, "\"dat\""));
			bad += (problem_count(buf, dl) == 0) != text_ok;
			snprintf(buf, sizeof buf, "%s", delta_spec("\"d\"", "\"x\"", j));
			bad += problem_count(buf, dl) == 0;
			snprintf(buf, sizeof buf, INSERT_SPEC("\"d\"", "\"S\"", "%s", "\"S.A\"", "\"S.RECID\"", "7"), j);
			bad += problem_count(buf, dl) == 0;
		}
		if (bad)
		{
			printf("#   U+%04X got through\n", c);
			break;
		}
	}
	ok(bad == 0, "descriptions, X++ lines, DATAAREAIDs and names refuse every control character and line end (both dialects)");
	ok(has_problem(INSERT_SPEC("\"text\\rCREATE TABLE public.pwned AS SELECT 1;\"", "\"S\"", "\"SRC\"", "\"S.A\"", "\"S.RECID\"", "7"),
				   UPKIT_DIALECT_PG, "$.description", "(U+000D, carriage return) at offset 4"),
	   "issue 9: an insert description with CR is refused with its path");
	ok(has_problem(INSERT_SPEC("\"a\\u0001\\u000b\\u000c\\u007f\"", "\"S\"", "\"SRC\"", "\"S.A\"", "\"S.RECID\"", "7"),
				   UPKIT_DIALECT_MSSQL, "$.description", "(U+0001, control character) at offset 1"),
	   "issue 9: an insert description with \\x01 \\x0b \\x0c \\x7f is refused");
	ok(has_problem(delta_spec("\"d\"", "\"x\"", "\"d\\rat\""), UPKIT_DIALECT_PG, "$.dataareaids[0]",
				   "is not a DATAAREAID: text has a control character (U+000D, carriage return)"),
	   "issue 9: a DATAAREAID with CR is refused");
	ok(has_problem(delta_spec("[\"ok\", \"x\\ry\"]", "\"x\"", "\"dat\""), UPKIT_DIALECT_PG, "$.description",
				   "carriage return"), "a delta description line with CR is refused");
	ok(has_problem(delta_spec("\"d\"", "[\"x\", \"\\u2028\\\\! touch pwned\"]", "\"dat\""), UPKIT_DIALECT_MSSQL,
				   "$.xpp", "U+2028, line separator"), "an X++ line with U+2028 is refused");
	ok(has_problem(INSERT_SPEC("\"d\"", "\"S\"", "\"SR\\u0085C\"", "\"S.A\"", "\"S.RECID\"", "7"), UPKIT_DIALECT_MSSQL,
				   "$.source.table", "(U+0085, next line) at offset 2"), "a name with U+0085 is refused");
	ok(problem_count(INSERT_SPEC("\"line 1\\r\\nline 2\\n\\tindented\"", "\"S\"", "\"SRC\"", "\"S.A\"", "\"S.RECID\"", "7"),
					 UPKIT_DIALECT_PG) == 0, "CR LF, LF and tabs are fine in a description");
}

static void
keywords(void)
{
	static const char *const words[] = {"USE", "OPTION", "CURSOR", "OF", "BULK", "EXTERNAL", "within", "GO", "Try_Convert"};
	char		why[512];
	int			bad = 0;

	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (upkit_alias_check(words[i], why, sizeof why) == 0 || !strstr(why, "reserved in SQL Server"))
		{
			printf("#   %s: %s\n", words[i], why);
			bad++;
		}
	ok(bad == 0, "issue 9: USE, OPTION, CURSOR, OF, BULK, EXTERNAL (and more) are refused as aliases: SQL Server reserves them");
	ok(upkit_alias_check("limit", why, sizeof why) != 0 && strstr(why, "reserved in PostgreSQL)"), "a PostgreSQL-only keyword says so");
	ok(upkit_alias_check("from", why, sizeof why) != 0 && strstr(why, "reserved in PostgreSQL and SQL Server"), "a keyword of both says so");
	ok(upkit_alias_check("value", why, sizeof why) == 0 && upkit_alias_check("zone", why, sizeof why) == 0,
	   "ODBC words that neither dialect reserves stay allowed");
	ok(has_problem(INSERT_SPEC("\"d\"", "\"OPTION\"", "\"SRC\"", "\"OPTION.A\"", "\"OPTION.RECID\"", "7"),
				   UPKIT_DIALECT_PG, "$.source.alias", "alias \"OPTION\" is an SQL keyword"),
	   "... also when generating for PostgreSQL: one spec serves both");
}

static void
nul_strings(void)
{
	ok(has_problem(INSERT_SPEC("\"d\"", "\"S\"", "\"t\\u0000x\"", "\"S.A\"", "\"S.RECID\"", "7"), UPKIT_DIALECT_PG,
				   "$.source.table", "holds the NUL character"), "issue 9: \"t\\u0000x\" as a table name is refused, not cut to t");
	ok(has_problem(INSERT_SPEC("\"d\"", "\"S\"", "\"SRC\"", "\"S.A\\u0000; DROP TABLE x\"", "\"S.RECID\"", "7"),
				   UPKIT_DIALECT_MSSQL, "$.mapping[0].expr", "holds the NUL character"),
	   "issue 9: an expression with \\u0000 is refused, not cut to S.A");
	ok(has_problem("{\"kind\": \"delta\", \"descr\\u0000iption\": 1}", UPKIT_DIALECT_PG, "$.descr", "the key holds the NUL character"),
	   "a key with \\u0000 is refused");
	ok(has_problem(delta_spec("[\"a\", \"b\\u0000c\"]", "\"x\"", "\"dat\""), UPKIT_DIALECT_PG, "$.description[1]",
				   "holds the NUL character"), "... with the path of an array item");
	ok(problem_count(INSERT_SPEC("\"C:\\\\u0000 is no NUL \\\\\\\\u0000\"", "\"S\"", "\"SRC\"", "\"S.A\"", "\"S.RECID\"", "7"),
					 UPKIT_DIALECT_PG) == 0, "an escaped backslash before u0000 is no NUL");
}

static void
order_by(void)
{
	char		why[512];
	int			desc = 0;

	ok(has_problem(INSERT_SPEC("\"d\"", "\"S\"", "\"SRC\"", "\"S.A\"", "\"DESC\"", "7"), UPKIT_DIALECT_MSSQL,
				   "$.source.order_by[0]", "\"DESC\" is only a direction"), "issue 9: order_by \"DESC\" alone is refused");
	ok(has_problem(INSERT_SPEC("\"d\"", "\"S\"", "\"SRC\"", "\"S.A\"", "\"S.A ASC DESC\"", "7"), UPKIT_DIALECT_PG,
				   "$.source.order_by[0]", "ASC or DESC at offset 4: an item is one expression followed by at most one ASC or DESC"),
	   "issue 9: order_by \"S.A ASC DESC\" is refused");
	ok(has_problem(INSERT_SPEC("\"d\"", "\"S\"", "\"SRC\"", "\"S.A\"", "\"S.A desc nulls last\"", "7"), UPKIT_DIALECT_PG,
				   "$.source.order_by[0]", "ASC or DESC at offset 4"), "a direction inside the item is refused");
	is_long(upkit_order_check("S.A DESC", UPKIT_DIALECT_PG, &desc, why, sizeof why), 3, "S.A DESC: the expression is S.A");
	ok(desc == 1, "... descending");
	is_long(upkit_order_check("S.\"desc\" asc", UPKIT_DIALECT_PG, &desc, why, sizeof why), 8,
			"a quoted name \"desc\" is an expression");
	is_long(upkit_order_check("[DESC] DESC", UPKIT_DIALECT_MSSQL, &desc, why, sizeof why), 6,
			"mssql: [DESC] is a quoted name");
	is_long(upkit_order_check("CASE WHEN S.A = 'ASC' THEN 1 END", UPKIT_DIALECT_PG, &desc, why, sizeof why), 32,
			"ASC in a literal is no direction");
	ok(desc == 0, "... ascending");
	is_long(upkit_order_check("S.DESC", UPKIT_DIALECT_PG, &desc, why, sizeof why), 6, "S.DESC is a column");
}

static void
lengths(void)
{
	char		name[1024] = "";
	char		why[512];

	for (int i = 0; i < 64; i++)
		strcat(name, "\xf0\x9f\x98\x80");	/* U+1F600: two UTF-16 code units */
	ok(upkit_ident_check(name, UPKIT_DIALECT_MSSQL, why, sizeof why) == 0, "mssql: 64 emoji are 128 UTF-16 code units: fine");
	strcat(name, "x");
	ok(upkit_ident_check(name, UPKIT_DIALECT_MSSQL, why, sizeof why) != 0 && strstr(why, "129 UTF-16 code units"),
	   "mssql: one more unit is too long");
	name[0] = '\0';
	for (int i = 0; i < 100; i++)
		strcat(name, "\xf0\x9f\x98\x80");
	ok(upkit_ident_check(name, UPKIT_DIALECT_MSSQL, why, sizeof why) != 0 && strstr(why, "is 200 UTF-16 code units; SQL Server allows 128"),
	   "issue 9: 100 emoji are 200 UTF-16 code units, SQL Server's measure");
	ok(upkit_ident_check(name, UPKIT_DIALECT_PG, why, sizeof why) != 0 && strstr(why, "is 400 bytes; PostgreSQL allows 63"),
	   "pg: the same name is 400 bytes");
	ok(upkit_text_check(why, 1, why + 256, 64) == 0, "the message cuts the name on a character boundary");
}

static void
messages(void)
{
	char		why[512];
	struct upkit_diags diags = UPKIT_DIAGS_INIT;
	char	   *buf = NULL;
	size_t		len = 0;
	FILE	   *f;

	ok(upkit_expr_check("CONCAT(S.A, ';')", UPKIT_DIALECT_PG, why, sizeof why) != 0 &&
	   strstr(why, "write chr(59)") && !strstr(why, "CHAR(59)"), "issue 9: the ';' message advises chr(59) to PostgreSQL");
	ok(upkit_expr_check("CONCAT(S.A, ';')", UPKIT_DIALECT_MSSQL, why, sizeof why) != 0 &&
	   strstr(why, "write CHAR(59)"), "... and CHAR(59) to SQL Server");
	ok(has_problem(INSERT_SPEC("\"d\"", "\"S\"", "\"SRC\"", "\"S.A\"", "\"S.RECID\"", "2147483648"), UPKIT_DIALECT_PG,
				   "$.target.tabid", "must be an integer from 1 to 2147483647, not 2147483648"),
	   "issue 9: TABID 2147483648 is printed exactly");
	ok(has_problem(INSERT_SPEC("\"d\"", "\"S\"", "\"SRC\"", "\"S.A\"", "\"S.RECID\"", "1.5"), UPKIT_DIALECT_PG,
				   "$.target.tabid", "not 1.5"), "1.5 as 1.5");
	ok(has_problem(INSERT_SPEC("\"d\"", "\"S\"", "\"SRC\"", "\"S.A\"", "\"S.RECID\"", "-1e300"), UPKIT_DIALECT_PG,
				   "$.target.tabid", "not -1e+300"), "-1e300 as -1e+300");
	ok(has_problem("", UPKIT_DIALECT_PG, "$", "the file is empty; a spec is one JSON object"),
	   "issue 9: an empty spec file says so");
	ok(has_problem(" \n\t\r\n", UPKIT_DIALECT_MSSQL, "$", "the file is empty (only white space)"),
	   "... and a file of blanks");

	upkit_diag_add(&diags, "dir/a\rb.json", "$.x", "name \"a\x1b[2Jb\" is wrong\n");
	f = open_memstream(&buf, &len);
	upkit_diags_print(&diags, f);
	fclose(f);
	is_str(buf, "upkit: dir/a\\rb.json: $.x: name \"a\\x1B[2Jb\" is wrong\\n\n",
		   "problems print on one line each, control characters escaped");
	free(buf);
	upkit_diags_free(&diags);
}

int
main(void)
{
	plan(53);
	comment_text();
	go_lines();
	channels();
	keywords();
	nul_strings();
	order_by();
	lengths();
	messages();
	ok(problem_count(PLAIN_INSERT, UPKIT_DIALECT_PG) == 0 && problem_count(PLAIN_INSERT, UPKIT_DIALECT_MSSQL) == 0,
	   "the plain spec these tests vary is valid");
	return done();
}
