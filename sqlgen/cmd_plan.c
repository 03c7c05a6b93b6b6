/*
 * cmd_plan.c: "upkit plan": read and check a plan and print, without
 * running or changing anything, its stages and phases, the order the
 * runner prefers, each job's weights, the tables with their sizes and
 * weights, and the critical path.  A race, a cycle or a missing
 * dependency is a plan error (exit 2).  With --catalog it reads table
 * sizes from the databases' statistics and expands a copy that lists no
 * tables from its source's catalog (and reads nothing else).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd_plan_common.h"
#include "runner.h"

void
help_plan(void)
{
	printf("Usage: upkit plan [OPTION]... PLAN\n\n"
		   "Check a plan (a plan file, or a folder holding plan.json) and print what\n"
		   "'upkit run' would do, without running or changing anything: the stages\n"
		   "and phases in order, each job's type, database, weights and dependencies,\n"
		   "the tables with their sizes and weights, and the critical path.  Every\n"
		   "problem (a missing job, a cycle, a race between two jobs of a phase) is\n"
		   "reported with file, JSON path and reason.  docs/runner.md has the format.\n\n"
		   "Options:\n"
		   "      --order ORDER      weight (the default: weight2, then weight1),\n"
		   "                         critical (longest chain first) or file\n"
		   "  -k, --key KEY          enable a configuration key (repeatable)\n"
		   "      --db NAME=CONNINFO a PostgreSQL database of the plan: connect here\n"
		   "      --catalog          read table sizes from the databases' statistics, and\n"
		   "                         the tables of a copy that lists none from its source\n"
		   "  -h, --help             show this help\n\n"
		   "Exit status: 0 the plan is valid, 1 a database could not be read,\n"
		   "2 usage or plan error.\n\n"
		   "Example:\n"
		   "  upkit plan sql/demo/plan/plan.json\n");
}

static void
print_jobs(const struct upkit_plan *p, const struct upkit_graph *g, char *const *keys, int n_keys)
{
	static const char *const phase_names[] = {"start", "main", "final"};
	int			last_phase = -1;

	printf("%-3s %-12s %-6s %-22s %-9s %-8s %9s %9s  %s\n",
		   "#", "stage", "phase", "job", "type", "database", "weight1", "weight2", "after");
	for (int o = 0; o < g->n; o++)
	{
		int			j = g->order[o];
		const struct upkit_plan_job *job = &p->jobs[j];
		struct strbuf after = STRBUF_INIT;

		if (g->phase[j] != last_phase && last_phase >= 0)
			putchar('\n');
		last_phase = g->phase[j];
		for (int d = 0; d < g->n_deps[j]; d++)
			sb_appendf(&after, "%s%s", d ? ", " : "", p->jobs[g->deps[j][d]].id);
		printf("%-3d %-12s %-6s %-22s %-9s %-8s %9lld %9lld  %s%s\n", o + 1,
			   upkit_stage_name(job->stage), phase_names[g->phase[j] % 3], job->id,
			   upkit_job_type_name(job->type), p->dbs[job->db].name,
			   g->weight1[j], g->weight2[j], after.len ? sb_str(&after) : "-",
			   upkit_plan_job_enabled(p, job, keys, n_keys) ? "" : "  (off: configuration key)");
		sb_free(&after);
	}
}

static void
print_tables(const struct upkit_plan *p, const struct upkit_graph *g)
{
	printf("\n%-32s %10s %10s  %s\n", "table", "size", "weight", "jobs (c create, r read, u update, d delete)");
	for (int t = 0; t < g->n_tables; t++)
	{
		struct strbuf jobs = STRBUF_INIT;

		for (int j = 0; j < p->n_jobs; j++)
			for (int k = 0; k < p->jobs[j].n_tables; k++)
				if (strcmp(p->jobs[j].tables[k].name, g->tables[t]) == 0)
				{
					char		a[5];

					upkit_access_letters(p->jobs[j].tables[k].access, a);
					sb_appendf(&jobs, "%s%s %s", jobs.len ? ", " : "", p->jobs[j].id, a);
				}
		if (g->table_size[t] < 0)
			printf("%-32s %10s %10lld  %s\n", g->tables[t], "?", g->table_weight[t], sb_str(&jobs));
		else
			printf("%-32s %10lld %10lld  %s\n", g->tables[t], g->table_size[t], g->table_weight[t],
				   sb_str(&jobs));
		sb_free(&jobs);
	}
}

/* The copy stage's order: its tables' weights, heaviest first (plan_graph.c). */
static void
print_copy_order(const struct upkit_plan *p, const struct upkit_graph *g)
{
	int			n = 0;

	for (int o = 0; o < g->n; o++)
	{
		int			j = g->order[o];

		if (!p->jobs[j].copy || p->jobs[j].copy_part > 0)
			continue;
		if (!p->jobs[j].copy_table)
		{
			printf("%s%s: every table of schema %s of %s, from its catalog (upkit plan --catalog)",
				   n++ ? ", " : "\ncopy order (heaviest table weight first): ", p->jobs[j].id,
				   p->jobs[j].copy->source_schema, p->dbs[p->jobs[j].copy->source_db].name);
			continue;
		}
		printf("%s%s %lld", n++ ? ", " : "\ncopy order (heaviest table weight first): ", p->jobs[j].tables[0].name,
			   g->copy_weight[j]);
	}
	if (n > 0)
		putchar('\n');
}

