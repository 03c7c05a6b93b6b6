/*
 * dialect.h: the two engines upkit generates code for.
 */
#ifndef UPKIT_DIALECT_H
#define UPKIT_DIALECT_H

enum upkit_dialect
{
	UPKIT_DIALECT_NONE = 0,
	UPKIT_DIALECT_PG,			/* PostgreSQL 15+, with the upkit extension */
	UPKIT_DIALECT_MSSQL			/* SQL Server 2012+, T-SQL without CLR */
};

/* "pg"/"postgres"/"postgresql" or "mssql"/"sqlserver"; NONE otherwise. */
enum upkit_dialect upkit_dialect_parse(const char *name);
/* "pg" or "mssql". */
const char *upkit_dialect_name(enum upkit_dialect d);

#endif
