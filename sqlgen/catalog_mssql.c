/*
 * catalog_mssql.c: the catalog questions of install (check.h) for SQL
 * Server, asked of sys.objects, sys.columns and sys.schemas with the names
 * as parameters (sp_executesql, see conn_mssql.c).  Names compare under the
 * database's collation, as the generated code's names resolve.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"

static int
ms_table_exists(struct upkit_conn *c, const char *schema, const char *table)
{
	const char *p[] = {schema, table};

	return upkit_query_value(c,
					 "SELECT o.type FROM sys.objects o"
					 " JOIN sys.schemas s ON s.schema_id = o.schema_id"
					 " WHERE s.name = @P1 AND o.name = @P2 AND o.type IN ('U', 'V')", 2, p, NULL);
}

static int
ms_column_type(struct upkit_conn *c, const char *schema, const char *table,
			   const char *column, struct strbuf *type)
{
	const char *p[] = {schema, table, column};

	/* An alias type counts as its system type. */
	return upkit_query_value(c,
					 "SELECT TYPE_NAME(col.system_type_id)"
					 " + CASE WHEN TYPE_NAME(col.system_type_id) IN ('decimal', 'numeric')"
					 " THEN '(' + CAST(col.precision AS varchar(3)) + ',' + CAST(col.scale AS varchar(3)) + ')'"
					 " ELSE '' END"
					 " FROM sys.columns col"
					 " JOIN sys.objects o ON o.object_id = col.object_id"
					 " JOIN sys.schemas s ON s.schema_id = o.schema_id"
					 " WHERE s.name = @P1 AND o.name = @P2 AND col.name = @P3", 3, p, type);
}

static int
starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* A decimal(p,s) holds a RECID when p - s >= 19. */
static int
wide_decimal(const char *type)
{
	int			prec,
				scale;

	if (sscanf(strchr(type, '(') ? strchr(type, '(') : "", "(%d,%d)", &prec, &scale) != 2)
		return 0;
	return prec - scale >= 19;
}

static int
ms_type_fits(const char *type, enum upkit_need_type need)
{
	int			decimal = starts(type, "decimal") || starts(type, "numeric");

	switch (need)
	{
		case UPKIT_NEED_BIGINT:
			return strcmp(type, "bigint") == 0 || (decimal && wide_decimal(type));
		case UPKIT_NEED_INTEGER:
			return strcmp(type, "tinyint") == 0 || strcmp(type, "smallint") == 0 ||
				strcmp(type, "int") == 0 || strcmp(type, "bigint") == 0 || decimal;
		case UPKIT_NEED_TEXT:
			return strcmp(type, "char") == 0 || strcmp(type, "varchar") == 0 ||
				strcmp(type, "nchar") == 0 || strcmp(type, "nvarchar") == 0;
		default:
			return 1;
	}
}

static int
ms_object_kind(struct upkit_conn *c, const char *schema, const char *name, struct strbuf *kind)
{
	const char *p[] = {schema, name};

	return upkit_query_value(c,
					 "SELECT CASE o.type WHEN 'P' THEN 'procedure' WHEN 'U' THEN 'table'"
					 " WHEN 'V' THEN 'view' ELSE 'function' END"
					 " FROM sys.objects o JOIN sys.schemas s ON s.schema_id = o.schema_id"
					 " WHERE s.name = @P1 AND o.name = @P2"
					 " AND o.type IN ('P', 'U', 'V', 'FN', 'IF', 'TF')", 2, p, kind);
}

/*
 * Unique, not filtered; every key column (not the included ones) among
 * @P3, names one a line (CHARINDEX: no STRING_SPLIT before SQL Server 2016).
 */
static int
ms_unique_covered(struct upkit_conn *c, const char *schema, const char *table, const char *columns)
{
	const char *p[] = {schema, table, columns};

	return upkit_query_value(c,
					 "SELECT TOP (1) 1 FROM sys.indexes i"
					 " JOIN sys.objects o ON o.object_id = i.object_id"
					 " JOIN sys.schemas s ON s.schema_id = o.schema_id"
					 " WHERE s.name = @P1 AND o.name = @P2 AND i.is_unique = 1 AND i.has_filter = 0"
					 " AND NOT EXISTS (SELECT 1 FROM sys.index_columns ic"
					 "  JOIN sys.columns col ON col.object_id = ic.object_id AND col.column_id = ic.column_id"
					 "  WHERE ic.object_id = i.object_id AND ic.index_id = i.index_id AND ic.is_included_column = 0"
					 "  AND CHARINDEX(NCHAR(10) + col.name + NCHAR(10), NCHAR(10) + @P3 + NCHAR(10)) = 0)",
					 3, p, NULL);
}

/* The T-SQL runtime is a set of objects; install reports them one by one. */
static int
ms_runtime_version(struct upkit_conn *c, struct strbuf *version)
{
	(void) c;
	(void) version;
	return 0;
}

const struct upkit_catalog_ops upkit_catalog_mssql = {
	.table_exists = ms_table_exists,
	.column_type = ms_column_type,
	.type_fits = ms_type_fits,
	.object_kind = ms_object_kind,
	.unique_covered = ms_unique_covered,
	.runtime_version = ms_runtime_version,
};