static void
print_plan(const struct upkit_plan *p, const struct upkit_graph *g, const struct plan_cli *pc)
{
	static const char *const orders[] = {
		"weight (heaviest weight2 first, then weight1, then the plan's order)",
		"critical (longest chain of weight1 first)", "file (the plan's order)"
	};
	long long	total = 0;

	printf("plan %s (%s): %d job%s, %d database%s (", p->name, p->file, p->n_jobs,
		   p->n_jobs == 1 ? "" : "s", p->n_dbs, p->n_dbs == 1 ? "" : "s");
	for (int d = 0; d < p->n_dbs; d++)
		printf("%s%s: %s", d ? ", " : "", p->dbs[d].name, upkit_dialect_name(p->dbs[d].target.dialect));
	printf(")\n");
	if (p->companies_from_dataarea)
		printf("companies: from DATAAREA in %s, virtual companies excluded\n", p->dbs[p->companies_db].name);
	else if (p->n_companies > 0)
	{
		printf("companies:");
		for (int i = 0; i < p->n_companies; i++)
			printf(" %s", p->companies[i]);
		putchar('\n');
	}
	printf("order: %s\n\n", orders[pc->order]);
	print_jobs(p, g, pc->keys, pc->n_keys);
	print_tables(p, g);
	print_copy_order(p, g);
	printf("\ncritical path:");
	for (int i = 0; i < g->n_critical; i++)
	{
		printf("%s%s", i ? " -> " : " ", p->jobs[g->critical[i]].id);
		total += g->weight1[g->critical[i]];
	}
	printf(" (weight1 %lld)\n", total);
	printf("races: none; every dependency found; no cycle\n");
}

static int
read_catalog(const struct upkit_plan *p, struct upkit_graph *g, enum upkit_order order)
{
	struct upkit_conn **c = calloc((size_t) p->n_dbs, sizeof *c);
	int			rc = EXIT_OK;

	if (c == NULL)
		abort();
	for (int d = 0; d < p->n_dbs && rc == EXIT_OK; d++)
	{
		struct strbuf err = STRBUF_INIT;

		if ((c[d] = upkit_plan_connect(p, d, &err)) == NULL)
		{
			upkit_error("%s", sb_str(&err));
			rc = EXIT_FAIL;
		}
		sb_free(&err);
	}
	if (rc == EXIT_OK)
		upkit_plan_catalog_sizes(p, g, c, order);
	for (int d = 0; d < p->n_dbs; d++)
		upkit_conn_close(c[d]);
	free(c);
	return rc;
}

int
cmd_plan(int argc, char **argv)
{
	static const struct option opts[] = {
		{"order", required_argument, NULL, 'o'},
		{"key", required_argument, NULL, 'k'},
		{"db", required_argument, NULL, 'c'},
		{"catalog", no_argument, NULL, 'C'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	struct plan_cli pc = {"plan", NULL, 0, NULL, 0, UPKIT_ORDER_WEIGHT, 0};
	struct upkit_plan *p = NULL;
	struct upkit_graph g;
	int			catalog = 0;
	int			c,
				rc = EXIT_OK;

	if ((rc = upkit_check_long_options("plan", argc, argv, opts)) != 0)
		return rc;
	opterr = 0;
	optind = 1;
	while (rc == EXIT_OK && (c = getopt_long(argc, argv, ":k:h", opts, NULL)) != -1)
	{
		switch (c)
		{
			case 'C':
				catalog = 1;
				break;
			case 'h':
				help_plan();
				plan_cli_free(&pc);
				return EXIT_OK;
			default:
				rc = plan_cli_option(&pc, c, argv);
				break;
		}
	}
	if (rc == EXIT_OK)
		rc = plan_cli_one_plan(&pc, argc);
	pc.expand_copies = catalog;
	if (rc == EXIT_OK)
		rc = plan_cli_load(&pc, argv[optind], "run", &p, &g);
	if (rc == EXIT_OK && catalog)
		rc = read_catalog(p, &g, pc.order);
	if (rc == EXIT_OK)
		print_plan(p, &g, &pc);
	if (p)
	{
		upkit_graph_free(&g);
		upkit_plan_free(p);
	}
	plan_cli_free(&pc);
	return rc;
}
