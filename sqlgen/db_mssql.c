/*
 * db_mssql.c: run a script on SQL Server over FreeTDS db-lib, in one
 * transaction (see db.h).
 *
 * The script is split at GO lines, as SSMS does.  Batch 0 opens a
 * transaction with XACT_ABORT ON; any error rolls it back, so a failed
 * install leaves the database as it was.  db-lib reports server messages
 * and library errors through callbacks; they are kept in a buffer and
 * printed with the batch they belong to.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sybfront.h>
#include <sybdb.h>

#include "batches.h"
#include "cli.h"
#include "db.h"
#include "strbuf.h"

static struct strbuf last_messages = STRBUF_INIT;

static int
on_error(DBPROCESS *dbproc, int severity, int dberr, int oserr,
		 char *dberrstr, char *oserrstr)
{
	(void) dbproc;
	(void) severity;
	(void) dberr;
	sb_appendf(&last_messages, "%s%s", last_messages.len ? "; " : "", dberrstr ? dberrstr : "db-lib error");
	if (oserr != DBNOERR && oserrstr)
		sb_appendf(&last_messages, " (%s)", oserrstr);
	return INT_CANCEL;
}

static int
on_message(DBPROCESS *dbproc, DBINT msgno, int msgstate, int severity,
		   char *msgtext, char *srvname, char *procname, int line)
{
	(void) dbproc;
	(void) msgstate;
	(void) srvname;
	/* Severity 0-10 is information ("Changed database context ..."). */
	if (severity <= 10)
		return 0;
	sb_appendf(&last_messages, "%sMsg %d, Level %d%s%s, Line %d: %s",
			   last_messages.len ? "; " : "", (int) msgno, severity,
			   procname && *procname ? ", Procedure " : "", procname ? procname : "",
			   line, msgtext ? msgtext : "");
	return 0;
}

int
upkit_mssql_parse_server(const char *arg, struct upkit_mssql_target *t, char **server_copy)
{
	const char *colon = strrchr(arg, ':');
	char	   *end;
	long		port;

	t->port = 0;
	if (colon == NULL)
	{
		*server_copy = strdup(arg);
		t->server = *server_copy;
		return 0;
	}
	port = strtol(colon + 1, &end, 10);
	if (colon[1] == '\0' || *end != '\0' || port < 1 || port > 65535)
		return -1;
	*server_copy = strndup(arg, (size_t) (colon - arg));
	t->server = *server_copy;
	t->port = (int) port;
	return 0;
}

/* Send one batch and drain its results; 0 on success. */
static int
run_batch(DBPROCESS *db, const char *sql)
{
	RETCODE		rc;
	int			failed = 0;

	if (dbcmd(db, sql) == FAIL || dbsqlexec(db) == FAIL)
	{
		/* Drop what is left of the batch, so the ROLLBACK can be sent. */
		dbcancel(db);
		return -1;
	}
	while ((rc = dbresults(db)) != NO_MORE_RESULTS)
	{
		if (rc == FAIL)
		{
			failed = 1;
			continue;
		}
		while (dbnextrow(db) != NO_MORE_ROWS)
			;
	}
	return failed ? -1 : 0;
}

int
upkit_mssql_run_script(const struct upkit_mssql_target *t, const char *script)
{
	LOGINREC   *login;
	DBPROCESS  *db;
	char		where[600];
	struct upkit_batches batches;
	int			failed = 0;

	snprintf(where, sizeof where, "%s:%d/%s", t->server, t->port ? t->port : 1433,
			 t->database ? t->database : "(default database)");
	if (dbinit() == FAIL)
	{
		upkit_error("cannot initialise FreeTDS db-lib");
		return -1;
	}
	dberrhandle(on_error);
	dbmsghandle(on_message);
	dbsetlogintime(15);

	login = dblogin();
	DBSETLUSER(login, t->user);
	DBSETLPWD(login, t->password ? t->password : "");
	DBSETLAPP(login, "upkit");
	DBSETLCHARSET(login, "UTF-8");
	DBSETLVERSION(login, DBVERSION_74);
	if (t->database)
		DBSETLDBNAME(login, t->database);
	{
		char		server[560];

		snprintf(server, sizeof server, "%s:%d", t->server, t->port ? t->port : 1433);
		db = dbopen(login, server);
	}
	dbloginfree(login);
	if (db == NULL)
	{
		upkit_error("cannot connect to SQL Server at %s as %s: %s", where, t->user,
					last_messages.len ? sb_str(&last_messages) : "no answer");
		sb_free(&last_messages);
		dbexit();
		return -1;
	}

	sb_free(&last_messages);
	if (run_batch(db, "SET XACT_ABORT ON; BEGIN TRANSACTION;") != 0)
	{
		upkit_error("cannot start a transaction on %s: %s", where, sb_str(&last_messages));
		dbclose(db);
		dbexit();
		return -1;
	}

	upkit_split_batches(script, UPKIT_DIALECT_MSSQL, &batches);
	for (int i = 0; i < batches.n && !failed; i++)
	{
		const struct upkit_batch *b = &batches.items[i];

		sb_free(&last_messages);
		if (run_batch(db, b->text) != 0 || last_messages.len > 0)
		{
			upkit_error("install into %s failed in batch %d of %d (%s, script line %d): %s",
						where, i + 1, batches.n, b->origin ? b->origin : "script start",
						b->first_line, last_messages.len ? sb_str(&last_messages) : "the batch failed");
			failed = 1;
		}
	}
	upkit_free_batches(&batches);

	if (failed)
	{
		run_batch(db, "IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;");
		fprintf(stderr, "upkit: nothing was installed (the transaction was rolled back)\n");
	}
	else
	{
		sb_free(&last_messages);
		if (run_batch(db, "COMMIT TRANSACTION;") != 0)
		{
			upkit_error("commit on %s failed: %s", where, sb_str(&last_messages));
			failed = 1;
		}
	}
	sb_free(&last_messages);
	dbclose(db);
	dbexit();
	return failed ? -1 : 0;
}
