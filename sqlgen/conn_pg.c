/*
 * conn_pg.c: the connection interface (conn.h) over libpq.
 *
 * Notices go to the connection's message list instead of stderr; errors
 * keep the server's primary message, SQLSTATE and detail.  A statement is
 * checked without running it by preparing it as the unnamed statement:
 * PostgreSQL parses and analyses it then (tables, columns, types,
 * assignment casts), exactly as it would before running it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "conn.h"
#include "ident.h"

#define PG_KEPT 8

struct pg_impl
{
	PGconn	   *conn;
	PGcancel   *cancel;
	char	   *copy_buf;		/* the last chunk copy_out_next gave (PQfreemem) */
	const char *kept[PG_KEPT];	/* prepared as upkit_kept_<i>: a pipeline's kept texts */
};

#define PG(c) (((struct pg_impl *) (c)->impl)->conn)

static void
on_notice(void *arg, const PGresult *r)
{
	struct upkit_conn *c = arg;
	const char *msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);

	sb_appendf(&c->messages, "%s\n", msg ? msg : "");
}

/* Record the error of r (or of the connection when r has none). */
static void
set_result_error(struct upkit_conn *c, const PGresult *r)
{
	const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;

	upkit_conn_set_error(c, r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL,
						 msg ? msg : PQerrorMessage(PG(c)),
						 r ? PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL) : NULL);
}

static int
result_ok(struct upkit_conn *c, PGresult *r)
{
	ExecStatusType st = PQresultStatus(r);

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY)
		return 1;
	set_result_error(c, r);
	return 0;
}

static int
pg_open(struct upkit_conn *c, const struct upkit_conn_target *t)
{
	struct pg_impl *p = calloc(1, sizeof *p);
	const char *host;

	if (p == NULL)
		abort();
	c->impl = p;
	p->conn = PQconnectdb(t->conninfo ? t->conninfo : "");
	host = PQhost(p->conn);
	snprintf(c->where, sizeof c->where, "%s:%s/%s", host && *host ? host : "(default)",
			 PQport(p->conn) && *PQport(p->conn) ? PQport(p->conn) : "5432",
			 PQdb(p->conn) ? PQdb(p->conn) : "?");
	if (PQstatus(p->conn) != CONNECTION_OK)
	{
		upkit_conn_set_error(c, NULL, PQerrorMessage(p->conn), NULL);
		return -1;
	}
	c->database = xstrdup(PQdb(p->conn));
	PQsetNoticeReceiver(p->conn, on_notice, c);
	p->cancel = PQgetCancel(p->conn);
	return 0;
}

static int
pg_exec(struct upkit_conn *c, const char *batch)
{
	PGresult   *r = PQexec(PG(c), batch);
	int			ok;

	upkit_conn_clear_error(c);
	ok = result_ok(c, r);
	PQclear(r);
	return ok ? 0 : -1;
}

/* PGresult's rows into rows (every value as text; NULL for SQL NULL). */
static void
copy_rows(const PGresult *r, struct upkit_rows *rows)
{
	rows->nrows = PQntuples(r);
	rows->ncols = PQnfields(r);
	rows->cells = calloc((size_t) rows->nrows * rows->ncols + 1, sizeof *rows->cells);
	if (rows->cells == NULL)
		abort();
	for (int i = 0; i < rows->nrows; i++)
		for (int j = 0; j < rows->ncols; j++)
			if (!PQgetisnull(r, i, j))
				rows->cells[i * rows->ncols + j] = xstrdup(PQgetvalue(r, i, j));
}

static int
pg_query(struct upkit_conn *c, const char *sql, int nparams, const char *const *params,
		 struct upkit_rows *rows)
{
	PGresult   *r = PQexecParams(PG(c), sql, nparams, NULL, params, NULL, NULL, 0);

	upkit_conn_clear_error(c);
	if (!result_ok(c, r))
	{
		PQclear(r);
		return -1;
	}
	if (rows)
		copy_rows(r, rows);
	PQclear(r);
	return 0;
}

