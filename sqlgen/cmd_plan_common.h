/*
 * cmd_plan_common.h: what the plan commands (plan, run, status, pause, resume)
 * share: their common options and loading a plan with its graph.
 */
#ifndef UPKIT_CMD_PLAN_COMMON_H
#define UPKIT_CMD_PLAN_COMMON_H

#include "plan.h"

/* --db NAME=CONNINFO (a PostgreSQL database's conninfo, replacing the plan's). */
struct plan_cli_db
{
	char	   *name;
	char	   *conninfo;
};

struct plan_cli
{
	const char *cmd;
	struct plan_cli_db *dbs;
	int			n_dbs;
	char	  **keys;			/* --key */
	int			n_keys;
	enum upkit_order order;
	/*
	 * Expand a copy declared without "tables" from its source's catalog
	 * (runner_copy_expand) before the graph: "upkit run", "upkit plan
	 * --catalog".  Without it such a copy stays one pending job.
	 */
	int			expand_copies;
};

/* "NAME=CONNINFO" -> 0, or a usage error (EXIT_USAGE after the message). */
int			plan_cli_db_option(struct plan_cli *pc, const char *arg);
/* --order weight|critical|file -> 0, or EXIT_USAGE. */
int			plan_cli_order_option(struct plan_cli *pc, const char *arg);
void		plan_cli_key_option(struct plan_cli *pc, const char *arg);

/*
 * getopt_long's c for the options every plan command shares: --order
 * ('o'), --key ('k'), --db ('c'), and its ':' and '?' errors.  Returns
 * EXIT_OK or EXIT_USAGE after the message.
 */
int			plan_cli_option(struct plan_cli *pc, int c, char **argv);
/* After the options, exactly one PLAN: EXIT_OK, or EXIT_USAGE after the message. */
int			plan_cli_one_plan(struct plan_cli *pc, int argc);

/*
 * Read the plan, build its graph, apply the --db options and, with
 * expand_copies, expand the copies that take every table (then build the
 * graph again).  Returns EXIT_OK, EXIT_USAGE after printing every problem
 * of the plan ("N problems in the plan; nothing was WHAT"), or EXIT_FAIL
 * when a copy's tables could not be read.
 */
int			plan_cli_load(struct plan_cli *pc, const char *path, const char *outcome,
						  struct upkit_plan **plan, struct upkit_graph *g);
void		plan_cli_free(struct plan_cli *pc);

#endif
