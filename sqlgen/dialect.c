/*
 * dialect.c: dialect names (see dialect.h).
 */
#include <strings.h>

#include "dialect.h"

enum upkit_dialect
upkit_dialect_parse(const char *name)
{
	if (strcasecmp(name, "pg") == 0 || strcasecmp(name, "postgres") == 0 ||
		strcasecmp(name, "postgresql") == 0)
		return UPKIT_DIALECT_PG;
	if (strcasecmp(name, "mssql") == 0 || strcasecmp(name, "sqlserver") == 0 ||
		strcasecmp(name, "tsql") == 0)
		return UPKIT_DIALECT_MSSQL;
	return UPKIT_DIALECT_NONE;
}

const char *
upkit_dialect_name(enum upkit_dialect d)
{
	switch (d)
	{
		case UPKIT_DIALECT_PG:
			return "pg";
		case UPKIT_DIALECT_MSSQL:
			return "mssql";
		default:
			return "none";
	}
}