static int
pg_check(struct upkit_conn *c, const char *sql)
{
	PGresult   *r = PQprepare(PG(c), "", sql, 0, NULL);
	int			ok;

	upkit_conn_clear_error(c);
	ok = result_ok(c, r);
	PQclear(r);
	return ok ? 0 : -1;
}

static int
pg_begin(struct upkit_conn *c)
{
	return pg_exec(c, "BEGIN");
}

static int
pg_commit(struct upkit_conn *c)
{
	return pg_exec(c, "COMMIT");
}

static int
pg_rollback(struct upkit_conn *c)
{
	return pg_exec(c, "ROLLBACK");
}

/* PQcancel is safe to call from another thread (or a signal handler). */
static int
pg_cancel(struct upkit_conn *c)
{
	struct pg_impl *p = c->impl;
	char		buf[256];

	if (p->cancel == NULL || !PQcancel(p->cancel, buf, sizeof buf))
		return -1;
	return 0;
}

static void
pg_close(struct upkit_conn *c)
{
	struct pg_impl *p = c->impl;

	if (p == NULL)
		return;
	if (p->cancel)
		PQfreeCancel(p->cancel);
	if (p->copy_buf)
		PQfreemem(p->copy_buf);
	PQfinish(p->conn);
	free(p);
	c->impl = NULL;
}

/* Start a COPY; 0 when the server is ready to stream (status want). */
static int
copy_start(struct upkit_conn *c, const char *sql, ExecStatusType want)
{
	PGresult   *r = PQexec(PG(c), sql);
	int			ok = PQresultStatus(r) == want;

	upkit_conn_clear_error(c);
	/* result_ok records the server's error; a success of another kind is ours. */
	if (!ok && result_ok(c, r))
		upkit_conn_set_error(c, NULL, "the server did not start the COPY", NULL);
	PQclear(r);
	return ok ? 0 : -1;
}

/* The COPY's final result: 0 and its row count, or -1. */
static int
copy_finish(struct upkit_conn *c, long long *rows)
{
	PGresult   *r;
	int			rc = 0;
	int			seen = 0;

	while ((r = PQgetResult(PG(c))) != NULL)
	{
		ExecStatusType st = PQresultStatus(r);

		if (st == PGRES_COPY_OUT || st == PGRES_COPY_IN || st == PGRES_COPY_BOTH)
		{
			/* still streaming: a caller's mistake, never wait for it */
			PQclear(r);
			upkit_conn_set_error(c, NULL, "the COPY has not ended", NULL);
			return -1;
		}
		if (!seen++)
		{
			if (!result_ok(c, r))
				rc = -1;
			else if (rows)
				*rows = atoll(PQcmdTuples(r));
		}
		PQclear(r);
	}
	if (!seen)
	{
		upkit_conn_set_error(c, NULL, PQerrorMessage(PG(c)), NULL);
		rc = -1;
	}
	return rc;
}

static int
pg_copy_out_begin(struct upkit_conn *c, const char *query)
{
	struct strbuf sql = STRBUF_INIT;
	int			rc;

	sb_appendf(&sql, "COPY (%s) TO STDOUT (FORMAT binary)", query);
	rc = copy_start(c, sb_str(&sql), PGRES_COPY_OUT);
	sb_free(&sql);
	return rc;
}

static int
pg_copy_out_next(struct upkit_conn *c, const char **chunk)
{
	struct pg_impl *p = c->impl;
	int			n;

	if (p->copy_buf)
	{
		PQfreemem(p->copy_buf);
		p->copy_buf = NULL;
	}
	n = PQgetCopyData(p->conn, &p->copy_buf, 0);
	if (n > 0)
	{
		*chunk = p->copy_buf;
		return n;
	}
	if (n == -1)
		return 0;				/* the end: the result follows */
	upkit_conn_set_error(c, NULL, PQerrorMessage(p->conn), NULL);
	return -1;
}

static int
pg_copy_out_end(struct upkit_conn *c, long long *rows)
{
	struct pg_impl *p = c->impl;

	if (p->copy_buf)
	{
		PQfreemem(p->copy_buf);
		p->copy_buf = NULL;
	}
	return copy_finish(c, rows);
}

