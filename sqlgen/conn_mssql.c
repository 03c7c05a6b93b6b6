/*
 * conn_mssql.c: the connection interface (conn.h) over FreeTDS db-lib.
 *
 * db-lib reports server messages and library errors through two
 * process-wide callbacks; each connection is found through the DBPROCESS's
 * user data (during dbopen, before there is one, through `opening`).
 * Messages of severity 11 and above are errors, kept as
 * "Msg N, Level L, Line L: text" in the order they came; lower severities
 * ("Changed database context ...") go to the message list.
 *
 * Parameters: sp_executesql with @P1 ... as NVARCHAR(MAX), each value an
 * N'...' literal with its quotes doubled (see conn.h).  A statement is
 * checked without running it under SET NOEXEC ON: SQL Server compiles it
 * (columns of existing tables, conversions it does not allow implicitly)
 * but does not execute it.  Table existence is checked from the catalog
 * first, because deferred name resolution lets a missing table compile.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn_mssql.h"

struct mssql_impl
{
	DBPROCESS  *db;
	int			inited;			/* dbinit succeeded: dbexit on close (both count references) */
	int			failed;			/* an error came with the current call */
};

/*
 * The connection being opened, for the handlers (there is no DBPROCESS
 * yet): one open at a time, since copy workers open theirs in parallel.
 */
static struct upkit_conn *opening;
static pthread_mutex_t open_lock = PTHREAD_MUTEX_INITIALIZER;

static struct upkit_conn *
conn_of(DBPROCESS *db)
{
	if (db != NULL && dbgetuserdata(db) != NULL)
		return (struct upkit_conn *) dbgetuserdata(db);
	return opening;
}

static void
add_error(struct upkit_conn *c, const char *text)
{
	if (c->error.len)
		sb_append(&c->error, "; ");
	sb_append(&c->error, text);
	((struct mssql_impl *) c->impl)->failed = 1;
}

static int
on_error(DBPROCESS *db, int severity, int dberr, int oserr, char *dberrstr, char *oserrstr)
{
	struct upkit_conn *c = conn_of(db);
	struct strbuf m = STRBUF_INIT;

	(void) severity;
	(void) dberr;
	if (c == NULL)
		return INT_CANCEL;
	sb_append(&m, dberrstr ? dberrstr : "db-lib error");
	if (oserr != DBNOERR && oserrstr)
		sb_appendf(&m, " (%s)", oserrstr);
	add_error(c, sb_str(&m));
	sb_free(&m);
	return INT_CANCEL;
}

static int
on_message(DBPROCESS *db, DBINT msgno, int msgstate, int severity, char *msgtext,
		   char *srvname, char *procname, int line)
{
	struct upkit_conn *c = conn_of(db);
	struct strbuf m = STRBUF_INIT;

	(void) msgstate;
	(void) srvname;
	if (c == NULL)
		return 0;
	if (severity <= 10)
	{
		sb_appendf(&c->messages, "%s\n", msgtext ? msgtext : "");
		return 0;
	}
	sb_appendf(&m, "Msg %d, Level %d%s%s, Line %d: %s", (int) msgno, severity,
			   procname && *procname ? ", Procedure " : "", procname ? procname : "",
			   line, msgtext ? msgtext : "");
	add_error(c, sb_str(&m));
	sb_free(&m);
	return 0;
}

