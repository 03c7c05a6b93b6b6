/*
 * conn.c: what both connection implementations share (see conn.h): the
 * choice of implementation, the result rows and the error record.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conn.h"

const char *
upkit_rows_get(const struct upkit_rows *r, int row, int col)
{
	if (row < 0 || row >= r->nrows || col < 0 || col >= r->ncols)
		return NULL;
	return r->cells[row * r->ncols + col];
}

void
upkit_rows_free(struct upkit_rows *r)
{
	for (int i = 0; i < r->nrows * r->ncols; i++)
		free(r->cells[i]);
	free(r->cells);
	r->cells = NULL;
	r->nrows = r->ncols = 0;
}

int
upkit_query_value(struct upkit_conn *c, const char *sql, int nparams,
				  const char *const *params, struct strbuf *out)
{
	struct upkit_rows r = UPKIT_ROWS_INIT;
	int			found;

	if (c->ops->query(c, sql, nparams, params, &r) != 0)
		return -1;
	found = r.nrows > 0;
	if (found && out)
		sb_append(out, upkit_rows_get(&r, 0, 0) ? upkit_rows_get(&r, 0, 0) : "");
	upkit_rows_free(&r);
	return found;
}

int
upkit_conn_finish(struct upkit_conn *c, int rc)
{
	struct strbuf keep = STRBUF_INIT;

	if (rc == 0)
		return c->ops->commit(c);
	sb_append(&keep, sb_str(&c->error));
	c->ops->rollback(c);
	upkit_conn_set_error(c, c->sqlstate[0] ? c->sqlstate : NULL, sb_str(&keep), NULL);
	sb_free(&keep);
	return -1;
}

void
upkit_conn_clear_error(struct upkit_conn *c)
{
	sb_free(&c->error);
	sb_free(&c->detail);
	c->sqlstate[0] = '\0';
}

void
upkit_conn_set_error(struct upkit_conn *c, const char *sqlstate, const char *msg,
					 const char *detail)
{
	upkit_conn_clear_error(c);
	sb_append(&c->error, msg && *msg ? msg : "the server gave no message");
	/* libpq ends its messages with a newline; ours are one line. */
	while (c->error.len > 0 && (c->error.data[c->error.len - 1] == '\n' ||
								c->error.data[c->error.len - 1] == ' '))
		c->error.data[--c->error.len] = '\0';
	if (sqlstate)
	{
		strncpy(c->sqlstate, sqlstate, sizeof c->sqlstate - 1);
		c->sqlstate[sizeof c->sqlstate - 1] = '\0';
	}
	if (detail)
		sb_append(&c->detail, detail);
}

struct upkit_conn *
upkit_conn_open(const struct upkit_conn_target *t, struct strbuf *err)
{
	struct upkit_conn *c = calloc(1, sizeof *c);

	if (c == NULL)
		abort();
	c->dialect = t->dialect;
	c->ops = t->dialect == UPKIT_DIALECT_MSSQL ? &upkit_conn_mssql_ops : &upkit_conn_pg_ops;
	if (c->ops->open(c, t) != 0)
	{
		sb_appendf(err, "cannot connect to %s at %s%s%s: %s", c->ops->engine, c->where,
				   t->dialect == UPKIT_DIALECT_MSSQL ? " as " : "",
				   t->dialect == UPKIT_DIALECT_MSSQL ? t->user : "", sb_str(&c->error));
		upkit_conn_close(c);
		return NULL;
	}
	return c;
}

void
upkit_conn_close(struct upkit_conn *c)
{
	if (c == NULL)
		return;
	c->ops->close(c);
	upkit_conn_clear_error(c);
	sb_free(&c->messages);
	free(c->database);
	free(c);
}

int
upkit_mssql_parse_server(const char *arg, struct upkit_conn_target *t, char **server_copy)
{
	const char *colon = strrchr(arg, ':');
	char	   *end;
	long		port;

	t->port = 0;
	if (colon == NULL)
	{
		*server_copy = xstrdup(arg);
		t->server = *server_copy;
		return 0;
	}
	port = strtol(colon + 1, &end, 10);
	if (colon[1] == '\0' || *end != '\0' || port < 1 || port > 65535)
		return -1;
	*server_copy = strndup(arg, (size_t) (colon - arg));
	if (*server_copy == NULL)
		abort();
	t->server = *server_copy;
	t->port = (int) port;
	return 0;
}

/*
 * Does a conninfo carry a password: the keyword (password = ..., also a
 * URI's ?password=...) or a URI's user:password@?  A database merely named
 * like one (dbname=passwords) does not.
 */
int
upkit_conninfo_has_password(const char *conninfo)
{
	const char *at,
			   *scheme;

	for (const char *c = conninfo; *c; c++)
		if (strncasecmp(c, "password", 8) == 0)
		{
			const char *e = c + 8;

			while (*e == ' ' || *e == '\t')
				e++;
			if (*e == '=')
				return 1;
		}
	scheme = strstr(conninfo, "://");
	at = strchr(conninfo, '@');
	if (scheme && at && at > scheme)
	{
		for (const char *c = scheme + 3; c < at; c++)
			if (*c == ':')
				return 1;
	}
	return 0;
}
