/*
 * test_units.c: rendering returns units (units.h, render.h) and kinds come
 * from one registry (kind.h).
 *
 * A spec is read once and rendered for both dialects; each unit names the
 * object it creates, its dialect, whether calling it needs the caller's
 * transaction, the tables it touches and how, and the TABIDs whose
 * SYSTEMSEQUENCES row it locks.  The units' texts are the generated script
 * (the golden files pin its bytes) and the batches are that text without
 * its GO lines.  The registry refuses an unknown kind, naming the known ones.
 */
#include <stdlib.h>
#include <string.h>

#include "batches.h"
#include "render.h"
#include "script.h"
#include "tap.h"

/* The access a unit has to a table ("create, read"), or "none". */
static char *
access_of(const struct upkit_unit *u, const char *schema, const char *name)
{
	struct strbuf sb = STRBUF_INIT;

	for (int i = 0; i < u->n_tables; i++)
		if (strcmp(u->tables[i].name.name, name) == 0 &&
			strcmp(u->tables[i].name.schema ? u->tables[i].name.schema : "", schema) == 0)
			upkit_access_words(&sb, u->tables[i].access);
	if (sb.len == 0)
		sb_append(&sb, "none");
	return sb.data;
}

static void
access_is(const struct upkit_unit *u, const char *schema, const char *name, const char *want,
		  const char *what)
{
	char	   *got = access_of(u, schema, name);

	is_str(got, want, what);
	free(got);
}

/* Is every batch of the unit its text's lines, in order, less the GO lines? */
static int
batches_are_text_without_go(const struct upkit_unit *u)
{
	struct strbuf code = STRBUF_INIT;
	int			same = 1;

	for (const char *line = sb_str(&u->text); *line;)
	{
		size_t		n = strcspn(line, "\n");

		if (!upkit_is_go_line(line, n))
			sb_append_len(&code, line, n + (line[n] == '\n'));
		line += n + (line[n] == '\n');
	}
	/* Each batch appears in order (batches of comments only are not sent). */
	for (int i = 0, from = 0; i < u->n_batches && same; i++)
	{
		const char *at = strstr(sb_str(&code) + from, u->batches[i]);

		same = at != NULL;
		if (at)
			from = (int) (at - sb_str(&code)) + (int) strlen(u->batches[i]);
	}
	sb_free(&code);
	return same;
}

