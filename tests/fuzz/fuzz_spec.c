/*
 * fuzz_spec.c: a libFuzzer target over the spec path: read (cJSON, the NUL
 * scan), validate, render for both dialects, split the script into batches.
 * Built by "make fuzz" with clang -fsanitize=fuzzer,address,undefined; run
 * briefly by tests/fuzz/fuzz.t and for longer by "make fuzz".
 *
 * Besides memory and undefined-behaviour errors it checks what issue 9 is
 * about: text never leaves its comment.  The seeds (tests/fuzz/corpus) put
 * the marker "upkit;fuzz" into descriptions and X++; in every script
 * rendered, each occurrence of the marker must be in a comment, a literal
 * or a quoted name.  (No expression can hold it: ';' is refused anywhere in
 * an expression, so the marker never is code.)  A violation aborts, which libFuzzer
 * reports as a crash, with the input that caused it.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batches.h"
#include "diag.h"
#include "render_delta.h"
#include "render_insert.h"
#include "spec.h"

static int
render(struct strbuf *out, const struct upkit_spec *s, enum upkit_dialect d)
{
	char		err[512];

	if (s->kind == UPKIT_SPEC_INSERT)
		return d == UPKIT_DIALECT_MSSQL ? upkit_render_insert_mssql(out, s, err, sizeof err)
			: upkit_render_insert_pg(out, s, err, sizeof err);
	return d == UPKIT_DIALECT_MSSQL ? upkit_render_delta_mssql(out, s, err, sizeof err)
		: upkit_render_delta_pg(out, s, err, sizeof err);
}

/* Is m (on the line starting at line) inside a comment, a literal or a quoted name? */
static int
enclosed(const char *line, const char *m)
{
	char		close = 0;

	for (const char *p = line; p < m; p++)
	{
		if (close)
		{
			if (*p == close && close == ']' && p[1] == ']')
				p++;			/* ]] inside [...] */
			else if (*p == close)
				close = 0;
		}
		else if (p[0] == '-' && p[1] == '-')
			return 1;
		else if (*p == '\'' || *p == '"')
			close = *p;
		else if (*p == '[')
			close = ']';
	}
	return close != 0;
}

static void
check_marker_lines(const char *sql)
{
	for (const char *line = sql; *line;)
	{
		size_t		n = strcspn(line, "\n");

		for (const char *m = line; (m = memmem(m, n - (size_t) (m - line), "upkit;fuzz", 10)) != NULL; m++)
			if (!enclosed(line, m))
			{
				fprintf(stderr, "fuzz: marker outside a comment: %.*s\n", (int) n, line);
				abort();
			}
		line += n + (line[n] == '\n');
	}
}

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *text = malloc(size + 1);

	if (text == NULL)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	for (int d = 0; d < 2; d++)
	{
		enum upkit_dialect dl = d ? UPKIT_DIALECT_MSSQL : UPKIT_DIALECT_PG;
		struct upkit_diags diags = UPKIT_DIAGS_INIT;
		struct upkit_spec *s = upkit_spec_read_text("fuzz\r\n.json", text, dl, &diags);
		struct strbuf out = STRBUF_INIT;

		if (s != NULL && render(&out, s, dl) == 0)
		{
			struct upkit_batches b;

			check_marker_lines(sb_str(&out));
			upkit_split_batches(sb_str(&out), dl, &b);
			for (int i = 0; i < b.n; i++)
				if (b.items[i].text == NULL || b.items[i].first_line < 1)
					abort();
			upkit_free_batches(&b);
		}
		if (diags.n > 0)
		{
			FILE	   *f = fopen("/dev/null", "w");

			if (f)
			{
				upkit_diags_print(&diags, f);
				fclose(f);
			}
		}
		sb_free(&out);
		upkit_spec_free(s);
		upkit_diags_free(&diags);
	}
	/* The splitter takes any text too. */
	{
		struct upkit_batches b;

		upkit_split_batches(text, UPKIT_DIALECT_MSSQL, &b);
		upkit_free_batches(&b);
	}
	free(text);
	return 0;
}
