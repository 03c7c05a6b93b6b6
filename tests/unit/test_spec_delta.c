/*
 * test_spec_delta.c: reading and validating delta specs: the fixture specs
 * read cleanly with the documented defaults, and every rule of
 * docs/specs.md ("delta") reports its problem with the JSON path, all
 * problems at once.
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "spec.h"
#include "spec_delta.h"
#include "tap.h"

static const char *base_head =
	"{\"kind\": \"delta\", \"procedure\": {\"name\": \"P\"}, \"source\": {\"table\": \"SRC\"},"
	" \"shadow\": {\"table\": \"SH\"},";

#define GOOD_MAP "\"mapping\": [{\"column\": \"A\", \"expr\": \"S.A\"}]}"

#include "spec_problems.h"

int
main(void)
{
	struct upkit_diags diags = UPKIT_DIAGS_INIT;
	struct upkit_spec *s;
	const struct upkit_delta_spec *ds;
	const enum upkit_dialect P = UPKIT_DIALECT_PG,
				M = UPKIT_DIALECT_MSSQL;

	plan(49);

	/* A minimal spec and its defaults. */
	s = upkit_spec_read_text("t.json", "{\"kind\": \"delta\", \"procedure\": {\"name\": \"P\"},"
							 " \"source\": {\"table\": \"SRC\"}, \"shadow\": {\"table\": \"SH\"}," GOOD_MAP,
							 P, &diags);
	ok(s != NULL && diags.n == 0, "a minimal delta spec reads without problems");
	ok(s && s->kind == upkit_kind_find("delta") && strcmp(s->kind->name, "delta") == 0, "\"kind\": \"delta\" picks the delta reader");
	ds = s ? upkit_spec_body(s, P) : NULL;
	ok(ds && strcmp(ds->alias, "S") == 0 && strcmp(ds->refrecid, "REFRECID") == 0 &&
	   strcmp(ds->refdataareaid, "REFDATAAREAID") == 0 && strcmp(ds->recversionid, "RECVERSIONID") == 0,
	   "defaults: alias S, link columns REFRECID, REFDATAAREAID, RECVERSIONID");
	ok(ds && ds->per_company == 1 && ds->content == 0 && ds->n_lookups == 0 &&
	   strcmp(ds->procedure.schema, "public") == 0,
	   "defaults: per company, RECVERSION detection, no lookups, schema public for pg");
	upkit_spec_free(s);
	upkit_diags_free(&diags);

	/* The fixture specs. */
	s = upkit_spec_read_file("tests/fixtures/delta/custtable_content.json", M, &diags);
	ds = s ? upkit_spec_body(s, M) : NULL;
	ok(s && diags.n == 0 && ds->content && ds->n_content == 4 && strcmp(ds->hash_column, "CONTENTHASH") == 0 &&
	   ds->n_lookups == 1 && ds->lookups[0].per_company && strcmp(ds->procedure.schema, "dbo") == 0,
	   "custtable_content.json: content detection over 4 columns, a per-company lookup, schema dbo for mssql");
	upkit_spec_free(s);
	upkit_diags_free(&diags);
	s = upkit_spec_read_file("tests/fixtures/delta/currency_shared.json", P, &diags);
	ds = s ? upkit_spec_body(s, P) : NULL;
	ok(s && diags.n == 0 && !ds->per_company && ds->n_dataareaids == 2 &&
	   strcmp(ds->dataareaids[0], "dat") == 0 && strcmp(ds->dataareaids[1], "ceu") == 0 &&
	   strcmp(ds->alias, "CUR") == 0,
	   "currency_shared.json: shared by dat and ceu, alias CUR");
	upkit_spec_free(s);
	upkit_diags_free(&diags);

	/* Top level and mapping. */
	expect_problem("\"bogus\": 1, " GOOD_MAP, P, "$.bogus", "unknown key \"bogus\"",
				   "an unknown key is reported with its path");
	expect_problem("\"xpp\": \"x\"}", P, "$.mapping", "is required", "the mapping is required");
	expect_problem("\"mapping\": []}", P, "$.mapping", "at least one shadow column", "an empty mapping is refused");
	expect_problem("\"mapping\": [{\"column\": \"REFRECID\", \"expr\": \"S.RECID\"}]}", P,
				   "$.mapping[0].column", "link column shadow.refrecid", "REFRECID cannot be mapped");
	expect_problem("\"mapping\": [{\"column\": \"recversionid\", \"expr\": \"1\"}]}", M,
				   "$.mapping[0].column", "link column shadow.recversionid",
				   "a link column cannot be mapped, in any case (mssql)");
	expect_problem("\"detection\": {\"method\": \"content\", \"columns\": [\"A\"], \"hash_column\": \"H\"},"
				   " \"mapping\": [{\"column\": \"H\", \"expr\": \"1\"}]}", P,
				   "$.mapping[0].column", "detection.hash_column", "the hash column cannot be mapped");
	expect_problem("\"mapping\": [{\"column\": \"A\", \"expr\": \"1\"}, {\"column\": \"a\", \"expr\": \"2\"}]}", P,
				   "$.mapping[1].column", "already mapped by $.mapping[0]", "a column mapped twice is refused");
	expect_problem("\"mapping\": [{\"column\": \"A\", \"expr\": \"1; DROP TABLE x\"}]}", P,
				   "$.mapping[0].expr", ";", "an expression with ; is refused");
	expect_problem("\"mapping\": [{\"column\": \"A\"}]}", P, "$.mapping[0].expr", "is required",
				   "a mapping entry needs an expression");
	expect_problem("\"mapping\": [\"A\"]}", P, "$.mapping[0]", "must be an object", "a mapping entry must be an object");

	/* Companies. */
	expect_problem("\"dataareaids\": [\"dat\"], " GOOD_MAP, P, "$.dataareaids", "only for a shared spec",
				   "dataareaids in a per-company spec is refused");
	expect_problem("\"per_company\": false, " GOOD_MAP, P, "$.dataareaids", "is required when \"per_company\" is false",
				   "a shared spec needs its dataareaids");
	expect_problem("\"per_company\": false, \"dataareaids\": [], " GOOD_MAP, P, "$.dataareaids", "at least one",
				   "an empty list of companies is refused");
	expect_problem("\"per_company\": false, \"dataareaids\": \"dat\", " GOOD_MAP, P, "$.dataareaids", "must be an array",
				   "dataareaids must be an array");
	expect_problem("\"per_company\": false, \"dataareaids\": [\"dat\", 7], " GOOD_MAP, P, "$.dataareaids[1]", "must be a string",
				   "a DATAAREAID must be a string");
	expect_problem("\"per_company\": false, \"dataareaids\": [\"a,b\"], " GOOD_MAP, P, "$.dataareaids[0]", "is not a DATAAREAID",
				   "a DATAAREAID with a comma is refused");
	expect_problem("\"per_company\": false, \"dataareaids\": [\"\"], " GOOD_MAP, P, "$.dataareaids[0]", "is not a DATAAREAID",
				   "an empty DATAAREAID is refused");
	expect_problem("\"per_company\": false, \"dataareaids\": [\"dat\", \"dat\"], " GOOD_MAP, P, "$.dataareaids[1]", "already listed",
				   "a DATAAREAID listed twice is refused");
	expect_problem("\"per_company\": false, \"dataareaids\": [\"abcdefghij1\", \"abcdefghij2\", \"abcdefghij3\", \"abcdefghij4\","
				   " \"abcdefghij5\", \"abcdefghij6\", \"abcdefghij7\", \"abcdefghij8\", \"abcdefghij9\"], " GOOD_MAP, P,
				   "$.dataareaids", "at most 100", "a list of companies longer than the state table's key is refused");

	/* Detection. */
	expect_problem("\"detection\": \"hash\", " GOOD_MAP, P, "$.detection", "unknown detection \"hash\"",
				   "an unknown detection is refused");
	expect_problem("\"detection\": \"content\", " GOOD_MAP, P, "$.detection", "needs the columns to hash",
				   "\"content\" as a plain string says what it needs");
	expect_problem("\"detection\": 1, " GOOD_MAP, P, "$.detection", "must be \"recversion\" or an object",
				   "detection must be a string or an object");
	expect_problem("\"detection\": {\"method\": \"crc\"}, " GOOD_MAP, P, "$.detection.method", "unknown method \"crc\"",
				   "an unknown method is refused");
	expect_problem("\"detection\": {\"columns\": [\"A\"]}, " GOOD_MAP, P, "$.detection.method", "is required",
				   "detection needs a method");
	expect_problem("\"detection\": {\"method\": \"recversion\", \"columns\": [\"A\"]}, " GOOD_MAP, P, "$.detection",
				   "only for \"method\": \"content\"", "recversion detection takes no columns");
	expect_problem("\"detection\": {\"method\": \"content\", \"hash_column\": \"H\"}, " GOOD_MAP, P,
				   "$.detection.columns", "is required", "content detection needs columns");
	expect_problem("\"detection\": {\"method\": \"content\", \"columns\": [], \"hash_column\": \"H\"}, " GOOD_MAP, P,
				   "$.detection.columns", "at least one", "content detection needs at least one column");
	expect_problem("\"detection\": {\"method\": \"content\", \"columns\": [\"A\", \"a\"], \"hash_column\": \"H\"}, " GOOD_MAP, P,
				   "$.detection.columns[1]", "already listed", "a content column listed twice is refused");
	expect_problem("\"detection\": {\"method\": \"content\", \"columns\": [\"A\"]}, " GOOD_MAP, P,
				   "$.detection.hash_column", "is required", "content detection needs a hash column");
	expect_problem("\"detection\": {\"method\": \"content\", \"columns\": [\"A\"], \"hash_column\": \"REFRECID\"}, " GOOD_MAP, P,
				   "$.detection.hash_column", "is a link column", "the hash column cannot be a link column");
	expect_problem("\"detection\": {\"method\": \"content\", \"columns\": [\"A\\u0001\"], \"hash_column\": \"H\"}, " GOOD_MAP, P,
				   "$.detection.columns[0]", "control", "a content column must be a valid name");

	/* Shadow and source. */
	{
		const char *head = base_head;

		base_head = "{\"kind\": \"delta\", \"procedure\": {\"name\": \"P\"}, \"source\": {\"table\": \"SRC\", \"alias\": \"c\"},"
			" \"shadow\": {\"table\": \"SH\", \"refrecid\": \"X\", \"recversionid\": \"x\"},";
		expect_problem(GOOD_MAP, P, "$.source.alias", "used by the generated SQL",
					   "the source alias cannot be C (the list of changed rows)");
		expect_problem(GOOD_MAP, P, "$.shadow", "three different columns", "two link columns with one name are refused");
		base_head = "{\"kind\": \"delta\", \"procedure\": {\"name\": \"P23456789012345678901234567890123456789012345678901234567\"},"
			" \"source\": {\"table\": \"SRC\"}, \"shadow\": {\"table\": \"SH\", \"other\": 1},";
		expect_problem(GOOD_MAP, P, "$.procedure.name", "_CHANGES",
					   "a procedure name that leaves no room for _CHANGES (63 bytes in PostgreSQL) is refused");
		ok(problems_of(GOOD_MAP, M, &diags) == 1, "... the same name fits SQL Server's 128 characters");
		expect_problem(GOOD_MAP, M, "$.shadow.other", "unknown key", "an unknown key in shadow is reported");
		upkit_diags_free(&diags);
		base_head = head;
	}

	/* Lookups. */
	expect_problem("\"lookups\": [{\"table\": \"L\", \"alias\": \"S\", \"on\": \"S.A = 1\"}], " GOOD_MAP, P,
				   "$.lookups[0].alias", "already used by the source", "a lookup alias equal to the source's is refused");
	expect_problem("\"lookups\": [{\"table\": \"L\", \"alias\": \"L\", \"on\": \"1 = 1\"}, {\"table\": \"M\", \"alias\": \"l\", \"on\": \"1 = 1\"}], " GOOD_MAP, P,
				   "$.lookups[1].alias", "already used by another lookup", "two lookups with one alias are refused");
	expect_problem("\"lookups\": [{\"table\": \"L\", \"alias\": \"C\", \"on\": \"1 = 1\"}], " GOOD_MAP, P,
				   "$.lookups[0].alias", "generated SQL", "a lookup alias C is refused");
	expect_problem("\"lookups\": [{\"table\": \"L\", \"alias\": \"L\"}], " GOOD_MAP, P,
				   "$.lookups[0].on", "is required", "a lookup needs its join condition");
	expect_problem("\"lookups\": [{\"table\": \"L\", \"alias\": \"L\", \"on\": \"1 = 1\", \"per_company\": true}],"
				   " \"per_company\": false, \"dataareaids\": [\"dat\"], " GOOD_MAP, P,
				   "$.lookups[0].per_company", "a shared spec has no company parameter",
				   "a per-company lookup in a shared spec is refused");
	expect_problem("\"lookups\": [\"L\"], " GOOD_MAP, P, "$.lookups[0]", "must be an object", "a lookup must be an object");

	/* Every problem at once. */
	ok(problems_of("\"bogus\": 1, \"detection\": \"hash\", \"dataareaids\": [\"x\"], \"mapping\": []}", P, &diags) == 4,
	   "four problems in one spec are reported together");
	upkit_diags_free(&diags);

	return done();
}
