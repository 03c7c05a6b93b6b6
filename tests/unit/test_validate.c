/*
 * test_validate.c: the "validate" kind: what the reader makes of a spec
 * (defaults, the key columns the details name) and the unit it renders for
 * each dialect (one procedure that reads the checked tables and writes only
 * the log, no caller transaction, no TABID).
 */
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "spec_validate.h"
#include "tap.h"

static int
touches(const struct upkit_unit *u, const char *schema, const char *name, unsigned access)
{
	for (int i = 0; i < u->n_tables; i++)
		if (strcmp(u->tables[i].name.name, name) == 0 && strcmp(u->tables[i].name.schema, schema) == 0)
			return u->tables[i].access == access;
	return 0;
}

static void
test_read(void)
{
	struct upkit_diags diags = UPKIT_DIAGS_INIT;
	struct upkit_spec *s = upkit_spec_read_file("tests/fixtures/validate/readiness.json", UPKIT_DIALECT_PG, &diags);
	const struct upkit_validate_spec *v = s ? upkit_spec_body(s, UPKIT_DIALECT_PG) : NULL;

	ok(v != NULL && diags.n == 0, "the fixture's spec reads without problems");
	if (v == NULL)
	{
		for (int i = 0; i < 9; i++)
			ok(0, "spec read");
		return;
	}
	is_int(v->n_checks, 9, "nine checks");
	ok(v->per_company, "per company by default");
	ok(v->checks[0].kind == UPKIT_CHECK_UNIQUE && v->checks[0].error && strcmp(v->checks[0].alias, "T") == 0,
	   "unique, error, alias T by default");
	ok(v->checks[0].n_key == 1 && strcmp(v->checks[0].key[0], "ITEMID") == 0,
	   "unique: the details name the index columns");
	ok(v->checks[1].n_key == 1 && strcmp(v->checks[1].key[0], "ITEMID") == 0, "not_null: the key the spec gives");
	ok(v->checks[3].family == UPKIT_FITS_STRING && v->checks[3].length == 10 &&
	   strcmp(v->checks[3].target_column, "ITEMNAME") == 0, "fits: a target without a column takes the checked column's name");
	ok(v->checks[4].family == UPKIT_FITS_NUMERIC && v->checks[4].precision == 7 && v->checks[4].scale == 2,
	   "fits: numeric precision and scale");
	ok(v->checks[6].kind == UPKIT_CHECK_NUMBER_SEQUENCE && strcmp(v->checks[6].table.name, "NUMBERSEQUENCETABLE") == 0 &&
	   v->checks[6].n_key == 1 && strcmp(v->checks[6].key[0], "NUMBERSEQUENCE") == 0 && v->checks[6].rows_dataareaid,
	   "number_sequence: NUMBERSEQUENCETABLE by default, keyed by the sequence, rows counted per company");
	ok(!v->checks[8].error && v->checks[8].where && v->checks[8].detail, "custom: an advisory with its predicate and detail");
	upkit_spec_free(s);
	upkit_diags_free(&diags);
}

static void
test_units(void)
{
	struct upkit_diags diags = UPKIT_DIAGS_INIT;
	char	   *paths[] = {"tests/fixtures/validate/readiness.json"};
	struct upkit_spec **specs = upkit_specs_read(paths, 1, &diags);
	struct upkit_units pg = UPKIT_UNITS_INIT,
				ms = UPKIT_UNITS_INIT;

	is_int(upkit_render_units(&pg, UPKIT_DIALECT_PG, 0, specs, 1, &diags), 0, "rendered for pg");
	is_int(upkit_render_units(&ms, UPKIT_DIALECT_MSSQL, 0, specs, 1, &diags), 0, "... and for mssql");
	is_int(pg.n, 1, "pg: one unit");
	is_int(ms.n, 1, "mssql: one unit");
	if (pg.n == 1 && ms.n == 1)
	{
		const struct upkit_unit *p = &pg.items[0],
				   *m = &ms.items[0];

		ok(strcmp(p->kind, "procedure") == 0 && strcmp(p->object.schema, "rdy") == 0 &&
		   strcmp(p->object.name, "validate_items") == 0, "pg: the procedure rdy.validate_items");
		ok(strcmp(m->object.name, "VALIDATE_ITEMS") == 0, "mssql: named as written");
		ok(!p->needs_transaction && !m->needs_transaction && p->n_tabids == 0 && p->n_batches == 1,
		   "no caller transaction needed, no TABID, one batch on pg");
		ok(touches(p, "rdy", "inventtable", UPKIT_ACCESS_READ) && touches(p, "rdy", "inventitemgroup", UPKIT_ACCESS_READ) &&
		   touches(p, "rdy", "numbersequencetable", UPKIT_ACCESS_READ), "pg: reads the checked, referenced and sequence tables");
		ok(!touches(p, "rdy", "inventtable_new", UPKIT_ACCESS_READ) && !touches(p, "rdy", "inventtable_missing", UPKIT_ACCESS_READ),
		   "... not the fits targets (read from the catalog only)");
		ok(touches(p, "upkit", "validation_log", UPKIT_ACCESS_CREATE | UPKIT_ACCESS_READ | UPKIT_ACCESS_UPDATE | UPKIT_ACCESS_DELETE) &&
		   touches(m, "dbo", "UPKIT_VALIDATION_DETAIL", UPKIT_ACCESS_CREATE | UPKIT_ACCESS_READ | UPKIT_ACCESS_UPDATE | UPKIT_ACCESS_DELETE),
		   "both: write only the log");
		ok(strstr(sb_str(&m->text), "\nGO\n") != NULL && m->n_batches >= 2, "mssql: GO-separated batches");
	}
	else
		for (int i = 0; i < 7; i++)
			ok(0, "one unit each");
	upkit_units_free(&pg);
	upkit_units_free(&ms);
	upkit_specs_free(specs, 1);
	upkit_diags_free(&diags);
}

int
main(void)
{
	plan(21);
	test_read();
	test_units();
	return done();
}