static void
test_insert(void)
{
	struct upkit_diags diags = UPKIT_DIAGS_INIT;
	char	   *paths[] = {"sql/demo/specs/salesquotation.json"};
	struct upkit_spec **specs = upkit_specs_read(paths, 1, &diags);
	struct upkit_units pg = UPKIT_UNITS_INIT,
				ms = UPKIT_UNITS_INIT;
	const struct upkit_unit *u;

	ok(specs[0] != NULL && diags.n == 0, "insert: the worked example is read once");
	is_int(upkit_render_units(&pg, UPKIT_DIALECT_PG, 0, specs, 1, &diags), 0, "insert: rendered for pg");
	is_int(upkit_render_units(&ms, UPKIT_DIALECT_MSSQL, 0, specs, 1, &diags), 0, "... and for mssql from the same spec");
	ok(upkit_spec_body(specs[0], UPKIT_DIALECT_PG) != upkit_spec_body(specs[0], UPKIT_DIALECT_MSSQL),
	   "... each dialect with its own checked fields");
	is_int(pg.n, 1, "insert (pg): one unit");
	u = &pg.items[0];
	is_str(u->kind, "procedure", "insert (pg): it creates a procedure");
	is_str(u->object.schema, "public", "... in schema public");
	is_str(u->object.name, "initfromsmmquotationtable", "... named as PostgreSQL stores it");
	is_int(u->dialect, UPKIT_DIALECT_PG, "... for pg");
	is_str(u->spec, "sql/demo/specs/salesquotation.json", "... from the spec");
	is_int(u->needs_transaction, 0, "... a CALL outside a transaction makes its own");
	is_int(u->n_batches, 1, "... one batch on PostgreSQL");
	is_str(u->batches[0], sb_str(&u->text) + 1, "... which is its text less the blank line before it");
	access_is(u, "public", "del_smmquotationtable", "read", "insert (pg): reads the source");
	access_is(u, "public", "salesquotationtable", "create, read",
			  "... inserts into the target and reads it (the rerun key)");
	access_is(u, "public", "systemsequences", "create, read, update", "... reserves RECIDs in SYSTEMSEQUENCES");
	access_is(u, "public", "numbersequencetable", "read, update", "... and numbers in NUMBERSEQUENCETABLE");
	access_is(u, "public", "dataarea", "read", "... checks the company in DATAAREA");
	access_is(u, "upkit", "insert_runs", "create, read, update", "... records the call in upkit.insert_runs");
	is_int(u->n_tabids, 1, "... locks one SYSTEMSEQUENCES row");
	is_int(u->n_tabids ? u->tabids[0] : 0, 1967, "... TABID 1967's");

	is_int(ms.n, 1, "insert (mssql): one unit");
	u = &ms.items[0];
	is_str(u->object.schema, "dbo", "insert (mssql): schema dbo");
	is_str(u->object.name, "INITFROMSMMQUOTATIONTABLE", "... the name as written");
	is_int(u->needs_transaction, 1, "... a call needs the caller's transaction (THROW 50031 otherwise)");
	is_int(u->n_batches, 2, "... two batches: the DROP, the CREATE PROCEDURE");
	ok(u->n_batches == 2 && strstr(u->batches[0], "DROP PROCEDURE") && strstr(u->batches[1], "CREATE PROCEDURE"),
	   "... in that order");
	ok(batches_are_text_without_go(u), "... the batches are the text without its GO lines");
	access_is(u, "dbo", "SYSTEMSEQUENCES", "create, read, update", "... reserves in [dbo].[SYSTEMSEQUENCES]");
	access_is(u, "dbo", "UPKIT_INSERT_RUNS", "create, read, update", "... records the call in [dbo].[UPKIT_INSERT_RUNS]");

	upkit_units_free(&pg);
	upkit_units_free(&ms);
	upkit_specs_free(specs, 1);
	upkit_diags_free(&diags);
}

