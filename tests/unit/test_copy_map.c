/*
 * test_copy_map.c: the copy's mapping rules (copy_map.c) on in-memory table
 * descriptions, and the mapping file's validation (copy_mapfile.c): table
 * precedence (special, name, DEL_, table id, error), conflicts, fields by
 * name and by mapping, type and length mismatches, LTRIM and DONOTCOPY,
 * shadows (replacing fields, missing keys, unknown fields), NOT NULL
 * targets without a value, and every message of the file reader.
 */
#include <stdlib.h>
#include <string.h>

#include "copy_map.h"
#include "copy_mapfile.h"
#include "strbuf.h"
#include "copy_tables.h"
#include "tap.h"


static const struct copy_table_map *
find(const struct copy_map_result *r, const char *src)
{
	for (int i = 0; i < r->ntables; i++)
		if (strcmp(r->tables[i].src->name, src) == 0)
			return &r->tables[i];
	return NULL;
}

static const struct copy_field_map *
field(const struct copy_table_map *t, const char *name)
{
	for (int i = 0; i < t->nfields; i++)
		if ((t->fields[i].source && strcmp(t->fields[i].source, name) == 0) ||
			(t->fields[i].shadow && strcmp(t->fields[i].shadow, name) == 0))
			return &t->fields[i];
	return NULL;
}

static int
has_error(const struct copy_table_map *t, const char *text)
{
	for (int i = 0; t && i < t->nerrors; i++)
		if (strstr(t->errors[i], text))
			return 1;
	for (int i = 0; t && i < t->nfields; i++)
		if (t->fields[i].error && strstr(t->fields[i].error, text))
			return 1;
	return 0;
}

static const char *const mapping_text =
"{ \"tables\": ["
" { \"table\": \"CUSTTABLE\", \"fields\": ["
"     { \"field\": \"ACCOUNTNUM\", \"option\": \"ltrim\" },"
"     { \"field\": \"MEMO\", \"option\": \"do_not_copy\" },"
"     { \"field\": \"OLDGROUP\", \"target\": \"NEWGROUP\" } ],"
"   \"shadow\": { \"table\": \"UPG_CUSTTABLE\", \"join\": \"left\","
"                 \"fields\": [ { \"field\": \"HASH\", \"option\": \"do_not_copy\" } ] } },"
" { \"table\": \"OLDTABLE\", \"target\": \"NEWTABLE\" },"
" { \"table\": \"GONE\", \"target\": \"NOWHERE\" },"
" { \"table\": \"TMPDATA\", \"exception\": \"do_not_copy\" },"
" { \"table\": \"TWIN\", \"target\": \"SALESLINE\" },"
" { \"table\": \"LTRIMINT\", \"fields\": [ { \"field\": \"QTY\", \"option\": \"ltrim\" },"
"                                        { \"field\": \"NOSUCH\", \"target\": \"X\" } ] },"
" { \"table\": \"BADSHADOW\", \"shadow\": { \"table\": \"SHD_BAD\", \"join\": \"full\" } }"
"] }";

