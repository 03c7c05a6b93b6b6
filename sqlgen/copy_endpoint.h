/*
 * copy_endpoint.h: one side of `upkit copy` from its command-line value
 * (copy_endpoint.c): "mssql://USER@HOST[:PORT]/DATABASE" is a SQL Server
 * database, anything else a PostgreSQL conninfo or URI.  A SQL Server
 * login's password comes only from the side's own environment variable
 * (UPKIT_SOURCE_PASSWORD, UPKIT_TARGET_PASSWORD); a value that carries a
 * password (mssql://USER:PASSWORD@..., a conninfo's password=) is refused,
 * since the command line is visible to every user of the machine.
 */
#ifndef UPKIT_COPY_ENDPOINT_H
#define UPKIT_COPY_ENDPOINT_H

#include "conn.h"
#include "strbuf.h"

struct copy_endpoint
{
	struct upkit_conn_target t;
	char	   *mem;			/* the pieces t points into */
};

/* What went wrong: the value (usage), or the password's variable is not set. */
#define COPY_ENDPOINT_BAD (-1)
#define COPY_ENDPOINT_NO_PASSWORD (-2)

/*
 * Parse arg, the value of option ("--source"), into e; password_var names
 * the variable that holds a SQL Server password.  0, or one of the codes
 * above with the message in err (naming the option and what to do).
 */
int			copy_endpoint_parse(const char *option, const char *arg, const char *password_var,
								struct copy_endpoint *e, struct strbuf *err);
void		copy_endpoint_free(struct copy_endpoint *e);

/*
 * The exit status of cmd for rc, a code of copy_endpoint_parse, with err
 * said: 0 stays 0, a bad value is a usage error (2), a missing password a
 * failure (1).  In cmd_endpoint.c (the command line's part).
 */
int			copy_endpoint_exit(const char *cmd, int rc, const struct strbuf *err);

#endif