static void
test_delta(void)
{
	struct upkit_diags diags = UPKIT_DIAGS_INIT;
	char	   *paths[] = {"tests/fixtures/delta/custtable_content.json"};
	struct upkit_spec **specs = upkit_specs_read(paths, 1, &diags);
	struct upkit_units pg = UPKIT_UNITS_INIT,
				ms = UPKIT_UNITS_INIT;
	static const char *const pg_kinds[] = {"function", "function", "function", "procedure", "procedure"};
	static const char *const ms_kinds[] = {"function", "procedure", "function", "procedure", "procedure"};
	int			kinds_ok = 1;

	is_int(upkit_render_units(&pg, UPKIT_DIALECT_PG, 0, specs, 1, &diags), 0, "delta: rendered for pg");
	is_int(upkit_render_units(&ms, UPKIT_DIALECT_MSSQL, 0, specs, 1, &diags), 0, "... and for mssql");
	is_int(pg.n, 5, "delta (pg): five units, one per object");
	is_int(ms.n, 5, "delta (mssql): five units");
	for (int i = 0; i < 5 && pg.n == 5 && ms.n == 5; i++)
		kinds_ok &= strcmp(pg.items[i].kind, pg_kinds[i]) == 0 && strcmp(ms.items[i].kind, ms_kinds[i]) == 0 &&
			pg.items[i].n_batches == 1 && ms.items[i].n_batches >= 1 && pg.items[i].n_tabids == 0 &&
			!pg.items[i].needs_transaction && !ms.items[i].needs_transaction;
	ok(kinds_ok, "delta: classification function, report, ready check, procedure, live fill; no TABID, no caller transaction needed");
	if (pg.n == 5)
	{
		is_str(pg.items[0].object.name, "upg_delta_custtable_c_changes", "delta (pg): the classification function's name");
		is_str(pg.items[2].object.name, "upg_delta_custtable_c_ready", "delta (pg): the ready check's name");
		is_str(pg.items[3].object.name, "upg_delta_custtable_c", "delta (pg): the procedure's name");
		ok(strstr(pg.items[1].batches[0], "CREATE FUNCTION") && !strstr(pg.items[1].batches[0], "PROCEDURE"),
		   "delta (pg): the report's unit holds its function, not the procedure");
		access_is(&pg.items[0], "public", "custtable", "read", "delta (pg): the function reads the source");
		access_is(&pg.items[0], "public", "upg_custtable_c", "read", "... and the shadow");
		access_is(&pg.items[3], "public", "upg_custtable_c", "create, read, delete",
				  "delta (pg): the procedure rewrites shadow rows");
		access_is(&pg.items[3], "upkit", "delta_state", "create, read, update", "... and records its state");
		access_is(&pg.items[3], "upkit", "delta_run", "create", "... and its run");
		access_is(&pg.items[2], "upkit", "delta_state", "read", "delta (pg): the ready check reads the state");
		is_str(pg.items[4].object.name, "upg_delta_custtable_c_live", "delta (pg): the live fill's name");
		ok(strstr(pg.items[4].batches[0], "COMMIT;") && !strstr(pg.items[4].batches[0], "\nSET "),
		   "delta (pg): the live fill commits per batch and has no SET clause");
		access_is(&pg.items[4], "public", "upg_custtable_c", "create, read",
				  "delta (pg): the live fill only adds shadow rows");
		access_is(&pg.items[4], "public", "custtable", "read", "... and only reads the source");
		access_is(&pg.items[4], "upkit", "live_state", "create, read, update", "... and keeps its state");
	}
	else
		for (int i = 0; i < 15; i++)
			ok(0, "delta (pg): five units");
	if (ms.n == 5)
	{
		ok(batches_are_text_without_go(&ms.items[0]) && batches_are_text_without_go(&ms.items[3]),
		   "delta (mssql): batches are the texts without their GO lines");
		access_is(&ms.items[4], "dbo", "UPKIT_LIVE_STATE", "create, read, update",
				  "delta (mssql): the live fill keeps its state in the runtime's table");
	}
	else
		for (int i = 0; i < 2; i++)
			ok(0, "delta (mssql): five units");
	upkit_units_free(&pg);
	upkit_units_free(&ms);
	upkit_specs_free(specs, 1);
	upkit_diags_free(&diags);
}

static void
test_runtime(void)
{
	struct upkit_diags diags = UPKIT_DIAGS_INIT;
	struct upkit_units pg = UPKIT_UNITS_INIT,
				ms = UPKIT_UNITS_INIT;
	int			tables = 0,
				keeps = 0,
				sent_go = 0;

	is_int(upkit_render_units(&pg, UPKIT_DIALECT_PG, 1, NULL, 0, &diags), 0, "runtime (pg): rendered");
	ok(pg.n >= 1 && strcmp(pg.items[0].kind, "extension") == 0 && strcmp(pg.items[0].object.name, "upkit") == 0 &&
	   pg.items[0].replace == UPKIT_UNIT_KEEPS, "runtime (pg): the extension upkit comes first, kept when there");
	is_int(upkit_render_units(&ms, UPKIT_DIALECT_MSSQL, 1, NULL, 0, &diags), 0, "runtime (mssql): rendered");
	for (int i = 0; i < ms.n; i++)
	{
		tables += strcmp(ms.items[i].kind, "table") == 0;
		keeps += ms.items[i].replace == UPKIT_UNIT_KEEPS;
		for (int j = 0; j < ms.items[i].n_batches; j++)
			for (const char *line = ms.items[i].batches[j]; *line;)
			{
				size_t		n = strcspn(line, "\n");

				sent_go += upkit_is_go_line(line, n);
				line += n + (line[n] == '\n');
			}
	}
	ok(ms.n >= 5 && strcmp(ms.items[0].object.name, "FN_FMT_NUMBERSEQUENCE") == 0,
	   "runtime (mssql): one unit per file, functions first");
	ok(tables >= 1 && keeps == tables, "runtime (mssql): its tables are created when missing, never replaced");
	is_int(sent_go, 0, "runtime (mssql): no batch holds a GO line");
	is_int(diags.n, 0, "runtime: no problems");
	upkit_units_free(&pg);
	upkit_units_free(&ms);
	upkit_diags_free(&diags);
}

