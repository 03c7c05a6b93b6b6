/*
 * cmd_report.c: "upkit report": print the validation log of the readiness
 * checks (report.h), as a table or as JSON, and exit 1 when an error is
 * logged, so that a script or the runner stops on it.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "conn.h"
#include "report.h"

void
help_report(void)
{
	printf("Usage: upkit report --dialect pg [--db CONNINFO] [OPTION]... [SCRIPT]...\n"
		   "       upkit report --dialect mssql --server HOST[:PORT] --database DB\n"
		   "                    --user USER [OPTION]... [SCRIPT]...\n\n"
		   "Print the validation log the readiness checks wrote (spec kind \"validate\",\n"
		   "or hand-written scripts through upkit.log / UPKIT_LOG): each script's\n"
		   "latest run per company, then the errors and the advisories grouped by\n"
		   "message, with the exact number of offending rows and the first of them.\n"
		   "SCRIPT names a script as the log does (schema.procedure, in any case);\n"
		   "without one, all of them.  Reads only.\n\n"
		   "Options:\n"
		   "  -d, --dialect DIALECT  pg or mssql\n"
		   "      --db CONNINFO      PostgreSQL connection string or URI; without it\n"
		   "                         the PG* environment variables apply (PGHOST, ...)\n"
		   "  -S, --server HOST[:PORT]  SQL Server host (port 1433 by default)\n"
		   "  -D, --database DB      SQL Server database\n"
		   "  -U, --user USER        SQL Server login; the password is read from the\n"
		   "                         environment variable UPKIT_MSSQL_PASSWORD\n"
		   "      --details N        offending rows shown per entry (default 3; 0 to\n"
		   "                         100000; the log stores up to each run's cap)\n"
		   "      --json             print JSON instead of the table\n"
		   "  -h, --help             show this help\n\n"
		   "Exit status: 0 no error logged (advisories do not count), 1 an error is\n"
		   "logged (or the log could not be read: the message says which), 2 wrong\n"
		   "usage.\n\n"
		   "Examples:\n"
		   "  upkit report --dialect pg --db 'dbname=ax'\n"
		   "  upkit report --dialect pg --db 'dbname=ax' --json rdy.validate_items\n");
}

int
cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{"dialect", required_argument, NULL, 'd'},
		{"db", required_argument, NULL, 'c'},
		{"server", required_argument, NULL, 'S'},
		{"database", required_argument, NULL, 'D'},
		{"user", required_argument, NULL, 'U'},
		{"details", required_argument, NULL, 'n'},
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	struct upkit_conn_target target = {0};
	struct upkit_report rep;
	struct strbuf err = STRBUF_INIT;
	struct strbuf out = STRBUF_INIT;
	struct upkit_conn *conn;
	const char *server = NULL;
	char	   *server_copy = NULL;
	char	   *end;
	long		details = 3;
	int			json = 0;
	int			c;
	int			rc;

	if ((rc = upkit_check_long_options("report", argc, argv, opts)) != 0)
		return rc;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":d:S:D:U:h", opts, NULL)) != -1)
	{
		switch (c)
		{
			case 'd':
			case 'c':
			case 'S':
			case 'D':
			case 'U':
				if ((rc = upkit_conn_option("report", c, optarg, &target, &server)) != 0)
					return rc;
				break;
			case 'n':
				details = strtol(optarg, &end, 10);
				if (end == optarg || *end || details < 0 || details > 100000)
					return upkit_usage_error("report", "--details '%s' is not a number from 0 to 100000", optarg);
				break;
			case 'j':
				json = 1;
				break;
			case 'h':
				help_report();
				return EXIT_OK;
			case ':':
				return upkit_usage_error("report", "option '%s' needs a value", argv[optind - 1]);
			default:
				return upkit_usage_error("report", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (target.dialect == UPKIT_DIALECT_NONE)
		return upkit_usage_error("report", "--dialect is required (pg or mssql)");
	if ((rc = upkit_conn_target_finish("report", &target, server, &server_copy)) != 0)
		return rc;
	rc = EXIT_FAIL;
	if ((conn = upkit_conn_open(&target, &err)) == NULL)
		upkit_error("%s", sb_str(&err));
	else if (upkit_report_read(conn, argv + optind, argc - optind, (int) details, &rep, &err) != 0)
		upkit_error("%s", sb_str(&err));
	else
	{
		if (json)
			upkit_report_json(&rep, &out);
		else
			upkit_report_text(&rep, &out);
		fwrite(out.data ? out.data : "", 1, out.len, stdout);
		rc = rep.errors > 0 ? EXIT_FAIL : EXIT_OK;
		upkit_report_free(&rep);
	}
	upkit_conn_close(conn);
	free(server_copy);
	sb_free(&err);
	sb_free(&out);
	return rc;
}
