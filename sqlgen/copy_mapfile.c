/*
 * copy_mapfile.c: read and validate a copy mapping file (--mapping FILE,
 * docs/copy.md "The mapping file") into struct copy_mapping.
 *
 * Validated with the care of a spec: every problem is reported with file,
 * JSON path and reason, and reading goes on after one, so a run shows all
 * of them.  What needs the databases (does the table exist?) is checked
 * later, by copy_map(), with the same paths.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "copy_mapfile.h"
#include "spec.h"
#include "specread.h"
#include "strbuf.h"

struct choice
{
	const char *name;
	int			value;
};

static const struct choice joins[] = {
	{"join", COPY_JOIN_INNER}, {"left", COPY_JOIN_LEFT}, {"right", COPY_JOIN_RIGHT},
	{"full", COPY_JOIN_FULL}, {NULL, 0}
};
static const struct choice options[] = {
	{"ltrim", COPY_FIELD_LTRIM}, {"do_not_copy", COPY_FIELD_DONOTCOPY}, {NULL, 0}
};
static const struct choice exceptions[] = {
	{"do_not_copy", COPY_EXC_DONOTCOPY}, {"truncate_on_copy", COPY_EXC_TRUNCATEONCOPY}, {NULL, 0}
};

/* A string that must be one of choices; absent gives dflt. */
static int
read_choice(struct upkit_spec_reader *r, const cJSON *obj, const char *path, const char *key,
			const struct choice *choices, int dflt)
{
	char	   *s = sr_string(r, obj, path, key, 0);
	struct strbuf list = STRBUF_INIT;
	char	   *p;

	if (s == NULL)
		return dflt;
	for (const struct choice *c = choices; c->name; c++)
		if (strcmp(c->name, s) == 0)
		{
			free(s);
			return c->value;
		}
	for (const struct choice *c = choices; c->name; c++)
		sb_appendf(&list, "%s\"%s\"", c == choices ? "" : ", ", c->name);
	p = sr_path_key(path, key);
	sr_problem(r, p, "unknown value \"%s\" (use %s)", s, sb_str(&list));
	free(p);
	free(s);
	sb_free(&list);
	return dflt;
}

static void
read_fields(struct upkit_spec_reader *r, const cJSON *obj, const char *path,
			struct copy_field_rule **out, int *n)
{
	static const char *const keys[] = {"field", "target", "option", NULL};
	char	   *apath = sr_path_key(path, "fields");
	const cJSON *arr = sr_array(r, obj, path, "fields", 0);
	const cJSON *it;
	int			i = 0;

	*out = calloc((size_t) cJSON_GetArraySize(arr) + 1, sizeof **out);
	*n = 0;
	if (*out == NULL)
		abort();
	cJSON_ArrayForEach(it, arr)
	{
		char	   *p = sr_path_index(apath, i++);
		struct copy_field_rule *f = &(*out)[*n];

		if (!cJSON_IsObject(it))
		{
			sr_problem(r, p, "must be an object such as {\"field\": \"NAME\", \"target\": \"NEWNAME\"}");
			free(p);
			continue;
		}
		sr_check_keys(r, it, p, keys);
		f->field = sr_name(r, it, p, "field", 1);
		f->target = sr_name(r, it, p, "target", 0);
		f->option = read_choice(r, it, p, "option", options, COPY_FIELD_PLAIN);
		f->path = p;
		if (f->field == NULL)
		{
			free(f->target);
			free(p);
			memset(f, 0, sizeof *f);
			continue;
		}
		if (f->target == NULL && cJSON_GetObjectItemCaseSensitive(it, "option") == NULL)
			sr_problem(r, p, "says nothing: give \"target\" (a field mapping) or \"option\"");
		if (f->target && f->option == COPY_FIELD_DONOTCOPY)
			sr_problem(r, p, "\"target\" and option \"do_not_copy\" contradict each other");
		for (int j = 0; j < *n; j++)
			if (strcasecmp((*out)[j].field, f->field) == 0)
				sr_problem(r, p, "field %s is already listed at %s", f->field, (*out)[j].path);
		(*n)++;
	}
	free(apath);
}

static void
read_ready(struct upkit_spec_reader *r, const cJSON *sh, const char *path,
		   struct copy_shadow_rule *s)
{
	static const char *const keys[] = {"schema", "function", "companies", NULL};
	const cJSON *ready = sr_object(r, sh, path, "ready", 0);
	char	   *rpath = sr_path_key(path, "ready");
	const cJSON *arr;
	const cJSON *it;
	char	   *cpath;
	int			i = 0;

