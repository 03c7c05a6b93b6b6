/*
 * test_spec_updel.c: the "update" and "delete" readers: the virtual-company
 * rule (every spelling, quoting, case, both orders, parentheses, IN, IS
 * DISTINCT FROM; what stays allowed) and each documented reader message.
 */
#include <stdio.h>
#include <string.h>

#include "dataareaid.h"

static const char *base_head =
	"{\"procedure\": {\"name\": \"P\"}, \"xpp\": \"x\", ";

#include "spec_problems.h"

static int
refused(const char *expr, enum upkit_dialect d)
{
	char		why[1024];

	return upkit_dataareaid_check(expr, d, why, sizeof why) != 0;
}

static void
test_detector(void)
{
	static const char *const bad[] = {
		"A.DATAAREAID = B.DATAAREAID",
		"a.dataareaid=b.dataareaid",
		"B.DataAreaId = A.DATAAREAID",
		"\"A\".\"DATAAREAID\" = \"B\".\"dataareaid\"",
		"dbo.SALESLINE.DATAAREAID = dbo.SALESTABLE.DATAAREAID",
		"(A.DATAAREAID) = ((B.DATAAREAID))",
		"X = 1 AND (A.DATAAREAID <> B.DATAAREAID)",
		"INVENTTRANS.DATAAREAID = INVENTTRANS.DATAAREAID",
		"A . DATAAREAID = B . DATAAREAID",
		"A.DATAAREAID IN (B.DATAAREAID, 'x')",
		"A.DATAAREAID NOT IN ('x', (B.DATAAREAID))",
		"A.DATAAREAID IS NOT DISTINCT FROM B.DATAAREAID",
		"DATAAREAID = B.DATAAREAID",
		"A.DATAAREAID >= B.DATAAREAID",
		NULL
	};
	static const char *const good[] = {
		"A.DATAAREAID = 'dat'",
		"'A.DATAAREAID = B.DATAAREAID' = A.X",
		"A.DATAAREAID = B.REFDATAAREAID",
		"A.X = B.DATAAREAID",
		"A.DATAAREAID IN ('dat', 'ceu')",
		"A.DATAAREAID = (SELECT MAX(B.DATAAREAID) FROM T B)",
		"A.DATAAREAIDX = B.DATAAREAID",
		NULL
	};

	for (int i = 0; bad[i]; i++)
	{
		char		name[256];

		snprintf(name, sizeof name, "refused: %s", bad[i]);
		ok(refused(bad[i], UPKIT_DIALECT_PG), name);
	}
	ok(refused("[A].[DATAAREAID] = [B].[DATAAREAID]", UPKIT_DIALECT_MSSQL), "refused (SQL Server): [A].[DATAAREAID] = [B].[DATAAREAID]");
	for (int i = 0; good[i]; i++)
	{
		char		name[256];

		snprintf(name, sizeof name, "allowed: %s", good[i]);
		ok(!refused(good[i], UPKIT_DIALECT_PG), name);
	}
	{
		char		why[1024];

		upkit_dataareaid_check("(L.DATAAREAID) = T.DATAAREAID", UPKIT_DIALECT_PG, why, sizeof why);
		ok(strstr(why, "compares L.DATAAREAID with T.DATAAREAID") != NULL &&
		   strstr(why, "virtual companies") != NULL, "the message names both references and cites the virtual-company rule");
	}
}

#define T "\"target\": {\"table\": \"SALESLINE\", \"alias\": \"L\"}, "
#define J "\"joins\": [{\"table\": \"SALESTABLE\", \"alias\": \"T\", \"match\": [{\"column\": \"SALESID\", \"expr\": \"L.SALESID\"}]"
#define S "\"set\": [{\"column\": \"X\", \"expr\": \"T.X\"}]"

