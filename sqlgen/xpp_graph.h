/*
 * xpp_graph.h: the upgrade scripts' dependency graph.
 *
 * Nodes are the scripts of the XPO files (and methods known only from a
 * list file, drawn as external); an edge a -> b means a runs before b
 * (b's UpgradeDependsOn... attribute names a, or a's ...DependsOnMe names
 * b).  Two scripts are ordered when a path joins them, when their stages
 * differ (PreSync, PostSync, Additional), when their types fall in
 * different tiers of a stage (Start, then Shared and Standard together,
 * then Final), or, by the reference's implicit rule, when they belong to
 * the same module in different versions (ReleaseUpdateDB41_Ledger before
 * ReleaseUpdateDB60_Ledger).
 *
 * Checks: a dependency that names nothing known (BPErrorClassNameNotFound,
 * BPErrorMethodNameNotFound) or a method that is not a script, cycles,
 * dependencies implied by others (redundant) and races (two unordered
 * scripts declaring write access to one table).
 */
#ifndef UPKIT_XPP_GRAPH_H
#define UPKIT_XPP_GRAPH_H

#include <stdio.h>

#include "conn.h"
#include "diag.h"
#include "xpp_lint.h"
#include "xpp_scripts.h"

struct xpp_gnode
{
	const struct xpp_method *m;	/* NULL for an external script */
	char	   *name;			/* Class.method */
};

struct xpp_gedge
{
	int			from;			/* runs first */
	int			to;
	const struct xpp_method *decl;	/* the script whose attribute says so */
	int			line;
};

struct xpp_graph
{
	struct xpp_gnode *nodes;
	int			n;
	struct xpp_gedge *edges;
	int			ne;
};

/* Build from the world's scripts; unresolvable dependencies go to f (may be NULL). */
void		xpp_graph_build(const struct xpp_world *w, struct xpp_graph *g, struct xpp_findings *f);
/* Cycles, redundant dependencies, races. */
void		xpp_graph_check(const struct xpp_world *w, const struct xpp_graph *g, struct xpp_findings *f);

/*
 * Weights per node (weight1: the summed sizes of the tables a script uses;
 * weight2: weight1 plus the weight1 of its immediate dependants), or NULL.
 */
struct xpp_weights
{
	double	   *w1;
	double	   *w2;
};

void		xpp_graph_weights2(const struct xpp_graph *g, struct xpp_weights *wt);

/*
 * weight1 of every node from a PostgreSQL catalog (xpp_weights.c) over the
 * connection c: a table's size is pg_class.reltuples, or count(*) when the
 * table was never analyzed; the name is folded to lower case and found on
 * the search_path.  A table the database lacks counts as 0, with a note
 * ("note: table ...") in d.  Fills wt (w1, w2 allocated here); returns 0,
 * or -1 with the failure in d.  Prints nothing.
 */
int			xpp_weights_from_catalog(struct upkit_conn *c, const struct xpp_graph *g,
									 struct xpp_weights *wt, struct upkit_diags *d);

/* Text: scripts by stage and type, each with its tables and what it runs after. */
void		xpp_graph_print_text(const struct xpp_graph *g, const struct xpp_weights *wt, FILE *out);
/* Graphviz DOT: a cluster per stage, nodes labelled with their type. */
void		xpp_graph_print_dot(const struct xpp_graph *g, const struct xpp_weights *wt, FILE *out);
void		xpp_graph_free(struct xpp_graph *g);

#endif
