/*
 * test_spec.c: reading and validating insert specs: the worked example
 * reads cleanly, and every rule of docs/specs.md reports its problem with
 * the JSON path, all problems at once.
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "ident.h"
#include "spec.h"
#include "spec_insert.h"
#include "tap.h"

static const char *base_head =
	"{\"procedure\": {\"name\": \"P\"}, \"source\": {\"table\": \"SRC\"},"
	" \"target\": {\"table\": \"TGT\", \"tabid\": 7},";

#include "spec_problems.h"

#define GOOD_MAP "\"mapping\": [{\"column\": \"A\", \"expr\": \"S.A\"}], \"xpp\": \"x\"}"

int
main(void)
{
	struct upkit_diags diags = UPKIT_DIAGS_INIT;
	struct upkit_spec *s;
	const struct upkit_insert_spec *ins;

	plan(77);

	/* The worked example. */
	s = upkit_spec_read_file("sql/demo/specs/salesquotation.json", UPKIT_DIALECT_PG, &diags);
	ok(s != NULL && diags.n == 0, "the worked example reads without problems (pg)");
	ins = s ? upkit_spec_body(s, UPKIT_DIALECT_PG) : NULL;
	ok(ins && s->kind == upkit_kind_find("insert") && strcmp(s->kind->name, "insert") == 0, "its kind is insert");
	is_str(ins ? ins->procedure.schema : NULL, "public", "pg schema from the per-dialect object");
	is_str(ins ? ins->target.name : NULL, "SALESQUOTATIONTABLE", "target table as written");
	is_int(ins ? ins->tabid : 0, 1967, "TABID 1967");
	is_str(ins ? ins->sequence_column : NULL, "QUOTATIONID", "sequence column");
	is_int(ins ? ins->n_mapping : 0, 8, "eight mapped columns");
	ok(ins && ins->per_company && ins->recversion, "per company, RECVERSION set");
	ok(ins && ins->xpp && strstr(ins->xpp, "while select smmQuotationTable\n"), "X++ lines joined with newlines");
	upkit_spec_free(s);
	s = upkit_spec_read_file("sql/demo/specs/salesquotation.json", UPKIT_DIALECT_MSSQL, &diags);
	ok(s != NULL && diags.n == 0, "the worked example reads without problems (mssql)");
	is_str(s ? ((const struct upkit_insert_spec *) upkit_spec_body(s, UPKIT_DIALECT_MSSQL))->procedure.schema : NULL, "dbo", "mssql schema from the per-dialect object");
	upkit_spec_free(s);

	/* Defaults. */
	problems_of(GOOD_MAP, UPKIT_DIALECT_PG, &diags);
	is_int(diags.n, 0, "a minimal spec has no problems");
	s = upkit_spec_read_text("t.json", "{\"procedure\": {\"name\": \"P\"}, \"source\": {\"table\": \"SRC\"},"
							 " \"target\": {\"table\": \"TGT\", \"tabid\": 7}, " GOOD_MAP,
							 UPKIT_DIALECT_MSSQL, &diags);
	ins = s ? upkit_spec_body(s, UPKIT_DIALECT_MSSQL) : NULL;
	ok(ins && strcmp(ins->alias, "S") == 0 && ins->n_order == 1 && strcmp(ins->order_by[0].expr, "S.RECID") == 0,
	   "alias defaults to S and order_by to S.RECID");
	ok(ins && strcmp(ins->source.schema, "dbo") == 0 && ins->sequence_column == NULL && ins->filter == NULL,
	   "schema defaults to dbo on SQL Server; no sequence, no filter");
	upkit_spec_free(s);

	/* File-level problems. */
	s = upkit_spec_read_file("tests/fixtures/specs/does-not-exist.json", UPKIT_DIALECT_PG, &diags);
	ok(s == NULL && upkit_diags_has(&diags, "$", "cannot open"), "a missing file: cannot open");
	upkit_diags_free(&diags);
	s = upkit_spec_read_text("t.json", "{\"procedure\": ", UPKIT_DIALECT_PG, &diags);
	ok(s == NULL && upkit_diags_has(&diags, "$", "not valid JSON: syntax error near line 1"), "bad JSON: line and column");
	upkit_diags_free(&diags);
	s = upkit_spec_read_text("t.json", "[1]", UPKIT_DIALECT_PG, &diags);
	ok(s == NULL && upkit_diags_has(&diags, "$", "must be a JSON object"), "a spec is an object");
	upkit_diags_free(&diags);
	s = upkit_spec_read_text("t.json", "{\"kind\": \"upsert\"}", UPKIT_DIALECT_PG, &diags);
	ok(s == NULL && upkit_diags_has(&diags, "$.kind", "unknown kind \"upsert\""), "unknown kind");
	upkit_diags_free(&diags);

	/* Everything at once: each problem with its path. */
	s = upkit_spec_read_text("t.json",
							 "{\"procedure\": {\"name\": \"\"}, \"source\": {\"alias\": \"1x\", \"filter\": \"a; b\"},"
							 " \"target\": {\"table\": \"T\", \"tabid\": 0}, \"mapping\": ["
							 " {\"column\": \"A\", \"expr\": \"S.A -- x\"}, {\"column\": \"a\", \"expr\": \"(1\"}],"
							 " \"colour\": 1}", UPKIT_DIALECT_PG, &diags);
	ok(s == NULL && diags.n >= 8, "a spec with many problems reports all of them");
	ok(upkit_diags_has(&diags, "$.procedure.name", "must not be empty"), "... an empty procedure name");
	ok(upkit_diags_has(&diags, "$.source.table", "is required"), "... a missing source table");
	ok(upkit_diags_has(&diags, "$.source.alias", "must be a letter"), "... a bad alias");
	ok(upkit_diags_has(&diags, "$.source.filter", "contains ';'"), "... a semicolon in the filter");
	ok(upkit_diags_has(&diags, "$.target.tabid", "from 1 to 2147483647"), "... TABID 0");
	ok(upkit_diags_has(&diags, "$.mapping[0].expr", "comment marker '--'"), "... a comment in an expression");
	ok(upkit_diags_has(&diags, "$.mapping[1].column", "already mapped by $.mapping[0]"), "... a column mapped twice (case folded)");
	ok(upkit_diags_has(&diags, "$.mapping[1].expr", "unclosed"), "... unbalanced parentheses");
	ok(upkit_diags_has(&diags, "$.colour", "unknown key \"colour\""), "... an unknown key");
	ok(upkit_diags_has(&diags, "$.xpp", "is required"), "... the X++ is required");
	upkit_diags_free(&diags);

	/* One rule each. */
	expect_problem("\"mapping\": [{\"column\": \"RECID\", \"expr\": \"1\"}], \"xpp\": \"x\"}", UPKIT_DIALECT_PG,
				   "$.mapping[0].column", "RECID is assigned by the procedure", "RECID cannot be mapped");
	expect_problem("\"mapping\": [{\"column\": \"dataareaid\", \"expr\": \"'x'\"}], \"xpp\": \"x\"}", UPKIT_DIALECT_MSSQL,
				   "$.mapping[0].column", "DATAAREAID is set from the @DATAAREAID parameter", "DATAAREAID cannot be mapped per company");
	expect_problem("\"sequence\": {\"column\": \"QID\"}, \"mapping\": [{\"column\": \"QID\", \"expr\": \"1\"}], \"xpp\": \"x\"}", UPKIT_DIALECT_PG,
				   "$.mapping[0].column", "this is the sequence column", "the sequence column cannot be mapped");
	expect_problem("\"mapping\": [{\"column\": \"A\", \"expr\": \"'a'\"}, {\"column\": \"a\", \"expr\": \"1\"}], \"xpp\": \"x\"}", UPKIT_DIALECT_MSSQL,
				   "$.mapping[1].column", "already mapped", "SQL Server names compare case-insensitively");
	expect_problem("\"mapping\": [{\"column\": \"A\", \"expr\": \"'a\\nGO\\n'\"}], \"xpp\": \"x\"}", UPKIT_DIALECT_MSSQL,
				   "$.mapping[0].expr", "only GO", "a GO line in an expression");
	expect_problem("\"mapping\": [{\"column\": \"A\", \"expr\": \"$$x$$\"}], \"xpp\": \"x\"}", UPKIT_DIALECT_PG,
				   "$.mapping[0].expr", "dollar quoting", "dollar quoting on PostgreSQL");
	expect_problem("\"mapping\": [{\"column\": \"A\", \"expr\": \"E'\\\\\\\\'\"}], \"xpp\": \"x\"}", UPKIT_DIALECT_PG,
				   "$.mapping[0].expr", "escape string", "E'' strings on PostgreSQL");
	expect_problem("\"mapping\": [{\"column\": \"A\", \"expr\": \"'it''s /* x'\"}, {\"column\": \"B\", \"expr\": \"S.A */ 2\"}], \"xpp\": \"x\"}", UPKIT_DIALECT_PG,
				   "$.mapping[1].expr", "'*/'", "comment markers count outside literals only");
	expect_problem("\"mapping\": [{\"column\": \"A\", \"expr\": \"[a]] --]\"}, {\"column\": \"B\", \"expr\": \"[x\"}], \"xpp\": \"x\"}", UPKIT_DIALECT_MSSQL,
				   "$.mapping[1].expr", "quoted name opened at offset 0 is not closed", "an unclosed [name] on SQL Server");
	expect_problem("\"mapping\": [{\"column\": \"A\", \"expr\": \"'a\\nb'\"}], \"xpp\": \"x\"}", UPKIT_DIALECT_PG,
				   "$.mapping[0].expr", "spans lines", "a literal may not span lines");
	expect_problem("\"mapping\": [{\"column\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\", \"expr\": \"1\"}], \"xpp\": \"x\"}",
				   UPKIT_DIALECT_PG, "$.mapping[0].column", "is 64 bytes; PostgreSQL allows 63", "a 64-byte name on PostgreSQL");
	expect_problem("\"mapping\": [{\"column\": \" A\", \"expr\": \"1\"}], \"xpp\": \"x\"}", UPKIT_DIALECT_MSSQL,
				   "$.mapping[0].column", "blank at either end", "a name with a leading blank");
	expect_problem("\"mapping\": [{\"column\": \"A\\u0001\", \"expr\": \"1\"}], \"xpp\": \"x\"}", UPKIT_DIALECT_MSSQL,
				   "$.mapping[0].column", "control character", "a name with a control character");
	expect_problem("\"mapping\": [], \"xpp\": [\"a\", 3]}", UPKIT_DIALECT_PG,
				   "$.mapping", "at least one", "an empty mapping");
	expect_problem("\"mapping\": [], \"xpp\": [\"a\", 3]}", UPKIT_DIALECT_PG,
				   "$.xpp[1]", "must be a string", "X++ lines must be strings");
	expect_problem("\"per_company\": \"yes\", " GOOD_MAP, UPKIT_DIALECT_PG,
				   "$.per_company", "must be true or false", "per_company is a boolean");
	expect_problem("\"procedure\": {\"name\": \"Q\"}, " GOOD_MAP, UPKIT_DIALECT_PG,
				   "$.procedure", "appears more than once", "a duplicate key");
	s = upkit_spec_read_text("t.json", "{\"procedure\": {\"name\": \"P\"}, \"target\": {\"table\": \"TGT\", \"tabid\": 7},"
							 " \"source\": {\"table\": \"S\", \"order_by\": [\"S.A DESC\", \"S.B;\"]}, " GOOD_MAP,
							 UPKIT_DIALECT_PG, &diags);
	ok(s == NULL && diags.n == 1 && upkit_diags_has(&diags, "$.source.order_by[1]", "contains ';'"),
	   "order_by items are checked one by one");
	upkit_diags_free(&diags);

	/* The rest of the documented messages, one each. */
	s = upkit_spec_read_text("t.json", "{\"kind\": 1}", UPKIT_DIALECT_PG, &diags);
	ok(s == NULL && upkit_diags_has(&diags, "$.kind", "must be a string such as \"insert\""), "kind must be a string");
	upkit_diags_free(&diags);
	{
		FILE	   *f = fopen("build/tests/unit/nul.json", "wb");

		fwrite("{\"a\":\0}", 1, 8, f);
		fclose(f);
		s = upkit_spec_read_file("build/tests/unit/nul.json", UPKIT_DIALECT_PG, &diags);
		ok(s == NULL && upkit_diags_has(&diags, "$", "NUL byte"), "a NUL byte in the file");
		upkit_diags_free(&diags);
		s = upkit_spec_read_file("build/tests/unit", UPKIT_DIALECT_PG, &diags);
		ok(s == NULL && upkit_diags_has(&diags, "$", "cannot read: Is a directory"), "a directory cannot be read");
		upkit_diags_free(&diags);
	}
	expect_problem("\"source\": \"x\", " GOOD_MAP, UPKIT_DIALECT_PG, "$.source", "appears more than once", "(a second source key)");
	s = upkit_spec_read_text("t.json", "{\"procedure\": [], \"source\": {\"table\": 5, \"schema\": 3},"
							 " \"target\": {\"table\": \"T\", \"tabid\": 1.5, \"schema\": {\"pg\": \"a\", \"db2\": \"b\"}},"
							 " \"mapping\": {}, \"xpp\": 7, \"sequence\": {\"column\": \"recid\"}}", UPKIT_DIALECT_PG, &diags);
	ok(upkit_diags_has(&diags, "$.procedure", "must be an object, not an array"), "an array where an object belongs");
	ok(upkit_diags_has(&diags, "$.source.table", "must be a string, not a number"), "a number where a name belongs");
	ok(upkit_diags_has(&diags, "$.source.schema", "must be a string or an object {\"pg\": ..., \"mssql\": ...}, not a number"), "a schema of the wrong type");
	ok(upkit_diags_has(&diags, "$.target.schema.db2", "unknown key \"db2\" (known keys here: pg, mssql)"), "a per-dialect schema with an unknown dialect");
	ok(upkit_diags_has(&diags, "$.target.tabid", "must be an integer from 1 to 2147483647, not 1.5"), "a fractional TABID");
	ok(upkit_diags_has(&diags, "$.mapping", "must be an array, not an object"), "mapping must be an array");
	ok(upkit_diags_has(&diags, "$.xpp", "must be a string or an array of strings (lines), not a number"), "xpp of the wrong type");
	ok(upkit_diags_has(&diags, "$.sequence.column", "is a system column, not a business id"), "RECID as the sequence column");
	upkit_diags_free(&diags);
	upkit_spec_free(s);
	s = upkit_spec_read_text("t.json", "{\"procedure\": {\"name\": \"P\"}, \"source\": {\"table\": \"S\", \"alias\": \"\", \"order_by\": []},"
							 " \"target\": {\"table\": \"T\", \"tabid\": 3}, \"mapping\": [5,"
							 " {\"column\": \"RECVERSION\", \"expr\": \" \"}, {\"column\": \"UPKIT_ROW_NUMBER\", \"expr\": \"a\\u0007\"},"
							 " {\"column\": \"B\", \"expr\": \"a) + (b\"}, {\"column\": \"C\", \"expr\": \"a[1]]\"},"
							 " {\"column\": \"D\", \"expr\": \"\\\"abc\"}, {\"column\": \"E\", \"expr\": \"f(a[1\"}],"
							 " \"xpp\": \"\"}", UPKIT_DIALECT_PG, &diags);
	ok(upkit_diags_has(&diags, "$.source.alias", "an alias must not be empty"), "an empty alias");
	ok(upkit_diags_has(&diags, "$.source.order_by", "must list at least one expression"), "an empty order_by");
	ok(upkit_diags_has(&diags, "$.mapping[0]", "must be an object {\"column\": ..., \"expr\": ...}"), "a mapping that is not an object");
	ok(upkit_diags_has(&diags, "$.mapping[1].column", "RECVERSION is set to 1 by the procedure"), "RECVERSION cannot be mapped by default");
	ok(upkit_diags_has(&diags, "$.mapping[1].expr", "expression is empty"), "a blank expression");
	ok(upkit_diags_has(&diags, "$.mapping[2].column", "upkit_row_number is the generated SQL's own"), "upkit_row_number cannot be mapped");
	ok(upkit_diags_has(&diags, "$.mapping[2].expr", "control character (U+0007, control character) at offset 1"), "a control character in an expression");
	ok(upkit_diags_has(&diags, "$.mapping[3].expr", "closes a parenthesis at offset 1 that it did not open"), "a parenthesis closed first");
	ok(upkit_diags_has(&diags, "$.mapping[4].expr", "closes a bracket at offset 4 that it did not open"), "pg: a bracket closed that was not opened");
	ok(upkit_diags_has(&diags, "$.mapping[5].expr", "quoted name opened at offset 0 is not closed"), "an unclosed \"name\"");
	ok(upkit_diags_has(&diags, "$.mapping[6].expr", "leaves 1 parenthesis(es) unclosed"), "an unclosed parenthesis");
	ok(upkit_diags_has(&diags, "$.xpp", "must hold the original X++"), "an empty xpp");
	upkit_diags_free(&diags);
	upkit_spec_free(s);
	s = upkit_spec_read_text("t.json", "{\"procedure\": {\"name\": \"P\"}, \"source\": {\"table\": \"S\", \"alias\": \"a234567890123456789012345678901\", \"order_by\": [3]},"
							 " \"target\": {\"table\": \"T\", \"tabid\": 3, \"recversion\": false}, \"mapping\": ["
							 " {\"column\": \"RECVERSION\", \"expr\": \"f(a[1)\"}],"
							 " \"xpp\": \"a\\u001bb\"}", UPKIT_DIALECT_PG, &diags);
	ok(upkit_diags_has(&diags, "$.source.alias", "is longer than 30 characters"), "a 31-character alias");
	ok(upkit_diags_has(&diags, "$.source.order_by[0]", "must be a string: an expression, optionally followed by ASC or DESC"), "an order_by item that is no string");
	ok(!upkit_diags_has(&diags, "$.mapping[0].column", NULL), "RECVERSION may be mapped with target.recversion false");
	ok(upkit_diags_has(&diags, "$.mapping[0].expr", "leaves 1 bracket(s) unclosed"), "pg: an unclosed bracket");
	ok(upkit_diags_has(&diags, "$.xpp", "text has a control character (U+001B, control character) at offset 1"), "an escape character in the X++");
	upkit_diags_free(&diags);
	upkit_spec_free(s);

	{
		int			desc;
		char		why[512];
		long		n = upkit_order_check("S.RECID  desc ", UPKIT_DIALECT_PG, &desc, why, sizeof why);

		ok(n == 7 && desc == 1, "order_by: a trailing DESC is split off");
	}
	return done();
}
