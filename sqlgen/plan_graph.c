/*
 * plan_graph.c: a plan's dependency graph, without any database (plan.h).
 *
 * Edges: a job's "after" (jobs by id) and "after_tables" (every job that
 * writes the table, in the same phase or before).  A phase is a stage and
 * a type: start jobs first, then shared and standard together, then final;
 * a phase begins when the one before it has finished, so an edge may go
 * from an earlier phase to a later one, never back (that is a plan error,
 * as is a missing job and a cycle).
 *
 * Races (DESIGN.md "Races"): two jobs of one phase that write the same
 * table, or one writes what the other reads, with no path between them.
 * The per-company copies of one standard job are one job here, so they
 * never race with each other.
 *
 * Weights (the reference's algorithm): weight1 = sum of the sizes of the
 * tables a job uses (or the user's weight); weight2 = weight1 + weight1 of
 * its immediate dependants; a table's weight = sum of weight2 of the jobs
 * that use it.  The default order is the heaviest weight2 first (then
 * weight1, then the plan's order); "critical" orders by the longest chain
 * of weight1 from a job to the end of its phase; "file" keeps the plan's
 * order.  The critical path is the longest chain of each phase, in turn.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "strbuf.h"
#include "weight2.h"

#define GROW(arr, n) do { \
	(arr) = realloc((arr), sizeof *(arr) * (size_t) ((n) + 1)); \
	if ((arr) == NULL) abort(); \
} while (0)

static int
phase_of(const struct upkit_plan_job *j)
{
	int			t = j->type == UPKIT_JOB_START ? 0 : j->type == UPKIT_JOB_FINAL ? 2 : 1;

	return (int) j->stage * 3 + t;
}

static const char *
phase_words(int phase, char *buf, size_t n)
{
	static const char *const t[] = {"start", "shared/standard", "final"};

	snprintf(buf, n, "%s, %s", upkit_stage_name((enum upkit_stage) (phase / 3)), t[phase % 3]);
	return buf;
}

static int
find_job(const struct upkit_plan *p, const char *id)
{
	for (int i = 0; i < p->n_jobs; i++)
		if (p->jobs[i].id && strcmp(p->jobs[i].id, id) == 0)
			return i;
	return -1;
}

static int
find_table(const struct upkit_graph *g, const char *name)
{
	for (int i = 0; i < g->n_tables; i++)
		if (strcmp(g->tables[i], name) == 0)
			return i;
	return -1;
}

static int
add_table(struct upkit_graph *g, const char *name)
{
	int			t = find_table(g, name);

	if (t >= 0)
		return t;
	GROW(g->tables, g->n_tables);
	GROW(g->table_size, g->n_tables);
	GROW(g->table_weight, g->n_tables);
	g->tables[g->n_tables] = xstrdup(name);
	g->table_size[g->n_tables] = -1;
	g->table_weight[g->n_tables] = 0;
	return g->n_tables++;
}

static void
add_edge(struct upkit_graph *g, int from, int to)
{
	for (int i = 0; i < g->n_deps[to]; i++)
		if (g->deps[to][i] == from)
			return;
	GROW(g->deps[to], g->n_deps[to]);
	g->deps[to][g->n_deps[to]++] = from;
	GROW(g->children[from], g->n_children[from]);
	g->children[from][g->n_children[from]++] = to;
}

static int
access_of(const struct upkit_plan_job *j, const char *table)
{
	for (int i = 0; i < j->n_tables; i++)
		if (strcmp(j->tables[i].name, table) == 0)
			return j->tables[i].access;
	return 0;
}

/*
 * "after": [ID] where ID declared a copy (plan_copy.c): wait for every
 * table's job of that copy.  "ID.TABLE" of a copy pending its tables (every
 * table, not read yet): the pending job stands for the table's job until
 * the catalog says whether there is one (the graph of the expanded plan
 * then finds it, or reports it missing).  0 when ID is no copy.
 */
