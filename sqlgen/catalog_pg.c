/*
 * catalog_pg.c: the catalog questions of install (check.h) for PostgreSQL,
 * asked of pg_catalog with the names as parameters.  Names arrive folded
 * as the generated SQL folds them, so they compare with = to the catalog.
 */
#include <string.h>

#include "check.h"

static int
pg_table_exists(struct upkit_conn *c, const char *schema, const char *table)
{
	const char *p[] = {schema, table};

	return upkit_query_value(c,
					 "SELECT c.relkind FROM pg_catalog.pg_class c"
					 " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
					 " WHERE n.nspname = $1 AND c.relname = $2"
					 " AND c.relkind IN ('r', 'p', 'v', 'm', 'f')", 2, p, NULL);
}

static int
pg_column_type(struct upkit_conn *c, const char *schema, const char *table,
			   const char *column, struct strbuf *type)
{
	const char *p[] = {schema, table, column};

	/* Domains count as their base type. */
	return upkit_query_value(c,
					 "SELECT pg_catalog.format_type(COALESCE(NULLIF(t.typbasetype, 0), a.atttypid),"
					 " CASE WHEN t.typbasetype <> 0 THEN t.typtypmod ELSE a.atttypmod END)"
					 " FROM pg_catalog.pg_attribute a"
					 " JOIN pg_catalog.pg_class c ON c.oid = a.attrelid"
					 " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
					 " JOIN pg_catalog.pg_type t ON t.oid = a.atttypid"
					 " WHERE n.nspname = $1 AND c.relname = $2 AND a.attname = $3"
					 " AND a.attnum > 0 AND NOT a.attisdropped", 3, p, type);
}

static int
starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* format_type names: "bigint", "numeric(20,0)", "character varying(10)", ... */
static int
pg_type_fits(const char *type, enum upkit_need_type need)
{
	switch (need)
	{
		case UPKIT_NEED_BIGINT:
			return strcmp(type, "bigint") == 0 || starts(type, "numeric");
		case UPKIT_NEED_INTEGER:
			return strcmp(type, "smallint") == 0 || strcmp(type, "integer") == 0 ||
				strcmp(type, "bigint") == 0 || starts(type, "numeric");
		case UPKIT_NEED_TEXT:
			return strcmp(type, "text") == 0 || starts(type, "character") ||
				strcmp(type, "name") == 0 || strcmp(type, "citext") == 0;
		default:
			return 1;
	}
}

static int
pg_object_kind(struct upkit_conn *c, const char *schema, const char *name, struct strbuf *kind)
{
	const char *p[] = {schema, name};

	return upkit_query_value(c,
					 "SELECT CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END"
					 " FROM pg_catalog.pg_proc p"
					 " JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
					 " WHERE n.nspname = $1 AND p.proname = $2"
					 " UNION ALL SELECT CASE c.relkind WHEN 'v' THEN 'view' ELSE 'table' END"
					 " FROM pg_catalog.pg_class c"
					 " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
					 " WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p', 'v')"
					 " LIMIT 1", 2, p, kind);
}

/* Unique, valid, not partial, no expressions; every key column ($3: names, one a line) listed. */
static int
pg_unique_covered(struct upkit_conn *c, const char *schema, const char *table, const char *columns)
{
	const char *p[] = {schema, table, columns};

	return upkit_query_value(c,
					 "SELECT 1 FROM pg_catalog.pg_index i"
					 " JOIN pg_catalog.pg_class c ON c.oid = i.indrelid"
					 " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
					 " WHERE n.nspname = $1 AND c.relname = $2"
					 " AND i.indisunique AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL"
					 " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a"
					 "  WHERE a.attrelid = c.oid"
					 "  AND a.attnum = ANY ((i.indkey::int2[])[0:i.indnkeyatts - 1])"
					 "  AND a.attname <> ALL (pg_catalog.string_to_array($3, E'\\n')))"
					 " LIMIT 1", 3, p, NULL);
}

static int
pg_runtime_version(struct upkit_conn *c, struct strbuf *version)
{
	return upkit_query_value(c, "SELECT extversion FROM pg_catalog.pg_extension WHERE extname = 'upkit'",
					 0, NULL, version);
}

const struct upkit_catalog_ops upkit_catalog_pg = {
	.table_exists = pg_table_exists,
	.column_type = pg_column_type,
	.type_fits = pg_type_fits,
	.object_kind = pg_object_kind,
	.unique_covered = pg_unique_covered,
	.runtime_version = pg_runtime_version,
};