	if (ready == NULL)
	{
		free(rpath);
		return;
	}
	sr_check_keys(r, ready, rpath, keys);
	s->ready_schema = sr_name(r, ready, rpath, "schema", 0);
	s->ready_function = sr_name(r, ready, rpath, "function", 1);
	arr = sr_array(r, ready, rpath, "companies", 0);
	cpath = sr_path_key(rpath, "companies");
	if (arr && cJSON_GetArraySize(arr) == 0)
		sr_problem(r, cpath, "must list at least one company, or be left out for a function without an argument");
	s->companies = calloc((size_t) cJSON_GetArraySize(arr) + 1, sizeof *s->companies);
	if (s->companies == NULL)
		abort();
	cJSON_ArrayForEach(it, arr)
	{
		char	   *p = sr_path_index(cpath, i++);

		if (!cJSON_IsString(it) || it->valuestring[0] == '\0')
			sr_problem(r, p, "must be a company id such as \"dat\"");
		else
			s->companies[s->ncompanies++] = xstrdup(it->valuestring);
		free(p);
	}
	free(cpath);
	free(rpath);
}

static struct copy_shadow_rule *
read_shadow(struct upkit_spec_reader *r, const cJSON *t, const char *path)
{
	static const char *const keys[] = {"table", "join", "fields", "ready", NULL};
	const cJSON *sh = sr_object(r, t, path, "shadow", 0);
	struct copy_shadow_rule *s;

	if (sh == NULL)
		return NULL;
	s = calloc(1, sizeof *s);
	if (s == NULL)
		abort();
	s->path = sr_path_key(path, "shadow");
	sr_check_keys(r, sh, s->path, keys);
	s->table = sr_name(r, sh, s->path, "table", 1);
	s->join = read_choice(r, sh, s->path, "join", joins, COPY_JOIN_INNER);
	read_fields(r, sh, s->path, &s->fields, &s->nfields);
	read_ready(r, sh, s->path, s);
	if (s->table == NULL)
		s->table = xstrdup("");
	return s;
}

static void
read_tables(struct upkit_spec_reader *r, const cJSON *root, struct copy_mapping *m)
{
	static const char *const keys[] = {"table", "target", "exception", "fields", "shadow", NULL};
	const cJSON *arr = sr_array(r, root, "$", "tables", 0);
	const cJSON *it;
	int			i = 0;

	m->tables = calloc((size_t) cJSON_GetArraySize(arr) + 1, sizeof *m->tables);
	if (m->tables == NULL)
		abort();
	cJSON_ArrayForEach(it, arr)
	{
		char	   *p = sr_path_index("$.tables", i++);
		struct copy_table_rule *t = &m->tables[m->ntables];

		if (!cJSON_IsObject(it))
		{
			sr_problem(r, p, "must be an object such as {\"table\": \"CUSTTABLE\", ...}");
			free(p);
			continue;
		}
		sr_check_keys(r, it, p, keys);
		t->path = p;
		t->table = sr_name(r, it, p, "table", 1);
		t->target = sr_name(r, it, p, "target", 0);
		t->exception = read_choice(r, it, p, "exception", exceptions, COPY_EXC_NONE);
		read_fields(r, it, p, &t->fields, &t->nfields);
		t->shadow = read_shadow(r, it, p);
		if (t->table == NULL)
		{
			t->table = xstrdup("");
			m->ntables++;
			continue;
		}
		if (t->exception == COPY_EXC_DONOTCOPY && (t->target || t->nfields || t->shadow))
			sr_problem(r, p, "table %s has exception \"do_not_copy\": a target, fields or a shadow would never be used",
					   t->table);
		if (t->shadow && strcasecmp(t->shadow->table, t->table) == 0)
			sr_problem(r, p, "table %s cannot be its own shadow", t->table);
		for (int j = 0; j < m->ntables; j++)
			if (strcasecmp(m->tables[j].table, t->table) == 0)
				sr_problem(r, p, "table %s is already listed at %s", t->table, m->tables[j].path);
		m->ntables++;
	}
}

int
copy_mapping_read_text(const char *file, const char *text, struct copy_mapping *m,
					   struct upkit_diags *diags)
{
	static const char *const keys[] = {"source_schema", "target_schema", "tables", NULL};
	struct upkit_spec_reader r = {file, UPKIT_DIALECT_PG, diags, 0};
	cJSON	   *root = upkit_json_parse(&r, text, "a mapping file");

	memset(m, 0, sizeof *m);
	m->file = xstrdup(file);
	if (root == NULL)
		return -1;
	sr_check_keys(&r, root, "$", keys);
	m->source_schema = sr_name(&r, root, "$", "source_schema", 0);
	m->target_schema = sr_name(&r, root, "$", "target_schema", 0);
	read_tables(&r, root, m);
	cJSON_Delete(root);
	return r.problems > 0 ? -1 : 0;
}

int
copy_mapping_read_file(const char *path, struct copy_mapping *m, struct upkit_diags *diags)
{
	struct strbuf text = STRBUF_INIT;
	int			rc = -1;

	memset(m, 0, sizeof *m);
	if (upkit_read_text_file(path, "a mapping file is UTF-8 JSON text", &text, diags) == 0)
		rc = copy_mapping_read_text(path, sb_str(&text), m, diags);
	sb_free(&text);
	return rc;
}
