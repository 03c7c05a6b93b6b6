/*
 * spec_validate.h: the "validate" spec kind: readiness checks that log what
 * would make the upgrade fail (errors) or what the DBA should know
 * (advisories) in the validation log (DESIGN.md "Readiness checks and the
 * validation log"; the format is documented in docs/specs.md, the log in
 * docs/readiness.md).
 *
 * One spec is one procedure with several checks; each check is one
 * set-based statement over one table and logs one message id.  Names are
 * as written in the spec (the renderers fold and quote them); they have
 * been checked for the dialect the spec was read for.
 */
#ifndef UPKIT_SPEC_VALIDATE_H
#define UPKIT_SPEC_VALIDATE_H

#include <cjson/cJSON.h>

#include "kind.h"
#include "needs.h"
#include "specread.h"

/* Generated aliases start with this; a spec's alias may not. */
#define UPKIT_VALIDATE_ALIAS_PREFIX "upkit_"
/* Longest message id (the log's key; AX's ReleaseUpdateMessageId is shorter). */
#define UPKIT_VALIDATE_ID_MAX 100

enum upkit_check_kind
{
	UPKIT_CHECK_UNIQUE,
	UPKIT_CHECK_NOT_NULL,
	UPKIT_CHECK_REFERENCES,
	UPKIT_CHECK_FITS,
	UPKIT_CHECK_NUMBER_SEQUENCE,
	UPKIT_CHECK_CUSTOM
};

/* The kind of type a "fits" check compares against. */
enum upkit_fits_family
{
	UPKIT_FITS_STRING,			/* varchar, nvarchar, char, nchar: a length */
	UPKIT_FITS_INTEGER,			/* smallint, int, bigint (tinyint on SQL Server) */
	UPKIT_FITS_NUMERIC			/* numeric, decimal: precision and scale */
};

struct upkit_validate_check
{
	enum upkit_check_kind kind;
	char	   *id;				/* message id */
	int			error;			/* level: 1 error, 0 advisory */
	char	   *message;
	char	   *resolution;
	struct upkit_qname table;	/* the table checked (number_sequence: NUMBERSEQUENCETABLE) */
	char	   *alias;			/* default "T" */
	int			dataareaid;		/* the table has DATAAREAID (default true) */
	char	   *where;			/* rows considered; NULL: all */
	char	  **key;			/* columns named in the details */
	int			n_key;
	/* unique, references: the columns; not_null, fits: columns[0] */
	char	  **columns;
	int			n_columns;
	/* references */
	struct upkit_qname to;
	char	  **to_columns;
	int			n_to_columns;
	int			to_dataareaid;	/* match DATAAREAID too */
	/* fits */
	enum upkit_fits_family family;
	char	   *type;			/* as the spec gives it, lower case */
	long long	length;			/* string */
	long long	precision;		/* numeric */
	long long	scale;
	struct upkit_qname target;	/* schema NULL-free; name NULL: no target */
	char	   *target_column;
	/* number_sequence */
	char	   *numbersequence;
	long long	rows;			/* a fixed count, when rows_table.name is NULL */
	struct upkit_qname rows_table;
	char	   *rows_alias;		/* default "R" */
	char	   *rows_where;
	int			rows_dataareaid;
	/* custom */
	char	   *detail;			/* an expression for the detail text; NULL: the message */
};

struct upkit_validate_spec
{
	char	   *description;	/* may be NULL */
	struct upkit_qname procedure;
	int			per_company;	/* default true */
	struct upkit_validate_check *checks;
	int			n_checks;
	char	   *xpp;			/* may be NULL */
};

const char *upkit_check_kind_name(enum upkit_check_kind k);

/* Reader and destructor for the kind registry (kind.c). */
void	   *upkit_validate_spec_read(struct upkit_spec_reader *r, const cJSON *root);
void		upkit_validate_spec_free(void *body);
/* What the spec needs from the database, and what it installs (needs.h). */
void		upkit_validate_spec_needs(const void *body, struct upkit_spec_needs *n);
/* How a plan's job calls the procedure (kind.h): the company, when it works per company. */
void		upkit_validate_spec_call(const void *body, struct upkit_call *c);

#endif
