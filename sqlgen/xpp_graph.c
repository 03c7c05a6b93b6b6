/*
 * xpp_graph.c: the dependency graph of upgrade scripts (see xpp_graph.h).
 *
 * Graphs are small (hundreds of scripts), so reachability is a full
 * closure computed by a depth-first search from every node; cycles are the
 * nodes that reach each other, a redundant edge is one whose target is
 * still reachable when the edge is left out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "strbuf.h"
#include "weight2.h"
#include "xpp_graph.h"

static int
add_node(struct xpp_graph *g, const struct xpp_method *m, const char *cls, const char *method)
{
	char		buf[512];

	snprintf(buf, sizeof buf, "%s.%s", cls, method);
	for (int k = 0; k < g->n; k++)
		if (strcasecmp(g->nodes[k].name, buf) == 0)
			return k;
	g->nodes = xrealloc(g->nodes, sizeof *g->nodes * (size_t) (g->n + 1));
	g->nodes[g->n].m = m;
	g->nodes[g->n].name = xstrdup(buf);
	return g->n++;
}

static void
add_edge(struct xpp_graph *g, int from, int to, const struct xpp_method *decl, int line)
{
	g->edges = xrealloc(g->edges, sizeof *g->edges * (size_t) (g->ne + 1));
	g->edges[g->ne].from = from;
	g->edges[g->ne].to = to;
	g->edges[g->ne].decl = decl;
	g->edges[g->ne++].line = line;
}

void
xpp_graph_build(const struct xpp_world *w, struct xpp_graph *g, struct xpp_findings *f)
{
	memset(g, 0, sizeof *g);
	for (int k = 0; k < w->nmethods; k++)
		if (w->methods_v[k].is_script)
			add_node(g, &w->methods_v[k], w->methods_v[k].cls->name, w->methods_v[k].src->name);

	for (int k = 0; k < w->nmethods; k++)
	{
		const struct xpp_method *m = &w->methods_v[k];
		const char *file = xpp_method_file(w, m);

		if (!m->is_script)
			continue;
		for (int d = 0; d < m->ndeps; d++)
		{
			const struct xpp_dep *dep = &m->deps[d];
			const struct xpp_method *other = xpp_find_script(w, dep->cls, dep->method);
			char		full[512];
			int			self = add_node(g, m, m->cls->name, m->src->name);
			int			node = -1;
			int			defined_here = 0;

			snprintf(full, sizeof full, "%s.%s", dep->cls, dep->method);
			for (int j = 0; j < w->nmethods; j++)
				if (strcasecmp(w->methods_v[j].cls->name, dep->cls) == 0 &&
					strcasecmp(w->methods_v[j].src->name, dep->method) == 0)
					defined_here = 1;
			if (other)
				node = add_node(g, other, other->cls->name, other->src->name);
			else if (defined_here)
			{
				if (f)
					xpp_finding_add(f, file, dep->line, "UpkitDependsOnNonScript", 1, m->cls->name,
									m->src->name, "depends on %s, which is not an upgrade script (no "
									"upgrade attributes)", full);
			}
			else if (xpp_names_has(&w->methods, full))
				node = add_node(g, NULL, dep->cls, dep->method);
			else if (!xpp_names_has(&w->classes, dep->cls))
			{
				if (f)
					xpp_finding_add(f, file, dep->line, "BPErrorClassNameNotFound", 1, m->cls->name,
									m->src->name, "class %s in the dependency does not exist; use "
									"classStr(<class>)", dep->cls);
			}
			else if (f)
				xpp_finding_add(f, file, dep->line, "BPErrorMethodNameNotFound", 1, m->cls->name,
								m->src->name, "method %s in the dependency does not exist; use "
								"methodStr(<class>, <method>)", full);
			if (node < 0)
				continue;
			if (dep->reverse)
				add_edge(g, self, node, m, dep->line);
			else
				add_edge(g, node, self, m, dep->line);
		}
	}
}

/* reach[i * n + j]: a path of one edge or more from i to j (skip: an edge left out). */
static char *
closure(const struct xpp_graph *g, int skip, int skip_dups_after)
{
	char	   *reach = calloc((size_t) g->n * (size_t) (g->n ? g->n : 1), 1);
	int		   *stack = malloc(sizeof(int) * (size_t) (g->ne + g->n + 1));

	if (reach == NULL || stack == NULL)
		abort();
	for (int s = 0; s < g->n; s++)
	{
		int			sp = 0;

		stack[sp++] = s;
		while (sp > 0)
		{
			int			u = stack[--sp];

			for (int e = 0; e < g->ne; e++)
			{
				const struct xpp_gedge *ed = &g->edges[e];

				if (ed->from != u || e == skip)
					continue;
				if (skip >= 0 && e > skip && ed->from == g->edges[skip].from && ed->to == g->edges[skip].to &&
					skip_dups_after)
					continue;
				if (!reach[s * g->n + ed->to])
				{
					reach[s * g->n + ed->to] = 1;
					stack[sp++] = ed->to;
				}
			}
		}
	}
	free(stack);
	return reach;
}

