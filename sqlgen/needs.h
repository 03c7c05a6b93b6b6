/*
 * needs.h: what a spec needs from the database before its objects can be
 * installed, and which objects it installs.  Each kind's spec code fills
 * the list (upkit_insert_spec_needs, upkit_delta_spec_needs); check.c asks
 * the server, through the connection interface, whether the database
 * provides it, and install reports the objects.
 *
 * Every entry carries the JSON path of the spec field that asks for it, so
 * a problem is reported like any other spec problem: file, path, reason.
 */
#ifndef UPKIT_NEEDS_H
#define UPKIT_NEEDS_H

#include "specread.h"

/* The type a column must have, as a family; each dialect maps its types. */
enum upkit_need_type
{
	UPKIT_NEED_ANY = 0,			/* exists; the type is checked by a probe, if any */
	UPKIT_NEED_BIGINT,			/* holds a RECID: bigint (or a wide enough numeric) */
	UPKIT_NEED_INTEGER,			/* an integer: RECVERSION */
	UPKIT_NEED_TEXT				/* a character type: DATAAREAID, a business id */
};

struct upkit_need_table
{
	struct upkit_qname name;	/* schema and name as the spec gives them */
	char	   *path;			/* "$.source.table" */
	char	   *role;			/* "source table", ... */
};

struct upkit_need_column
{
	int			table;			/* index into tables */
	char	   *column;
	enum upkit_need_type type;
	char	   *path;
	char	   *role;			/* "mapped target column", "RECID column", ... */
};

/*
 * An expression the server must accept in its place: in the select list,
 * written into a column (into >= 0, an index into columns), in the WHERE
 * clause, the ORDER BY or a join's ON, over the spec's FROM clause.
 */
enum upkit_probe_place
{
	UPKIT_PROBE_VALUE, UPKIT_PROBE_WHERE, UPKIT_PROBE_ORDER, UPKIT_PROBE_JOIN,
	UPKIT_PROBE_STATEMENT		/* expr is a whole statement the kind rendered for the dialect */
};

struct upkit_need_probe
{
	enum upkit_probe_place place;
	char	   *expr;
	int			into;			/* column index for a VALUE, or -1 */
	int			join;			/* join index for a JOIN, or -1 */
	char	   *path;
	int			group;			/* > 0: a failure skips the later probes of its group */
};

/*
 * A join that must be proven unique: a unique index of the table (not
 * partial, without expressions) whose key columns are all among columns
 * (the join's match columns and, per company, DATAAREAID).
 */
struct upkit_need_unique
{
	int			table;
	char	  **columns;
	int			n_columns;
	char	   *path;
	char	   *what;			/* "the join SALESTABLE AS T" */
};

struct upkit_need_join
{
	int			table;
	char	   *alias;
	char	   *on;
};

struct upkit_spec_needs
{
	struct upkit_need_table *tables;
	int			n_tables;
	struct upkit_need_column *columns;
	int			n_columns;
	/* The FROM clause the expressions are written over. */
	int			from;			/* table index, -1: none */
	char	   *from_alias;
	struct upkit_need_join *joins;	/* LEFT JOINs, in order */
	int			n_joins;
	int			into;			/* the table the values are written into, -1: none */
	struct upkit_need_probe *probes;
	int			n_probes;
	/* The objects the spec installs (schema, name as written). */
	struct upkit_qname *objects;
	int			n_objects;
	/* Joins proven unique by an index (update specs). */
	struct upkit_need_unique *uniques;
	int			n_uniques;
};

#define UPKIT_SPEC_NEEDS_INIT {NULL, 0, NULL, 0, -1, NULL, NULL, 0, -1, NULL, 0, NULL, 0, NULL, 0}

/* Builders for the kinds' spec code; strings are copied.  Return the index. */
int			upkit_needs_table(struct upkit_spec_needs *n, const struct upkit_qname *q,
							  const char *path, const char *role);
int			upkit_needs_column(struct upkit_spec_needs *n, int table, const char *column,
							   enum upkit_need_type type, const char *path, const char *role);
int			upkit_needs_join(struct upkit_spec_needs *n, int table, const char *alias, const char *on);
void		upkit_needs_probe(struct upkit_spec_needs *n, enum upkit_probe_place place,
							  const char *expr, int into, int join, const char *path);
/* A whole statement to probe (UPKIT_PROBE_STATEMENT) in a group (0: none). */
void		upkit_needs_statement(struct upkit_spec_needs *n, const char *sql, const char *path,
								  int group);
/* A unique index to find; columns are copied. */
void		upkit_needs_unique(struct upkit_spec_needs *n, int table, char *const *columns,
							   int n_columns, const char *path, const char *what);
/*
 * Each "mapping" entry: its column in table (type ANY, path
 * $.mapping[i].column) and its expression written into it ($.mapping[i].expr).
 */
void		upkit_needs_mapping(struct upkit_spec_needs *n, int table,
								const struct upkit_column_map *map, int n_map, const char *role);
/* An object the spec installs: schema and name + suffix. */
void		upkit_needs_object(struct upkit_spec_needs *n, const char *schema, const char *name,
							   const char *suffix);
void		upkit_spec_needs_free(struct upkit_spec_needs *n);

#endif
