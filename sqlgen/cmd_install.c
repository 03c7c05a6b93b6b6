/*
 * cmd_install.c: "upkit install": read the specs, check them against the
 * database (check.h), render the same units as generate and install them
 * on the server, all or nothing (install.h); then say what was installed.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "check.h"
#include "conn.h"
#include "install.h"
#include "render.h"

void
help_install(void)
{
	printf("Usage: upkit install --dialect pg [--db CONNINFO] [OPTION]... [SPEC]...\n"
		   "       upkit install --dialect mssql --server HOST[:PORT] --database DB\n"
		   "                     --user USER [OPTION]... [SPEC]...\n\n"
		   "Install the runtime and one procedure per SPEC file into a database, in\n"
		   "one transaction: on any error nothing is installed.  Installing twice is\n"
		   "harmless.  The script is the one 'upkit generate' prints.\n\n"
		   "Before anything is created, every table and column a SPEC names is looked\n"
		   "up in the database (and its type checked), and the server must accept every\n"
		   "expression in its place; each problem is reported with file, JSON path and\n"
		   "reason, and nothing is installed.  On success one line per object created\n"
		   "or replaced, then a summary, go to standard output.\n\n"
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
		   "  -q, --quiet            print nothing on success\n"
		   "  -h, --help             show this help\n\n"
		   "Examples:\n"
		   "  upkit install --dialect pg --db 'dbname=ax' sql/demo/specs/salesquotation.json\n"
		   "  UPKIT_MSSQL_PASSWORD=... upkit install --dialect mssql \\\n"
		   "      --server sql01:1433 --database AX2012 --user upgrade --runtime\n");
}

static void
print_report(const struct upkit_install_report *rep, const struct upkit_conn *c, int runtime,
			 int nspecs)
{
	for (int i = 0; i < rep->n; i++)
	{
		printf("%s %s", rep->lines[i].verb, rep->lines[i].what);
		if (rep->lines[i].spec)
			printf(" (spec %s)", rep->lines[i].spec);
		putchar('\n');
	}
	printf("installed %d object%s from %d spec%s%s into %s (%s at %s)\n",
		   rep->objects, rep->objects == 1 ? "" : "s", nspecs, nspecs == 1 ? "" : "s",
		   runtime ? " and the runtime" : "",
		   c->database, c->ops->engine, c->where);
}

/* Read, connect, check, build, install, report. */
static int
install(const struct upkit_conn_target *t, int runtime, int quiet, char *const *paths, int nspecs)
{
	struct upkit_diags diags = UPKIT_DIAGS_INIT;
	struct upkit_spec **specs = upkit_specs_read(paths, nspecs, &diags);
	struct upkit_install_report rep = {NULL, 0, 0};
	struct upkit_units units = UPKIT_UNITS_INIT;
	struct strbuf err = STRBUF_INIT;
	struct upkit_conn *conn = NULL;
	int			rc = EXIT_FAIL;

	if (upkit_specs_check(specs, nspecs, t->dialect, &diags) != 0 || diags.n > 0)
		rc = upkit_report_problems(&diags, nspecs, NULL, "installed");
	else if ((conn = upkit_conn_open(t, &err)) == NULL)
		upkit_error("%s", sb_str(&err));
	else if (upkit_check_specs(conn, specs, nspecs, &diags) != 0)
		rc = upkit_report_problems(&diags, nspecs, "found in the database", "installed");
	else if (upkit_render_units(&units, t->dialect, runtime, specs, nspecs, &diags) != 0 ||
			 upkit_install_units(conn, &units, &rep, &diags) != 0)
		upkit_diags_print(&diags, stderr);
	else
	{
		if (!quiet)
			print_report(&rep, conn, runtime, nspecs);
		rc = EXIT_OK;
	}
	upkit_install_report_free(&rep);
	upkit_conn_close(conn);
	upkit_specs_free(specs, nspecs);
	upkit_diags_free(&diags);
	upkit_units_free(&units);
	sb_free(&err);
	return rc;
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
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	struct upkit_conn_target target = {0};
	const char *server = NULL;
	char	   *server_copy = NULL;
	int			runtime = 1;
	int			quiet = 0;
	int			c;
	int			rc;

	if ((rc = upkit_check_long_options("install", argc, argv, opts)) != 0)
		return rc;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":d:S:D:U:qh", opts, NULL)) != -1)
	{
		switch (c)
		{
			case 'd':
			case 'c':
			case 'S':
			case 'D':
			case 'U':
				if ((rc = upkit_conn_option("install", c, optarg, &target, &server)) != 0)
					return rc;
				break;
			case 'r':
				runtime = 1;
				break;
			case 'R':
				runtime = 0;
				break;
			case 'q':
				quiet = 1;
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
	if (target.dialect == UPKIT_DIALECT_NONE)
		return upkit_usage_error("install", "--dialect is required (pg or mssql)");
	if (!runtime && optind >= argc)
		return upkit_usage_error("install", "nothing to install: give SPEC files, or leave out --no-runtime");
	if ((rc = upkit_conn_target_finish("install", &target, server, &server_copy)) != 0)
		return rc;
	rc = install(&target, runtime, quiet, argv + optind, argc - optind);
	free(server_copy);
	return rc;
}
