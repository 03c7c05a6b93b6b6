/*
 * test_spec_rerun.c: the insert spec's "rerun" (what a second call does,
 * docs/specs.md): the worked example's key, the default, and every rule and
 * message, with its JSON path.
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "spec.h"
#include "spec_insert.h"
#include "tap.h"

static const char *base_head =
	"{\"procedure\": {\"name\": \"P\"}, \"source\": {\"table\": \"SRC\"},"
	" \"target\": {\"table\": \"TGT\", \"tabid\": 7},"
	" \"mapping\": [{\"column\": \"A\", \"expr\": \"S.A\"}, {\"column\": \"ORIGRECID\", \"expr\": \"S.RECID\"}],"
	" \"xpp\": \"x\", ";

#include "spec_problems.h"

/* The spec base_head + rest, read for d (NULL on problems). */
static struct upkit_spec *
read_spec(const char *rest, enum upkit_dialect d, struct upkit_diags *diags)
{
	char	   *text = malloc(strlen(base_head) + strlen(rest) + 1);
	struct upkit_spec *s;

	strcpy(text, base_head);
	strcat(text, rest);
	s = upkit_spec_read_text("t.json", text, d, diags);
	free(text);
	return s;
}

int
main(void)
{
	struct upkit_diags diags = UPKIT_DIAGS_INIT;
	struct upkit_spec *s;
	const struct upkit_insert_spec *ins;

	plan(18);

	s = upkit_spec_read_file("sql/demo/specs/salesquotation.json", UPKIT_DIALECT_PG, &diags);
	ins = s ? upkit_spec_body(s, UPKIT_DIALECT_PG) : NULL;
	ok(ins && ins->rerun == UPKIT_RERUN_INSERT_MISSING, "the worked example inserts what is missing on a second call");
	ok(ins && ins->rerun_key == 7 && strcmp(ins->mapping[ins->rerun_key].column, "ORIGSMMQUOTATIONRECID") == 0,
	   "... by its key ORIGSMMQUOTATIONRECID, mapping entry 7");
	upkit_spec_free(s);

	s = read_spec("\"per_company\": true}", UPKIT_DIALECT_PG, &diags);
	ins = s ? upkit_spec_body(s, UPKIT_DIALECT_PG) : NULL;
	ok(ins && ins->rerun == UPKIT_RERUN_RECORD && ins->rerun_key == -1, "without \"rerun\": calls are recorded, no key");
	upkit_spec_free(s);
	s = read_spec("\"rerun\": {\"mode\": \"refuse\", \"key\": \"origrecid\"}}", UPKIT_DIALECT_MSSQL, &diags);
	ins = s ? upkit_spec_body(s, UPKIT_DIALECT_MSSQL) : NULL;
	ok(ins && ins->rerun == UPKIT_RERUN_REFUSE && ins->rerun_key == 1,
	   "refuse by a key; SQL Server finds the mapped column whatever its case");
	upkit_spec_free(s);
	s = read_spec("\"rerun\": {\"mode\": \"record\"}}", UPKIT_DIALECT_PG, &diags);
	ok(s && ((const struct upkit_insert_spec *) upkit_spec_body(s, UPKIT_DIALECT_PG))->rerun == UPKIT_RERUN_RECORD, "\"mode\": \"record\" may be written out");
	upkit_spec_free(s);
	is_int(diags.n, 0, "... all without problems");

	expect_problem("\"rerun\": \"insert_missing\"}", UPKIT_DIALECT_PG, "$.rerun", "must be an object",
				   "rerun is an object");
	expect_problem("\"rerun\": {\"key\": \"ORIGRECID\"}}", UPKIT_DIALECT_PG, "$.rerun.mode", "\"mode\" is required",
				   "rerun needs its mode");
	expect_problem("\"rerun\": {\"mode\": \"skip\", \"key\": \"ORIGRECID\"}}", UPKIT_DIALECT_PG, "$.rerun.mode",
				   "unknown mode \"skip\" (known: \"record\", \"insert_missing\", \"refuse\")", "an unknown mode");
	expect_problem("\"rerun\": {\"mode\": \"insert_missing\"}}", UPKIT_DIALECT_PG, "$.rerun.key",
				   "\"key\" is required for \"mode\": \"insert_missing\": the target column that holds the source row's key",
				   "insert_missing needs a key");
	expect_problem("\"rerun\": {\"mode\": \"refuse\"}}", UPKIT_DIALECT_MSSQL, "$.rerun.key",
				   "\"key\" is required for \"mode\": \"refuse\"", "refuse needs a key");
	expect_problem("\"rerun\": {\"mode\": \"record\", \"key\": \"ORIGRECID\"}}", UPKIT_DIALECT_PG, "$.rerun.key",
				   "is only for \"mode\": \"insert_missing\" or \"refuse\"", "record takes no key");
	expect_problem("\"rerun\": {\"mode\": \"refuse\", \"key\": \"RECID\"}}", UPKIT_DIALECT_PG, "$.rerun.key",
				   "column \"RECID\" is not in \"mapping\": the key column must be filled from the source row's key by a mapping entry",
				   "the key must be a mapped column");
	is_int(problems_of("\"rerun\": {\"mode\": \"refuse\", \"key\": \"origrecid\"}}", UPKIT_DIALECT_PG, &diags), 0,
		   "PostgreSQL folds names, so origrecid is the mapped ORIGRECID there too");
	expect_problem("\"rerun\": {\"mode\": \"refuse\", \"key\": \"ORIG RECID\"}}", UPKIT_DIALECT_MSSQL, "$.rerun.key",
				   "column \"ORIG RECID\" is not in \"mapping\"", "a column that is not mapped, on SQL Server");
	expect_problem("\"rerun\": {\"mode\": \"refuse\", \"key\": \"\"}}", UPKIT_DIALECT_PG, "$.rerun.key",
				   "must not be empty", "the key follows the name rules");
	expect_problem("\"rerun\": {\"mode\": \"refuse\", \"key\": \"ORIGRECID\", \"on\": 1}}", UPKIT_DIALECT_PG, "$.rerun.on",
				   "unknown key \"on\" (known keys here: mode, key)", "only mode and key");
	s = upkit_spec_read_text("t.json",
							 "{\"procedure\": {\"name\": \"P\"}, \"source\": {\"table\": \"SRC\", \"alias\": \"UPKIT_TARGET\"},"
							 " \"target\": {\"table\": \"TGT\", \"tabid\": 7},"
							 " \"mapping\": [{\"column\": \"K\", \"expr\": \"UPKIT_TARGET.RECID\"}], \"xpp\": \"x\","
							 " \"rerun\": {\"mode\": \"insert_missing\", \"key\": \"K\"}}", UPKIT_DIALECT_PG, &diags);
	ok(s == NULL && upkit_diags_has(&diags, "$.source.alias",
									"alias \"UPKIT_TARGET\" is used by the generated SQL for the target in the key check"),
	   "with a key, the source alias cannot be the key check's own alias");
	upkit_diags_free(&diags);
	return done();
}
