/*
 * test_conn_pg.c: the connection interface (conn.h) over libpq, against
 * the test cluster (PGHOST set by tests/harness/with-cluster.sh; skipped
 * without it): connect and the failure message, queries with parameters
 * (values that would break SQL text stay values), rows and NULLs, errors
 * with SQLSTATE and detail, the statement check, transaction control,
 * server notices, cancel from another thread, and the catalog questions of
 * install (check.h).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "conn.h"
#include "pg_open.h"
#include "tap.h"

static void *
sleeper(void *arg)
{
	struct upkit_conn *c = arg;
	static int	rc;

	rc = c->ops->exec(c, "SELECT pg_sleep(60)");
	return &rc;
}

/* Wait until the other session is in pg_sleep: a state, not a time. */
static int
wait_sleeping(struct upkit_conn *watch)
{
	for (int i = 0; i < 6000; i++)
	{
		struct upkit_rows r = UPKIT_ROWS_INIT;
		int			n = 0;

		if (watch->ops->query(watch, "SELECT count(*) FROM pg_stat_activity"
							  " WHERE query = 'SELECT pg_sleep(60)' AND state = 'active'",
							  0, NULL, &r) == 0)
			n = atoi(upkit_rows_get(&r, 0, 0));
		upkit_rows_free(&r);
		if (n > 0)
			return 1;
		usleep(10000);
	}
	return 0;
}

int
main(void)
{
	struct upkit_conn *c,
			   *w;
	struct upkit_rows r = UPKIT_ROWS_INIT;
	struct strbuf err = STRBUF_INIT;
	struct strbuf s = STRBUF_INIT;
	struct upkit_conn_target bad = {0};
	const char *hostile = "x'); DROP TABLE t; --";
	const char *params[2];
	pthread_t	th;
	void	   *thrc;

	if (getenv("PGHOST") == NULL)
	{
		printf("1..0 # SKIP PGHOST not set: run through tests/harness/with-cluster.sh\n");
		return 0;
	}
	plan(27);

	bad.dialect = UPKIT_DIALECT_PG;
	bad.conninfo = "dbname=upkit_no_such_database";
	ok(upkit_conn_open(&bad, &err) == NULL, "a connection to a missing database fails");
	ok(strstr(sb_str(&err), "cannot connect to PostgreSQL at ") != NULL &&
	   strstr(sb_str(&err), "/upkit_no_such_database: ") != NULL,
	   "... naming engine, server and database");
	sb_free(&err);

	c = open_pg("dbname=postgres");
	ok(c != NULL, "connects with the PG* variables and a conninfo");
	if (c == NULL)
		return done();
	is_str(c->database, "postgres", "... and knows its database");
	is_str(c->ops->engine, "PostgreSQL", "... and its engine");

	params[0] = hostile;
	params[1] = NULL;
	ok(c->ops->query(c, "SELECT $1::text AS v, $2::text AS n, 42 AS i", 2, params, &r) == 0,
	   "a query with parameters runs");
	is_int(r.nrows, 1, "... one row");
	is_int(r.ncols, 3, "... three columns");
	is_str(upkit_rows_get(&r, 0, 0), hostile, "... a value with quotes and a semicolon comes back as it went");
	ok(upkit_rows_get(&r, 0, 1) == NULL, "... a NULL parameter is SQL NULL");
	is_str(upkit_rows_get(&r, 0, 2), "42", "... and a number comes back as text");
	upkit_rows_free(&r);

	ok(c->ops->exec(c, "SELECT 1/0") == -1, "a failing batch returns -1");
	is_str(c->sqlstate, "22012", "... with the SQLSTATE");
	is_str(sb_str(&c->error), "division by zero", "... and the server's message");
	ok(c->ops->exec(c, "CREATE TEMP TABLE t (a int PRIMARY KEY); INSERT INTO t VALUES (1)") == 0,
	   "a batch of two statements runs");
	ok(c->ops->exec(c, "INSERT INTO t VALUES (1)") == -1 && strstr(sb_str(&c->detail), "(a)=(1)") != NULL,
	   "a duplicate key keeps the server's detail");

	ok(c->ops->begin(c) == 0 && c->ops->exec(c, "INSERT INTO t VALUES (2)") == 0 &&
	   c->ops->rollback(c) == 0, "begin, insert, rollback");
	ok(c->ops->query(c, "SELECT count(*) FROM t", 0, NULL, &r) == 0 &&
	   strcmp(upkit_rows_get(&r, 0, 0), "1") == 0, "... the rolled-back row is gone");
	upkit_rows_free(&r);
	ok(c->ops->begin(c) == 0 && c->ops->exec(c, "INSERT INTO t VALUES (2)") == 0 &&
	   c->ops->commit(c) == 0, "begin, insert, commit");
	ok(c->ops->query(c, "SELECT count(*) FROM t", 0, NULL, &r) == 0 &&
	   strcmp(upkit_rows_get(&r, 0, 0), "2") == 0, "... the committed row stays");
	upkit_rows_free(&r);

	ok(c->ops->exec(c, "DO $$ BEGIN RAISE NOTICE 'hello from the server'; END $$") == 0 &&
	   strstr(sb_str(&c->messages), "hello from the server") != NULL,
	   "a notice goes to the message list, not to stderr");

	ok(c->ops->check(c, "INSERT INTO t (a) SELECT 1") == 0, "check accepts a valid statement");
	ok(c->ops->check(c, "INSERT INTO t (a) SELECT 'x'::text") == -1 && strcmp(c->sqlstate, "42804") == 0,
	   "check rejects a text value for an integer column (42804), without running anything");

	ok(upkit_catalog_pg.table_exists(c, "pg_catalog", "pg_class") == 1 &&
	   upkit_catalog_pg.table_exists(c, "pg_catalog", "pg_clas") == 0,
	   "catalog: a table exists, another does not");
	ok(upkit_catalog_pg.column_type(c, "pg_catalog", "pg_class", "relname", &s) == 1 &&
	   strcmp(sb_str(&s), "name") == 0 && upkit_catalog_pg.type_fits(sb_str(&s), UPKIT_NEED_TEXT),
	   "catalog: a column's type, and whether it fits");
	sb_free(&s);

	/* cancel from another thread, while the statement runs */
	w = open_pg("dbname=postgres");
	pthread_create(&th, NULL, sleeper, c);
	ok(w != NULL && wait_sleeping(w) && c->ops->cancel(c) == 0, "cancel is sent while a statement runs");
	pthread_join(th, &thrc);
	ok(*(int *) thrc == -1 && strcmp(c->sqlstate, "57014") == 0,
	   "... and the statement ends with query_canceled (57014)");
	upkit_conn_close(w);
	upkit_conn_close(c);
	return done();
}
