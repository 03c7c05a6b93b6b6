/*
 * spec.c: read a spec file and dispatch on its kind (see spec.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec.h"
#include "specread.h"
#include "strbuf.h"

/* Line and column of a byte offset, for JSON syntax errors. */
static void
line_col(const char *text, size_t off, int *line, int *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off && text[i]; i++)
	{
		if (text[i] == '\n')
		{
			(*line)++;
			*col = 1;
		}
		else
			(*col)++;
	}
}

/*
 * JSON strings that hold \u0000.  cJSON decodes one into a C string that
 * ends at the NUL, so "t\u0000x" would read as "t" and
 * "S.A\u0000; DROP TABLE x" as "S.A": the text is scanned for them, string
 * by string (keys and values, in document order, which is also the order
 * of the parsed tree), and each is reported with its JSON path.
 */
struct nul_scan
{
	const char *text;
	size_t		pos;			/* where the scan of text is */
	struct upkit_spec_reader *r;
};

/* Advance to the next string token of the text; 1 when it holds \u0000. */
static int
next_string_has_nul(struct nul_scan *ns)
{
	const char *t = ns->text;
	size_t		i = ns->pos;
	int			nul = 0;

	while (t[i] && t[i] != '"')
		i++;
	if (t[i] == '\0')
	{
		ns->pos = i;
		return 0;
	}
	for (i++; t[i] && t[i] != '"'; i++)
		if (t[i] == '\\' && t[i + 1])
		{
			if (t[i + 1] == 'u' && strncmp(t + i + 2, "0000", 4) == 0)
				nul = 1;
			i++;
		}
	ns->pos = t[i] ? i + 1 : i;
	return nul;
}

static void
scan_nul(struct nul_scan *ns, const cJSON *v, const char *path)
{
	if (cJSON_IsObject(v) || cJSON_IsArray(v))
	{
		int			i = 0;

		for (const cJSON *c = v->child; c; c = c->next, i++)
		{
			char	   *p = cJSON_IsObject(v) ? sr_path_key(path, c->string) : sr_path_index(path, i);

			if (cJSON_IsObject(v) && next_string_has_nul(ns))
				sr_problem(ns->r, p, "the key holds the NUL character (\\u0000), which no spec text may hold");
			scan_nul(ns, c, p);
			free(p);
		}
	}
	else if (cJSON_IsString(v) && next_string_has_nul(ns))
		sr_problem(ns->r, path, "the string holds the NUL character (\\u0000), which no name, expression or text may hold");
}

cJSON *
upkit_json_parse(struct upkit_spec_reader *r, const char *text, const char *what)
{
	const char *end = NULL;
	cJSON	   *root;

	if (text[strspn(text, " \t\r\n")] == '\0')
	{
		sr_problem(r, "$", "the file is empty%s; %s is one JSON object {...}",
				   text[0] ? " (only white space)" : "", what);
		return NULL;
	}
	root = cJSON_ParseWithOpts(text, &end, 1);
	if (root == NULL)
	{
		int			line,
					col;
		size_t		off = end ? (size_t) (end - text) : 0;

		line_col(text, off, &line, &col);
		sr_problem(r, "$", "not valid JSON: syntax error near line %d, column %d", line, col);
		return NULL;
	}
	if (!cJSON_IsObject(root))
	{
		sr_problem(r, "$", "%s must be a JSON object", what);
		cJSON_Delete(root);
		return NULL;
	}
	{
		struct nul_scan ns = {text, 0, r};

		scan_nul(&ns, root, "$");
	}
	return root;
}