static int
ms_open(struct upkit_conn *c, const struct upkit_conn_target *t)
{
	struct mssql_impl *p = calloc(1, sizeof *p);
	LOGINREC   *login;
	char		server[560];

	if (p == NULL)
		abort();
	c->impl = p;
	snprintf(c->where, sizeof c->where, "%s:%d/%s", t->server, t->port ? t->port : 1433,
			 t->database ? t->database : "(default database)");
	pthread_mutex_lock(&open_lock);
	if (dbinit() == FAIL)
	{
		pthread_mutex_unlock(&open_lock);
		upkit_conn_set_error(c, NULL, "cannot initialise FreeTDS db-lib", NULL);
		return -1;
	}
	p->inited = 1;
	dberrhandle(on_error);
	dbmsghandle(on_message);
	dbsetlogintime(15);
	login = dblogin();
	DBSETLUSER(login, t->user);
	DBSETLPWD(login, t->password ? t->password : "");
	DBSETLAPP(login, "upkit");
	DBSETLCHARSET(login, "UTF-8");
	DBSETLVERSION(login, DBVERSION_74);
	/* bulk copy (bcp_init) is allowed only on a login that asked for it */
	BCP_SETL(login, TRUE);
	if (t->database)
		DBSETLDBNAME(login, t->database);
	snprintf(server, sizeof server, "%s:%d", t->server, t->port ? t->port : 1433);
	opening = c;
	p->db = dbopen(login, server);
	opening = NULL;
	if (p->db)
		dbsetuserdata(p->db, (BYTE *) c);
	pthread_mutex_unlock(&open_lock);
	dbloginfree(login);
	if (p->db == NULL)
	{
		if (c->error.len == 0)
			sb_append(&c->error, "no answer");
		return -1;
	}
	c->database = xstrdup(t->database ? t->database : dbname(p->db));
	return 0;
}

static char *
column_text(DBPROCESS *db, int col)
{
	BYTE	   *data = dbdata(db, col);
	DBINT		len = dbdatlen(db, col);
	int			type = dbcoltype(db, col);
	char	   *buf;
	DBINT		n;

	if (data == NULL)
		return NULL;
	if (type == SYBCHAR || type == SYBVARCHAR || type == SYBTEXT)
		return strndup((const char *) data, (size_t) len);
	/* Numbers, dates and binary values: their text fits 2 bytes a byte + 64. */
	buf = malloc((size_t) len * 2 + 64);
	if (buf == NULL)
		abort();
	n = dbconvert(db, type, data, len, SYBCHAR, (BYTE *) buf, -1);
	if (n < 0)
		buf[0] = '\0';
	return buf;
}

/* Send sql and drain its results into rows (when not NULL); 0 on success. */
static int
run(struct upkit_conn *c, const char *sql, struct upkit_rows *rows)
{
	struct mssql_impl *p = c->impl;
	RETCODE		rc;

	upkit_conn_clear_error(c);
	p->failed = 0;
	if (dbcmd(p->db, sql) == FAIL || dbsqlexec(p->db) == FAIL)
	{
		/* Drop what is left, so that the next command (a ROLLBACK) can be sent. */
		dbcancel(p->db);
		if (c->error.len == 0)
			sb_append(&c->error, "the batch failed");
		return -1;
	}
	while ((rc = dbresults(p->db)) != NO_MORE_RESULTS)
	{
		int			ncols;

		if (rc == FAIL)
		{
			p->failed = 1;
			continue;
		}
		ncols = dbnumcols(p->db);
		while (dbnextrow(p->db) != NO_MORE_ROWS)
		{
			/* The first result set with columns is the one returned. */
			if (rows == NULL || ncols == 0 || (rows->ncols != 0 && rows->ncols != ncols))
				continue;
			rows->ncols = ncols;
			rows->cells = realloc(rows->cells, sizeof *rows->cells * (size_t) (rows->nrows + 1) * ncols);
			if (rows->cells == NULL)
				abort();
			for (int j = 0; j < ncols; j++)
				rows->cells[rows->nrows * ncols + j] = column_text(p->db, j + 1);
			rows->nrows++;
		}
	}
	if (p->failed && c->error.len == 0)
		sb_append(&c->error, "the batch failed");
	return p->failed ? -1 : 0;
}

static int
ms_exec(struct upkit_conn *c, const char *batch)
{
	return run(c, batch, NULL);
}

