/*
 * copy_mssql_types.c: SQL Server column types, in SQL Server's spelling
 * and as the PostgreSQL types a SQL Server to PostgreSQL copy fills (see
 * copy_mssql.h; the table is docs/copy.md "SQL Server").  The PostgreSQL
 * side is spelt as format_type() spells it, because the mapping rules
 * (copy_map.c) compare a source field's type with its target field's as
 * text: a length or precision that differs is a mapping error.
 *
 * Lengths: sys.columns.max_length counts bytes, so nvarchar and nchar
 * (two bytes a character) are halved; -1 is (max).
 */
#include <string.h>
#include <strings.h>

#include "copy_mssql.h"

static int
is(const struct copy_mssql_type *t, const char *name)
{
	return strcasecmp(t->name, name) == 0;
}

static int
is_national(const struct copy_mssql_type *t)
{
	return is(t, "nvarchar") || is(t, "nchar");
}

/* The declared length in characters (bytes for the others); -1 for (max). */
static int
length(const struct copy_mssql_type *t)
{
	if (t->max_length < 0)
		return -1;
	return is_national(t) ? t->max_length / 2 : t->max_length;
}

static int
has_length(const struct copy_mssql_type *t)
{
	return is(t, "nvarchar") || is(t, "nchar") || is(t, "varchar") || is(t, "char") ||
		is(t, "varbinary") || is(t, "binary");
}

void
copy_mssql_type_sql(struct strbuf *out, const struct copy_mssql_type *t)
{
	sb_append(out, t->name);
	if (has_length(t))
	{
		if (length(t) < 0)
			sb_append(out, "(max)");
		else
			sb_appendf(out, "(%d)", length(t));
	}
	else if (is(t, "numeric") || is(t, "decimal"))
		sb_appendf(out, "(%d,%d)", t->precision, t->scale);
	else if (is(t, "datetime2") || is(t, "time") || is(t, "datetimeoffset"))
		sb_appendf(out, "(%d)", t->scale);
}

int
copy_mssql_type_pg(struct strbuf *out, const struct copy_mssql_type *t)
{
	static const struct
	{
		const char *mssql,
				   *pg;
	}			plain[] = {
		{"int", "integer"},
		{"bigint", "bigint"},
		{"smallint", "smallint"},
		{"tinyint", "smallint"},
		{"bit", "boolean"},
		{"float", "double precision"},
		{"real", "real"},
		{"datetime", "timestamp without time zone"},
		{"smalldatetime", "timestamp without time zone"},
		{"date", "date"},
		{"uniqueidentifier", "uuid"},
		{"ntext", "text"},
		{"text", "text"},
		{"image", "bytea"},
		{"varbinary", "bytea"},
		{"binary", "bytea"},
	};

	for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
		if (is(t, plain[i].mssql))
		{
			sb_append(out, plain[i].pg);
			return 0;
		}
	if (is(t, "nvarchar") || is(t, "varchar"))
	{
		if (length(t) < 0)
			sb_append(out, "text");
		else
			sb_appendf(out, "character varying(%d)", length(t));
		return 0;
	}
	if (is(t, "nchar") || is(t, "char"))
	{
		sb_appendf(out, "character(%d)", length(t));
		return 0;
	}
	if (is(t, "numeric") || is(t, "decimal"))
	{
		sb_appendf(out, "numeric(%d,%d)", t->precision, t->scale);
		return 0;
	}
	copy_mssql_type_sql(out, t);
	sb_append(out, " (SQL Server; no PostgreSQL mapping)");
	return -1;
}

int
copy_mssql_type_for(struct strbuf *out, const struct copy_mssql_type *t, enum upkit_dialect d)
{
	if (d == UPKIT_DIALECT_PG)
		return copy_mssql_type_pg(out, t);
	copy_mssql_type_sql(out, t);
	return 0;
}
