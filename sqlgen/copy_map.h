/*
 * copy_map.h: which target table and field each source table and field of
 * a bulk copy goes to, and why (docs/copy.md "Mapping rules").
 *
 * Three inputs, all in memory so that the rules can be tested without a
 * server: the source and target databases' table descriptions (filled by
 * copy_catalog_pg.c, or by hand in a unit test) and the mapping file
 * (copy_mapfile.c).  The output says, for every source table, the rule that
 * matched (special mapping, same name, DEL_ prefix, table id) or the
 * mapping error, and for every field where it goes, from where (source,
 * shadow) and by which rule, or its error.  One error keeps the whole table
 * from being copied.  Nothing here talks to a server or prints.
 *
 * Names compare as AX compares them: without regard to ASCII case.
 */
#ifndef UPKIT_COPY_MAP_H
#define UPKIT_COPY_MAP_H

#include "diag.h"

/* ---- table descriptions (one database side) ---- */

struct copy_column
{
	char	   *name;
	char	   *type;			/* format_type: "bigint", "character varying(20)" */
	char	   *native;			/* the source engine's own spelling when type is a
								 * mapping of it ("nvarchar(20)"), or NULL */
	int			notnull;		/* NOT NULL */
	int			hasdefault;		/* has a DEFAULT (or is an identity) */
	int			identity;		/* an IDENTITY column (SQL Server's catalog says) */
};

struct copy_table_desc
{
	char	   *name;
	int			tabid;			/* SQLDICTIONARY table id, -1 when unknown */
	struct copy_column *cols;
	int			ncols;
};

struct copy_db_desc
{
	char	   *schema;
	int			has_dictionary; /* SQLDICTIONARY exists on this side */
	struct copy_table_desc *tables;
	int			ntables;
};

/* ---- the mapping file ---- */

enum copy_join
{
	COPY_JOIN_INNER = 0,		/* JOIN, the default */
	COPY_JOIN_LEFT,
	COPY_JOIN_RIGHT,
	COPY_JOIN_FULL
};

enum copy_field_option
{
	COPY_FIELD_PLAIN = 0,
	COPY_FIELD_LTRIM,			/* LTrimTarget: ltrim() the value on its way */
	COPY_FIELD_DONOTCOPY		/* DoNotCopy: leave the field out of the SELECT */
};

enum copy_exception
{
	COPY_EXC_NONE = 0,
	COPY_EXC_DONOTCOPY,			/* the table is not copied */
	COPY_EXC_TRUNCATEONCOPY		/* the target is emptied before the copy */
};

/* A field entry: a special field mapping and/or a field option. */
struct copy_field_rule
{
	char	   *field;			/* source (or shadow) field */
	char	   *target;			/* special field mapping, or NULL */
	enum copy_field_option option;
	char	   *path;			/* JSON path, for messages */
};

struct copy_shadow_rule
{
	char	   *table;
	enum copy_join join;
	struct copy_field_rule *fields;
	int			nfields;
	/* Readiness: NAME_ready(company) per company, or delta_state when NULL. */
	char	   *ready_schema;
	char	   *ready_function;
	char	  **companies;		/* NULL-free list; none: the function takes no argument */
	int			ncompanies;
	char	   *path;
};

struct copy_table_rule
{
	char	   *table;			/* source table */
	char	   *target;			/* special table mapping, or NULL */
	enum copy_exception exception;
	struct copy_field_rule *fields;
	int			nfields;
	struct copy_shadow_rule *shadow;	/* an affected table, or NULL */
	char	   *path;
};

struct copy_mapping
{
	char	   *file;			/* NULL: no mapping file */
	char	   *source_schema;
	char	   *target_schema;
	struct copy_table_rule *tables;
	int			ntables;
};

/* ---- the result ---- */

enum copy_table_how
{
	COPY_BY_SPECIAL,			/* special table mapping (the mapping file) */
	COPY_BY_NAME,				/* the same name */
	COPY_BY_DEL,				/* DEL_ + the name */
	COPY_BY_ID,					/* the same table id in both SQLDICTIONARYs */
	COPY_NOT_MAPPED,			/* mapping error */
	COPY_SKIPPED				/* table exception DONOTCOPY */
};

/* Where a target field's value comes from. */
struct copy_field_map
{
	char	   *source;			/* source field, or NULL */
	char	   *shadow;			/* shadow field, or NULL */
	char	   *target;			/* target field, or NULL when not copied */
	const char *type;			/* the target field's type (borrowed) */
	const char *rule;			/* "same name", "field mapping", "shadow", ... */
	enum copy_field_option option;
	char	   *error;			/* the mapping error, or NULL */
};

struct copy_table_map
{
	const struct copy_table_desc *src;
	const struct copy_table_desc *dst;	/* NULL when not mapped */
	const struct copy_table_desc *shadow;	/* affected tables only */
	const struct copy_table_rule *rule; /* its mapping-file entry, or NULL */
	enum copy_table_how how;
	struct copy_field_map *fields;
	int			nfields;
	char	  **errors;			/* table-level errors */
	int			nerrors;
};

struct copy_map_result
{
	struct copy_table_map *tables;
	int			ntables;
};

/*
 * Map every source table but the shadow tables the mapping names.  Entries
 * of the mapping file that name a table or field that does not exist are
 * added to diags (file, JSON path, reason); errors of the mapping itself go
 * to the tables.  Returns the number of tables that cannot be copied.
 */
int			copy_map(const struct copy_db_desc *src, const struct copy_db_desc *dst,
					 const struct copy_mapping *m, struct copy_map_result *out,
					 struct upkit_diags *diags);
void		copy_map_result_free(struct copy_map_result *r);

/* Add a table-level error (printf style). */
void		copy_table_error(struct copy_table_map *t, const char *fmt, ...)
			__attribute__((format(printf, 2, 3)));
/* Any error on the table or one of its fields? */
int			copy_table_has_errors(const struct copy_table_map *t);

const char *copy_how_name(enum copy_table_how how);
const char *copy_join_sql(enum copy_join j);	/* "JOIN", "LEFT JOIN", ... */
const char *copy_join_name(enum copy_join j);	/* "join", "left", ... */
const char *copy_exception_name(enum copy_exception e);
const char *copy_option_name(enum copy_field_option o);

const struct copy_table_desc *copy_db_find(const struct copy_db_desc *db, const char *name);
const struct copy_column *copy_table_column(const struct copy_table_desc *t, const char *name);

/* For the catalog readers: a table (table id -1) and a column, zeroed but for the names. */
struct copy_table_desc *copy_db_add_table(struct copy_db_desc *db, const char *name);
struct copy_column *copy_table_add_column(struct copy_table_desc *t, const char *name,
										  const char *type);

void		copy_db_desc_free(struct copy_db_desc *db);
void		copy_mapping_free(struct copy_mapping *m);

#endif
