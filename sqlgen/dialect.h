/*
 * dialect.h: the two engines upkit generates code for, and the words that
 * differ between them outside the per-dialect renderers (render_*_pg.c,
 * render_*_mssql.c), runtimes (runtime_pg.c, runtime_mssql.c) and catalogs
 * (catalog_pg.c, catalog_mssql.c): one table, indexed by the dialect.
 */
#ifndef UPKIT_DIALECT_H
#define UPKIT_DIALECT_H

enum upkit_dialect
{
	UPKIT_DIALECT_NONE = 0,
	UPKIT_DIALECT_PG,			/* PostgreSQL 15+, with the upkit extension */
	UPKIT_DIALECT_MSSQL			/* SQL Server 2012+, T-SQL without CLR */
};

/* Size of a table indexed by dialect (NONE's entry unused). */
#define UPKIT_DIALECT_COUNT 3

struct upkit_dialect_words
{
	const char *name;			/* "pg", "mssql" */
	const char *default_schema; /* a spec's schema when it gives none */
	const char *engine;			/* for the script header */
	const char *run_hint;		/* the script header's line on how to run it */
	/*
	 * 1: a script written to a file starts with a UTF-8 byte-order mark when
	 * it holds non-ASCII text.  SSMS and sqlcmd read a file without one in
	 * the ANSI code page, which mangles non-ASCII names; psql needs none.
	 */
	int			file_bom;
};

/* "pg"/"postgres"/"postgresql" or "mssql"/"sqlserver"; NONE otherwise. */
enum upkit_dialect upkit_dialect_parse(const char *name);
/* "pg" or "mssql" ("none" for NONE). */
const char *upkit_dialect_name(enum upkit_dialect d);
const struct upkit_dialect_words *upkit_dialect_words(enum upkit_dialect d);

#endif