struct upkit_spec *
upkit_spec_load_text(const char *file, const char *text, struct upkit_diags *diags)
{
	struct upkit_spec_reader r = {file, UPKIT_DIALECT_NONE, diags, 0};
	cJSON	   *root = upkit_json_parse(&r, text, "a spec");
	const cJSON *kv;
	const char *kind_name = "insert";
	const struct upkit_kind *k;
	struct upkit_spec *s;

	if (root == NULL)
		return NULL;
	kv = cJSON_GetObjectItemCaseSensitive(root, "kind");
	if (kv && !cJSON_IsString(kv))
	{
		sr_problem(&r, "$.kind", "must be a string such as \"insert\"");
		cJSON_Delete(root);
		return NULL;
	}
	if (kv)
		kind_name = kv->valuestring;
	if ((k = upkit_kind_find(kind_name)) == NULL)
	{
		struct strbuf list = STRBUF_INIT;

		upkit_kind_names(&list);
		sr_problem(&r, "$.kind", "unknown kind \"%s\" (known: %s)", kind_name, sb_str(&list));
		sb_free(&list);
	}
	if (k == NULL)
	{
		cJSON_Delete(root);
		return NULL;
	}
	s = calloc(1, sizeof *s);
	if (s == NULL)
		abort();
	s->file = xstrdup(file);
	s->kind = k;
	s->json = root;
	s->load_problems = r.problems;
	return s;
}

int
upkit_spec_check(struct upkit_spec *s, enum upkit_dialect d, struct upkit_diags *diags)
{
	struct upkit_spec_reader r = {s->file, d, diags, 0};
	void	   *body;

	if (s->body[d] != NULL)
		return 0;
	body = s->kind->read(&r, s->json);
	if (r.problems > 0 || s->load_problems > 0 || body == NULL)
	{
		if (body)
			s->kind->free_body(body);
		if (r.problems == 0 && s->load_problems == 0)
			sr_problem(&r, "$", "spec could not be read");
		return -1;
	}
	s->body[d] = body;
	return 0;
}

const void *
upkit_spec_body(const struct upkit_spec *s, enum upkit_dialect d)
{
	return s->body[d];
}

int
upkit_read_text_file(const char *path, const char *nul_reason, struct strbuf *out,
					 struct upkit_diags *diags)
{
	FILE	   *f = fopen(path, "rb");
	char		buf[8192];
	size_t		n;

	if (f == NULL)
	{
		upkit_diag_add(diags, path, "$", "cannot open: %s", strerror(errno));
		return -1;
	}
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sb_append_len(out, buf, n);
	if (ferror(f))
	{
		upkit_diag_add(diags, path, "$", "cannot read: %s", strerror(errno));
		fclose(f);
		return -1;
	}
	fclose(f);
	if (strlen(sb_str(out)) != out->len)
	{
		upkit_diag_add(diags, path, "$", "file contains a NUL byte; %s", nul_reason);
		return -1;
	}
	return 0;
}

struct upkit_spec *
upkit_spec_load_file(const char *path, struct upkit_diags *diags)
{
	struct strbuf text = STRBUF_INIT;
	struct upkit_spec *s = NULL;

	if (upkit_read_text_file(path, "a spec is UTF-8 JSON text", &text, diags) == 0)
		s = upkit_spec_load_text(path, sb_str(&text), diags);
	sb_free(&text);
	return s;
}

/* Load, then check for d; the spec only when both succeed. */
static struct upkit_spec *
checked(struct upkit_spec *s, enum upkit_dialect d, struct upkit_diags *diags)
{
	if (s && upkit_spec_check(s, d, diags) != 0)
	{
		upkit_spec_free(s);
		return NULL;
	}
	return s;
}

struct upkit_spec *
upkit_spec_read_text(const char *file, const char *text, enum upkit_dialect d,
					 struct upkit_diags *diags)
{
	return checked(upkit_spec_load_text(file, text, diags), d, diags);
}

struct upkit_spec *
upkit_spec_read_file(const char *path, enum upkit_dialect d, struct upkit_diags *diags)
{
	return checked(upkit_spec_load_file(path, diags), d, diags);
}

void
upkit_spec_free(struct upkit_spec *s)
{
	if (s == NULL)
		return;
	for (int d = 0; d < UPKIT_DIALECT_COUNT; d++)
		if (s->body[d])
			s->kind->free_body(s->body[d]);
	cJSON_Delete(s->json);
	free(s->file);
	free(s);
}
