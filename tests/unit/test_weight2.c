/*
 * test_weight2.c: the reference's weight2 (sqlgen/weight2.c), by hand:
 * a -> b, a -> c, a -> c again (a duplicate edge counts once), b -> c.
 * weight1: a 10, b 200, c 3000, d 7 (no dependants).
 * weight2: a = 10 + 200 + 3000 = 3210, b = 200 + 3000 = 3200, c = 3000, d = 7.
 */
#include "tap.h"
#include "weight2.h"

int
main(void)
{
	int			a[] = {1, 2, 2},
				b[] = {2};
	int		   *children[] = {a, b, NULL, NULL};
	int			n_children[] = {3, 1, 0, 0};
	double		w1[] = {10, 200, 3000, 7},
				w2[4];

	plan(4);
	upkit_weights2(4, w1, children, n_children, w2);
	is_int((long long) w2[0], 3210, "a: its weight1 plus b's and c's, c counted once");
	is_int((long long) w2[1], 3200, "b: its weight1 plus c's");
	is_int((long long) w2[2], 3000, "c: no dependants, its weight1");
	is_int((long long) w2[3], 7, "d: no dependants, its weight1");
	return done();
}
