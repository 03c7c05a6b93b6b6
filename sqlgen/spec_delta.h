/*
 * spec_delta.h: the "delta" spec kind: delta detection against a shadow
 * table filled by live preprocessing (DESIGN.md "Delta detection"; the
 * format is documented in docs/specs.md).
 *
 * Names are as written in the spec (the renderers fold and quote them for
 * their dialect); they have been checked for the dialect the spec was read
 * for.  The source's system columns are the AX ones: RECID, RECVERSION,
 * DATAAREAID.
 */
#ifndef UPKIT_SPEC_DELTA_H
#define UPKIT_SPEC_DELTA_H

#include <cjson/cJSON.h>

#include "needs.h"
#include "specread.h"

/* The alias the generated SQL gives the list of changed rows. */
#define UPKIT_DELTA_CHANGES_ALIAS	"C"
/* Suffixes of the classification function and the report. */
#define UPKIT_DELTA_CHANGES_SUFFIX	"_CHANGES"
#define UPKIT_DELTA_REPORT_SUFFIX	"_REPORT"
/*
 * ... and of the ready-to-copy check: no longer than _CHANGES, so the
 * name checks of the longest derived name cover it too.
 */
#define UPKIT_DELTA_READY_SUFFIX	"_READY"
/* ... and of the live fill (docs/delta.md "Live preprocessing"). */
#define UPKIT_DELTA_LIVE_SUFFIX	"_LIVE"
/* A shared spec's companies, joined by ',', must fit the state table's key. */
#define UPKIT_DELTA_MAX_COMPANY_LIST 100

struct upkit_delta_lookup
{
	struct upkit_qname table;
	char	   *alias;
	char	   *on;				/* join condition, an expression */
	int			per_company;	/* add alias.DATAAREAID = the company parameter */
};

struct upkit_delta_spec
{
	char	   *description;	/* may be NULL */
	struct upkit_qname procedure;
	struct upkit_qname source;
	char	   *alias;			/* default "S" */
	struct upkit_qname shadow;
	char	   *refrecid;		/* default "REFRECID" */
	char	   *refdataareaid;	/* default "REFDATAAREAID" */
	char	   *recversionid;	/* default "RECVERSIONID" */
	int			per_company;	/* default true */
	char	  **dataareaids;	/* a shared spec's companies */
	int			n_dataareaids;
	int			content;		/* detection "content" (else "recversion") */
	char	  **content_columns;	/* source columns hashed */
	int			n_content;
	char	   *hash_column;	/* shadow column holding the hash */
	struct upkit_delta_lookup *lookups;
	int			n_lookups;
	struct upkit_column_map *mapping;	/* "mapping", in spec order */
	int			n_mapping;
	char	   *xpp;			/* may be NULL */
};

/* Reader and destructor for the kind registry (kind.c). */
void	   *upkit_delta_spec_read(struct upkit_spec_reader *r, const cJSON *root);
void		upkit_delta_spec_free(void *body);

/* What the spec needs from the database, and what it installs (needs.h). */
void		upkit_delta_spec_needs(const void *body, struct upkit_spec_needs *n);

struct upkit_call;

/* How a plan's job calls the procedure (kind.h). */
void		upkit_delta_spec_call(const void *body, struct upkit_call *c);

#endif
