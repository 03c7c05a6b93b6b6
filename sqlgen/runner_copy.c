/*
 * runner_copy.c: a table's copy job in a run (runner_copy.h; the plan's
 * side is plan_copy.c, the format docs/runner.md "The copy stage").
 *
 * The first copy job of a declaration to start plans that copy, once for
 * the run, as "upkit copy" does: two planning connections of its own
 * (source and target), the mapping file read again, copy_plan_build for
 * the declaration's tables (the source stays in the transaction whose
 * snapshot every range reads, until the run ends).  Each table's job then,
 * on its worker's own connections to the source and the target:
 *
 *   - refused (a mapping error, not ready for copy, a non-empty target):
 *     fails with the mapping's errors as its message; DONOTCOPY: done,
 *     nothing copied;
 *   - writes the table's ledger rows (TRUNCATE first for TRUNCATEONCOPY)
 *     when the copy ledger has none, as copy_run.c's prepare does, once
 *     for the run whichever of the table's jobs comes first;
 *   - a part (plan_copy.c: a table with "jobs": N) copies its share of the
 *     ranges and stops there; the table's own job, after its parts, copies
 *     what is left (nothing, unless a range was claimed by nobody) and
 *     does the checks;
 *   - copies each range not done with copy_range_run: one transaction on
 *     the target that claims the range's row in upkit.copy_ledger, streams
 *     it and marks it done, so a range is copied exactly once whatever
 *     dies when (copy_ledger.h), and a re-run goes on with the ranges not
 *     done;
 *   - compares the counts of source, target and ledger (copy_table_verify)
 *     and makes the table's RECIDs safe (copy_recid_make_safe) before the
 *     job is done: jobs of later stages start as soon as their tables are
 *     copied and may insert rows into them at once.
 *
 * The job runs outside a runner transaction (runner_job.c): its 'done' is
 * written after its last range committed; killed in between, the next run
 * finds every range done, copies nothing and records it done.  Before each
 * range it also asks the runner whether the run is paused (pausing); then
 * it stops there, every range before committed, and runner_job.c records
 * it 'paused': run again on resume, it goes on with the ranges left.
 *
 * Either side may be PostgreSQL or SQL Server: every step goes through the
 * sides' operations (copy_side.h) picked by the connections' dialects, as
 * in "upkit copy"; the plan refused the pair without a bulk path
 * (plan_copy.c).  A SQL Server source has no snapshot to share, so each
 * range reads what is committed when it runs (copy_source_mssql.c).
 */
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "copy_ledger.h"
#include "copy_mapfile.h"
#include "copy_plan.h"
#include "copy_run.h"
#include "copy_side.h"
#include "runner.h"
#include "runner_copy.h"

struct runner_copy
{
	const struct upkit_plan_copy *decl;
	pthread_mutex_t mu;			/* planning, and the planning source connection */
	int			built;			/* 0 not yet, 1 planned, -1 could not be */
	char	   *error;			/* why not */
	const char **only;			/* the declaration's tables, NULL-terminated */
	struct copy_plan plan;
	char	   *ledgered;		/* per plan table: its ledger rows are written */
	struct upkit_conn *src,
			   *dst;			/* the planning connections */
};

struct runner_copies
{
	const struct upkit_plan *plan;
	struct runner_copy *c;
	int			n;
};

struct runner_copies *
runner_copies_new(const struct upkit_plan *p)
{
	struct runner_copies *rc = calloc(1, sizeof *rc);

	if (rc == NULL || (rc->c = calloc((size_t) p->n_copies + 1, sizeof *rc->c)) == NULL)
		abort();
	rc->plan = p;
	rc->n = p->n_copies;
	for (int i = 0; i < rc->n; i++)
	{
		rc->c[i].decl = p->copies[i];
		pthread_mutex_init(&rc->c[i].mu, NULL);
	}
	return rc;
}

void
runner_copies_free(struct runner_copies *rc)
{
	if (rc == NULL)
		return;
	for (int i = 0; i < rc->n; i++)
	{
		struct runner_copy *c = &rc->c[i];

		copy_plan_free(&c->plan);
		upkit_conn_close(c->src);
		upkit_conn_close(c->dst);
		free(c->error);
		free(c->only);
		free(c->ledgered);
		pthread_mutex_destroy(&c->mu);
	}
	free(rc->c);
	free(rc);
}