static int
after_copy(const struct upkit_plan *p, struct upkit_graph *g, int j, const char *id,
		   const char *path, struct upkit_diags *diags)
{
	int			found = 0;

	for (int k = 0; k < p->n_jobs; k++)
	{
		const struct upkit_plan_copy *c = p->jobs[k].copy;
		size_t		n = c ? strlen(c->id) : 0;
		int			pending_table = c && !p->jobs[k].copy_table && strncmp(id, c->id, n) == 0 && id[n] == '.';

		if (c && p->jobs[k].copy_part == 0 && k != j && (strcmp(c->id, id) == 0 || pending_table))
		{
			if (phase_of(&p->jobs[k]) <= g->phase[j])
				add_edge(g, k, j);
			else if (!found)
				upkit_diag_add(diags, p->file, path, "the copy \"%s\" runs in a later stage than this job, so this job cannot wait for it", id);
			found = 1;
		}
	}
	return found;
}

/* Edges from "after" and "after_tables"; problems for missing jobs and tables. */
static void
resolve_edges(const struct upkit_plan *p, struct upkit_graph *g, struct upkit_diags *diags)
{
	for (int j = 0; j < p->n_jobs; j++)
	{
		const struct upkit_plan_job *job = &p->jobs[j];

		for (int a = 0; a < job->n_after; a++)
		{
			int			k = find_job(p, job->after[a]);
			struct strbuf path = STRBUF_INIT;
			char		w1[64],
						w2[64];

			sb_appendf(&path, "%s.after[%d]", job->path, a);
			if (k < 0 && after_copy(p, g, j, job->after[a], sb_str(&path), diags))
				;
			else if (k < 0)
				upkit_diag_add(diags, p->file, sb_str(&path), "no job \"%s\" in the plan", job->after[a]);
			else if (k == j)
				upkit_diag_add(diags, p->file, sb_str(&path), "a job cannot wait for itself");
			else if (phase_of(&p->jobs[k]) > g->phase[j])
				upkit_diag_add(diags, p->file, sb_str(&path),
							   "\"%s\" runs in a later phase (%s) than this job (%s), so this job cannot wait for it",
							   job->after[a], phase_words(phase_of(&p->jobs[k]), w1, sizeof w1),
							   phase_words(g->phase[j], w2, sizeof w2));
			else
				add_edge(g, k, j);
			sb_free(&path);
		}
		for (int a = 0; a < job->n_after_tables; a++)
		{
			int			writers = 0;

			for (int k = 0; k < p->n_jobs; k++)
				if (k != j && (access_of(&p->jobs[k], job->after_tables[a]) & UPKIT_ACCESS_WRITE)
					&& g->phase[k] <= g->phase[j])
				{
					add_edge(g, k, j);
					writers++;
				}
			if (writers == 0)
			{
				struct strbuf path = STRBUF_INIT;

				sb_appendf(&path, "%s.after_tables[%d]", job->path, a);
				upkit_diag_add(diags, p->file, sb_str(&path),
							   "no job of this phase or before writes table %s", job->after_tables[a]);
				sb_free(&path);
			}
		}
	}
}

/*
 * A later stage's job that uses a copied table waits for that table's copy
 * job.  A copy pending its tables (every table, not read from the catalog
 * yet) stands for all of them: every later job that names a table waits
 * for it, as it will wait for that table's job once the copy is expanded.
 */
static void
copy_edges(const struct upkit_plan *p, struct upkit_graph *g)
{
	for (int c = 0; c < p->n_jobs; c++)
	{
		int			whole = p->jobs[c].copy && p->jobs[c].copy_table == NULL;

		if (p->jobs[c].copy == NULL || p->jobs[c].copy_part > 0)
			continue;
		for (int j = 0; j < p->n_jobs; j++)
			if (p->jobs[j].stage > UPKIT_STAGE_COPY
				&& (whole ? p->jobs[j].n_tables > 0 : access_of(&p->jobs[j], p->jobs[c].tables[0].name)))
				add_edge(g, c, j);
	}
}

/* Report one cycle through start (a path back to it over deps). */
static int
find_cycle(const struct upkit_graph *g, int at, int start, int *stack, int depth, char *seen)
{
	stack[depth] = at;
	for (int i = 0; i < g->n_children[at]; i++)
	{
		int			c = g->children[at][i];

		if (c == start)
			return depth + 1;
		if (!seen[c])
		{
			int			n;

			seen[c] = 1;
			if ((n = find_cycle(g, c, start, stack, depth + 1, seen)) > 0)
				return n;
		}
	}
	return 0;
}