/* A path from a to b as "a -> x -> b" (breadth-first, leaving out edge skip). */
static void
path_text(const struct xpp_graph *g, int a, int b, int skip, struct strbuf *out)
{
	int		   *prev = malloc(sizeof(int) * (size_t) g->n);
	int		   *queue = malloc(sizeof(int) * (size_t) g->n);
	int			qh = 0,
				qt = 0;
	int			chain[256];
	int			nc = 0;

	if (prev == NULL || queue == NULL)
		abort();
	for (int k = 0; k < g->n; k++)
		prev[k] = -2;
	queue[qt++] = a;
	prev[a] = -1;
	while (qh < qt)
	{
		int			u = queue[qh++];

		for (int e = 0; e < g->ne; e++)
		{
			int			v = g->edges[e].to;

			if (g->edges[e].from != u || e == skip)
				continue;
			if (v == b)
			{
				/* reached: b, then back through u */
				chain[nc++] = b;
				for (int x = u; x >= 0 && nc < 256; x = prev[x])
					chain[nc++] = x;
				qh = qt;
				break;
			}
			if (prev[v] == -2)
			{
				prev[v] = u;
				queue[qt++] = v;
			}
		}
	}
	for (int k = nc - 1; k >= 0; k--)
	{
		sb_append(out, g->nodes[chain[k]].name);
		if (k > 0)
			sb_append(out, " -> ");
	}
	free(prev);
	free(queue);
}

static int
tier(enum xpp_type t)
{
	return t == XPP_TYPE_START ? 0 : t == XPP_TYPE_FINAL ? 2 : 1;
}