/* Plan the copy on its own connections; under c->mu. */
static void
build(const struct upkit_plan *p, struct runner_copy *c)
{
	const struct upkit_plan_copy *d = c->decl;
	struct upkit_diags diags = UPKIT_DIAGS_INIT;
	struct strbuf err = STRBUF_INIT;
	struct copy_options opt = {.split_rows = d->split_rows, .batch_size = d->batch_size,
	.table_lock = d->table_lock};
	int			target = -1;

	for (int j = 0; j < p->n_jobs; j++)
		if (p->jobs[j].copy == d)
			target = p->jobs[j].db;
	c->only = calloc((size_t) d->n_tables + 1, sizeof *c->only);
	if (c->only == NULL)
		abort();
	for (int i = 0; i < d->n_tables; i++)
		c->only[i] = d->tables[i];
	opt.only = c->only;
	c->built = -1;
	if (d->mapping_file && copy_mapping_read_file(d->mapping_file, &c->plan.mapping, &diags) != 0)
		upkit_diags_text(&diags, &err);
	else if ((c->src = upkit_plan_connect(p, d->source_db, &err)) == NULL
			 || (c->dst = upkit_plan_connect(p, target, &err)) == NULL)
		;
	else if (copy_plan_build(&c->plan, c->src, c->dst, &opt, &diags) < 0 || diags.n > 0)
		upkit_diags_text(&diags, &err);
	else if (!c->plan.has_ledger)
		sb_appendf(&err, "the target has no %s: %s", copy_target_of(c->dst)->ledger->name,
				   copy_target_of(c->dst)->ledger->install);
	else
		c->built = 1;
	if ((c->ledgered = calloc((size_t) c->plan.ntables + 1, 1)) == NULL)
		abort();
	if (c->built < 0)
	{
		struct strbuf m = STRBUF_INIT;

		sb_appendf(&m, "the copy (%s) could not be planned: %s", d->path, sb_str(&err));
		c->error = m.data;
	}
	upkit_diags_free(&diags);
	sb_free(&err);
}

/* The declaration's planned copy, or NULL with the reason in dst->error. */
static struct runner_copy *
planned(struct runner_copies *rc, const struct upkit_plan_job *j, struct upkit_conn *dst)
{
	struct runner_copy *c = NULL;

	for (int i = 0; i < rc->n; i++)
		if (rc->c[i].decl == j->copy)
			c = &rc->c[i];
	if (c == NULL)
		abort();
	pthread_mutex_lock(&c->mu);
	if (c->built == 0)
		build(rc->plan, c);
	pthread_mutex_unlock(&c->mu);
	if (c->built > 0)
		return c;
	upkit_conn_set_error(dst, NULL, c->error, NULL);
	return NULL;
}

/* Every error of a refused table, "; "-separated. */
static void
refusal(const struct copy_table_map *m, struct strbuf *out)
{
	sb_appendf(out, "%s: not copied: ", m->src->name);
	for (int e = 0; e < m->nerrors; e++)
		sb_appendf(out, "%s%s", e ? "; " : "", m->errors[e]);
	for (int f = 0, n = m->nerrors; f < m->nfields; f++)
		if (m->fields[f].error)
			sb_appendf(out, "%s%s", n++ ? "; " : "", m->fields[f].error);
}

static int
fail(struct upkit_conn *dst, const struct strbuf *why)
{
	upkit_conn_set_error(dst, NULL, sb_str(why), NULL);
	return -1;
}

/*
 * t's ledger rows (and its TRUNCATE), once for the run: the first of its
 * jobs to start writes them, under the copy's mutex; 0 or -1 (err).
 */
static int
ledger_once(struct runner_copy *c, struct copy_table_plan *t, struct upkit_conn *dst, struct strbuf *err)
{
	int			i = (int) (t - c->plan.tables);
	int			rc = 0;

	pthread_mutex_lock(&c->mu);
	if (t->state == COPY_STATE_TODO && !c->ledgered[i])
	{
		rc = copy_ledger_plan(dst, t, t->map->rule && t->map->rule->exception == COPY_EXC_TRUNCATEONCOPY);
		if (rc != 0)
			sb_appendf(err, "cannot write the ledger rows of %s: %s", t->map->dst->name, sb_str(&dst->error));
	}
	c->ledgered[i] = rc == 0;
	pthread_mutex_unlock(&c->mu);
	return rc;
}

