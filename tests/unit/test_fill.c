/*
 * test_fill.c: the template placeholder engine (sqlgen/fill.h).
 */
#include <string.h>

#include "fill.h"
#include "tap.h"

static const char *
fill(const char *tmpl, const struct upkit_fill_var *vars, int n, int *rc)
{
	static struct strbuf out = STRBUF_INIT;
	static char err[256];

	sb_free(&out);
	err[0] = '\0';
	*rc = upkit_fill(&out, tmpl, vars, n, err, sizeof err);
	return *rc == 0 ? sb_str(&out) : err;
}

int
main(void)
{
	struct upkit_fill_var vars[] = {
		{"NAME", "public.t"},
		{"LIST", "a,\nb,\n\nc"},
		{"ON", "1"},
		{"OFF", ""},
		{"BRACES", "{{NAME}}"},
	};
	int			n = (int) (sizeof vars / sizeof vars[0]);
	int			rc;

	plan(9);
	is_str(fill("INSERT INTO {{NAME}} ({{NAME}});\n", vars, n, &rc), "INSERT INTO public.t (public.t);\n",
		   "placeholders are replaced, several on a line");
	is_str(fill("    SELECT {{LIST}}\n", vars, n, &rc), "    SELECT a,\n    b,\n\n    c\n",
		   "further lines of a value get the line's indentation (blank lines stay blank)");
	is_str(fill("{{?ON}}kept\n{{?OFF}}dropped\n{{!OFF}}  kept too\n{{!ON}}dropped too\n", vars, n, &rc),
		   "kept\n  kept too\n", "{{?FLAG}} and {{!FLAG}} keep or drop their line");
	is_str(fill("--# a note on the template\nSQL\n", vars, n, &rc), "SQL\n", "--# lines are not generated");
	is_str(fill("x {{BRACES}} y\n", vars, n, &rc), "x {{NAME}} y\n", "a value is not filled again");
	is_str(fill("no newline at the end", vars, n, &rc), "no newline at the end", "the last line needs no newline");
	fill("x {{NOPE}}\n", vars, n, &rc);
	ok(rc == -1, "an unknown placeholder is an error");
	is_str(fill("a\nx {{NOPE}}\n", vars, n, &rc), "template line 2: unknown placeholder NOPE", "... naming the line and the name");
	is_str(fill("{{?NOPE}}x\n", vars, n, &rc), "template line 1: unknown flag NOPE", "an unknown flag is an error");
	return done();
}
