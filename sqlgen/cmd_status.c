/*
 * cmd_status.c: the commands that read or flag a plan's ledger without
 * running anything: "upkit status" prints the last run (or --run N) of a
 * plan from the ledger of every database the plan names; "upkit pause"
 * and "upkit resume" set and clear the pause flag of the plan's last run
 * in its first database, which a running "upkit run" reads between jobs.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ledger.h"
#include "cmd_plan_common.h"
#include "runner.h"

void
help_status(void)
{
	printf("Usage: upkit status [OPTION]... PLAN\n\n"
		   "Print the ledger of a plan's last run (or of run N): each job and company\n"
		   "with its state, attempts, start, duration, rows and message, read from\n"
		   "every database the plan names.  Runs nothing and changes nothing.  A job\n"
		   "appears once it has run for a second (running, with the session that runs\n"
		   "it) or has ended; one not started yet has no row.\n\n"
		   "Options:\n"
		   "      --run N            the run to show (default: the last)\n"
		   "      --db NAME=CONNINFO a PostgreSQL database of the plan: connect here\n"
		   "  -h, --help             show this help\n\n"
		   "Exit status: 0 the ledger was read, 1 it could not be, 2 usage or plan error.\n");
}

void
help_pause(void)
{
	printf("Usage: upkit pause [--db NAME=CONNINFO] PLAN\n"
		   "       upkit resume [--db NAME=CONNINFO] PLAN\n\n"
		   "Hold a running 'upkit run PLAN' between jobs, from another terminal:\n"
		   "pause sets the flag of the plan's last run in the ledger of its first\n"
		   "database; the runner reads it every half second, starts no job while it\n"
		   "is set and lets the running ones finish, but a live fill stops after its\n"
		   "batch and a table's copy before its next range (recorded paused; they go\n"
		   "on when the run resumes).  resume clears it.\n\n"
		   "Exit status: 0 done, 1 the ledger could not be written or has no run,\n"
		   "2 usage or plan error.\n");
}

static int
show_db(const struct upkit_plan *p, int d, int run, int *shown)
{
	struct strbuf err = STRBUF_INIT;
	struct upkit_conn *c = upkit_plan_connect(p, d, &err);
	const struct upkit_ledger_sql *L;
	struct upkit_rows info = UPKIT_ROWS_INIT,
				rows = UPKIT_ROWS_INIT;
	struct strbuf v = STRBUF_INIT;
	char		runtext[16];
	const char *params[2] = {p->name, runtext};
	int			rc = EXIT_FAIL;

	if (c == NULL)
	{
		upkit_error("%s", sb_str(&err));
		sb_free(&err);
		return EXIT_FAIL;
	}
	L = upkit_ledger_for(c->dialect);
	if (upkit_query_value(c, L->ready, 0, NULL, &v) != 1 || strcmp(sb_str(&v), "1") != 0)
	{
		upkit_error("database \"%s\" (%s at %s) %s", p->dbs[d].name, c->ops->engine, c->where, L->missing);
		goto out;
	}
	sb_free(&v);
	if (run <= 0)
	{
		if (upkit_query_value(c, L->last_run, 1, params, &v) < 0)
			goto failed;
		if (sb_str(&v)[0] == '\0')
		{
			printf("database %s: no run of plan %s in the ledger\n", p->dbs[d].name, p->name);
			rc = EXIT_OK;
			goto out;
		}
		run = atoi(sb_str(&v));
	}
	snprintf(runtext, sizeof runtext, "%d", run);
	if (c->ops->query(c, L->run_info, 2, params, &info) != 0
		|| c->ops->query(c, L->status, 2, params, &rows) != 0)
		goto failed;
	if (info.nrows == 0)
		printf("database %s: plan %s has no run %d\n", p->dbs[d].name, p->name, run);
	else
	{
		const char *ended = upkit_rows_get(&info, 0, 3);

		printf("database %s: plan %s, run %d: %s%s, started %s%s%s\n", p->dbs[d].name, p->name, run,
			   upkit_rows_get(&info, 0, 0), strcmp(upkit_rows_get(&info, 0, 1), "1") == 0 ? " (paused)" : "",
			   upkit_rows_get(&info, 0, 2), ended ? ", ended " : "", ended ? ended : "");
		printf("%-24s %-10s %-12s %8s %-19s %9s %10s  %s\n",
			   "job", "company", "state", "attempts", "started", "seconds", "rows", "message");
		for (int i = 0; i < rows.nrows; i++)
		{
			const char *m = upkit_rows_get(&rows, i, 7);
			char	   *msg = m ? strndup(m, 70) : NULL;

			if (msg && strchr(msg, '\n'))
				*strchr(msg, '\n') = '\0';
#define CELL(k) (upkit_rows_get(&rows, i, k) ? upkit_rows_get(&rows, i, k) : "")
			printf("%-24s %-10s %-12s %8s %-19s %9s %10s  %s\n", CELL(0), CELL(1), CELL(2), CELL(3),
				   CELL(4), CELL(5), CELL(6), msg ? msg : "");
#undef CELL
			free(msg);
		}
	}
	(*shown)++;
	rc = EXIT_OK;
	goto out;
failed:
	upkit_error("cannot read the ledger in %s: %s", c->where, sb_str(&c->error));
out:
	upkit_rows_free(&info);
	upkit_rows_free(&rows);
	sb_free(&v);
	sb_free(&err);
	upkit_conn_close(c);
	return rc;
}

/* Options shared by status, pause and resume; returns the plan's index in argv or -EXIT. */
static int
parse(const char *cmd, int argc, char **argv, struct plan_cli *pc, int *run, void (*help) (void))
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'c'},
		{"run", required_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	int			c,
				rc;
	char	   *end;

	if ((rc = upkit_check_long_options(cmd, argc, argv, opts)) != 0)
		return -rc;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1)
	{
		switch (c)
		{
			case 'r':
				*run = (int) strtol(optarg, &end, 10);
				if (*end || *run < 1)
					return -upkit_usage_error(cmd, "--run '%s' is not a run number (1, 2, ...)", optarg);
				break;
			case 'h':
				help();
				return -100;
			default:
				if ((rc = plan_cli_option(pc, c, argv)) != 0)
					return -rc;
				break;
		}
	}
	if ((rc = plan_cli_one_plan(pc, argc)) != 0)
		return -rc;
	return optind;
}

