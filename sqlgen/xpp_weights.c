/*
 * xpp_weights.c: the reference's script weights from a PostgreSQL catalog
 * (see xpp_graph.h), over the connection interface (conn.h).
 *
 * Read-only: catalog lookups and, for a table never analyzed, one
 * count(*).  Names travel as parameters; the counted relation is named by
 * its regclass text, which the server quotes.  Nothing here prints: a
 * table the database lacks is a note, a failed query an error, both in the
 * caller's diagnostics list.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "strbuf.h"
#include "xpp_graph.h"

/* The size of one table: 0 with *missing set when absent, -1 on error. */
static double
table_size(struct upkit_conn *c, const char *table, int *missing, struct upkit_diags *d)
{
	const char *params[1] = {table};
	struct upkit_rows r = UPKIT_ROWS_INIT;
	double		size = 0;

	*missing = 0;
	if (c->ops->query(c,
					  "SELECT c.oid::pg_catalog.regclass::text, c.reltuples::float8 "
					  "FROM pg_catalog.pg_class c "
					  "WHERE c.oid = pg_catalog.to_regclass(pg_catalog.quote_ident(pg_catalog.lower($1)))",
					  1, params, &r) != 0)
	{
		upkit_diag_msg(d, "cannot look up table %s: %s", table, sb_str(&c->error));
		return -1;
	}
	if (r.nrows == 0)
		*missing = 1;
	else
	{
		size = atof(upkit_rows_get(&r, 0, 1));
		if (size < 0)
		{
			struct strbuf q = STRBUF_INIT;
			struct strbuf n = STRBUF_INIT;
			int			got;

			sb_appendf(&q, "SELECT count(*)::float8 FROM %s", upkit_rows_get(&r, 0, 0));
			got = upkit_query_value(c, sb_str(&q), 0, NULL, &n);
			if (got < 0)
			{
				upkit_diag_msg(d, "cannot count the rows of %s: %s", table, sb_str(&c->error));
				size = -1;
			}
			else
				size = atof(sb_str(&n));
			sb_free(&q);
			sb_free(&n);
		}
	}
	upkit_rows_free(&r);
	return size;
}

int
xpp_weights_from_catalog(struct upkit_conn *c, const struct xpp_graph *g, struct xpp_weights *wt,
						 struct upkit_diags *d)
{
	int			rc = 0;

	wt->w1 = calloc((size_t) g->n + 1, sizeof(double));
	wt->w2 = calloc((size_t) g->n + 1, sizeof(double));
	if (wt->w1 == NULL || wt->w2 == NULL)
		abort();
	for (int i = 0; i < g->n && rc == 0; i++)
	{
		const struct xpp_method *m = g->nodes[i].m;

		for (int t = 0; m && t < m->ntables && rc == 0; t++)
		{
			int			missing;
			int			seen = 0;
			double		size;

			for (int u = 0; u < t; u++)
				if (strcasecmp(m->tables[u].table, m->tables[t].table) == 0)
					seen = 1;
			if (seen)
				continue;
			size = table_size(c, m->tables[t].table, &missing, d);
			if (size < 0)
				rc = -1;
			else if (missing)
				upkit_diag_msg(d, "note: table %s (used by %s) is not in the database; its size counts as 0",
							   m->tables[t].table, g->nodes[i].name);
			else
				wt->w1[i] += size;
		}
	}
	if (rc == 0)
		xpp_graph_weights2(g, wt);
	return rc;
}
