/*
 * copy_catalog_pg.c: the copy's questions to a PostgreSQL database (see
 * copy_catalog.h), asked of pg_catalog, SQLDICTIONARY and the delta state
 * with names as parameters.  Where a name must be part of the SQL text
 * (a table to count) it is quoted as the catalog spells it.
 *
 * Readiness (docs/delta.md "State and readiness"): an affected table is
 * ready for copy when the mapping file's ready function (NAME_ready, the
 * generated check) returns true for each listed company, or, without one,
 * when upkit.delta_state has a row for the shadow table and every row of it
 * says ready_to_copy (its latest delta run found nothing to do).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "copy_catalog.h"
#include "copy_ready.h"
#include "ident.h"


int
copy_catalog_relation_exists(struct upkit_conn *c, const char *name)
{
	const char *p[] = {name};
	struct strbuf v = STRBUF_INIT;
	int			rc = upkit_query_value(c, "SELECT pg_catalog.to_regclass($1) IS NOT NULL", 1, p, &v);

	if (rc == 1)
		rc = strcmp(sb_str(&v), "t") == 0;
	sb_free(&v);
	return rc;
}

/* SQLDICTIONARY's table rows (FIELDID 0): SQLNAME -> TABLEID. */
static int
read_dictionary(struct upkit_conn *c, const char *schema, struct copy_db_desc *db)
{
	struct strbuf name = STRBUF_INIT;
	struct strbuf sql = STRBUF_INIT;
	struct upkit_rows r = UPKIT_ROWS_INIT;
	int			rc;

	upkit_quote_catalog_qualified(&name, schema, "sqldictionary", UPKIT_DIALECT_PG);
	rc = copy_catalog_relation_exists(c, sb_str(&name));
	if (rc == 1)
	{
		db->has_dictionary = 1;
		sb_appendf(&sql, "SELECT sqlname, tableid FROM %s WHERE fieldid = 0", sb_str(&name));
		rc = c->ops->query(c, sb_str(&sql), 0, NULL, &r);
		for (int i = 0; rc == 0 && i < r.nrows; i++)
			for (int j = 0; j < db->ntables; j++)
				if (upkit_rows_get(&r, i, 0) && upkit_rows_get(&r, i, 1) &&
					strcasecmp(db->tables[j].name, upkit_rows_get(&r, i, 0)) == 0)
					db->tables[j].tabid = atoi(upkit_rows_get(&r, i, 1));
	}
	upkit_rows_free(&r);
	sb_free(&name);
	sb_free(&sql);
	return rc < 0 ? -1 : 0;
}

int
copy_catalog_read(struct upkit_conn *c, const char *schema, struct copy_db_desc *db)
{
	const char *p[] = {schema};
	struct upkit_rows r = UPKIT_ROWS_INIT;
	struct copy_table_desc *t = NULL;

	memset(db, 0, sizeof *db);
	db->schema = xstrdup(schema);
	if (c->ops->query(c,
					  "SELECT c.relname, a.attname,"
					  "       pg_catalog.format_type(a.atttypid, a.atttypmod),"
					  "       a.attnotnull, a.atthasdef OR a.attidentity <> ''"
					  "  FROM pg_catalog.pg_class c"
					  "  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
					  "  JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid"
					  "       AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''"
					  " WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition"
					  " ORDER BY c.relname, a.attnum", 1, p, &r) != 0)
		return -1;
	for (int i = 0; i < r.nrows; i++)
	{
		const char *tname = upkit_rows_get(&r, i, 0);
		struct copy_column *col;

		if (t == NULL || strcmp(t->name, tname) != 0)
			t = copy_db_add_table(db, tname);
		col = copy_table_add_column(t, upkit_rows_get(&r, i, 1), upkit_rows_get(&r, i, 2));
		col->notnull = strcmp(upkit_rows_get(&r, i, 3), "t") == 0;
		col->hasdefault = strcmp(upkit_rows_get(&r, i, 4), "t") == 0;
	}
	upkit_rows_free(&r);
	return read_dictionary(c, schema, db);
}

/* Through the mapping file's function: true for every company. */
static int
ready_by_function(struct upkit_conn *src, const char *schema, const struct copy_shadow_rule *sh,
				  struct strbuf *note)
{
	struct strbuf fn = STRBUF_INIT;
	struct strbuf sql = STRBUF_INIT;
	int			ready;

