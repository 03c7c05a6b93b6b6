/*
 * check.h: install-time checks.  Before anything is created, every table a
 * spec names must exist, every column it names must exist with a type that
 * fits what is written into it, and the server must accept every
 * expression of the spec in its place (a mapping written into its column,
 * the filter, ORDER BY, a lookup's ON).  Each problem is added to the diag
 * list like a spec problem: file, JSON path, reason.
 *
 * What a spec needs comes from its kind's spec code (needs.h); the catalog
 * queries are per dialect (catalog_pg.c, catalog_mssql.c) and go through
 * the connection interface with the names passed as parameters.
 */
#ifndef UPKIT_CHECK_H
#define UPKIT_CHECK_H

#include "conn.h"
#include "diag.h"
#include "needs.h"
#include "spec.h"

/* The catalog questions install asks, one implementation per dialect. */
struct upkit_catalog_ops
{
	/* 1: the table or view exists; 0: it does not; -1: error (in c->error). */
	int			(*table_exists) (struct upkit_conn *c, const char *schema, const char *table);
	/* 1 and the type's name in *type; 0: no such column; -1: error. */
	int			(*column_type) (struct upkit_conn *c, const char *schema, const char *table,
								const char *column, struct strbuf *type);
	/* Does a column of this type (a name from column_type) fit need? */
	int			(*type_fits) (const char *type, enum upkit_need_type need);
	/* 1 and "procedure", "function", ... in *kind; 0: no such object; -1: error. */
	int			(*object_kind) (struct upkit_conn *c, const char *schema, const char *name,
								struct strbuf *kind);
	/*
	 * 1: the table has a unique index (or key), not partial and without
	 * expressions, whose key columns are all in columns (names separated by
	 * line feeds, which no name holds); 0: none; -1: error.
	 */
	int			(*unique_covered) (struct upkit_conn *c, const char *schema, const char *table,
								   const char *columns);
	/* 1 and the runtime's version in *version; 0: not installed; -1: error. */
	int			(*runtime_version) (struct upkit_conn *c, struct strbuf *version);
};

extern const struct upkit_catalog_ops upkit_catalog_pg;
extern const struct upkit_catalog_ops upkit_catalog_mssql;

const struct upkit_catalog_ops *upkit_catalog_for(enum upkit_dialect d);

/* What the spec (checked for d) needs, from its kind's spec code. */
void		upkit_spec_needs(const struct upkit_spec *s, enum upkit_dialect d,
							 struct upkit_spec_needs *n);

/*
 * Check every spec against the database c is connected to.  Returns the
 * number of problems added to diags, or -1 when the server could not be
 * asked (the reason added to diags without a file).
 */
int			upkit_check_specs(struct upkit_conn *c, struct upkit_spec *const *specs, int n,
							  struct upkit_diags *diags);

#endif