static int
pg_copy_in_begin_format(struct upkit_conn *c, const char *schema, const char *table,
						const char *const *columns, int ncolumns, const char *format)
{
	struct strbuf sql = STRBUF_INIT;
	int			rc;

	sb_append(&sql, "COPY ");
	upkit_quote_catalog_qualified(&sql, schema, table, UPKIT_DIALECT_PG);
	sb_append(&sql, " (");
	for (int i = 0; i < ncolumns; i++)
	{
		if (i)
			sb_append(&sql, ", ");
		upkit_quote_catalog_name(&sql, columns[i], UPKIT_DIALECT_PG);
	}
	sb_appendf(&sql, ") FROM STDIN (FORMAT %s)", format);
	rc = copy_start(c, sb_str(&sql), PGRES_COPY_IN);
	sb_free(&sql);
	return rc;
}

static int
pg_copy_in_begin(struct upkit_conn *c, const char *schema, const char *table,
				 const char *const *columns, int ncolumns)
{
	return pg_copy_in_begin_format(c, schema, table, columns, ncolumns, "binary");
}

static int
pg_copy_in_begin_text(struct upkit_conn *c, const char *schema, const char *table,
					  const char *const *columns, int ncolumns)
{
	return pg_copy_in_begin_format(c, schema, table, columns, ncolumns, "text");
}

static int
pg_copy_in_put(struct upkit_conn *c, const char *chunk, int len)
{
	if (PQputCopyData(PG(c), chunk, len) == 1)
		return 0;
	upkit_conn_set_error(c, NULL, PQerrorMessage(PG(c)), NULL);
	return -1;
}

static int
pg_copy_in_end(struct upkit_conn *c, const char *abort_reason, long long *rows)
{
	if (PQputCopyEnd(PG(c), abort_reason) != 1)
	{
		upkit_conn_set_error(c, NULL, PQerrorMessage(PG(c)), NULL);
		return -1;
	}
	return copy_finish(c, rows);
}

/*
 * A kept statement's slot (upkit_pipe_stmt.keep): the one it is prepared
 * in, or a free one to prepare it in (*fresh set; taken[] holds the slots
 * this pipeline prepares already), or -1 when all are in use (then it runs
 * unprepared).  A slot counts as prepared only once the server said so,
 * so a prepare that an earlier error in the pipeline skipped is sent again
 * next time.
 */
static int
kept_slot(struct pg_impl *p, const char *sql, const char **taken, int *fresh)
{
	*fresh = 0;
	for (int k = 0; k < PG_KEPT; k++)
		if (p->kept[k] == sql || taken[k] == sql)
			return k;
	for (int k = 0; k < PG_KEPT; k++)
		if (p->kept[k] == NULL && taken[k] == NULL)
		{
			*fresh = 1;
			taken[k] = sql;
			return k;
		}
	return -1;
}

/* Read one statement's results; the first error is the pipeline's. */
static void
pipe_results(struct upkit_conn *c, int i, int *failed, struct upkit_rows *rows, int *ok)
{
	PGresult   *r;

	*ok = 0;
	while ((r = PQgetResult(PG(c))) != NULL)
	{
		ExecStatusType st = PQresultStatus(r);

		if (st == PGRES_FATAL_ERROR && *failed < 0)
		{
			set_result_error(c, r);
			*failed = i;
		}
		else if (st == PGRES_TUPLES_OK && rows && rows->cells == NULL)
			copy_rows(r, rows);
		*ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
		PQclear(r);
	}
}

/* The results of statements from to to - 1 (their prepares and syncs too). */
static void
pipe_read(struct upkit_conn *c, const struct upkit_pipe_stmt *s, int from, int to, const int *slot,
		  const int *fresh, int *failed)
{
	struct pg_impl *p = c->impl;
	int			ok;

	for (int i = from; i < to; i++)
	{
		if (slot[i] >= 0 && fresh[i])
		{
			pipe_results(c, i, failed, NULL, &ok);
			if (ok)
				p->kept[slot[i]] = s[i].sql;
		}
		pipe_results(c, i, failed, s[i].rows, &ok);
		if (s[i].sync)
			PQclear(PQgetResult(p->conn)); /* PGRES_PIPELINE_SYNC */
	}
}

