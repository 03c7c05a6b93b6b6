/*
 * batches.c: what ends a T-SQL batch (see batches.h).
 */
#include <string.h>
#include <strings.h>

#include "batches.h"

/*
 * Length of the white space at s (at most n bytes): ASCII blanks and line
 * ends, and the Unicode white space (U+0085, U+00A0, U+1680, U+2000 to
 * U+200A, U+2028, U+2029, U+202F, U+205F, U+3000, and U+FEFF, which
 * JavaScript's \s and so the T-SQL grammar's test harness count too).
 */
static size_t
space_len(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *) s;

	if (n >= 1 && (u[0] == ' ' || (u[0] >= '\t' && u[0] <= '\r')))
		return 1;
	if (n >= 2 && u[0] == 0xC2 && (u[1] == 0x85 || u[1] == 0xA0))
		return 2;
	if (n >= 3 && u[0] == 0xE1 && u[1] == 0x9A && u[2] == 0x80)
		return 3;
	if (n >= 3 && u[0] == 0xE2 && u[1] == 0x80 &&
		(u[2] <= 0x8A || u[2] == 0xA8 || u[2] == 0xA9 || u[2] == 0xAF))
		return 3;
	if (n >= 3 && u[0] == 0xE2 && u[1] == 0x81 && u[2] == 0x9F)
		return 3;
	if (n >= 3 && u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80)
		return 3;
	if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
		return 3;
	return 0;
}

/* The same at the end of [s, s+n). */
static size_t
space_len_back(const char *s, size_t n)
{
	for (size_t k = 1; k <= 3 && k <= n; k++)
		if (space_len(s + n - k, k) == k)
			return k;
	return 0;
}

int
upkit_is_go_line(const char *s, size_t n)
{
	size_t		k;

	while ((k = space_len(s, n)) > 0)
		s += k, n -= k;
	/* A comment may follow GO (its documentation says so): cut it off. */
	for (size_t i = 0; i + 1 < n; i++)
		if ((s[i] == '-' && s[i + 1] == '-') || (s[i] == '/' && s[i + 1] == '*'))
		{
			n = i;
			break;
		}
	while ((k = space_len_back(s, n)) > 0)
		n -= k;
	if (n < 2 || strncasecmp(s, "GO", 2) != 0)
		return 0;
	s += 2, n -= 2;
	if (n == 0)
		return 1;
	/* GO count: blanks, then digits */
	k = 0;
	while (k < n && space_len(s + k, n - k) > 0)
		k += space_len(s + k, n - k);
	if (k == 0 || k == n)
		return 0;
	while (k < n && s[k] >= '0' && s[k] <= '9')
		k++;
	return k == n;
}