/* The script is the header and the units' texts: what generate prints. */
static void
test_script(void)
{
	struct upkit_diags diags = UPKIT_DIAGS_INIT;
	char	   *paths[] = {"sql/demo/specs/salesquotation.json"};
	struct upkit_spec **specs = upkit_specs_read(paths, 1, &diags);
	struct upkit_units us = UPKIT_UNITS_INIT;
	struct strbuf sql = STRBUF_INIT;
	FILE	   *f = fopen("tests/golden/insert/salesquotation.mssql.sql", "rb");
	struct strbuf golden = STRBUF_INIT;
	char		buf[4096];
	size_t		n;

	while (f && (n = fread(buf, 1, sizeof buf, f)) > 0)
		sb_append_len(&golden, buf, n);
	if (f)
		fclose(f);
	upkit_render_units(&us, UPKIT_DIALECT_MSSQL, 0, specs, 1, &diags);
	upkit_script_print(&sql, UPKIT_DIALECT_MSSQL, 1, &us);
	ok(golden.len > 0 && strcmp(sb_str(&sql), sb_str(&golden)) == 0,
	   "script: header and unit texts are the golden file, byte for byte");
	sb_free(&sql);
	sb_free(&golden);
	upkit_units_free(&us);
	upkit_specs_free(specs, 1);
	upkit_diags_free(&diags);
}

static void
test_registry(void)
{
	struct upkit_diags diags = UPKIT_DIAGS_INIT;
	struct upkit_spec *s;

	ok(upkit_kind_find("insert") && upkit_kind_find("delta") && upkit_kind_find("update") &&
	   upkit_kind_find("delete") && !upkit_kind_find("upsert"),
	   "registry: insert, delta, update and delete are kinds, upsert is not");
	{
		static const char *const names[] = {"insert", "delta", "update", "delete", NULL};
		int			all = 1;

		for (const char *const *k = names; *k; k++)
			all = all && upkit_kind_find(*k)->render[UPKIT_DIALECT_PG] &&
				upkit_kind_find(*k)->render[UPKIT_DIALECT_MSSQL];
		ok(all, "registry: every kind renders for both dialects");
	}
	s = upkit_spec_load_text("t.json", "{\"kind\": \"upsert\"}", &diags);
	ok(s == NULL && diags.n == 1, "registry: an unknown kind is refused when the spec is read");
	ok(diags.n == 1 && strcmp(diags.items[0].path, "$.kind") == 0 &&
	   strcmp(diags.items[0].reason, "unknown kind \"upsert\" (known: \"insert\", \"delta\", \"update\", \"delete\")") == 0,
	   "... naming the known kinds");
	upkit_diags_free(&diags);
	s = upkit_spec_load_text("t.json", "{\"kind\": \"delta\", \"procedure\": 1}", &diags);
	ok(s != NULL && s->kind == upkit_kind_find("delta") && diags.n == 0,
	   "registry: a known kind is found before its fields are checked");
	ok(s && upkit_spec_check(s, UPKIT_DIALECT_PG, &diags) == -1 && diags.n > 0 &&
	   upkit_spec_body(s, UPKIT_DIALECT_PG) == NULL, "... and checking them reports the problems, no body");
	upkit_spec_free(s);
	upkit_diags_free(&diags);
}

int
main(void)
{
	plan(66);
	test_insert();
	test_delta();
	test_runtime();
	test_script();
	test_registry();
	return done();
}