/*
 * libpq's pipeline mode: every statement is sent (extended protocol, so one
 * statement each) with a sync where asked, then the results are read in
 * order: a statement's results end with NULL, a sync's with
 * PGRES_PIPELINE_SYNC; a statement after an error and before the next sync
 * reports PGRES_PIPELINE_ABORTED.  A statement with rows set is followed by
 * a flush request (the server sends what it has without ending the
 * transaction), and what was sent so far is read before the rest is sent.
 * A kept statement is prepared (in the same pipeline) the first time and
 * run prepared after that.  Prepared statements belong to the session,
 * not to a transaction: a rollback keeps them.
 */
static int
pg_pipeline(struct upkit_conn *c, const struct upkit_pipe_stmt *s, int n, int *failed)
{
	struct pg_impl *p = c->impl;
	PGconn	   *pc = p->conn;
	const char *taken[PG_KEPT] = {NULL};
	int			slot[32],
				fresh[32],
				read = 0;

	upkit_conn_clear_error(c);
	*failed = -1;
	if (n > 32)
	{
		upkit_conn_set_error(c, NULL, "a pipeline of more than 32 statements (conn_pg.c)", NULL);
		*failed = 0;
		return -1;
	}
	if (PQenterPipelineMode(pc) != 1)
	{
		set_result_error(c, NULL);
		*failed = 0;
		return -1;
	}
	for (int i = 0; i < n; i++)
	{
		char		name[32];
		int			sent;

		slot[i] = s[i].keep ? kept_slot(p, s[i].sql, taken, &fresh[i]) : -1;
		snprintf(name, sizeof name, "upkit_kept_%d", slot[i]);
		if (slot[i] < 0)
			sent = PQsendQueryParams(pc, s[i].sql, s[i].nparams, NULL, s[i].params, NULL, NULL, 0);
		else
			sent = (!fresh[i] || PQsendPrepare(pc, name, s[i].sql, s[i].nparams, NULL) == 1)
				&& PQsendQueryPrepared(pc, name, s[i].nparams, s[i].params, NULL, NULL, 0) == 1;
		if (!sent || (s[i].sync && PQpipelineSync(pc) != 1)
			|| (s[i].rows && (PQsendFlushRequest(pc) != 1 || PQflush(pc) != 0)))
		{
			/* only a broken connection (or no memory) fails to send */
			set_result_error(c, NULL);
			*failed = i;
			return -1;
		}
		if (s[i].rows)
		{
			pipe_read(c, s, read, i + 1, slot, fresh, failed);
			read = i + 1;
			if (*failed >= 0)
			{
				/* nothing more but the sync that ends the aborted statements */
				if (!s[i].sync && PQpipelineSync(pc) == 1)
					PQclear(PQgetResult(pc));
				PQexitPipelineMode(pc);
				return -1;
			}
			if (s[i].then)
				s[i].then(s[i].then_arg);
		}
	}
	pipe_read(c, s, read, n, slot, fresh, failed);
	PQexitPipelineMode(pc);
	return *failed >= 0 ? -1 : 0;
}

const struct upkit_conn_ops upkit_conn_pg_ops = {
	.engine = "PostgreSQL",
	.open = pg_open,
	.exec = pg_exec,
	.query = pg_query,
	.check = pg_check,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.pipeline = pg_pipeline,
	.cancel = pg_cancel,
	.close = pg_close,
	.bulk_format = "pg-binary",
	.copy_out_begin = pg_copy_out_begin,
	.copy_out_next = pg_copy_out_next,
	.copy_out_end = pg_copy_out_end,
	.copy_in_begin = pg_copy_in_begin,
	.copy_in_begin_text = pg_copy_in_begin_text,
	.copy_in_put = pg_copy_in_put,
	.copy_in_end = pg_copy_in_end,
};
