/*
 * cmd_install.c: "upkit install": build the same script as generate and run
 * it on a server, all or nothing.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "db.h"
#include "script.h"

void
help_install(void)
{
	printf("Usage: upkit install --dialect pg [--db CONNINFO] [OPTION]... [SPEC]...\n"
		   "       upkit install --dialect mssql --server HOST[:PORT] --database DB\n"
		   "                     --user USER [OPTION]... [SPEC]...\n\n"
		   "Install the runtime and one procedure per SPEC file into a database, in\n"
		   "one transaction: on any error nothing is installed.  Installing twice is\n"
		   "harmless.  The script is the one 'upkit generate' prints.\n\n"
		   "Options:\n"
		   "  -d, --dialect DIALECT  pg or mssql\n"
		   "      --db CONNINFO      PostgreSQL connection string or URI; without it\n"
		   "                         the PG* environment variables apply (PGHOST, ...)\n"
		   "  -S, --server HOST[:PORT]  SQL Server host (port 1433 by default)\n"
		   "  -D, --database DB      SQL Server database\n"
		   "  -U, --user USER        SQL Server login; the password is read from the\n"
		   "                         environment variable UPKIT_MSSQL_PASSWORD, never\n"
		   "                         from the command line\n"
		   "      --runtime          include the runtime (the default)\n"
		   "      --no-runtime       install only the procedures\n"
		   "  -h, --help             show this help\n\n"
		   "Examples:\n"
		   "  upkit install --dialect pg --db 'dbname=ax' sql/demo/specs/salesquotation.json\n"
		   "  UPKIT_MSSQL_PASSWORD=... upkit install --dialect mssql \\\n"
		   "      --server sql01:1433 --database AX2012 --user upgrade --runtime\n");
}

int
cmd_install(int argc, char **argv)
{
	static const struct option opts[] = {
		{"dialect", required_argument, NULL, 'd'},
		{"db", required_argument, NULL, 'c'},
		{"server", required_argument, NULL, 'S'},
		{"database", required_argument, NULL, 'D'},
		{"user", required_argument, NULL, 'U'},
		{"runtime", no_argument, NULL, 'r'},
		{"no-runtime", no_argument, NULL, 'R'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	enum upkit_dialect dialect = UPKIT_DIALECT_NONE;
	const char *conninfo = NULL;
	const char *server = NULL;
	struct upkit_mssql_target target = {0};
	char	   *server_copy = NULL;
	int			runtime = 1;
	struct strbuf sql = STRBUF_INIT;
	int			c;
	int			rc;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":d:S:D:U:h", opts, NULL)) != -1)
	{
		switch (c)
		{
			case 'd':
				dialect = upkit_dialect_parse(optarg);
				if (dialect == UPKIT_DIALECT_NONE)
					return upkit_usage_error("install", "unknown dialect '%s' (use pg or mssql)", optarg);
				break;
			case 'c':
				conninfo = optarg;
				break;
			case 'S':
				server = optarg;
				break;
			case 'D':
				target.database = optarg;
				break;
			case 'U':
				target.user = optarg;
				break;
			case 'r':
				runtime = 1;
				break;
			case 'R':
				runtime = 0;
				break;
			case 'h':
				help_install();
				return EXIT_OK;
			case ':':
				return upkit_usage_error("install", "option '%s' needs a value", argv[optind - 1]);
			default:
				return upkit_usage_error("install", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (dialect == UPKIT_DIALECT_NONE)
		return upkit_usage_error("install", "--dialect is required (pg or mssql)");
	if (!runtime && optind >= argc)
		return upkit_usage_error("install", "nothing to install: give SPEC files, or leave out --no-runtime");
	if (dialect == UPKIT_DIALECT_PG && (server || target.database || target.user))
		return upkit_usage_error("install", "--server, --database and --user are for --dialect mssql; use --db for pg");
	if (dialect == UPKIT_DIALECT_MSSQL)
	{
		if (conninfo)
			return upkit_usage_error("install", "--db is for --dialect pg; use --server, --database and --user for mssql");
		if (!server || !target.database || !target.user)
			return upkit_usage_error("install", "--dialect mssql needs --server, --database and --user");
		if (upkit_mssql_parse_server(server, &target, &server_copy) != 0)
			return upkit_usage_error("install", "--server '%s' is not HOST or HOST:PORT with a port from 1 to 65535", server);
		target.password = getenv("UPKIT_MSSQL_PASSWORD");
		if (target.password == NULL)
		{
			free(server_copy);
			upkit_error("set UPKIT_MSSQL_PASSWORD to the password of login '%s' (it is never taken from the command line)", target.user);
			return EXIT_FAIL;
		}
	}

	if (upkit_build_script(&sql, dialect, runtime, argv + optind, argc - optind) != 0)
	{
		sb_free(&sql);
		free(server_copy);
		return EXIT_FAIL;
	}
	if (dialect == UPKIT_DIALECT_PG)
		rc = upkit_pg_run_script(conninfo, sb_str(&sql));
	else
		rc = upkit_mssql_run_script(&target, sb_str(&sql));
	sb_free(&sql);
	free(server_copy);
	return rc == 0 ? EXIT_OK : EXIT_FAIL;
}