/* ReleaseUpdateDB<version>_<module>: the version and module, or 0. */
static int
version_module(const char *cls, const char **module)
{
	int			v = 0;
	const char *p;

	if (strncasecmp(cls, "ReleaseUpdateDB", 15) != 0)
		return 0;
	for (p = cls + 15; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (*p - '0');
	if (*p != '_' || v == 0)
		return 0;
	*module = p + 1;
	return v;
}

static int
implicitly_ordered(const struct xpp_method *a, const struct xpp_method *b)
{
	const char *ma = NULL,
			   *mb = NULL;
	int			va = version_module(a->cls->name, &ma);
	int			vb = version_module(b->cls->name, &mb);

	return va && vb && va != vb && strcasecmp(ma, mb) == 0;
}

#define WRITES (XPP_CREATE | XPP_UPDATE | XPP_DELETE)

void
xpp_graph_check(const struct xpp_world *w, const struct xpp_graph *g, struct xpp_findings *f)
{
	char	   *reach = closure(g, -1, 0);
	int			n = g->n;

	/* Cycles: one finding per set of nodes that reach each other. */
	for (int s = 0; s < n; s++)
	{
		int			first = 1;

		if (!reach[s * n + s])
			continue;
		for (int k = 0; k < s; k++)
			if (reach[s * n + k] && reach[k * n + s])
				first = 0;
		if (first)
		{
			struct strbuf p = STRBUF_INIT;
			const struct xpp_gedge *at = NULL;

			path_text(g, s, s, -1, &p);
			for (int e = 0; e < g->ne && at == NULL; e++)
				if (reach[g->edges[e].from * n + s] && reach[s * n + g->edges[e].to] &&
					reach[g->edges[e].to * n + s])
					at = &g->edges[e];
			if (at)
				xpp_finding_add(f, xpp_method_file(w, at->decl), at->line, "UpkitDependencyCycle", 1,
								at->decl->cls->name, at->decl->src->name,
								"dependency cycle: %s (no script of it can start)", sb_str(&p));
			sb_free(&p);
		}
	}

	/* Redundant dependencies, outside cycles. */
	for (int e = 0; e < g->ne; e++)
	{
		const struct xpp_gedge *ed = &g->edges[e];
		char	   *r2;

		if (reach[ed->to * n + ed->from])
			continue;
		r2 = closure(g, e, 1);
		if (r2[ed->from * n + ed->to])
		{
			struct strbuf p = STRBUF_INIT;

			path_text(g, ed->from, ed->to, e, &p);
			xpp_finding_add(f, xpp_method_file(w, ed->decl), ed->line, "UpkitRedundantDependency", 0,
							ed->decl->cls->name, ed->decl->src->name,
							"the dependency %s -> %s is implied by %s", g->nodes[ed->from].name,
							g->nodes[ed->to].name, sb_str(&p));
			sb_free(&p);
		}
		free(r2);
	}

	/* Races: unordered scripts of one stage and tier declaring writes to one table. */
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
		{
			const struct xpp_method *a = g->nodes[i].m;
			const struct xpp_method *b = g->nodes[j].m;

			if (!a || !b || a->stage != b->stage || tier(a->type) != tier(b->type) ||
				reach[i * n + j] || reach[j * n + i] || implicitly_ordered(a, b))
				continue;
			for (int x = 0; x < a->ntables; x++)
			{
				int			dup = 0;

				if (!(a->tables[x].access & WRITES))
					continue;
				for (int y = 0; y < x; y++)
					if (strcasecmp(a->tables[y].table, a->tables[x].table) == 0 && (a->tables[y].access & WRITES))
						dup = 1;
				for (int y = 0; y < b->ntables && !dup; y++)
					if ((b->tables[y].access & WRITES) && strcasecmp(a->tables[x].table, b->tables[y].table) == 0)
					{
						xpp_finding_add(f, xpp_method_file(w, b), b->tables[y].line, "UpkitRace", 1,
										b->cls->name, b->src->name,
										"races with %s: both write %s in %s (%s scripts run in parallel) "
										"and no dependency orders them", g->nodes[i].name,
										a->tables[x].table, xpp_stage_name(a->stage),
										tier(a->type) == 0 ? "Start" : tier(a->type) == 2 ? "Final" : "Shared and Standard");
						break;
					}
			}
		}
	free(reach);
}

/* The immediate dependants of each node, from the edges, for upkit_weights2. */
void
xpp_graph_weights2(const struct xpp_graph *g, struct xpp_weights *wt)
{
	int		  **children = calloc((size_t) g->n + 1, sizeof *children);
	int		   *n_children = calloc((size_t) g->n + 1, sizeof *n_children);

	if (children == NULL || n_children == NULL)
		abort();
	for (int e = 0; e < g->ne; e++)
	{
		int			f = g->edges[e].from;

		children[f] = xrealloc(children[f], sizeof **children * (size_t) (n_children[f] + 1));
		children[f][n_children[f]++] = g->edges[e].to;
	}
	upkit_weights2(g->n, wt->w1, children, n_children, wt->w2);
	for (int i = 0; i < g->n; i++)
		free(children[i]);
	free(children);
	free(n_children);
}

static const char *
access_letters(int a)
{
	static char buf[8];
	int			k = 0;

	if (a & XPP_CREATE)
		buf[k++] = 'C';
	if (a & XPP_READ)
		buf[k++] = 'R';
	if (a & XPP_UPDATE)
		buf[k++] = 'U';
	if (a & XPP_DELETE)
		buf[k++] = 'D';
	buf[k] = '\0';
	return k ? buf : "-";
}

/* Nodes in print order: stage, type, name; externals last. */
static int *
print_order(const struct xpp_graph *g)
{
	int		   *o = malloc(sizeof(int) * (size_t) (g->n + 1));

	if (o == NULL)
		abort();
	for (int k = 0; k < g->n; k++)
		o[k] = k;
	for (int a = 1; a < g->n; a++)
		for (int b = a; b > 0; b--)
		{
			const struct xpp_gnode *x = &g->nodes[o[b - 1]];
			const struct xpp_gnode *y = &g->nodes[o[b]];
			int			kx = x->m ? (int) x->m->stage * 10 + (int) x->m->type : 1000;
			int			ky = y->m ? (int) y->m->stage * 10 + (int) y->m->type : 1000;

			if (kx < ky || (kx == ky && strcasecmp(x->name, y->name) <= 0))
				break;
			int			t = o[b - 1];

			o[b - 1] = o[b];
			o[b] = t;
		}
	return o;
}

void
xpp_graph_print_text(const struct xpp_graph *g, const struct xpp_weights *wt, FILE *out)
{
	int		   *o = print_order(g);
	char		last[64] = "";

	for (int k = 0; k < g->n; k++)
	{
		const struct xpp_gnode *nd = &g->nodes[o[k]];
		char		head[64];

		if (nd->m)
			snprintf(head, sizeof head, "%s / %s", xpp_stage_name(nd->m->stage), xpp_type_name(nd->m->type));
		else
			snprintf(head, sizeof head, "external (known from a list file)");
		if (strcmp(last, head) != 0)
		{
			fprintf(out, "%s%s\n", *last ? "\n" : "", head);
			snprintf(last, sizeof last, "%s", head);
		}
		fprintf(out, "  %s", nd->name);
		if (wt)
			fprintf(out, "  weight1=%.0f weight2=%.0f", wt->w1[o[k]], wt->w2[o[k]]);
		fputc('\n', out);
		if (nd->m && nd->m->ntables > 0)
		{
			fputs("    tables:", out);
			for (int t = 0; t < nd->m->ntables; t++)
				fprintf(out, " %s(%s)", nd->m->tables[t].table, access_letters(nd->m->tables[t].access));
			fputc('\n', out);
		}
		for (int e = 0; e < g->ne; e++)
			if (g->edges[e].to == o[k])
				fprintf(out, "    after %s\n", g->nodes[g->edges[e].from].name);
	}
	free(o);
}

static void
dot_id(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++)
	{
		if (*s == '"' || *s == '\\')
			fputc('\\', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

void
xpp_graph_print_dot(const struct xpp_graph *g, const struct xpp_weights *wt, FILE *out)
{
	int		   *o = print_order(g);

	fputs("digraph upgrade_scripts {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n", out);
	for (int s = 0; s <= (int) XPP_STAGE_ADDITIONAL + 1; s++)
	{
		int			opened = 0;

		for (int k = 0; k < g->n; k++)
		{
			const struct xpp_gnode *nd = &g->nodes[o[k]];
			int			ns = nd->m ? (int) nd->m->stage : (int) XPP_STAGE_ADDITIONAL + 1;

			if (ns != s)
				continue;
			if (!opened)
			{
				fprintf(out, "  subgraph \"cluster_%d\" {\n    label=\"%s\";\n", s,
						s > (int) XPP_STAGE_ADDITIONAL ? "external" : xpp_stage_name((enum xpp_stage) s));
				opened = 1;
			}
			fputs("    ", out);
			dot_id(out, nd->name);
			fprintf(out, " [label=\"%s\\n%s", nd->name, nd->m ? xpp_type_name(nd->m->type) : "external");
			if (wt)
				fprintf(out, "\\nweight1=%.0f weight2=%.0f", wt->w1[o[k]], wt->w2[o[k]]);
			fprintf(out, "\"%s];\n", nd->m ? "" : ", style=dashed");
		}
		if (opened)
			fputs("  }\n", out);
	}
	for (int e = 0; e < g->ne; e++)
	{
		fputs("  ", out);
		dot_id(out, g->nodes[g->edges[e].from].name);
		fputs(" -> ", out);
		dot_id(out, g->nodes[g->edges[e].to].name);
		fputs(";\n", out);
	}
	fputs("}\n", out);
	free(o);
}

void
xpp_graph_free(struct xpp_graph *g)
{
	for (int k = 0; k < g->n; k++)
		free(g->nodes[k].name);
	free(g->nodes);
	free(g->edges);
	memset(g, 0, sizeof *g);
}
