/*
 * test_batches.c: unit tests of sqlgen/batches.c, the splitter that turns a
 * generated script into the batches sent to the server one at a time.
 *
 * SQL Server: a line holding only GO (any case, blanks and CR around it)
 * ends a batch; GO inside a longer line does not.  PostgreSQL: a batch
 * ends before a "-- From " or "-- upkit: " marker line.  Batches holding
 * only blanks and comments are dropped; each batch keeps its first line and
 * the latest marker.
 */
#include <stdlib.h>

#include "batches.h"
#include "tap.h"

static struct upkit_batches b;

static void
split(const char *script, enum upkit_dialect d)
{
	upkit_free_batches(&b);
	upkit_split_batches(script, d, &b);
}

/* Text, first line and origin of batch i, in one assertion each. */
static void
batch_is(int i, const char *text, int first_line, const char *origin, const char *what)
{
	char		name[300];

	if (i >= b.n)
	{
		snprintf(name, sizeof name, "%s: batch %d exists (there are %d)", what, i + 1, b.n);
		ok(0, name);
		ok(0, name);
		ok(0, name);
		return;
	}
	snprintf(name, sizeof name, "%s: batch %d text", what, i + 1);
	is_str(b.items[i].text, text, name);
	snprintf(name, sizeof name, "%s: batch %d starts on line %d", what, i + 1, first_line);
	is_int(b.items[i].first_line, first_line, name);
	snprintf(name, sizeof name, "%s: batch %d origin", what, i + 1);
	is_str(b.items[i].origin, origin, name);
}

int
main(void)
{
	plan(59);

	split("SELECT 1;\nGO\nSELECT 2;\n", UPKIT_DIALECT_MSSQL);
	is_int(b.n, 2, "mssql: two batches around a GO line");
	batch_is(0, "SELECT 1;\n", 1, NULL, "mssql plain");
	batch_is(1, "SELECT 2;\n", 3, NULL, "mssql plain");

	split("SELECT 1;\r\n  go\t \r\nSELECT 2;\r\nGo\r\nSELECT 3;", UPKIT_DIALECT_MSSQL);
	is_int(b.n, 3, "mssql: GO in any case, with blanks and CRLF, separates");
	batch_is(0, "SELECT 1;\r\n", 1, NULL, "mssql CRLF");
	batch_is(1, "SELECT 2;\r\n", 3, NULL, "mssql CRLF");
	batch_is(2, "SELECT 3;", 5, NULL, "mssql CRLF, no final newline");

	split("SELECT 'GO';\nGOTO done;\n-- GO\nGO;\nGO x\nGO5\nPRINT 'x' GO\ndone:\n", UPKIT_DIALECT_MSSQL);
	is_int(b.n, 1, "mssql: GO inside a longer line is not a separator");
	batch_is(0, "SELECT 'GO';\nGOTO done;\n-- GO\nGO;\nGO x\nGO5\nPRINT 'x' GO\ndone:\n", 1, NULL,
			 "mssql GO in longer lines");

	split("-- only a comment\n\nGO\n   \nGO\n/* a block\n   comment */\nGO\nSELECT 1;\nGO\n-- trailing\n",
		  UPKIT_DIALECT_MSSQL);
	is_int(b.n, 1, "mssql: batches of blanks, line comments and block comments are dropped");
	batch_is(0, "SELECT 1;\n", 9, NULL, "mssql comment-only batches");

	split("/* nested /* comment */ still comment */\nGO\n/* open */ SELECT 1;\nGO\n", UPKIT_DIALECT_MSSQL);
	is_int(b.n, 1, "mssql: nested block comments are comments; code after a block comment is code");
	batch_is(0, "/* open */ SELECT 1;\n", 3, NULL, "mssql block comments");

	split("-- header\n\n-- From functions/mssql/A.sql\nSET ANSI_NULLS ON;\nGO\nCREATE FUNCTION a() ...\nGO\n"
		  "\n-- From procs/mssql/B.sql\nSET ANSI_NULLS ON;\nGO\nCREATE PROCEDURE b ...\nGO\n",
		  UPKIT_DIALECT_MSSQL);
	is_int(b.n, 4, "mssql: a runtime script of two files gives four batches");
	batch_is(0, "-- header\n\n-- From functions/mssql/A.sql\nSET ANSI_NULLS ON;\n", 1,
			 "From functions/mssql/A.sql", "mssql markers");
	batch_is(1, "CREATE FUNCTION a() ...\n", 6, "From functions/mssql/A.sql", "mssql markers");
	batch_is(2, "\n-- From procs/mssql/B.sql\nSET ANSI_NULLS ON;\n", 8, "From procs/mssql/B.sql", "mssql markers");
	batch_is(3, "CREATE PROCEDURE b ...\n", 12, "From procs/mssql/B.sql", "mssql markers");

	split("CREATE EXTENSION IF NOT EXISTS upkit;\n-- From functions/pg/a.sql\nSELECT 1;\nGO\n"
		  "-- upkit: procedure x\r\nCREATE PROCEDURE x() ...;\n", UPKIT_DIALECT_PG);
	is_int(b.n, 3, "pg: markers split, GO does not");
	batch_is(0, "CREATE EXTENSION IF NOT EXISTS upkit;\n", 1, NULL, "pg markers");
	batch_is(1, "-- From functions/pg/a.sql\nSELECT 1;\nGO\n", 2, "From functions/pg/a.sql", "pg markers");
	batch_is(2, "-- upkit: procedure x\r\nCREATE PROCEDURE x() ...;\n", 5, "upkit: procedure x", "pg markers, CRLF");

	split("-- From functions/pg/empty.sql\n-- nothing here\n-- From functions/pg/b.sql\nSELECT 2;\n",
		  UPKIT_DIALECT_PG);
	is_int(b.n, 1, "pg: a part of comments only is dropped");
	batch_is(0, "-- From functions/pg/b.sql\nSELECT 2;\n", 3, "From functions/pg/b.sql", "pg comment-only part");

	split("", UPKIT_DIALECT_MSSQL);
	is_int(b.n, 0, "an empty script has no batch");
	split("GO\nGO\n", UPKIT_DIALECT_MSSQL);
	is_int(b.n, 0, "a script of GO lines has no batch");

	upkit_free_batches(&b);
	ok(b.n == 0 && b.items == NULL, "upkit_free_batches empties the list");
	return done();
}
