/*
 * tap.h: a minimal TAP producer for the C unit tests.
 *
 *   int main(void) { plan(2); ok(1 + 1 == 2, "adds"); is_str(a, b, "same"); return done(); }
 */
#ifndef UPKIT_TAP_H
#define UPKIT_TAP_H

#include <stdio.h>
#include <string.h>

static int	tap_n = 0;
static int	tap_failed = 0;

static inline void
plan(int n)
{
	printf("1..%d\n", n);
}

static inline int
ok(int cond, const char *name)
{
	tap_n++;
	printf("%sok %d - %s\n", cond ? "" : "not ", tap_n, name);
	if (!cond)
		tap_failed++;
	return cond;
}

static inline int
is_str(const char *got, const char *want, const char *name)
{
	int			same = (got == NULL && want == NULL) ||
		(got != NULL && want != NULL && strcmp(got, want) == 0);

	if (!ok(same, name))
		printf("#   got:  '%s'\n#   want: '%s'\n", got ? got : "(null)", want ? want : "(null)");
	return same;
}

static inline int
is_int(long long got, long long want, const char *name)
{
	if (!ok(got == want, name))
		printf("#   got:  %lld\n#   want: %lld\n", got, want);
	return got == want;
}

static inline int
done(void)
{
	return tap_failed == 0 ? 0 : 1;
}

#endif