/*
 * The ranges of t not done that this job copies (every one, or a part's
 * share), each with copy_range_run; counts in *copied and *before.  0, -1
 * (err), or 1: the run is paused, the job stopped before range *left (the
 * ranges before it are committed; running the job again goes on there).
 */
static int
copy_ranges(struct runner_copy *c, struct copy_table_plan *t, struct runner_copy_call *cc,
			struct upkit_conn *dst, long long *rows, int *copied, int *before, int *left,
			struct strbuf *err)
{
	const struct upkit_plan_job *j = cc->job;
	int			parts = j->copy_part > 0 ? j->copy->parts[j->copy_index] : 1;

	*rows = 0;
	*copied = *before = 0;
	if (ledger_once(c, t, dst, err) != 0)
		return -1;
	for (int r = 0; r < t->nranges; r++)
	{
		struct copy_range_result res;

		if (j->copy_part > 0 && r % parts != j->copy_part - 1)
			continue;
		if (t->ranges[r].done)
		{
			(*before)++;
			continue;
		}
		if (cc->stopping())
		{
			sb_appendf(err, "stopped before range %d of %d", r + 1, t->nranges);
			return -1;
		}
		if (cc->pausing && cc->pausing(cc->pausing_arg))
		{
			*left = r;
			return 1;
		}
		if (copy_range_run(cc->src, dst, t, r, c->plan.snapshot, NULL, &res, err) != 0)
		{
			struct strbuf m = STRBUF_INIT;

			sb_appendf(&m, "range %d of %d: %s", r + 1, t->nranges, sb_str(err));
			sb_free(err);
			*err = m;
			return -1;
		}
		if (res.skipped)
			(*before)++;
		else
		{
			(*copied)++;
			*rows += res.rows;
		}
	}
	return 0;
}

/* The note of a job that stopped between ranges on the run's pause; 1. */
static int
paused(const struct copy_table_plan *t, const struct runner_copy_call *cc, struct upkit_conn *dst,
	   int copied, int before, int left)
{
	const struct upkit_plan_job *j = cc->job;

	sb_appendf(&dst->messages, "%s -> %s", t->map->src->name, t->map->dst->name);
	if (j->copy_part > 0)
		sb_appendf(&dst->messages, ", part %d of %d", j->copy_part, j->copy->parts[j->copy_index]);
	sb_appendf(&dst->messages, ": paused before range %d of %d (%d range%s copied now, %d done already):"
			   " running the job again copies the ranges left", left + 1, t->nranges, copied,
			   copied == 1 ? "" : "s", before);
	return 1;
}

/* The table's job: what is left of its ranges, then the checks; 0, 1 (paused), or -1 (err). */
static int
copy_table(struct runner_copy *c, struct copy_table_plan *t, struct runner_copy_call *cc,
		   struct upkit_conn *dst, long long *rows, struct strbuf *err)
{
	struct copy_outcome o = {0};
	struct strbuf note = STRBUF_INIT;
	int			copied,
				before,
				left,
				rc;

	if ((rc = copy_ranges(c, t, cc, dst, rows, &copied, &before, &left, err)) != 0)
		return rc > 0 ? paused(t, cc, dst, copied, before, left) : -1;
	pthread_mutex_lock(&c->mu);
	copy_table_verify(c->src, dst, t, &o);
	pthread_mutex_unlock(&c->mu);
	if (o.error)
	{
		sb_append(err, o.error);
		free(o.error);
		return -1;
	}
	if (copy_recid_make_safe(dst, &c->plan, t, &note) != 0)
	{
		sb_appendf(err, "RECID safety: %s", sb_str(&note));
		sb_free(&note);
		return -1;
	}
	sb_appendf(&dst->messages, "%s -> %s: %d range%s copied now, %d done already; %lld rows verified; RECID: %s",
			   t->map->src->name, t->map->dst->name, copied, copied == 1 ? "" : "s", before,
			   o.target_count, sb_str(&note));
	sb_free(&note);
	return 0;
}