/* Kahn's algorithm: the jobs in an order that respects every edge; returns
 * how many (fewer than g->n: the others lie on or behind a cycle). */
static int
topo_order(const struct upkit_graph *g, int *topo)
{
	int		   *indeg = calloc((size_t) g->n + 1, sizeof *indeg);
	int			head = 0,
				tail = 0;

	if (indeg == NULL)
		abort();
	for (int j = 0; j < g->n; j++)
		if ((indeg[j] = g->n_deps[j]) == 0)
			topo[tail++] = j;
	while (head < tail)
	{
		int			j = topo[head++];

		for (int i = 0; i < g->n_children[j]; i++)
			if (--indeg[g->children[j][i]] == 0)
				topo[tail++] = g->children[j][i];
	}
	free(indeg);
	return tail;
}

/* Report a cycle through each job that no topological order reaches. */
static int
check_cycles(const struct upkit_plan *p, const struct upkit_graph *g, struct upkit_diags *diags)
{
	int		   *topo = calloc((size_t) g->n + 1, sizeof *topo);
	char	   *reported = calloc((size_t) g->n + 1, 1);
	int			problems = 0;

	if (!topo || !reported)
		abort();
	for (int t = 0, n = topo_order(g, topo); t < n; t++)
		reported[topo[t]] = 1;	/* ordered: on no cycle */
	for (int j = 0; j < g->n; j++)
	{
		int		   *stack;
		char	   *seen;
		int			len;

		if (reported[j])
			continue;
		stack = calloc((size_t) g->n + 1, sizeof *stack);
		seen = calloc((size_t) g->n + 1, 1);
		if (!stack || !seen)
			abort();
		if ((len = find_cycle(g, j, j, stack, 0, seen)) > 0)
		{
			struct strbuf text = STRBUF_INIT;

			for (int i = 0; i < len; i++)
			{
				sb_appendf(&text, "%s -> ", p->jobs[stack[i]].id);
				reported[stack[i]] = 1;
			}
			sb_append(&text, p->jobs[j].id);
			upkit_diag_add(diags, p->file, p->jobs[j].path,
						   "dependency cycle: %s (each waits for the one before it)", sb_str(&text));
			sb_free(&text);
			problems++;
		}
		free(stack);
		free(seen);
	}
	free(topo);
	free(reported);
	return problems;
}

/* reach[a * n + b]: b is reachable from a (a runs before b). */
static char *
reachability(const struct upkit_graph *g, const int *topo)
{
	char	   *reach = calloc((size_t) g->n * (size_t) g->n + 1, 1);

	if (reach == NULL)
		abort();
	/* Walk the topological order backwards: a's set = its children's sets. */
	for (int t = g->n - 1; t >= 0; t--)
	{
		int			a = topo[t];

		for (int i = 0; i < g->n_children[a]; i++)
		{
			int			c = g->children[a][i];

			reach[(size_t) a * g->n + c] = 1;
			for (int b = 0; b < g->n; b++)
				if (reach[(size_t) c * g->n + b])
					reach[(size_t) a * g->n + b] = 1;
		}
	}
	return reach;
}

static int
check_races(const struct upkit_plan *p, const struct upkit_graph *g, const int *topo,
			struct upkit_diags *diags)
{
	char	   *reach = reachability(g, topo);
	int			problems = 0;