int
cmd_status(int argc, char **argv)
{
	struct plan_cli pc = {"status", NULL, 0, NULL, 0, UPKIT_ORDER_WEIGHT, 0};
	struct upkit_plan *p = NULL;
	struct upkit_graph g;
	int			run = 0,
				shown = 0,
				rc;
	int			at = parse("status", argc, argv, &pc, &run, help_status);

	if (at < 0)
	{
		plan_cli_free(&pc);
		return at == -100 ? EXIT_OK : -at;
	}
	if ((rc = plan_cli_load(&pc, argv[at], "read", &p, &g)) == EXIT_OK)
	{
		for (int d = 0; d < p->n_dbs && rc == EXIT_OK; d++)
		{
			int			used = 0;

			for (int j = 0; j < p->n_jobs; j++)
				used |= p->jobs[j].db == d;
			if (used || d == 0)
				rc = show_db(p, d, run, &shown);
		}
		upkit_graph_free(&g);
		upkit_plan_free(p);
	}
	plan_cli_free(&pc);
	return rc;
}

static int
set_paused(const char *cmd, int argc, char **argv, int paused)
{
	struct plan_cli pc = {cmd, NULL, 0, NULL, 0, UPKIT_ORDER_WEIGHT, 0};
	struct upkit_plan *p = NULL;
	struct upkit_graph g;
	int			run = 0,
				rc;
	int			at = parse(cmd, argc, argv, &pc, &run, help_pause);

	if (at < 0)
	{
		plan_cli_free(&pc);
		return at == -100 ? EXIT_OK : -at;
	}
	if ((rc = plan_cli_load(&pc, argv[at], paused ? "paused" : "resumed", &p, &g)) == EXIT_OK)
	{
		struct strbuf err = STRBUF_INIT;
		struct strbuf v = STRBUF_INIT;
		struct upkit_conn *c = upkit_plan_connect(p, 0, &err);
		const char *params[2] = {p->name, paused ? "1" : "0"};

		rc = EXIT_FAIL;
		if (c == NULL)
			upkit_error("%s", sb_str(&err));
		else if (upkit_query_value(c, upkit_ledger_for(c->dialect)->set_paused, 2, params, &v) < 0)
			upkit_error("cannot write the ledger in %s: %s", c->where, sb_str(&c->error));
		else if (v.len == 0)
			upkit_error("plan %s has no run in the ledger of %s: nothing to %s", p->name, c->where, cmd);
		else
		{
			if (paused)
				printf("run %s of plan %s paused: no job starts until 'upkit resume %s'; running jobs finish\n",
					   sb_str(&v), p->name, argv[at]);
			else
				printf("run %s of plan %s resumed\n", sb_str(&v), p->name);
			rc = EXIT_OK;
		}
		upkit_conn_close(c);
		sb_free(&err);
		sb_free(&v);
		upkit_graph_free(&g);
		upkit_plan_free(p);
	}
	plan_cli_free(&pc);
	return rc;
}

int
cmd_pause(int argc, char **argv)
{
	return set_paused("pause", argc, argv, 1);
}

int
cmd_resume(int argc, char **argv)
{
	return set_paused("resume", argc, argv, 0);
}