	upkit_quote_qualified(&fn, sh->ready_schema ? sh->ready_schema : schema, sh->ready_function,
						  UPKIT_DIALECT_PG);
	sb_appendf(&sql, "SELECT %s(%s)", sb_str(&fn), sh->ncompanies > 0 ? "$1" : "");
	ready = copy_ready_by_function(src, sb_str(&fn), sb_str(&sql), sh, "t", note);
	sb_free(&fn);
	sb_free(&sql);
	return ready;
}

/* Through upkit.delta_state: a row, and every row ready_to_copy. */
static int
ready_by_state(struct upkit_conn *src, const char *schema, const char *shadow, struct strbuf *note)
{
	struct strbuf key = STRBUF_INIT;
	struct upkit_rows r = UPKIT_ROWS_INIT;
	const char *p[1];
	int			rc = copy_catalog_relation_exists(src, "upkit.delta_state");

	sb_appendf(&key, "%s.%s", schema, shadow);
	p[0] = sb_str(&key);
	if (rc == 0)
		sb_append(note, "upkit.delta_state does not exist in the source (upkit 0.3 or later keeps it)");
	else if (rc == 1 &&
			 (rc = src->ops->query(src,
								   "SELECT count(*), count(*) FILTER (WHERE NOT ready_to_copy),"
								   "       string_agg(dataareaid, ', ' ORDER BY dataareaid)"
								   "         FILTER (WHERE NOT ready_to_copy)"
								   "  FROM upkit.delta_state WHERE shadow_table = $1", 1, p, &r)) == 0)
	{
		if (strcmp(upkit_rows_get(&r, 0, 0), "0") == 0)
			sb_appendf(note, "upkit.delta_state has no row for %s: no delta run has completed", p[0]);
		else if (strcmp(upkit_rows_get(&r, 0, 1), "0") != 0)
			sb_appendf(note, "upkit.delta_state: the latest delta run of %s changed something (company %s)",
					   p[0], upkit_rows_get(&r, 0, 2));
		else
		{
			sb_appendf(note, "upkit.delta_state: every company of %s ready_to_copy", p[0]);
			rc = 1;
		}
	}
	upkit_rows_free(&r);
	sb_free(&key);
	return rc;
}

int
copy_catalog_ready(struct upkit_conn *src, const char *schema, const struct copy_table_map *t,
				   struct strbuf *note)
{
	const struct copy_shadow_rule *sh = t->rule->shadow;

	if (sh->ready_function)
		return ready_by_function(src, schema, sh, note);
	return ready_by_state(src, schema, t->shadow->name, note);
}

long long
copy_catalog_estimate(struct upkit_conn *c, const char *schema, const char *table)
{
	const char *p[] = {schema, table};
	struct strbuf v = STRBUF_INIT;
	long long	n = -1;

	if (upkit_query_value(c, "SELECT c.reltuples::bigint FROM pg_catalog.pg_class c"
						  " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
						  " WHERE n.nspname = $1 AND c.relname = $2", 2, p, &v) == 1)
		n = atoll(sb_str(&v));
	sb_free(&v);
	return n;
}

int
copy_catalog_has_rows(struct upkit_conn *c, const char *schema, const char *table)
{
	struct strbuf sql = STRBUF_INIT;
	struct strbuf v = STRBUF_INIT;
	int			rc;

	sb_append(&sql, "SELECT EXISTS (SELECT 1 FROM ");
	upkit_quote_catalog_qualified(&sql, schema, table, UPKIT_DIALECT_PG);
	sb_append(&sql, ")");
	rc = upkit_query_value(c, sb_str(&sql), 0, NULL, &v);
	if (rc == 1)
		rc = strcmp(sb_str(&v), "t") == 0;
	sb_free(&sql);
	sb_free(&v);
	return rc;
}

int
copy_catalog_key_bounds(struct upkit_conn *c, const struct copy_table_plan *t,
						long long *min, long long *max)
{
	struct strbuf sql = STRBUF_INIT;
	struct upkit_rows r = UPKIT_ROWS_INIT;
	int			rc;

	sb_appendf(&sql, "SELECT min(%s), max(%s)%s", t->key_expr, t->key_expr, t->from_sql);
	rc = c->ops->query(c, sb_str(&sql), 0, NULL, &r);
	if (rc == 0)
	{
		if (upkit_rows_get(&r, 0, 0) == NULL)
			rc = 1;
		else
		{
			*min = atoll(upkit_rows_get(&r, 0, 0));
			*max = atoll(upkit_rows_get(&r, 0, 1));
		}
	}
	upkit_rows_free(&r);
	sb_free(&sql);
	return rc;
}
