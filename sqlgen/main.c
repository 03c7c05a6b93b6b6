/*
 * main.c: the upkit command.  Dispatches to a subcommand; each subcommand
 * parses its own options (getopt_long) and has its own --help.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

#ifndef UPKIT_VERSION
#define UPKIT_VERSION "unknown"
#endif

static void help_main(void);
static int	cmd_help(int argc, char **argv);

static const struct upkit_command commands[] = {
	{"generate", "print the SQL for a dialect: runtime and procedures from specs", cmd_generate, help_generate},
	{"install", "install the runtime and procedures into a database", cmd_install, help_install},
	{"plan", "check a plan and print its order, weights and critical path", cmd_plan, help_plan},
	{"run", "run a plan's jobs in parallel, resumably", cmd_run, help_run},
	{"status", "print a plan's ledger: each job's state", cmd_status, help_status},
	{"pause", "hold a running plan between jobs", cmd_pause, help_pause},
	{"resume", "let a paused plan go on", cmd_resume, help_pause},
	{"xpp", "lint X++ upgrade scripts (XPO) and draw their dependency graph", cmd_xpp, help_xpp},
	{"report", "print the validation log of the readiness checks; exit 1 on an error", cmd_report, help_report},
	{"layers", "find a code upgrade's layer conflicts and obsolete customizations (XPO)", cmd_layers, help_layers},
	{"copy", "copy tables between databases by AX's mapping rules, with COPY", cmd_copy, help_copy},
	{"transfer", "move preprocessing state from a test system back to production", cmd_transfer, help_transfer},
	{"help", "show help for a command", cmd_help, help_main},
	{NULL, NULL, NULL, NULL}
};

static const struct upkit_command *
find_command(const char *name)
{
	const struct upkit_command *c;

	for (c = commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

static void
help_main(void)
{
	const struct upkit_command *c;

	printf("upkit moves the heavy part of a Dynamics-AX-style data upgrade into the\n"
		   "database: it generates set-based procedures for PostgreSQL and SQL Server\n"
		   "from JSON specs and installs them.\n\n"
		   "Usage: upkit COMMAND [OPTION]... [ARG]...\n"
		   "       upkit --help | --version\n\n"
		   "Commands:\n");
	for (c = commands; c->name; c++)
		printf("  %-10s %s\n", c->name, c->summary);
	printf("\n'upkit COMMAND --help' describes a command.\n"
		   "Exit status: 0 success, 1 failure, 2 wrong usage.\n");
}

static int
cmd_help(int argc, char **argv)
{
	const struct upkit_command *c;

	if (argc < 2)
	{
		help_main();
		return EXIT_OK;
	}
	c = find_command(argv[1]);
	if (c == NULL)
		return upkit_usage_error(NULL, "unknown command '%s'", argv[1]);
	c->help();
	return EXIT_OK;
}

int
main(int argc, char **argv)
{
	const struct upkit_command *c;

	if (argc < 2)
		return upkit_usage_error(NULL, "no command given");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
	{
		help_main();
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)
	{
		printf("upkit %s\n", UPKIT_VERSION);
		return EXIT_OK;
	}
	c = find_command(argv[1]);
	if (c == NULL)
		return upkit_usage_error(NULL, "unknown command '%s'", argv[1]);
	return c->run(argc - 1, argv + 1);
}
