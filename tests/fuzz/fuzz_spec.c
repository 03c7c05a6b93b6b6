/*
 * fuzz_spec.c: a libFuzzer target over the spec path: read once (cJSON, the
 * NUL scan), validate and render units for both dialects (kind.h), and
 * check every unit's batches.
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
#include "spec.h"
#include "units.h"

/*
 * Every batch is sent as it is: none may hold a GO line (SSMS would cut it
 * elsewhere than install does), and each is a piece of the printed text.
 */
static void
check_batches(const struct upkit_units *us)
{
	for (int i = 0; i < us->n; i++)
		for (int j = 0; j < us->items[i].n_batches; j++)
		{
			const char *b = us->items[i].batches[j];

			if (strstr(sb_str(&us->items[i].text), b) == NULL || us->items[i].batch_lines[j] < 1)
				abort();
			for (const char *line = b; *line;)
			{
				size_t		n = strcspn(line, "\n");

				if (upkit_is_go_line(line, n))
					abort();
				line += n + (line[n] == '\n');
			}
		}
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
	{
		struct upkit_diags diags = UPKIT_DIAGS_INIT;
		struct upkit_spec *s = upkit_spec_load_text("fuzz\r\n.json", text, &diags);

		for (int d = 0; d < 2 && s != NULL; d++)
		{
			enum upkit_dialect dl = d ? UPKIT_DIALECT_MSSQL : UPKIT_DIALECT_PG;
			struct upkit_units us = UPKIT_UNITS_INIT;
			struct strbuf out = STRBUF_INIT;
			char		err[512];

			if (upkit_spec_check(s, dl, &diags) == 0 &&
				s->kind->render[dl](&us, s, err, sizeof err) == 0)
			{
				upkit_units_print(&us, &out);
				check_marker_lines(sb_str(&out));
				check_batches(&us);
			}
			sb_free(&out);
			upkit_units_free(&us);
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
		upkit_spec_free(s);
		upkit_diags_free(&diags);
	}
	/* Cutting a script at GO lines takes any text too. */
	{
		struct upkit_units us = UPKIT_UNITS_INIT;
		struct upkit_unit *u = upkit_unit_add(&us, UPKIT_DIALECT_MSSQL, "procedure", "dbo",
														"X", NULL, "fuzz");

		upkit_unit_append_script(u, text, size);
		upkit_unit_end_batch(u);
		if (strcmp(sb_str(&u->text), text) != 0)
			abort();
		upkit_units_free(&us);
	}
	free(text);
	return 0;
}
