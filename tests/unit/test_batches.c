/*
 * test_batches.c: unit tests of how our own runtime files become a unit's
 * batches (upkit_unit_append_script, units.h): a line holding only GO (any
 * case, blanks and CR around it, upkit_is_go_line) ends a batch and is
 * printed but never sent; GO inside a longer line does not.  Batches of
 * only blanks and comments are not sent.  The unit's text is the script
 * byte for byte, and each batch knows the line of the text it starts on.
 */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "units.h"

static struct upkit_units us;
static struct upkit_unit *u;

static void
split(const char *script)
{
	upkit_units_free(&us);
	u = upkit_unit_add(&us, UPKIT_DIALECT_MSSQL, "procedure", "dbo", "X", NULL, "t.sql");
	upkit_unit_append_script(u, script, strlen(script));
	upkit_unit_end_batch(u);
	is_str(sb_str(&u->text), script, "the unit's text is the script as it is");
}

/* Text and first line of batch i, in one assertion each. */
static void
batch_is(int i, const char *text, int first_line, const char *what)
{
	char		name[300];

	if (i >= u->n_batches)
	{
		snprintf(name, sizeof name, "%s: batch %d exists (there are %d)", what, i + 1, u->n_batches);
		ok(0, name);
		ok(0, name);
		return;
	}
	snprintf(name, sizeof name, "%s: batch %d text", what, i + 1);
	is_str(u->batches[i], text, name);
	snprintf(name, sizeof name, "%s: batch %d starts on line %d", what, i + 1, first_line);
	is_int(u->batch_lines[i], first_line, name);
}

int
main(void)
{
	plan(34);

	split("SELECT 1;\nGO\nSELECT 2;\n");
	is_int(u->n_batches, 2, "two batches around a GO line");
	batch_is(0, "SELECT 1;\n", 1, "plain");
	batch_is(1, "SELECT 2;\n", 3, "plain");

	split("SELECT 1;\r\n  go\t \r\nSELECT 2;\r\nGo\r\nSELECT 3;");
	is_int(u->n_batches, 3, "GO in any case, with blanks and CRLF, separates");
	batch_is(0, "SELECT 1;\r\n", 1, "CRLF");
	batch_is(1, "SELECT 2;\r\n", 3, "CRLF");
	batch_is(2, "SELECT 3;", 5, "CRLF, no final newline");

	split("SELECT 'GO';\nGOTO done;\n-- GO\nGO;\nGO x\nGO5\nPRINT 'x' GO\ndone:\n");
	is_int(u->n_batches, 1, "GO inside a longer line is not a separator");
	batch_is(0, "SELECT 'GO';\nGOTO done;\n-- GO\nGO;\nGO x\nGO5\nPRINT 'x' GO\ndone:\n", 1,
			 "GO in longer lines");

	split("-- only a comment\n\nGO\n   \nGO\n/* a block\n   comment */\nGO\nSELECT 1;\nGO\n-- trailing\n");
	is_int(u->n_batches, 1, "batches of blanks, line comments and block comments are not sent");
	batch_is(0, "SELECT 1;\n", 9, "comment-only batches");

	split("/* nested /* comment */ still comment */\nGO\n/* open */ SELECT 1;\nGO\n");
	is_int(u->n_batches, 1, "nested block comments are comments; code after a block comment is code");
	batch_is(0, "/* open */ SELECT 1;\n", 3, "block comments");

	split("");
	is_int(u->n_batches, 0, "an empty script has no batch");
	split("GO\nGO\n");
	is_int(u->n_batches, 0, "a script of GO lines has no batch");

	/* Printed-only text moves the lines on without being sent. */
	upkit_units_free(&us);
	u = upkit_unit_add(&us, UPKIT_DIALECT_MSSQL, "procedure", "dbo", "X", NULL, "t.sql");
	upkit_unit_print(u, "\n", 1);
	upkit_unit_append(u, "-- From t.sql\n", 14);
	upkit_unit_append_script(u, "SELECT 1;\nGO\n", 13);
	upkit_unit_end_batch(u);
	is_int(u->n_batches, 1, "a runtime file: one batch");
	batch_is(0, "-- From t.sql\nSELECT 1;\n", 2, "runtime file");

	upkit_units_free(&us);
	ok(us.n == 0 && us.items == NULL, "upkit_units_free empties the list");
	return done();
}
