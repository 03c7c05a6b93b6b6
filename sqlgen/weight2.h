/*
 * weight2.h: the reference's weight2 (its scheduling algorithm: a script's
 * weight1 plus the weight1 of each of its immediate dependants, each
 * counted once).  The one place it is computed: the plan's graph
 * (plan_graph.c) and the X++ scripts' graph (xpp_graph.c) both call it.
 */
#ifndef UPKIT_WEIGHT2_H
#define UPKIT_WEIGHT2_H

/*
 * w2[i] = w1[i] + the sum of w1[d] over the distinct d in
 * children[i][0 .. n_children[i]), for each of the n nodes.
 */
void		upkit_weights2(int n, const double *w1, int *const *children, const int *n_children, double *w2);

#endif
