/*
 * db_pg_weights.c: the reference's script weights from a PostgreSQL
 * catalog (see xpp_graph.h).  Read-only: catalog lookups and, for a table
 * never analyzed, one count(*); names travel as parameters and the
 * counted relation is named by its regclass text (quoted by the server).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libpq-fe.h>

#include "cli.h"
#include "strbuf.h"
#include "xpp_graph.h"

static double
table_size(PGconn *conn, const char *table, int *missing)
{
	const char *params[1] = {table};
	PGresult   *r = PQexecParams(conn,
								 "SELECT c.oid::pg_catalog.regclass::text, c.reltuples::float8 "
								 "FROM pg_catalog.pg_class c "
								 "WHERE c.oid = pg_catalog.to_regclass(pg_catalog.quote_ident(pg_catalog.lower($1)))",
								 1, NULL, params, NULL, NULL, 0);
	double		size = 0;

	*missing = 0;
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
	{
		upkit_error("cannot look up table %s: %s", table, PQerrorMessage(conn));
		PQclear(r);
		return -1;
	}
	if (PQntuples(r) == 0)
		*missing = 1;
	else
	{
		size = atof(PQgetvalue(r, 0, 1));
		if (size < 0)
		{
			struct strbuf q = STRBUF_INIT;
			PGresult   *c;

			sb_appendf(&q, "SELECT count(*)::float8 FROM %s", PQgetvalue(r, 0, 0));
			c = PQexec(conn, sb_str(&q));
			sb_free(&q);
			if (PQresultStatus(c) != PGRES_TUPLES_OK)
			{
				upkit_error("cannot count the rows of %s: %s", table, PQerrorMessage(conn));
				PQclear(c);
				PQclear(r);
				return -1;
			}
			size = atof(PQgetvalue(c, 0, 0));
			PQclear(c);
		}
	}
	PQclear(r);
	return size;
}

int
xpp_weights_from_pg(const char *conninfo, const struct xpp_graph *g, struct xpp_weights *wt)
{
	PGconn	   *conn = PQconnectdb(conninfo ? conninfo : "");
	int			rc = 0;

	wt->w1 = calloc((size_t) g->n + 1, sizeof(double));
	wt->w2 = calloc((size_t) g->n + 1, sizeof(double));
	if (wt->w1 == NULL || wt->w2 == NULL)
		abort();
	if (PQstatus(conn) != CONNECTION_OK)
	{
		upkit_error("cannot connect to PostgreSQL: %s", PQerrorMessage(conn));
		PQfinish(conn);
		return -1;
	}
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
			size = table_size(conn, m->tables[t].table, &missing);
			if (size < 0)
				rc = -1;
			else if (missing)
				fprintf(stderr, "upkit: note: table %s (used by %s) is not in the database; its size counts as 0\n",
						m->tables[t].table, g->nodes[i].name);
			else
				wt->w1[i] += size;
		}
	}
	PQfinish(conn);
	if (rc == 0)
		xpp_graph_weights2(g, wt);
	return rc;
}
