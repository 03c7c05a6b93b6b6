/*
 * copy_endpoint.c: a side of `upkit copy` from its command-line value (see
 * copy_endpoint.h).  The SQL Server form is parsed strictly: every part
 * present, nothing else, and no password in it.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "copy_endpoint.h"

#define MSSQL_SCHEME "mssql://"

static int
bad(struct strbuf *err, const char *option, const char *arg, const char *why)
{
	sb_appendf(err, "%s %s: %s", option, arg, why);
	return COPY_ENDPOINT_BAD;
}

static int
parse_mssql(const char *option, const char *arg, const char *password_var,
			struct copy_endpoint *e, struct strbuf *err)
{
	const char *form = "is not mssql://USER@HOST[:PORT]/DATABASE";
	char	   *rest,
			   *at,
			   *slash,
			   *server = NULL;

	e->mem = xstrdup(arg + strlen(MSSQL_SCHEME));
	rest = e->mem;
	at = strrchr(rest, '@');
	if (at == NULL || at == rest)
		return bad(err, option, arg, "names no login: it " "is not mssql://USER@HOST[:PORT]/DATABASE");
	*at = '\0';
	if (strchr(rest, ':'))
	{
		sb_appendf(err, "%s: a password never goes on the command line (it is visible to every user"
				   " of the machine); give mssql://USER@HOST[:PORT]/DATABASE and set %s",
				   option, password_var);
		return COPY_ENDPOINT_BAD;
	}
	e->t.user = rest;
	slash = strchr(at + 1, '/');
	if (slash == NULL || slash == at + 1 || slash[1] == '\0' || strchr(slash + 1, '/'))
		return bad(err, option, arg, form);
	*slash = '\0';
	e->t.database = slash + 1;
	if (upkit_mssql_parse_server(at + 1, &e->t, &server) != 0)
		return bad(err, option, arg, "has a port that is not a number from 1 to 65535");
	/* the server's name lives in e->mem like the rest */
	strcpy(at + 1, server);
	free(server);
	e->t.server = at + 1;
	e->t.password = getenv(password_var);
	if (e->t.password == NULL)
	{
		sb_appendf(err, "%s: set %s to the password of login '%s' (it is never taken from the"
				   " command line)", option, password_var, e->t.user);
		return COPY_ENDPOINT_NO_PASSWORD;
	}
	return 0;
}

int
copy_endpoint_parse(const char *option, const char *arg, const char *password_var,
					struct copy_endpoint *e, struct strbuf *err)
{
	memset(e, 0, sizeof *e);
	if (strncasecmp(arg, MSSQL_SCHEME, strlen(MSSQL_SCHEME)) == 0)
	{
		e->t.dialect = UPKIT_DIALECT_MSSQL;
		return parse_mssql(option, arg, password_var, e, err);
	}
	e->t.dialect = UPKIT_DIALECT_PG;
	if (upkit_conninfo_has_password(arg))
	{
		sb_appendf(err, "%s: a password never goes on the command line (it is visible to every user"
				   " of the machine); use PGPASSWORD or ~/.pgpass", option);
		return COPY_ENDPOINT_BAD;
	}
	e->t.conninfo = arg;
	return 0;
}

void
copy_endpoint_free(struct copy_endpoint *e)
{
	free(e->mem);
	memset(e, 0, sizeof *e);
}