	for (int b = 0; b < g->n; b++)
		for (int a = 0; a < b; a++)
		{
			const struct upkit_plan_job *ja = &p->jobs[a],
					   *jb = &p->jobs[b];

			if (g->phase[a] != g->phase[b] || ja->stage != jb->stage
				|| reach[(size_t) a * g->n + b] || reach[(size_t) b * g->n + a])
				continue;
			for (int t = 0; t < ja->n_tables; t++)
			{
				int			xa = ja->tables[t].access,
							xb = access_of(jb, ja->tables[t].name);

				if (xb == 0 || !((xa | xb) & UPKIT_ACCESS_WRITE))
					continue;
				upkit_diag_add(diags, p->file, jb->path,
							   "races with job \"%s\" on table %s (%s %s it, this job %s it) and nothing orders them: "
							   "add \"after\": [\"%s\"] to one of them",
							   ja->id, ja->tables[t].name, ja->id,
							   (xa & UPKIT_ACCESS_WRITE) ? "writes" : "reads",
							   (xb & UPKIT_ACCESS_WRITE) ? "writes" : "reads", ja->id);
				problems++;
				break;
			}
		}
	free(reach);
	return problems;
}

void
upkit_graph_set_size(struct upkit_graph *g, const char *table, long long size)
{
	int			t = find_table(g, table);

	if (t >= 0 && g->table_size[t] < 0)
		g->table_size[t] = size;
}

static const struct upkit_graph *sort_graph;
static enum upkit_order sort_order;

static int
cmp_priority(const void *pa, const void *pb)
{
	const struct upkit_graph *g = sort_graph;
	int			a = *(const int *) pa,
				b = *(const int *) pb;

	if (g->phase[a] != g->phase[b])
		return g->phase[a] < g->phase[b] ? -1 : 1;
	if (sort_order != UPKIT_ORDER_FILE && g->copy_weight[a] >= 0 && g->copy_weight[b] >= 0
		&& g->copy_weight[a] != g->copy_weight[b])
		return g->copy_weight[a] > g->copy_weight[b] ? -1 : 1;
	if (sort_order == UPKIT_ORDER_CRITICAL && g->chain[a] != g->chain[b])
		return g->chain[a] > g->chain[b] ? -1 : 1;
	if (sort_order != UPKIT_ORDER_FILE)
	{
		if (g->weight2[a] != g->weight2[b])
			return g->weight2[a] > g->weight2[b] ? -1 : 1;
		if (g->weight1[a] != g->weight1[b])
			return g->weight1[a] > g->weight1[b] ? -1 : 1;
	}
	return a < b ? -1 : a > b;
}

void
upkit_graph_weigh(const struct upkit_plan *p, struct upkit_graph *g, enum upkit_order order)
{
	int		   *topo = calloc((size_t) g->n + 1, sizeof *topo);
	double	   *w1 = calloc((size_t) g->n + 1, sizeof *w1),
			   *w2 = calloc((size_t) g->n + 1, sizeof *w2);

	if (topo == NULL || w1 == NULL || w2 == NULL)
		abort();
	for (int j = 0; j < g->n; j++)
	{
		const struct upkit_plan_job *job = &p->jobs[j];

		g->weight1[j] = 0;
		for (int t = 0; t < job->n_tables; t++)
		{
			int			k = find_table(g, job->tables[t].name);

			if (k >= 0 && g->table_size[k] > 0)
				g->weight1[j] += g->table_size[k];
		}
		if (job->weight >= 0)
			g->weight1[j] = job->weight;
	}
	for (int j = 0; j < g->n; j++)
		w1[j] = (double) g->weight1[j];
	upkit_weights2(g->n, w1, g->children, g->n_children, w2);
	for (int j = 0; j < g->n; j++)
		g->weight2[j] = (long long) w2[j];	/* sums of row counts: exact in a double below 2^53 */
	for (int t = 0; t < g->n_tables; t++)
	{
		g->table_weight[t] = 0;
		for (int j = 0; j < g->n; j++)
			if (access_of(&p->jobs[j], g->tables[t]))
				g->table_weight[t] += g->weight2[j];
	}
	for (int j = 0; j < g->n; j++)
	{
		const struct upkit_plan_job *job = &p->jobs[j];
		int			t = job->copy && job->copy_table ? find_table(g, job->copy->targets[job->copy_index]) : -1;

		g->copy_weight[j] = t >= 0 ? g->table_weight[t] : -1;	/* a part: its table's */
	}
	/* Chains: within a phase, from a job to the end of the phase. */
	topo_order(g, topo);
	for (int t = g->n - 1; t >= 0; t--)
	{
		int			j = topo[t];
		long long	best = 0;

		for (int i = 0; i < g->n_children[j]; i++)
		{
			int			c = g->children[j][i];

			if (g->phase[c] == g->phase[j] && g->chain[c] > best)
				best = g->chain[c];
		}
		g->chain[j] = g->weight1[j] + best;
	}
	/* The critical path: each phase's longest chain, in phase order. */
	g->n_critical = 0;
	for (int ph = 0; ph < UPKIT_N_STAGES * 3; ph++)
	{
		int			at = -1;

		for (int j = 0; j < g->n; j++)
			if (g->phase[j] == ph && (at < 0 || g->chain[j] > g->chain[at]))
				at = j;
		while (at >= 0)
		{
			int			next = -1;

			g->critical[g->n_critical++] = at;
			for (int i = 0; i < g->n_children[at]; i++)
			{
				int			c = g->children[at][i];

				if (g->phase[c] == ph && g->chain[c] == g->chain[at] - g->weight1[at]
					&& (next < 0 || c < next))
					next = c;
			}
			at = next;
		}
	}
	for (int j = 0; j < g->n; j++)
		g->order[j] = j;
	sort_graph = g;
	sort_order = order;
	qsort(g->order, (size_t) g->n, sizeof *g->order, cmp_priority);
	free(topo);
	free(w1);
	free(w2);
}