static void
nliteral(struct strbuf *sb, const char *s)
{
	sb_append(sb, "N'");
	for (; *s; s++)
	{
		if (*s == '\'')
			sb_append(sb, "'");
		sb_append_len(sb, s, 1);
	}
	sb_append(sb, "'");
}

static int
ms_query(struct upkit_conn *c, const char *sql, int nparams, const char *const *params,
		 struct upkit_rows *rows)
{
	struct strbuf b = STRBUF_INIT;
	struct strbuf decl = STRBUF_INIT;
	int			rc;

	sb_append(&b, "EXEC sp_executesql ");
	nliteral(&b, sql);
	for (int i = 0; i < nparams; i++)
		sb_appendf(&decl, "%s@P%d NVARCHAR(MAX)", i ? ", " : "", i + 1);
	if (nparams > 0)
	{
		sb_append(&b, ", ");
		nliteral(&b, sb_str(&decl));
	}
	for (int i = 0; i < nparams; i++)
	{
		sb_appendf(&b, ", @P%d = ", i + 1);
		if (params[i] == NULL)
			sb_append(&b, "NULL");
		else
			nliteral(&b, params[i]);
	}
	sb_append(&b, ";");
	rc = run(c, sb_str(&b), rows);
	sb_free(&b);
	sb_free(&decl);
	return rc;
}

static int
ms_check(struct upkit_conn *c, const char *sql)
{
	struct strbuf err = STRBUF_INIT;
	int			rc;

	if (run(c, "SET NOEXEC ON;", NULL) != 0)
		return -1;
	rc = run(c, sql, NULL);
	sb_append(&err, sb_str(&c->error));
	if (run(c, "SET NOEXEC OFF;", NULL) != 0)
		rc = -1;
	else if (rc != 0)
		upkit_conn_set_error(c, NULL, sb_str(&err), NULL);
	sb_free(&err);
	return rc;
}

static int
ms_begin(struct upkit_conn *c)
{
	/* XACT_ABORT: any error rolls the whole transaction back. */
	return run(c, "SET XACT_ABORT ON; BEGIN TRANSACTION;", NULL);
}

static int
ms_commit(struct upkit_conn *c)
{
	return run(c, "COMMIT TRANSACTION;", NULL);
}

static int
ms_rollback(struct upkit_conn *c)
{
	/* drop whatever an interrupted call left pending (rows, a bulk load's answer) first */
	dbcancel(((struct mssql_impl *) c->impl)->db);
	return run(c, "IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;", NULL);
}

/* dbcancel sends an attention: the server stops the running batch. */
static int
ms_cancel(struct upkit_conn *c)
{
	struct mssql_impl *p = c->impl;

	return dbcancel(p->db) == SUCCEED ? 0 : -1;
}

static void
ms_close(struct upkit_conn *c)
{
	struct mssql_impl *p = c->impl;

	if (p == NULL)
		return;
	if (p->db)
		dbclose(p->db);
	if (p->inited)
		dbexit();				/* counted: closes the others only with the last */
	free(p);
	c->impl = NULL;
}

DBPROCESS  *
upkit_conn_mssql_dbproc(struct upkit_conn *c)
{
	return ((struct mssql_impl *) c->impl)->db;
}

void
upkit_conn_mssql_start(struct upkit_conn *c)
{
	upkit_conn_clear_error(c);
	((struct mssql_impl *) c->impl)->failed = 0;
}

int
upkit_conn_mssql_failed(struct upkit_conn *c)
{
	struct mssql_impl *p = c->impl;

	if (p->failed && c->error.len == 0)
		sb_append(&c->error, "the call failed");
	return p->failed;
}

const struct upkit_conn_ops upkit_conn_mssql_ops = {
	.engine = "SQL Server",
	.open = ms_open,
	.exec = ms_exec,
	.query = ms_query,
	.check = ms_check,
	.begin = ms_begin,
	.commit = ms_commit,
	.rollback = ms_rollback,
	.cancel = ms_cancel,
	.close = ms_close,
};
