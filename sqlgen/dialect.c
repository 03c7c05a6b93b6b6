/*
 * dialect.c: dialect names and words (see dialect.h).
 */
#include <strings.h>

#include "dialect.h"

static const struct upkit_dialect_words words[UPKIT_DIALECT_COUNT] = {
	[UPKIT_DIALECT_NONE] = {"none", "", "", ""},
	[UPKIT_DIALECT_PG] = {
		.name = "pg",
		.default_schema = "public",
		.engine = "PostgreSQL 15 with the upkit extension",
		.run_hint = "-- Run with psql -v ON_ERROR_STOP=1 -1 -f FILE. Installing twice is harmless.\n",
	},
	[UPKIT_DIALECT_MSSQL] = {
		.name = "mssql",
		.default_schema = "dbo",
		.engine = "SQL Server 2012 or later (T-SQL, no CLR)",
		.run_hint = "-- Open in SSMS and execute (F5); batches are separated by GO. Installing twice is harmless.\n",
		.file_bom = 1,
	},
};

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

const struct upkit_dialect_words *
upkit_dialect_words(enum upkit_dialect d)
{
	return &words[(unsigned) d < UPKIT_DIALECT_COUNT ? d : UPKIT_DIALECT_NONE];
}

const char *
upkit_dialect_name(enum upkit_dialect d)
{
	return upkit_dialect_words(d)->name;
}
