/*
 * conn.h: one connection interface for both engines: connect, execute a
 * batch, run a query with parameters and fetch its rows, describe a
 * statement without running it, cancel, transaction control, and the
 * server's messages.  install uses it today; the runner and the other
 * commands to come use the same interface.
 *
 * conn_pg.c implements it over libpq, conn_mssql.c over FreeTDS db-lib.
 * Nothing here prints: a failed call returns -1 and leaves the server's
 * message (and SQLSTATE, where the engine has one) in the connection, for
 * the caller to report.
 *
 * Parameters are always values, never spliced into SQL text: PostgreSQL
 * statements name them $1, $2, ... (PQexecParams); SQL Server statements
 * name them @P1, @P2, ... and run through sp_executesql, each value sent as
 * an NVARCHAR literal whose quotes are doubled (the only character an
 * N'...' literal treats specially), so a value can never end its literal.
 */
#ifndef UPKIT_CONN_H
#define UPKIT_CONN_H

#include "dialect.h"
#include "strbuf.h"

/* Where to connect. */
struct upkit_conn_target
{
	enum upkit_dialect dialect;
	const char *conninfo;		/* PostgreSQL: conninfo or URI; NULL/"": PG* variables */
	const char *server;			/* SQL Server: host name or address */
	int			port;			/* 0: 1433 */
	const char *database;
	const char *user;
	const char *password;		/* from an environment variable (UPKIT_MSSQL_PASSWORD,
								 * UPKIT_SOURCE_PASSWORD, ...), never argv */
};

/* A result: nrows x ncols text cells, row-major; a NULL cell is SQL NULL. */
struct upkit_rows
{
	int			nrows;
	int			ncols;
	char	  **cells;
};

#define UPKIT_ROWS_INIT {0, 0, NULL}

const char *upkit_rows_get(const struct upkit_rows *r, int row, int col);
void		upkit_rows_free(struct upkit_rows *r);

struct upkit_conn;

/* A statement of a pipeline (upkit_conn_ops.pipeline). */
struct upkit_pipe_stmt
{
	const char *sql;			/* one statement */
	int			nparams;
	const char *const *params;
	int			sync;			/* a sync point after it: an implicit transaction ends here */
	/*
	 * sql is a constant text (the same pointer every time): the connection
	 * may prepare it once and run the prepared statement from then on
	 * (no parse and plan per job).
	 */
	int			keep;
	/*
	 * Or NULL.  The server is asked to send its results so far after this
	 * statement (no sync: the transaction goes on), they are read, this
	 * statement's rows go into *rows, and then() runs before the next
	 * statement is sent, so it may fill parameters of later statements
	 * from them.  When a statement so far failed, nothing more is sent
	 * but a sync.
	 */
	struct upkit_rows *rows;
	void		(*then) (void *arg);
	void	   *then_arg;
};

struct upkit_conn_ops
{
	const char *engine;			/* "PostgreSQL", "SQL Server" */
	/* Connect to t; on failure the message is in c->error. */
	int			(*open) (struct upkit_conn *c, const struct upkit_conn_target *t);
	/* Run one batch (any number of statements); results are discarded. */
	int			(*exec) (struct upkit_conn *c, const char *batch);
	/* Run one statement with text parameters; rows may be NULL. */
	int			(*query) (struct upkit_conn *c, const char *sql, int nparams,
						  const char *const *params, struct upkit_rows *rows);
	/*
	 * Analyse one statement without running it: names, types and columns
	 * are resolved as for a real run.  0 when the server accepts it.
	 */
	int			(*check) (struct upkit_conn *c, const char *sql);
	int			(*begin) (struct upkit_conn *c);
	int			(*commit) (struct upkit_conn *c);
	int			(*rollback) (struct upkit_conn *c);
	/*
	 * Send n statements in one round trip and read all their results
	 * (PostgreSQL's pipeline mode; the last must have sync set), or in one
	 * round trip more for each statement with rows set (its rows read
	 * before what follows it is sent).  An error
	 * skips the statements up to the next sync point.  0 when all ran; -1
	 * with *failed the index of the first that failed and its error in c.
	 * NULL where the engine has none.
	 */
	int			(*pipeline) (struct upkit_conn *c, const struct upkit_pipe_stmt *s, int n, int *failed);
	/*
	 * Ask the server to cancel the statement running on c; may be called
	 * from another thread while c is busy.  0 when the request was sent.
	 */
	int			(*cancel) (struct upkit_conn *c);
	void		(*close) (struct upkit_conn *c);

