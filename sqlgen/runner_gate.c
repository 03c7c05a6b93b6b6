/*
 * runner_gate.c: read the validation log of a plan's readiness jobs for
 * the runner's gate (runner_gate.h).  Reads only; the log is the one
 * 'upkit report' prints.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ident.h"
#include "report.h"
#include "runner_gate.h"

static int
is_gate_job(const struct upkit_run *r, const struct upkit_instance *x)
{
	return r->plan->jobs[x->job].stage == UPKIT_STAGE_READINESS && !x->disabled;
}

int
runner_gate_needed(const struct upkit_run *r)
{
	for (int i = 0; i < r->n_inst; i++)
		if (is_gate_job(r, &r->inst[i]))
			return 1;
	return 0;
}

/* The script name job j logs under, in its database's dialect. */
static void
script_of(const struct upkit_plan_job *j, enum upkit_dialect d, struct strbuf *sb)
{
	if (j->spec && j->call.procedure)
		upkit_display_name(sb, j->call.procedure->schema, j->call.procedure->name, d);
	else
		sb_append(sb, j->id);
}

/* Is entry e of database db one of the plan's readiness instances? */
static int
ours(const struct upkit_run *r, int db, enum upkit_dialect d, const struct upkit_report_entry *e)
{
	for (int i = 0; i < r->n_inst; i++)
	{
		const struct upkit_instance *x = &r->inst[i];
		const struct upkit_plan_job *j = &r->plan->jobs[x->job];
		struct strbuf name = STRBUF_INIT;
		int			match;

		if (!is_gate_job(r, x) || j->db != db)
			continue;
		script_of(j, d, &name);
		match = strcasecmp(sb_str(&name), e->script) == 0 && strcasecmp(x->company, e->dataareaid) == 0;
		sb_free(&name);
		if (match)
			return 1;
	}
	return 0;
}

/* "2 errors in rdy.validate_items dat: ItemIdDuplicate, PriceNotNumeric" per script and company. */
static void
describe(const struct upkit_report *rep, const char *const *keep, struct strbuf *what)
{
	for (int i = 0; i < rep->n_entries; i++)
	{
		const struct upkit_report_entry *e = &rep->entries[i];
		int			n = 0,
					seen = 0;

		if (!keep[i] || !e->error)
			continue;
		for (int k = 0; k < i; k++)
			seen |= keep[k] && rep->entries[k].error && strcmp(rep->entries[k].script, e->script) == 0
				&& strcmp(rep->entries[k].dataareaid, e->dataareaid) == 0;
		if (seen)
			continue;
		for (int k = i; k < rep->n_entries; k++)
			n += keep[k] && rep->entries[k].error && strcmp(rep->entries[k].script, e->script) == 0
				&& strcmp(rep->entries[k].dataareaid, e->dataareaid) == 0;
		sb_appendf(what, "%s%d error%s in %s%s%s:", what->len ? "; " : "", n, n == 1 ? "" : "s",
				   e->script, e->dataareaid[0] ? " " : "", e->dataareaid);
		for (int k = i, m = 0; k < rep->n_entries; k++)
			if (keep[k] && rep->entries[k].error && strcmp(rep->entries[k].script, e->script) == 0
				&& strcmp(rep->entries[k].dataareaid, e->dataareaid) == 0)
				sb_appendf(what, "%s %s", m++ ? "," : "", rep->entries[k].message_id);
	}
}

void
runner_gate_read(const struct upkit_run *r, struct upkit_conn **ctl, struct runner_gate *g)
{
	memset(g, 0, sizeof *g);
	for (int d = 0; d < r->plan->n_dbs; d++)
	{
		struct upkit_report rep;
		struct strbuf err = STRBUF_INIT;
		const char **keep;
		int			used = 0;

		for (int i = 0; i < r->n_inst; i++)
			used |= is_gate_job(r, &r->inst[i]) && r->plan->jobs[r->inst[i].job].db == d;
		if (!used || ctl[d] == NULL)
			continue;
		if (upkit_report_read(ctl[d], NULL, 0, 0, &rep, &err) != 0)
		{
			g->unreadable = 1;
			sb_appendf(&g->what, "%scannot read the validation log of database %s: %s",
					   g->what.len ? "; " : "", r->plan->dbs[d].name, sb_str(&err));
			upkit_conn_clear_error(ctl[d]);
			sb_free(&err);
			continue;
		}
		keep = calloc((size_t) rep.n_entries + 1, sizeof *keep);
		if (keep == NULL)
			abort();
		for (int i = 0; i < rep.n_entries; i++)
			if (ours(r, d, ctl[d]->dialect, &rep.entries[i]))
			{
				keep[i] = "";
				if (rep.entries[i].error)
					g->errors++;
				else
					g->advisories++;
			}
		describe(&rep, keep, &g->what);
		free(keep);
		upkit_report_free(&rep);
		sb_free(&err);
	}
}

void
runner_gate_free(struct runner_gate *g)
{
	sb_free(&g->what);
	memset(g, 0, sizeof *g);
}