static void
test_mapping(void)
{
	struct copy_db_desc src = {0},
				dst = {0};
	struct copy_mapping m;
	struct copy_map_result r = {0};
	struct upkit_diags diags = UPKIT_DIAGS_INIT;
	const struct copy_table_map *t;
	int			bad;

	src.schema = xstrdup("public");
	dst.schema = xstrdup("public");
	src.has_dictionary = dst.has_dictionary = 1;
	add_table(&src, "custtable", 77, "recid:bigint;dataareaid:character varying(4);accountnum:character varying(20);name:character varying(60);memo:text;oldgroup:character varying(10)");
	add_table(&src, "upg_custtable", -1, "refrecid:bigint;refdataareaid:character varying(4);recversionid:integer;name:character varying(60);custgroup:character varying(10);hash:bigint");
	add_table(&src, "salesline", 78, "recid:bigint;qty:numeric(32,16)");
	add_table(&src, "oldtable", -1, "recid:bigint");
	add_table(&src, "inventtrans", -1, "recid:bigint");
	add_table(&src, "renamedtab", 501, "recid:bigint");
	add_table(&src, "orphan", 600, "recid:bigint");
	add_table(&src, "badtype", -1, "amount:numeric(12,2);code:character varying(10)");
	add_table(&src, "tmpdata", -1, "recid:bigint");
	add_table(&src, "twin", -1, "recid:bigint;qty:numeric(32,16)");
	add_table(&src, "ltrimint", -1, "qty:integer");
	add_table(&src, "badshadow", -1, "recid:bigint;val:integer");
	add_table(&src, "shd_bad", -1, "refrecid:bigint;val:integer;extra:integer");
	add_table(&src, "needsval", -1, "recid:bigint");

	add_table(&dst, "custtable", 77, "recid:bigint;dataareaid:character varying(4);accountnum:character varying(20);name:character varying(60);custgroup:character varying(10);newgroup:character varying(10)");
	add_table(&dst, "salesline", 78, "recid:bigint;qty:numeric(32,16)");
	add_table(&dst, "newtable", -1, "recid:bigint");
	add_table(&dst, "del_inventtrans", -1, "recid:bigint");
	add_table(&dst, "movedtab", 501, "recid:bigint");
	add_table(&dst, "badtype", -1, "amount:numeric(10,2);code:character varying(12)");
	add_table(&dst, "ltrimint", -1, "qty:integer");
	add_table(&dst, "badshadow", -1, "recid:bigint;val:integer");
	add_table(&dst, "needsval", -1, "recid:bigint;!blocked:integer");

	ok(copy_mapping_read_text("map.json", mapping_text, &m, &diags) == 0 && diags.n == 0,
	   "the mapping file reads without a problem");
	bad = copy_map(&src, &dst, &m, &r, &diags);

	ok(find(&r, "upg_custtable") == NULL && find(&r, "shd_bad") == NULL,
	   "shadow tables are not copied themselves");
	t = find(&r, "custtable");
	ok(t && t->how == COPY_BY_NAME && t->shadow && !copy_table_has_errors(t),
	   "custtable: same name, affected, no error");
	ok(t && field(t, "accountnum")->option == COPY_FIELD_LTRIM, "field option LTRIM");
	ok(t && field(t, "memo")->target == NULL && field(t, "memo")->option == COPY_FIELD_DONOTCOPY,
	   "field option DONOTCOPY leaves the field out");
	ok(t && strcmp(field(t, "oldgroup")->target, "newgroup") == 0 &&
	   strcmp(field(t, "oldgroup")->rule, "field mapping") == 0, "special field mapping");
	ok(t && field(t, "name")->shadow && strcmp(field(t, "name")->source, "name") == 0 &&
	   strcmp(field(t, "name")->target, "name") == 0, "the shadow's field replaces the source's");
	ok(t && field(t, "custgroup")->shadow && field(t, "custgroup")->source == NULL,
	   "a shadow field the source does not have fills its target field");
	ok(t && field(t, "hash")->target == NULL, "a shadow field option DONOTCOPY");
	ok(t && strcmp(t->fields[0].target, "recid") == 0 && field(t, "memo") == &t->fields[t->nfields - 1],
	   "fields in the target's column order, those not copied last");
	ok(find(&r, "oldtable")->how == COPY_BY_SPECIAL && strcmp(find(&r, "oldtable")->dst->name, "newtable") == 0,
	   "special table mapping");
	ok(find(&r, "inventtrans")->how == COPY_BY_DEL, "DEL_ prefix");
	ok(find(&r, "renamedtab")->how == COPY_BY_ID && strcmp(find(&r, "renamedtab")->dst->name, "movedtab") == 0,
	   "table id through SQLDICTIONARY");
	ok(find(&r, "orphan")->how == COPY_NOT_MAPPED &&
	   has_error(find(&r, "orphan"), "no target table has its table id"), "no target: mapping error");
	ok(has_error(find(&r, "badtype"), "source field amount is numeric(12,2), target field amount is numeric(10,2)"),
	   "a different type is an error naming both types");
	ok(has_error(find(&r, "badtype"), "character varying(10), target field code is character varying(12)"),
	   "a different length is an error");
	ok(find(&r, "tmpdata")->how == COPY_SKIPPED && !copy_table_has_errors(find(&r, "tmpdata")),
	   "table exception DONOTCOPY");
	ok(has_error(find(&r, "twin"), "mapping conflict: source tables salesline and twin both map to target table salesline") &&
	   has_error(find(&r, "salesline"), "mapping conflict"), "two sources for one target: both refused");
	ok(has_error(find(&r, "ltrimint"), "field option LTRIM needs a text field; qty is integer"),
	   "LTRIM on a number");
	ok(upkit_diags_has(&diags, "$.tables[5].fields[1]", "source table ltrimint has no field NOSUCH"),
	   "a field entry for a field that does not exist: file, path, reason");
	ok(upkit_diags_has(&diags, "$.tables[2]", "no table GONE in schema public of the source"),
	   "a table entry for a table that does not exist");
	ok(has_error(find(&r, "badshadow"), "needs RECID and DATAAREAID") &&
	   has_error(find(&r, "badshadow"), "needs REFRECID and REFDATAAREAID"),
	   "a shadow join needs the key fields on both sides");
	ok(has_error(find(&r, "needsval"), "target field blocked is NOT NULL without a default"),
	   "a NOT NULL target field nobody fills");
	is_int(bad, 7, "seven tables cannot be copied (badtype, orphan, twin, salesline, ltrimint, badshadow, needsval)");

	copy_map_result_free(&r);
	copy_mapping_free(&m);
	upkit_diags_free(&diags);

	/* Without SQLDICTIONARY on one side there is no table-id rule. */
	dst.has_dictionary = 0;
	memset(&m, 0, sizeof m);
	copy_map(&src, &dst, &m, &r, &diags);
	ok(has_error(find(&r, "renamedtab"), "SQLDICTIONARY is missing on one side"),
	   "no table id without SQLDICTIONARY on both sides");
	copy_map_result_free(&r);
	upkit_diags_free(&diags);
	copy_db_desc_free(&src);
	copy_db_desc_free(&dst);
}