	/*
	 * Bulk streaming, for the copy: rows leave one connection in the
	 * engine's bulk format (bulk_format) and enter another that speaks the
	 * same format; a transfer between engines converts in between.  NULL
	 * where the engine has none: SQL Server's bulk copy is db-lib's bcp API,
	 * which copy_source_mssql.c and copy_target_mssql.c use on the
	 * DBPROCESS conn_mssql.h hands out.
	 *
	 * copy_out_begin starts sending the rows of a query; copy_out_next gives
	 * the next chunk (its length, valid until the next call; 0 at the end;
	 * -1 on error); copy_out_end reads the outcome and the row count the
	 * server reports.  copy_in_begin starts taking rows for table (schema,
	 * table and columns as the catalog spells them); copy_in_put sends a
	 * chunk; copy_in_end finishes and gives the server's row count, or, with
	 * abort_reason, abandons the load (the server keeps nothing of it).
	 * PostgreSQL: COPY (query) TO STDOUT / COPY table (columns) FROM STDIN,
	 * both FORMAT binary.  Each call belongs to the caller's transaction.
	 */
	const char *bulk_format;	/* "pg-binary"; NULL: no bulk streaming */
	int			(*copy_out_begin) (struct upkit_conn *c, const char *query);
	int			(*copy_out_next) (struct upkit_conn *c, const char **chunk);
	int			(*copy_out_end) (struct upkit_conn *c, long long *rows);
	int			(*copy_in_begin) (struct upkit_conn *c, const char *schema, const char *table,
								  const char *const *columns, int ncolumns);
	/* The same in COPY's text format (rows from another engine, converted). */
	int			(*copy_in_begin_text) (struct upkit_conn *c, const char *schema, const char *table,
									   const char *const *columns, int ncolumns);
	int			(*copy_in_put) (struct upkit_conn *c, const char *chunk, int len);
	int			(*copy_in_end) (struct upkit_conn *c, const char *abort_reason, long long *rows);
};

struct upkit_conn
{
	const struct upkit_conn_ops *ops;
	enum upkit_dialect dialect;
	char		where[600];		/* "host:port/database", for messages */
	char	   *database;		/* the database connected to */
	struct strbuf error;		/* the last failure's message */
	char		sqlstate[6];	/* its SQLSTATE, "" when the engine has none */
	struct strbuf detail;		/* its detail, when the server gave one */
	struct strbuf messages;		/* notices / informational messages, in order */
	void	   *impl;
};

extern const struct upkit_conn_ops upkit_conn_pg_ops;
extern const struct upkit_conn_ops upkit_conn_mssql_ops;

/*
 * Connect.  Returns the connection, or NULL with the reason in err
 * ("cannot connect to PostgreSQL at HOST:PORT/DB: ...").
 */
struct upkit_conn *upkit_conn_open(const struct upkit_conn_target *t, struct strbuf *err);
void		upkit_conn_close(struct upkit_conn *c);

/*
 * Run a query with parameters and take the first column of its first row:
 * 1 and the value appended to out (may be NULL; SQL NULL gives ""), 0 when
 * there is no row, -1 on error (in c->error).
 */
int			upkit_query_value(struct upkit_conn *c, const char *sql, int nparams,
							  const char *const *params, struct strbuf *out);

/*
 * End the transaction on c: COMMIT when rc is 0, else ROLLBACK keeping
 * the failure's message (a successful ROLLBACK would clear it).  Returns 0
 * when committed, -1 otherwise.
 */
int			upkit_conn_finish(struct upkit_conn *c, int rc);

/* For the implementations: forget the last failure / record one. */
void		upkit_conn_clear_error(struct upkit_conn *c);
void		upkit_conn_set_error(struct upkit_conn *c, const char *sqlstate, const char *msg,
								 const char *detail);

/*
 * Parse "HOST[:PORT]" into t->server (a copy that the caller frees) and
 * t->port.  Returns 0, or -1 for a malformed port.
 */
int			upkit_mssql_parse_server(const char *arg, struct upkit_conn_target *t,
									 char **server_copy);

/* Does a PostgreSQL conninfo carry a password (keyword, or URI user:password@)?  1 or 0. */
int			upkit_conninfo_has_password(const char *conninfo);

#endif
