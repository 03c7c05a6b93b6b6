/*
 * weight2.c: the reference's weight2 (weight2.h).
 */
#include "weight2.h"

void
upkit_weights2(int n, const double *w1, int *const *children, const int *n_children, double *w2)
{
	for (int i = 0; i < n; i++)
	{
		w2[i] = w1[i];
		for (int k = 0; k < n_children[i]; k++)
		{
			int			d = children[i][k],
						dup = 0;

			for (int e = 0; e < k && !dup; e++)
				dup = children[i][e] == d;
			if (!dup)
				w2[i] += w1[d];
		}
	}
}