/* A part's share of the ranges; the table's job checks them afterwards. */
static int
copy_part(struct runner_copy *c, struct copy_table_plan *t, struct runner_copy_call *cc,
		  struct upkit_conn *dst, long long *rows, struct strbuf *err)
{
	const struct upkit_plan_job *j = cc->job;
	int			copied,
				before,
				left,
				rc;

	if ((rc = copy_ranges(c, t, cc, dst, rows, &copied, &before, &left, err)) != 0)
		return rc > 0 ? paused(t, cc, dst, copied, before, left) : -1;
	sb_appendf(&dst->messages, "%s -> %s, part %d of %d: %d range%s copied now, %d done already",
			   t->map->src->name, t->map->dst->name, j->copy_part, j->copy->parts[j->copy_index],
			   copied, copied == 1 ? "" : "s", before);
	return 0;
}

int
runner_copy_work(void *arg, struct upkit_conn *dst, long long *rows)
{
	struct runner_copy_call *cc = arg;
	const struct upkit_plan_job *j = cc->job;
	struct runner_copy *c = planned(cc->copies, j, dst);
	struct copy_table_plan *t = NULL;
	struct strbuf err = STRBUF_INIT;
	int			rc;

	if (c == NULL)
		return -1;
	for (int i = 0; i < c->plan.ntables; i++)
		if (strcasecmp(c->plan.tables[i].map->src->name, j->copy_table) == 0)
			t = &c->plan.tables[i];
	if (j->copy_part > 0 && (t == NULL || t->state == COPY_STATE_SKIPPED || t->state == COPY_STATE_REFUSED))
	{
		*rows = 0;
		sb_appendf(&dst->messages, "%s: nothing to copy (the table's own job says why)", j->copy_table);
		return 0;
	}
	if (t == NULL)
		sb_appendf(&err, "no table %s in schema %s of the source", j->copy_table, j->copy->source_schema);
	else if (t->state == COPY_STATE_SKIPPED)
	{
		*rows = 0;
		sb_appendf(&dst->messages, "%s: not copied: table exception DONOTCOPY", t->map->src->name);
		return 0;
	}
	else if (t->state == COPY_STATE_REFUSED)
		refusal(t->map, &err);
	else
	{
		char	   *key = upkit_plan_table_key(t->dst_schema, t->map->dst->name);

		const char *planned_key = j->copy->targets[j->copy_index];

		if (strcmp(key, planned_key) != 0)
			sb_appendf(&err, "%s maps to %s (%s), not to %s as the plan orders it: name that target in the mapping file",
					   t->map->src->name, key, copy_how_name(t->map->how), planned_key);
		free(key);
	}
	if (err.len == 0 && (rc = j->copy_part > 0 ? copy_part(c, t, cc, dst, rows, &err)
						 : copy_table(c, t, cc, dst, rows, &err)) >= 0)
		return rc;
	rc = fail(dst, &err);
	sb_free(&err);
	return rc;
}

void
runner_copy_sizes(const struct upkit_plan *p, struct upkit_graph *g, struct upkit_conn **conns)
{
	for (int i = 0; i < p->n_copies; i++)
	{
		const struct upkit_plan_copy *d = p->copies[i];
		struct upkit_conn *c = conns ? conns[d->source_db] : NULL;
		struct upkit_conn *own = NULL;
		struct strbuf err = STRBUF_INIT;

		if (c == NULL)
			c = own = upkit_plan_connect(p, d->source_db, &err);
		sb_free(&err);
		if (c == NULL)
			continue;
		for (int k = 0; k < d->n_tables; k++)
		{
			const struct copy_source_ops *so = copy_source_of(c);
			long long	n = so->estimate(c, d->source_schema, d->tables[k]);

			if (n < 0)
			{
				char	   *lower = xstrdup(d->tables[k]);

				for (char *s = lower; *s; s++)
					*s = (char) tolower((unsigned char) *s);
				n = so->estimate(c, d->source_schema, lower);
				free(lower);
			}
			if (n >= 0)
				upkit_graph_set_size(g, d->targets[k], n);
			upkit_conn_clear_error(c);
		}
		upkit_conn_close(own);
	}
}
