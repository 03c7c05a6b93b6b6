/*
 * cmd_plan_common.c: options and plan loading shared by the plan commands
 * (cmd_plan_common.h).  Only the command prints: problems come back as a diag
 * list from plan_read.c and plan_graph.c and are printed here.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd_plan_common.h"
#include "conn.h"
#include "runner_copy.h"
#include "strbuf.h"

int
plan_cli_db_option(struct plan_cli *pc, const char *arg)
{
	const char *eq = strchr(arg, '=');

	if (eq == NULL || eq == arg)
		return upkit_usage_error(pc->cmd, "--db '%s' is not NAME=CONNINFO (a database of the plan)", arg);
	pc->dbs = realloc(pc->dbs, sizeof *pc->dbs * (size_t) (pc->n_dbs + 1));
	if (pc->dbs == NULL)
		abort();
	pc->dbs[pc->n_dbs].name = strndup(arg, (size_t) (eq - arg));
	pc->dbs[pc->n_dbs++].conninfo = xstrdup(eq + 1);
	return 0;
}

int
plan_cli_order_option(struct plan_cli *pc, const char *arg)
{
	if (strcmp(arg, "weight") == 0)
		pc->order = UPKIT_ORDER_WEIGHT;
	else if (strcmp(arg, "critical") == 0)
		pc->order = UPKIT_ORDER_CRITICAL;
	else if (strcmp(arg, "file") == 0)
		pc->order = UPKIT_ORDER_FILE;
	else
		return upkit_usage_error(pc->cmd, "unknown --order '%s' (use weight, critical or file)", arg);
	return 0;
}

void
plan_cli_key_option(struct plan_cli *pc, const char *arg)
{
	pc->keys = realloc(pc->keys, sizeof *pc->keys * (size_t) (pc->n_keys + 1));
	if (pc->keys == NULL)
		abort();
	pc->keys[pc->n_keys++] = xstrdup(arg);
}

int
plan_cli_option(struct plan_cli *pc, int c, char **argv)
{
	switch (c)
	{
		case 'o':
			return plan_cli_order_option(pc, optarg);
		case 'k':
			plan_cli_key_option(pc, optarg);
			return EXIT_OK;
		case 'c':
			return plan_cli_db_option(pc, optarg);
		case ':':
			return upkit_usage_error(pc->cmd, "option '%s' needs a value", argv[optind - 1]);
		default:
			return upkit_usage_error(pc->cmd, "unknown option '%s'", argv[optind - 1]);
	}
}

int
plan_cli_one_plan(struct plan_cli *pc, int argc)
{
	if (optind == argc - 1)
		return EXIT_OK;
	return upkit_usage_error(pc->cmd, optind >= argc ? "no plan given" : "give one plan");
}

static int
apply_dbs(const struct plan_cli *pc, struct upkit_plan *p)
{
	for (int i = 0; i < pc->n_dbs; i++)
	{
		int			d;

		for (d = 0; d < p->n_dbs; d++)
			if (strcmp(p->dbs[d].name, pc->dbs[i].name) == 0)
				break;
		if (d == p->n_dbs)
			return upkit_usage_error(pc->cmd, "--db %s=...: the plan has no database \"%s\"",
									 pc->dbs[i].name, pc->dbs[i].name);
		if (p->dbs[d].target.dialect != UPKIT_DIALECT_PG)
			return upkit_usage_error(pc->cmd, "--db %s=...: only a PostgreSQL database takes a conninfo",
									 pc->dbs[i].name);
		if (upkit_conninfo_has_password(pc->dbs[i].conninfo))
			return upkit_usage_error(pc->cmd, "--db %s=...: a password never goes on the command line (PGPASSWORD, ~/.pgpass)",
									 pc->dbs[i].name);
		free((char *) p->dbs[d].target.conninfo);
		p->dbs[d].target.conninfo = xstrdup(pc->dbs[i].conninfo);
	}
	return EXIT_OK;
}

/*
 * The copies without "tables", from their catalogs, and the graph again
 * (the table jobs may race with another job, or clash with its id).  g is
 * built on EXIT_OK only.
 */
static int
expand(struct plan_cli *pc, struct upkit_plan *p, struct upkit_graph *g, const char *outcome)
{
	struct upkit_diags diags = UPKIT_DIAGS_INIT;
	int			rc = runner_copy_expand(p, &diags);

	if (rc == 0 && upkit_graph_build(p, g, pc->order, &diags) != 0)
	{
		upkit_graph_free(g);
		rc = -2;
	}
	if (rc != 0)
	{
		upkit_diags_print(&diags, stderr);
		if (rc == -1)
			upkit_error("the tables of a copy could not be read; nothing was %s", outcome);
		else
			upkit_error("%d problem%s in the plan with the copy's tables; nothing was %s", diags.n,
						diags.n == 1 ? "" : "s", outcome);
	}
	upkit_diags_free(&diags);
	return rc == 0 ? EXIT_OK : rc == -1 ? EXIT_FAIL : EXIT_USAGE;
}

int
plan_cli_load(struct plan_cli *pc, const char *path, const char *outcome,
			  struct upkit_plan **plan, struct upkit_graph *g)
{
	struct upkit_diags diags = UPKIT_DIAGS_INIT;
	int			rc;

	*plan = upkit_plan_read(path, &diags);
	if (*plan != NULL && upkit_graph_build(*plan, g, pc->order, &diags) != 0)
	{
		upkit_graph_free(g);
		upkit_plan_free(*plan);
		*plan = NULL;
	}
	if (*plan == NULL)
	{
		upkit_diags_print(&diags, stderr);
		upkit_error("%d problem%s in the plan; nothing was %s", diags.n, diags.n == 1 ? "" : "s", outcome);
		upkit_diags_free(&diags);
		return EXIT_USAGE;
	}
	upkit_diags_free(&diags);
	if ((rc = apply_dbs(pc, *plan)) == EXIT_OK && pc->expand_copies && upkit_plan_copy_pending(*plan))
	{
		upkit_graph_free(g);
		rc = expand(pc, *plan, g, outcome);
		if (rc != EXIT_OK)
		{
			upkit_plan_free(*plan);
			*plan = NULL;
			return rc;
		}
	}
	if (rc != EXIT_OK)
	{
		upkit_graph_free(g);
		upkit_plan_free(*plan);
		*plan = NULL;
	}
	return rc;
}

void
plan_cli_free(struct plan_cli *pc)
{
	for (int i = 0; i < pc->n_dbs; i++)
	{
		free(pc->dbs[i].name);
		free(pc->dbs[i].conninfo);
	}
	free(pc->dbs);
	for (int i = 0; i < pc->n_keys; i++)
		free(pc->keys[i]);
	free(pc->keys);
}