int
upkit_graph_build(const struct upkit_plan *p, struct upkit_graph *g, enum upkit_order order,
				  struct upkit_diags *diags)
{
	int			before = diags->n;
	size_t		n1 = (size_t) p->n_jobs + 1;

	memset(g, 0, sizeof *g);
	g->n = p->n_jobs;
	g->deps = calloc(n1, sizeof *g->deps);
	g->n_deps = calloc(n1, sizeof *g->n_deps);
	g->children = calloc(n1, sizeof *g->children);
	g->n_children = calloc(n1, sizeof *g->n_children);
	g->weight1 = calloc(n1, sizeof *g->weight1);
	g->weight2 = calloc(n1, sizeof *g->weight2);
	g->chain = calloc(n1, sizeof *g->chain);
	g->phase = calloc(n1, sizeof *g->phase);
	g->order = calloc(n1, sizeof *g->order);
	g->critical = calloc(n1, sizeof *g->critical);
	g->copy_weight = calloc(n1, sizeof *g->copy_weight);
	if (!g->copy_weight || !g->deps || !g->n_deps || !g->children || !g->n_children || !g->weight1 || !g->weight2
		|| !g->chain || !g->phase || !g->order || !g->critical)
		abort();
	for (int j = 0; j < g->n; j++)
	{
		g->phase[j] = phase_of(&p->jobs[j]);
		for (int t = 0; t < p->jobs[j].n_tables; t++)
			add_table(g, p->jobs[j].tables[t].name);
	}
	for (int s = 0; s < p->n_sizes; s++)
	{
		int			t = add_table(g, p->sizes[s].name);

		g->table_size[t] = p->size_values[s];
	}
	resolve_edges(p, g, diags);
	copy_edges(p, g);
	if (check_cycles(p, g, diags) == 0)
	{
		int		   *topo = calloc(n1, sizeof *topo);

		if (topo == NULL)
			abort();
		topo_order(g, topo);
		check_races(p, g, topo, diags);
		free(topo);
	}
	if (diags->n > before)
		return -1;
	upkit_graph_weigh(p, g, order);
	return 0;
}

void
upkit_graph_free(struct upkit_graph *g)
{
	for (int j = 0; j < g->n; j++)
	{
		free(g->deps[j]);
		free(g->children[j]);
	}
	free(g->deps);
	free(g->n_deps);
	free(g->children);
	free(g->n_children);
	free(g->weight1);
	free(g->weight2);
	free(g->chain);
	free(g->phase);
	free(g->order);
	free(g->critical);
	free(g->copy_weight);
	for (int t = 0; t < g->n_tables; t++)
		free(g->tables[t]);
	free(g->tables);
	free(g->table_size);
	free(g->table_weight);
	memset(g, 0, sizeof *g);
}
