/*
 * transfer_plan.c: what a runner plan (docs/runner.md) says a transfer
 * moves, for "upkit transfer --plan PLAN" (see transfer.h).
 *
 * The staging tables of a plan are the tables written by its jobs of the
 * preprocessing stages that only ever write staging tables: live and delta
 * (DESIGN.md: live scripts change no production rows, only shadow and
 * dictionary tables; a delta rewrites its shadow).  A spec's job has the
 * tables its spec names with the access its generated objects record (a
 * delta spec: its shadow, inserted and deleted), a SQL job the tables it
 * declares; so a delta spec's shadow and a dictionary table that a SQL job
 * fills both come from the same place, the plan's own table attributes
 * (plan_read.c).  Readiness jobs are not taken: their fixes write
 * production tables, which never move.  Jobs a configuration key disables
 * are not taken either.  upkit's state (delta, live, validation log) moves
 * anyway (transfer_tables.c).
 *
 * The number sequences: every job whose spec takes a "numbersequence"
 * parameter names its value, per company the job runs for (the plan's
 * "companies", or the companies of DATAAREA on the test system, as the
 * runner reads them); a job that is not per company names no company, so
 * its sequence is given with --sequence.
 *
 * Nothing is read from the plan's databases: --from and --to say where.
 */
#include <stdlib.h>
#include <string.h>

#include "ledger.h"
#include "plan.h"
#include "transfer.h"

static void
push(char ***list, int *n, char *v)
{
	for (int i = 0; i < *n; i++)
		if (strcmp((*list)[i], v) == 0)
		{
			free(v);
			return;
		}
	*list = realloc(*list, sizeof(**list) * (*n + 2));
	if (*list == NULL)
		abort();
	(*list)[(*n)++] = v;
	(*list)[*n] = NULL;
}

static void
add_table(struct transfer_plan_names *out, const char *table, const char *job)
{
	struct strbuf why = STRBUF_INIT;

	for (int i = 0; i < out->ntables; i++)
		if (strcmp(out->tables[i], table) == 0)
			return;
	out->tables = realloc(out->tables, sizeof(*out->tables) * (out->ntables + 1));
	out->whys = realloc(out->whys, sizeof(*out->whys) * (out->ntables + 1));
	if (out->tables == NULL || out->whys == NULL)
		abort();
	sb_appendf(&why, "plan job %s", job);
	out->tables[out->ntables] = xstrdup(table);
	out->whys[out->ntables++] = xstrdup(sb_str(&why));
	sb_free(&why);
}

/* The companies a per-company job runs for: the plan's, or DATAAREA's on the test system. */
static int
companies(const struct upkit_plan *p, struct upkit_conn *test, struct upkit_rows *r,
		  struct upkit_diags *diags)
{
	if (!p->companies_from_dataarea)
		return 0;
	if (test->ops->query(test, upkit_ledger_for(test->dialect)->companies, 0, NULL, r) != 0)
	{
		upkit_diag_msg(diags, "%s: cannot read the companies from DATAAREA on the test system (%s): %s",
					   p->file, test->where, sb_str(&test->error));
		return -1;
	}
	return 0;
}

static void
add_sequences(struct transfer_plan_names *out, const struct upkit_plan *p, const struct upkit_plan_job *j,
			  const struct upkit_rows *dataarea)
{
	if (!j->spec || !upkit_call_per_company(&j->call))
		return;
	for (int k = 0; k < j->call.n_params; k++)
	{
		const struct upkit_call_param *cp = &j->call.params[k];
		int			n = p->companies_from_dataarea ? dataarea->nrows : p->n_companies;

		if (cp->key == NULL || strcmp(cp->key, "numbersequence") != 0 || j->args[k] == NULL)
			continue;
		for (int c = 0; c < n; c++)
		{
			struct strbuf label = STRBUF_INIT;

			sb_appendf(&label, "%s:%s", p->companies_from_dataarea ? upkit_rows_get(dataarea, c, 0)
					   : p->companies[c], j->args[k]);
			push(&out->sequences, &out->nsequences, xstrdup(sb_str(&label)));
			sb_free(&label);
		}
	}
}

int
transfer_plan_read(const char *file, struct upkit_conn *test, struct transfer_plan_names *out,
				   struct upkit_diags *diags)
{
	struct upkit_plan *p = upkit_plan_read(file, diags);
	struct upkit_rows dataarea = UPKIT_ROWS_INIT;
	int			rc = 0;

	if (p == NULL)
		return 0;				/* its problems are in diags */
	if (companies(p, test, &dataarea, diags) != 0)
		rc = -1;
	for (int i = 0; rc == 0 && i < p->n_jobs; i++)
	{
		const struct upkit_plan_job *j = &p->jobs[i];

		if (!upkit_plan_job_enabled(p, j, NULL, 0))
			continue;
		if (j->stage == UPKIT_STAGE_LIVE || j->stage == UPKIT_STAGE_DELTA)
			for (int t = 0; t < j->n_tables; t++)
				if (j->tables[t].access & UPKIT_ACCESS_WRITE)
					add_table(out, j->tables[t].name, j->id);
		add_sequences(out, p, j, &dataarea);
	}
	upkit_rows_free(&dataarea);
	upkit_plan_free(p);
	return rc;
}

void
transfer_plan_names_free(struct transfer_plan_names *n)
{
	for (int i = 0; i < n->ntables; i++)
		free(n->tables[i]), free(n->whys[i]);
	for (int i = 0; i < n->nsequences; i++)
		free(n->sequences[i]);
	free(n->tables);
	free(n->whys);
	free(n->sequences);
	memset(n, 0, sizeof *n);
}
