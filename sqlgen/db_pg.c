/*
 * db_pg.c: run a script on PostgreSQL over libpq, in one transaction
 * (see db.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "batches.h"
#include "cli.h"
#include "db.h"

/* "host:port/dbname" for messages; host is the socket folder for sockets. */
static void
describe_server(PGconn *conn, char *buf, size_t n)
{
	const char *host = PQhost(conn);

	snprintf(buf, n, "%s:%s/%s", host && *host ? host : "(default)",
			 PQport(conn) ? PQport(conn) : "5432", PQdb(conn) ? PQdb(conn) : "?");
}

static void
chomp(char *s)
{
	size_t		n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
}

static int
exec_ok(PGconn *conn, const char *sql)
{
	PGresult   *r = PQexec(conn, sql);
	int			ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;

	PQclear(r);
	return ok;
}

int
upkit_pg_run_script(const char *conninfo, const char *script)
{
	PGconn	   *conn = PQconnectdb(conninfo ? conninfo : "");
	struct upkit_batches batches;
	char		server[512];
	int			failed = 0;

	describe_server(conn, server, sizeof server);
	if (PQstatus(conn) != CONNECTION_OK)
	{
		char	   *msg = strdup(PQerrorMessage(conn));

		chomp(msg);
		upkit_error("cannot connect to PostgreSQL at %s: %s", server, msg);
		free(msg);
		PQfinish(conn);
		return -1;
	}
	/* Quiet the NOTICEs of "DROP ... IF EXISTS"; errors still come through. */
	exec_ok(conn, "SET client_min_messages = warning");
	if (!exec_ok(conn, "BEGIN"))
	{
		upkit_error("cannot start a transaction on %s: %s", server, PQerrorMessage(conn));
		PQfinish(conn);
		return -1;
	}

	upkit_split_batches(script, UPKIT_DIALECT_PG, &batches);
	for (int i = 0; i < batches.n && !failed; i++)
	{
		const struct upkit_batch *b = &batches.items[i];
		PGresult   *r = PQexec(conn, b->text);
		ExecStatusType st = PQresultStatus(r);

		if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY)
		{
			const char *msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
			const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
			const char *detail = PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL);

			upkit_error("install into %s failed in batch %d of %d (%s, script line %d): %s [SQLSTATE %s]",
						server, i + 1, batches.n, b->origin ? b->origin : "script start",
						b->first_line, msg ? msg : PQerrorMessage(conn), state ? state : "?");
			if (detail)
				fprintf(stderr, "upkit: detail: %s\n", detail);
			failed = 1;
		}
		PQclear(r);
	}
	upkit_free_batches(&batches);

	if (failed)
	{
		exec_ok(conn, "ROLLBACK");
		fprintf(stderr, "upkit: nothing was installed (the transaction was rolled back)\n");
	}
	else if (!exec_ok(conn, "COMMIT"))
	{
		upkit_error("commit on %s failed: %s", server, PQerrorMessage(conn));
		failed = 1;
	}
	PQfinish(conn);
	return failed ? -1 : 0;
}
