/*
 * db.h: run a generated script on a server, all or nothing.
 *
 * Both installers split the script into batches (batches.h) and run them in
 * one transaction: on any error they roll back, and the message names the
 * server, the batch (number, script line, object) and the server's own text.
 */
#ifndef UPKIT_DB_H
#define UPKIT_DB_H

/*
 * PostgreSQL over libpq.  conninfo may be NULL or "" to use the PG*
 * environment variables.  Returns 0 on success, -1 after reporting.
 */
int			upkit_pg_run_script(const char *conninfo, const char *script);

struct upkit_mssql_target
{
	const char *server;			/* host name or address */
	int			port;			/* 0: 1433 */
	const char *database;
	const char *user;
	const char *password;		/* from UPKIT_MSSQL_PASSWORD, never argv */
};

/* SQL Server over FreeTDS (db-lib).  Returns 0 on success, -1 after reporting. */
int			upkit_mssql_run_script(const struct upkit_mssql_target *t, const char *script);

/*
 * Parse "HOST[:PORT]" into t->server (a copy that the caller frees) and
 * t->port.  Returns 0, or -1 for a malformed port.
 */
int			upkit_mssql_parse_server(const char *arg, struct upkit_mssql_target *t,
									 char **server_copy);

#endif