struct bad_case
{
	const char *text;
	const char *path;
	const char *reason;
};

static void
test_file_problems(void)
{
	static const struct bad_case cases[] = {
		{"{", "$", "not valid JSON"},
		{"[]", "$", "must be a JSON object"},
		{"{\"tabels\": []}", "$.tabels", "unknown"},
		{"{\"tables\": {}}", "$.tables", "must be an array"},
		{"{\"tables\": [1]}", "$.tables[0]", "must be an object"},
		{"{\"tables\": [{}]}", "$.tables[0].table", "\"table\" is required"},
		{"{\"tables\": [{\"table\": \"A\", \"exception\": \"truncate\"}]}", "$.tables[0].exception",
		"unknown value \"truncate\" (use \"do_not_copy\", \"truncate_on_copy\")"},
		{"{\"tables\": [{\"table\": \"A\", \"fields\": [{\"field\": \"F\", \"option\": \"rtrim\"}]}]}",
		"$.tables[0].fields[0].option", "unknown value \"rtrim\" (use \"ltrim\", \"do_not_copy\")"},
		{"{\"tables\": [{\"table\": \"A\", \"fields\": [{\"field\": \"F\"}]}]}", "$.tables[0].fields[0]",
		"says nothing"},
		{"{\"tables\": [{\"table\": \"A\", \"fields\": [{\"field\": \"F\", \"target\": \"G\", \"option\": \"do_not_copy\"}]}]}",
		"$.tables[0].fields[0]", "contradict"},
		{"{\"tables\": [{\"table\": \"A\", \"fields\": [{\"field\": \"F\", \"option\": \"ltrim\"}, {\"field\": \"f\", \"option\": \"ltrim\"}]}]}",
		"$.tables[0].fields[1]", "already listed at $.tables[0].fields[0]"},
		{"{\"tables\": [{\"table\": \"A\"}, {\"table\": \"a\"}]}", "$.tables[1]", "already listed at $.tables[0]"},
		{"{\"tables\": [{\"table\": \"A\", \"shadow\": {\"table\": \"S\", \"join\": \"outer\"}}]}",
		"$.tables[0].shadow.join", "unknown value \"outer\" (use \"join\", \"left\", \"right\", \"full\")"},
		{"{\"tables\": [{\"table\": \"A\", \"shadow\": {\"table\": \"A\"}}]}", "$.tables[0]", "its own shadow"},
		{"{\"tables\": [{\"table\": \"A\", \"shadow\": {\"table\": \"S\", \"ready\": {\"companies\": []}}}]}",
		"$.tables[0].shadow.ready.function", "\"function\" is required"},
		{"{\"tables\": [{\"table\": \"A\", \"shadow\": {\"table\": \"S\", \"ready\": {\"function\": \"f\", \"companies\": []}}}]}",
		"$.tables[0].shadow.ready.companies", "at least one company"},
		{"{\"tables\": [{\"table\": \"A\", \"shadow\": {\"table\": \"S\", \"ready\": {\"function\": \"f\", \"companies\": [1]}}}]}",
		"$.tables[0].shadow.ready.companies[0]", "company id"},
		{"{\"tables\": [{\"table\": \"A\", \"exception\": \"do_not_copy\", \"target\": \"B\"}]}", "$.tables[0]",
		"would never be used"},
		{"{\"tables\": [{\"table\": \" A\"}]}", "$.tables[0].table", "blank"},
		{NULL, NULL, NULL}
	};

	for (const struct bad_case *c = cases; c->text; c++)
	{
		struct upkit_diags diags = UPKIT_DIAGS_INIT;
		struct copy_mapping m;
		struct strbuf name = STRBUF_INIT;
		int			rc = copy_mapping_read_text("m.json", c->text, &m, &diags);

		sb_appendf(&name, "mapping file %s: %s: %s", c->text, c->path, c->reason);
		if (!ok(rc != 0 && upkit_diags_has(&diags, c->path, c->reason), sb_str(&name)))
			upkit_diags_print(&diags, stdout);
		copy_mapping_free(&m);
		upkit_diags_free(&diags);
		sb_free(&name);
	}
}

int
main(void)
{
	plan(44);
	test_mapping();
	test_file_problems();
	return done();
}
