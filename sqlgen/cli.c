/*
 * cli.c: what the command's subcommands share (see cli.h): messages to
 * stderr, usage errors, writing output, and the option check getopt_long
 * does not make.  Only the command prints; the library returns its
 * problems (diag.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "conn.h"

void
upkit_error(const char *fmt, ...)
{
	va_list		ap;

	fputs("upkit: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
upkit_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list		ap;

	fputs("upkit: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (cmd)
		fprintf(stderr, "\nTry 'upkit %s --help'.\n", cmd);
	else
		fputs("\nTry 'upkit --help'.\n", stderr);
	return EXIT_USAGE;
}

int
upkit_check_long_options(const char *cmd, int argc, char **argv, const struct option *opts)
{
	for (int i = 1; i < argc; i++)
	{
		const char *a = argv[i];
		size_t		len;

		if (strcmp(a, "--") == 0)
			break;
		if (a[0] != '-' || a[1] == '-' || a[1] == '\0' || a[2] == '\0')
			continue;
		len = strcspn(a + 1, "=");
		for (const struct option *o = opts; o->name; o++)
			if (strlen(o->name) == len && strncmp(a + 1, o->name, len) == 0)
				return upkit_usage_error(cmd, "unknown option %s; did you mean -%s?", a, a);
	}
	return 0;
}

int
upkit_write_output(const char *path, const char *text, size_t len)
{
	FILE	   *f = stdout;

	if (path && strcmp(path, "-") != 0)
	{
		f = fopen(path, "w");
		if (f == NULL)
		{
			upkit_error("cannot write %s: %m", path);
			return -1;
		}
	}
	if (fwrite(text, 1, len, f) != len || fflush(f) != 0)
	{
		upkit_error("cannot write %s: %m", path ? path : "standard output");
		if (f != stdout)
			fclose(f);
		return -1;
	}
	if (f != stdout && fclose(f) != 0)
	{
		upkit_error("cannot write %s: %m", path);
		return -1;
	}
	return 0;
}

int
upkit_report_problems(const struct upkit_diags *d, int nspecs, const char *what, const char *outcome)
{
	upkit_diags_print(d, stderr);
	upkit_error("%d problem%s %s; nothing was %s", d->n, d->n == 1 ? "" : "s",
				what ? what : (nspecs == 1 ? "in the spec file" : "in the spec files"), outcome);
	return EXIT_FAIL;
}

int
upkit_conn_option(const char *cmd, int opt, const char *arg, struct upkit_conn_target *t,
				  const char **server)
{
	switch (opt)
	{
		case 'd':
			t->dialect = upkit_dialect_parse(arg);
			if (t->dialect == UPKIT_DIALECT_NONE)
				return upkit_usage_error(cmd, "unknown dialect '%s' (use pg or mssql)", arg);
			break;
		case 'c':
			t->conninfo = arg;
			break;
		case 'S':
			*server = arg;
			break;
		case 'D':
			t->database = arg;
			break;
		case 'U':
			t->user = arg;
			break;
	}
	return 0;
}

int
upkit_conn_target_finish(const char *cmd, struct upkit_conn_target *t, const char *server,
						 char **server_copy)
{
	*server_copy = NULL;
	if (t->dialect == UPKIT_DIALECT_PG && (server || t->database || t->user))
		return upkit_usage_error(cmd, "--server, --database and --user are for --dialect mssql; use --db for pg");
	if (t->dialect != UPKIT_DIALECT_MSSQL)
		return 0;
	if (t->conninfo)
		return upkit_usage_error(cmd, "--db is for --dialect pg; use --server, --database and --user for mssql");
	if (!server || !t->database || !t->user)
		return upkit_usage_error(cmd, "--dialect mssql needs --server, --database and --user");
	if (upkit_mssql_parse_server(server, t, server_copy) != 0)
		return upkit_usage_error(cmd, "--server '%s' is not HOST or HOST:PORT with a port from 1 to 65535", server);
	t->password = getenv("UPKIT_MSSQL_PASSWORD");
	if (t->password == NULL)
	{
		free(*server_copy);
		*server_copy = NULL;
		upkit_error("set UPKIT_MSSQL_PASSWORD to the password of login '%s' (it is never taken from the command line)", t->user);
		return EXIT_FAIL;
	}
	return 0;
}
