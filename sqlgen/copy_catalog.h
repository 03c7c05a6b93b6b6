/*
 * copy_catalog.h: what the copy asks of a PostgreSQL database
 * (copy_catalog_pg.c): its tables and columns, SQLDICTIONARY's table ids,
 * the readiness of an affected table (the delta state), row estimates and
 * counts, RECID bounds, and the copy ledger.  Names are parameters; every
 * function returns -1 with the server's message in c->error on failure.
 */
#ifndef UPKIT_COPY_CATALOG_H
#define UPKIT_COPY_CATALOG_H

#include "conn.h"
#include "copy_map.h"
#include "copy_plan.h"
#include "strbuf.h"

/* Base tables of schema with their columns (generated ones left out) and table ids. */
int			copy_catalog_read(struct upkit_conn *c, const char *schema, struct copy_db_desc *out);

/*
 * Is the affected table t ready for copy?  1 yes, 0 no, -1 error; note
 * says how it was decided and, when not, why.
 */
int			copy_catalog_ready(struct upkit_conn *src, const char *schema,
							   const struct copy_table_map *t, struct strbuf *note);

/* pg_class's row estimate (-1 when never analysed). */
long long	copy_catalog_estimate(struct upkit_conn *c, const char *schema, const char *table);

/* Does schema.table have a row?  1, 0, -1. */
int			copy_catalog_has_rows(struct upkit_conn *c, const char *schema, const char *table);

/* min and max of key over the plan's SELECT; 0, 1 (no rows), -1. */
int			copy_catalog_key_bounds(struct upkit_conn *c, const struct copy_table_plan *t,
									long long *min, long long *max);

/* Does the relation (a qualified name) exist?  1, 0, -1. */
int			copy_catalog_relation_exists(struct upkit_conn *c, const char *qualified);

#endif
