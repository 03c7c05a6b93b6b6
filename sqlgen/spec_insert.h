/*
 * spec_insert.h: the "insert" spec kind: one set-based insert procedure
 * (DESIGN.md "Set-based insert"; the format is documented in docs/specs.md).
 *
 * Names are as written in the spec (the renderer folds and quotes them for
 * its dialect); they have been checked for the dialect the spec was read
 * for.
 */
#ifndef UPKIT_SPEC_INSERT_H
#define UPKIT_SPEC_INSERT_H

#include <cjson/cJSON.h>

#include "needs.h"
#include "specread.h"

/* The AX system columns the procedure fills itself. */
#define UPKIT_COL_RECID			"RECID"
#define UPKIT_COL_RECVERSION	"RECVERSION"
#define UPKIT_COL_DATAAREAID	"DATAAREAID"
/* The row number column of the generated SQL; no target column may be named so. */
#define UPKIT_ROWNUM_COLUMN		"upkit_row_number"

struct upkit_insert_order
{
	char	   *expr;			/* without ASC/DESC */
	int			desc;
};

/*
 * What a second call of the procedure does ("rerun", DESIGN.md
 * "Idempotency"; docs/specs.md lists the rules).
 */
enum upkit_insert_rerun
{
	UPKIT_RERUN_RECORD = 0,		/* default: calls are recorded per company; a
								 * second one is refused unless forced */
	UPKIT_RERUN_INSERT_MISSING, /* by key: insert only the rows whose key is
								 * not in the target */
	UPKIT_RERUN_REFUSE			/* by key: refuse when any row's key is in
								 * the target */
};

/* The target's alias in the generated key check; no source alias may be named so. */
#define UPKIT_RERUN_TARGET_ALIAS	"upkit_target"

struct upkit_insert_spec
{
	char	   *description;		/* may be NULL */
	struct upkit_qname procedure;
	struct upkit_qname source;
	char	   *alias;			/* default "S" */
	char	   *filter;			/* may be NULL: every row (of the company) */
	struct upkit_insert_order *order_by;	/* default: alias.RECID */
	int			n_order;
	struct upkit_qname target;
	long long	tabid;
	char	   *ax_schema;		/* SYSTEMSEQUENCES, NUMBERSEQUENCETABLE (PostgreSQL); default: target's */
	int			per_company;	/* default true */
	int			recversion;		/* set RECVERSION = 1; default true */
	char	   *sequence_column;	/* NULL: no business sequence */
	struct upkit_column_map *mapping;	/* "mapping", in spec order */
	int			n_mapping;
	char	   *xpp;			/* the X++ this procedure replaces */
	enum upkit_insert_rerun rerun;	/* "rerun.mode" */
	int			rerun_key;		/* by key: the index in mapping of "rerun.key"; else -1 */
};

/* Reader and destructor for the kind registry (kind.c). */
void	   *upkit_insert_spec_read(struct upkit_spec_reader *r, const cJSON *root);
void		upkit_insert_spec_free(void *body);

/* What the spec needs from the database, and what it installs (needs.h). */
void		upkit_insert_spec_needs(const void *body, struct upkit_spec_needs *n);

struct upkit_call;

/* How a plan's job calls the procedure (kind.h). */
void		upkit_insert_spec_call(const void *body, struct upkit_call *c);

#endif