static void
test_reader(void)
{
	struct upkit_diags diags = UPKIT_DIAGS_INIT;
	enum upkit_dialect pg = UPKIT_DIALECT_PG;

	is_int(problems_of("\"kind\": \"update\", " T J "}], " S "}", pg, &diags), 0, "a valid update reads without problems");
	is_int(problems_of("\"kind\": \"delete\", " T "\"not_exists\": [{\"table\": \"SALESTABLE\", \"alias\": \"T\", \"on\": \"T.SALESID = L.SALESID\"}]}", pg, &diags), 0,
		   "a valid delete reads without problems");
	expect_problem("\"kind\": \"update\", " T J ", \"on\": \"L.DATAAREAID = T.DATAAREAID\"}], " S "}", pg,
				   "$.joins[0].on", "compares L.DATAAREAID with T.DATAAREAID", "a join's on comparing DATAAREAIDs is refused");
	expect_problem("\"kind\": \"update\", " T J "}], \"set\": [{\"column\": \"X\", \"expr\": \"CASE WHEN (T.DATAAREAID = L.DATAAREAID) THEN 1 END\"}]}", pg,
				   "$.set[0].expr", "virtual companies", "... in a SET expression too");
	expect_problem("\"kind\": \"delete\", " T "\"exists\": [{\"table\": \"A\", \"alias\": \"A\", \"on\": \"A.DATAAREAID = L.DATAAREAID\"}]}", pg,
				   "$.exists[0].on", "compares A.DATAAREAID", "... and in an exists condition");
	expect_problem("\"kind\": \"update\", " T J ", \"type\": \"outer\"}], " S "}", pg,
				   "$.joins[0].type", "unknown join type \"outer\" (known: \"inner\", \"left\")", "an unknown join type");
	expect_problem("\"kind\": \"update\", " T J ", \"unique\": \"maybe\"}], " S "}", pg,
				   "$.joins[0].unique", "unknown value \"maybe\"", "an unknown unique value");
	expect_problem("\"kind\": \"update\", " T J ", \"unique\": \"check\", \"aggregate\": [{\"column\": \"M\", \"expr\": \"MAX(T.M)\"}]}], " S "}", pg,
				   "$.joins[0].unique", "unique by construction", "unique on an aggregate join");
	expect_problem("\"kind\": \"update\", " T J ", \"where\": \"T.A = 1\"}], " S "}", pg,
				   "$.joins[0].where", "only for an aggregate join", "where on a plain join");
	expect_problem("\"kind\": \"update\", " T "\"joins\": [{\"table\": \"SALESTABLE\", \"match\": [{\"column\": \"SALESID\", \"expr\": \"L.SALESID\"}]}], " S "}", pg,
				   "$.joins[0].alias", "\"alias\" is required", "a join without an alias");
	expect_problem("\"kind\": \"update\", " T "\"joins\": [{\"table\": \"SALESTABLE\", \"alias\": \"L\", \"match\": [{\"column\": \"SALESID\", \"expr\": \"L.SALESID\"}]}], " S "}", pg,
				   "$.joins[0].alias", "alias \"L\" is already used by the target", "an alias used twice");
	expect_problem("\"kind\": \"update\", " T "\"joins\": [{\"table\": \"SALESTABLE\", \"alias\": \"T\"}], " S "}", pg,
				   "$.joins[0].match", "\"match\" is required", "a join without match columns");
	expect_problem("\"kind\": \"update\", " T J "}], \"set\": [{\"column\": \"RECID\", \"expr\": \"1\"}]}", pg,
				   "$.set[0].column", "column \"RECID\" must not be", "RECID is not set");
	expect_problem("\"kind\": \"update\", " T J "}], \"set\": [{\"column\": \"DATAAREAID\", \"expr\": \"'x'\"}]}", pg,
				   "$.set[0].column", "moving rows between companies", "DATAAREAID is not set");
	expect_problem("\"kind\": \"update\", " T "\"joins\": [{\"table\": \"S\", \"alias\": \"T\", \"match\": [{\"column\": \"DATAAREAID\", \"expr\": \"'x'\"}]}], " S "}", pg,
				   "$.joins[0].match[0].column", "compared with its company parameter", "a per-company join does not match on DATAAREAID");
	expect_problem("\"kind\": \"update\", " T J "}]}", pg, "$.set", "\"set\" is required", "an update without set");
	expect_problem("\"kind\": \"delete\", " T S "}", pg, "$.set", "unknown key \"set\"", "a delete has no set");
	expect_problem("\"kind\": \"update\", \"target\": {\"table\": \"X\", \"per_company\": false, \"company\": \"C\"}, " S "}", pg,
				   "$.target.company", "only for a per-company table", "company on a shared table");
	expect_problem("\"kind\": \"update\", \"target\": {\"table\": \"X\", \"company\": \"my company\"}, " S "}", pg,
				   "$.target.company", "must be a plain name", "a company parameter that is not a plain name");
	expect_problem("\"kind\": \"update\", \"statements\": [], " S "}", pg,
				   "$.set", "belongs inside each entry of \"statements\"", "statement fields beside statements");
	expect_problem("\"kind\": \"update\", \"statements\": []}", pg,
				   "$.statements", "must list at least one statement", "an empty statements list");
	expect_problem("\"kind\": \"delete\", " T "\"exists\": [{\"table\": \"A\", \"alias\": \"A\"}]}", pg,
				   "$.exists[0].on", "\"on\" is required", "an exists condition without on");
	upkit_diags_free(&diags);
}

int
main(void)
{
	plan(45);
	test_detector();
	test_reader();
	return done();
}
