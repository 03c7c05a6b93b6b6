/*
 * spec_updel.h: the "update" and "delete" spec kinds: set-based UPDATE
 * ... FROM with true joins (an aggregate over a joined table among them)
 * and DELETE with EXISTS / NOT EXISTS conditions, instead of a while
 * select loop (DESIGN.md "Set-based update and delete"; the format is
 * documented in docs/specs.md).
 *
 * A spec is one procedure of one or more statements, each over a target
 * table and its aliases.  Every table says whether it is per company; each
 * per-company table is compared with its own company parameter (by
 * default the one named DATAAREAID), never with another table's DATAAREAID
 * (dataareaid.h), because virtual companies keep one company's data under
 * different DATAAREAIDs in different tables.
 *
 * Names are as written in the spec (the renderers fold and quote them);
 * they have been checked for the dialect the spec was read for.
 */
#ifndef UPKIT_SPEC_UPDEL_H
#define UPKIT_SPEC_UPDEL_H

#include <cjson/cJSON.h>

#include "dialect.h"
#include "needs.h"
#include "specread.h"

/* The company parameter a per-company table uses when it names none. */
#define UPKIT_UPDEL_COMPANY		"DATAAREAID"
/* The alias of the target in PostgreSQL's form for left joins; no spec alias may be named so. */
#define UPKIT_UPDEL_TARGET_ALIAS "upkit_target"

struct upkit_updel_table
{
	struct upkit_qname table;
	char	   *alias;
	int			per_company;	/* default true */
	char	   *company;		/* the company parameter's name; NULL when shared */
};

/* A true join of an update: one row of it per target row, proven (below). */
struct upkit_updel_join
{
	struct upkit_updel_table t;
	int			left;			/* "type": "left" (else inner) */
	struct upkit_column_map *match;	/* joined column = expression over earlier aliases */
	int			n_match;
	char	   *on;				/* a further condition, may be NULL */
	int			check;			/* "unique": "check": proven at run time */
	/* An aggregate join: the joined rows grouped by the match columns. */
	struct upkit_column_map *aggregate;	/* output column = aggregate expression */
	int			n_aggregate;
	char	   *where;			/* which joined rows are aggregated, may be NULL */
};

/* An EXISTS (or NOT EXISTS) condition over another table. */
struct upkit_updel_exists
{
	struct upkit_updel_table t;
	char	   *on;
	int			negated;
};

struct upkit_updel_stmt
{
	char	   *path;			/* "$" or "$.statements[N]": where its fields are */
	struct upkit_updel_table target;
	struct upkit_updel_join *joins;
	int			n_joins;
	struct upkit_column_map *set;	/* update: target column = expression */
	int			n_set;
	char	   *filter;			/* may be NULL */
	struct upkit_updel_exists *exists;	/* "exists" then "not_exists", in spec order */
	int			n_exists;
};

struct upkit_updel_spec
{
	int			is_delete;
	enum upkit_dialect dialect;	/* the one the spec was read for */
	char	   *description;	/* may be NULL */
	struct upkit_qname procedure;
	struct upkit_updel_stmt *stmts;
	int			n_stmts;
	char	  **companies;		/* the company parameters, in order of first use */
	int			n_companies;
	char	   *xpp;
};

/* Readers, destructor and needs for the kind registry (kind.c). */
void	   *upkit_update_spec_read(struct upkit_spec_reader *r, const cJSON *root);
void	   *upkit_delete_spec_read(struct upkit_spec_reader *r, const cJSON *root);
void		upkit_updel_spec_free(void *body);
void		upkit_updel_spec_needs(const void *body, struct upkit_spec_needs *n);
struct upkit_call;
void		upkit_updel_spec_call(const void *body, struct upkit_call *c);

/* Does the statement need the run-time uniqueness check (a join with "unique": "check")? */
int			upkit_updel_stmt_checks(const struct upkit_updel_stmt *st);

#endif
