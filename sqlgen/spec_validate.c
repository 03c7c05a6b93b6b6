/*
 * spec_validate.c: read and validate a "validate" spec (see
 * spec_validate.h and docs/specs.md, which lists every rule and message
 * checked here).
 *
 * Like every reader it goes on after a problem, so one run reports every
 * problem in the file, each with its JSON path.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "comment.h"
#include "ident.h"
#include "spec_validate.h"
#include "strbuf.h"

static const char *const kind_names[] = {
	[UPKIT_CHECK_UNIQUE] = "unique",
	[UPKIT_CHECK_NOT_NULL] = "not_null",
	[UPKIT_CHECK_REFERENCES] = "references",
	[UPKIT_CHECK_FITS] = "fits",
	[UPKIT_CHECK_NUMBER_SEQUENCE] = "number_sequence",
	[UPKIT_CHECK_CUSTOM] = "custom",
};
#define N_CHECK_KINDS ((int) (sizeof kind_names / sizeof kind_names[0]))

/* The keys each check kind allows besides the common ones. */
static const char *const common_keys[] = {
	"id", "check", "level", "message", "resolution", "schema", "table", "alias",
	"dataareaid", "where", "key", NULL
};
static const char *const own_keys[][8] = {
	[UPKIT_CHECK_UNIQUE] = {"columns", NULL},
	[UPKIT_CHECK_NOT_NULL] = {"column", NULL},
	[UPKIT_CHECK_REFERENCES] = {"columns", "to", NULL},
	[UPKIT_CHECK_FITS] = {"column", "type", "length", "precision", "scale", "target", NULL},
	[UPKIT_CHECK_NUMBER_SEQUENCE] = {"numbersequence", "rows", NULL},
	[UPKIT_CHECK_CUSTOM] = {"detail", NULL},
};

static const struct
{
	const char *name;
	enum upkit_fits_family family;
}			fits_types[] = {
	{"varchar", UPKIT_FITS_STRING}, {"nvarchar", UPKIT_FITS_STRING},
	{"char", UPKIT_FITS_STRING}, {"nchar", UPKIT_FITS_STRING},
	{"character varying", UPKIT_FITS_STRING}, {"character", UPKIT_FITS_STRING},
	{"smallint", UPKIT_FITS_INTEGER}, {"int", UPKIT_FITS_INTEGER},
	{"integer", UPKIT_FITS_INTEGER}, {"bigint", UPKIT_FITS_INTEGER},
	{"tinyint", UPKIT_FITS_INTEGER},
	{"numeric", UPKIT_FITS_NUMERIC}, {"decimal", UPKIT_FITS_NUMERIC},
};

const char *
upkit_check_kind_name(enum upkit_check_kind k)
{
	return kind_names[k];
}

static void
check_keys_of(struct upkit_spec_reader *r, const cJSON *c, const char *path, enum upkit_check_kind k)
{
	const char *allowed[32];
	int			n = 0;

	for (int i = 0; common_keys[i]; i++)
		allowed[n++] = common_keys[i];
	for (int i = 0; own_keys[k][i]; i++)
		allowed[n++] = own_keys[k][i];
	allowed[n] = NULL;
	sr_check_keys(r, c, path, allowed);
}

/*
 * A list of column names under key (required: at least one), each once.
 * Returns the count; *out is calloc'd (NULL when absent).
 */
static int
name_list(struct upkit_spec_reader *r, const cJSON *obj, const char *path, const char *key,
		  int required, const char *what, char ***out)
{
	char	   *lp = sr_path_key(path, key);
	const cJSON *arr = sr_array(r, obj, path, key, required);
	const cJSON *it;
	int			i = 0,
				n = 0;

	*out = NULL;
	if (arr == NULL)
	{
		free(lp);
		return 0;
	}
	if (cJSON_GetArraySize(arr) == 0)
	{
		sr_problem(r, lp, "must name at least one %s column", what);
		free(lp);
		return 0;
	}
	*out = calloc((size_t) cJSON_GetArraySize(arr), sizeof **out);
	if (*out == NULL)
		abort();
	cJSON_ArrayForEach(it, arr)
	{
		char	   *p = sr_path_index(lp, i++);
		char		why[512];
		int			dup = 0;

		if (!cJSON_IsString(it))
			sr_problem(r, p, "must be a string (a %s column name)", what);
		else if (upkit_ident_check(it->valuestring, r->dialect, why, sizeof why) != 0)
			sr_problem(r, p, "%s", why);
		else
		{
			for (int j = 0; j < n && !dup; j++)
				if (upkit_ident_same((*out)[j], it->valuestring, r->dialect))
					dup = 1;
			if (dup)
				sr_problem(r, p, "column \"%s\" is already listed", it->valuestring);
			else
				(*out)[n++] = xstrdup(it->valuestring);
		}
		free(p);
	}
	free(lp);
	return n;
}

/* One column under key, as a list of one. */
static int
one_column(struct upkit_spec_reader *r, const cJSON *c, const char *path, char ***out)
{
	char	   *col = sr_name(r, c, path, "column", 1);

	*out = NULL;
	if (col == NULL)
		return 0;
	*out = calloc(1, sizeof **out);
	if (*out == NULL)
		abort();
	(*out)[0] = col;
	return 1;
}

static char **
copy_list(char **src, int n)
{
	char	  **dst = n ? calloc((size_t) n, sizeof *dst) : NULL;

	if (n && dst == NULL)
		abort();
	for (int i = 0; i < n; i++)
		dst[i] = xstrdup(src[i]);
	return dst;
}

static void
read_references(struct upkit_spec_reader *r, const cJSON *c, const char *path,
				struct upkit_validate_check *k)
{
	static const char *const to_keys[] = {"schema", "table", "columns", "dataareaid", NULL};
	char	   *tp = sr_path_key(path, "to");
	const cJSON *to;

	k->n_columns = name_list(r, c, path, "columns", 1, "referencing", &k->columns);
	to = sr_object(r, c, path, "to", 1);
	if (to)
	{
		sr_check_keys(r, to, tp, to_keys);
		sr_qname(r, to, tp, "table", &k->to);
		k->n_to_columns = name_list(r, to, tp, "columns", 1, "referenced", &k->to_columns);
		k->to_dataareaid = sr_bool(r, to, tp, "dataareaid", k->dataareaid);
		if (k->to_dataareaid && !k->dataareaid)
			sr_problem(r, tp, "\"dataareaid\": true matches the rows' DATAAREAID, but the checked table has none (\"dataareaid\": false)");
		if (k->n_columns && k->n_to_columns && k->n_columns != k->n_to_columns)
			sr_problem(r, tp, "names %d referenced column%s for %d referencing column%s; they pair up in order",
					   k->n_to_columns, k->n_to_columns == 1 ? "" : "s",
					   k->n_columns, k->n_columns == 1 ? "" : "s");
	}
	free(tp);
}

static void
read_fits(struct upkit_spec_reader *r, const cJSON *c, const char *path, struct upkit_validate_check *k)
{
	static const char *const target_keys[] = {"schema", "table", "column", NULL};
	char	   *type;
	const cJSON *target;
	int			found = 0;

	k->n_columns = one_column(r, c, path, &k->columns);
	type = sr_string(r, c, path, "type", 1);
	if (type)
	{
		char	   *tp = sr_path_key(path, "type");

		for (size_t i = 0; i < sizeof fits_types / sizeof fits_types[0]; i++)
			if (strcasecmp(type, fits_types[i].name) == 0)
			{
				k->family = fits_types[i].family;
				k->type = xstrdup(fits_types[i].name);
				found = 1;
			}
		if (!found)
			sr_problem(r, tp, "unknown type \"%s\" (known: varchar, nvarchar, char, nchar, character varying, "
					   "character, smallint, int, integer, bigint, tinyint, numeric, decimal)", type);
		free(tp);
		free(type);
	}
	if (found && k->family == UPKIT_FITS_STRING)
		sr_int(r, c, path, "length", 1, 1, 10485760, &k->length);
	else if (cJSON_GetObjectItemCaseSensitive(c, "length"))
	{
		char	   *p = sr_path_key(path, "length");

		sr_problem(r, p, "is only for a character type (varchar, nvarchar, char, nchar)");
		free(p);
	}
	if (found && k->family == UPKIT_FITS_NUMERIC)
	{
		if (sr_int(r, c, path, "precision", 1, 1, 38, &k->precision) == 1 &&
			sr_int(r, c, path, "scale", 0, 0, k->precision, &k->scale) == 0)
			k->scale = 0;
	}
	else if (cJSON_GetObjectItemCaseSensitive(c, "precision") || cJSON_GetObjectItemCaseSensitive(c, "scale"))
		sr_problem(r, path, "\"precision\" and \"scale\" are only for numeric and decimal");
	target = sr_object(r, c, path, "target", 0);
	if (target)
	{
		char	   *tp = sr_path_key(path, "target");

		sr_check_keys(r, target, tp, target_keys);
		sr_qname(r, target, tp, "table", &k->target);
		k->target_column = sr_name(r, target, tp, "column", 0);
		if (k->target_column == NULL && cJSON_GetObjectItemCaseSensitive(target, "column") == NULL &&
			k->n_columns)
			k->target_column = xstrdup(k->columns[0]);
		free(tp);
	}
}

/* An alias (default dflt) that is not one of the generated SQL's own. */
static char *
checked_alias(struct upkit_spec_reader *r, const cJSON *obj, const char *path, const char *dflt)
{
	char	   *alias = sr_alias(r, obj, path, "alias", dflt);

	if (alias && strncasecmp(alias, UPKIT_VALIDATE_ALIAS_PREFIX, strlen(UPKIT_VALIDATE_ALIAS_PREFIX)) == 0)
	{
		char	   *p = sr_path_key(path, "alias");

		sr_problem(r, p, "alias \"%s\" starts with \"%s\", which the generated SQL keeps for its own aliases",
				   alias, UPKIT_VALIDATE_ALIAS_PREFIX);
		free(p);
		free(alias);
		return NULL;
	}
	return alias;
}

static void
read_number_sequence(struct upkit_spec_reader *r, const cJSON *c, const char *path,
					 struct upkit_validate_check *k)
{
	static const char *const rows_keys[] = {"schema", "table", "alias", "where", "dataareaid", NULL};
	const cJSON *rows = cJSON_GetObjectItemCaseSensitive(c, "rows");
	char	   *rp = sr_path_key(path, "rows");

	k->numbersequence = sr_string(r, c, path, "numbersequence", 1);
	if (k->numbersequence)
	{
		char		why[512];
		char	   *p = sr_path_key(path, "numbersequence");

		if (k->numbersequence[0] == '\0' || upkit_text_check(k->numbersequence, 0, why, sizeof why) != 0)
			sr_problem(r, p, "\"%s\" is not a number sequence code: it must be one non-empty line",
					   k->numbersequence);
		free(p);
	}
	if (rows == NULL)
		sr_problem(r, rp, "is required: the number of rows the sequence must number, or "
				   "{\"table\": ..., \"where\": ...} to count them");
	else if (cJSON_IsNumber(rows))
		sr_int(r, c, path, "rows", 1, 0, 1000000000000LL, &k->rows);
	else if (cJSON_IsObject(rows))
	{
		sr_check_keys(r, rows, rp, rows_keys);
		sr_qname(r, rows, rp, "table", &k->rows_table);
		k->rows_alias = checked_alias(r, rows, rp, "R");
		k->rows_where = sr_expr(r, rows, rp, "where", 0);
		k->rows_dataareaid = sr_bool(r, rows, rp, "dataareaid", 1);
	}
	else
		sr_problem(r, rp, "must be a number of rows or {\"table\": ..., \"where\": ...}");
	free(rp);
}

/*
 * A message or resolution: one non-empty line (it becomes a string literal
 * of the generated SQL, where a line "GO" would end a T-SQL batch).
 */
static char *
one_line(struct upkit_spec_reader *r, const cJSON *c, const char *path, const char *key)
{
	char	   *v = sr_string(r, c, path, key, 1);
	char		why[512];

	if (v && (v[0] == '\0' || upkit_text_check(v, 0, why, sizeof why) != 0))
	{
		char	   *p = sr_path_key(path, key);

		sr_problem(r, p, "must be one non-empty line of text%s%s", v[0] ? ": " : "", v[0] ? why : "");
		free(p);
		free(v);
		return NULL;
	}
	return v;
}

static void
read_check(struct upkit_spec_reader *r, const cJSON *c, const char *path, int per_company,
		   struct upkit_validate_check *k)
{
	char	   *kind = sr_string(r, c, path, "check", 1);
	char	   *level;
	int			known = -1;

	if (kind)
	{
		for (int i = 0; i < N_CHECK_KINDS; i++)
			if (strcmp(kind, kind_names[i]) == 0)
				known = i;
		if (known < 0)
		{
			char	   *p = sr_path_key(path, "check");

			sr_problem(r, p, "unknown check \"%s\" (known: \"unique\", \"not_null\", \"references\", "
					   "\"fits\", \"number_sequence\", \"custom\")", kind);
			free(p);
		}
		free(kind);
	}
	if (known < 0)
		return;
	k->kind = (enum upkit_check_kind) known;
	check_keys_of(r, c, path, k->kind);

	k->id = sr_string(r, c, path, "id", 1);
	if (k->id)
	{
		char		why[512];
		char	   *p = sr_path_key(path, "id");

		if (k->id[0] == '\0' || strlen(k->id) > UPKIT_VALIDATE_ID_MAX ||
			upkit_text_check(k->id, 0, why, sizeof why) != 0)
			sr_problem(r, p, "\"%s\" is not a message id: one non-empty line of at most %d bytes",
					   k->id, UPKIT_VALIDATE_ID_MAX);
		free(p);
	}
	level = sr_string(r, c, path, "level", 1);
	if (level)
	{
		if (strcmp(level, "error") == 0)
			k->error = 1;
		else if (strcmp(level, "advisory") != 0)
		{
			char	   *p = sr_path_key(path, "level");

			sr_problem(r, p, "unknown level \"%s\" (known: \"error\": must be fixed before the upgrade, "
					   "\"advisory\": should be known)", level);
			free(p);
		}
		free(level);
	}
	k->message = one_line(r, c, path, "message");
	k->resolution = one_line(r, c, path, "resolution");

	if (k->kind == UPKIT_CHECK_NUMBER_SEQUENCE && cJSON_GetObjectItemCaseSensitive(c, "table") == NULL)
	{
		k->table.schema = sr_schema(r, c, path, "schema");
		k->table.name = xstrdup("NUMBERSEQUENCETABLE");
	}
	else
		sr_qname(r, c, path, "table", &k->table);
	k->alias = checked_alias(r, c, path, "T");
	k->dataareaid = sr_bool(r, c, path, "dataareaid", 1);
	if (per_company && !k->dataareaid)
	{
		char	   *p = sr_path_key(path, "dataareaid");

		sr_problem(r, p, "a table without DATAAREAID (a shared table) is checked by a shared spec (\"per_company\": false): "
				   "a per-company procedure would log it once per company");
		free(p);
	}
	k->where = sr_expr(r, c, path, "where", k->kind == UPKIT_CHECK_CUSTOM);
	k->n_key = name_list(r, c, path, "key", 0, "key", &k->key);

	switch (k->kind)
	{
		case UPKIT_CHECK_UNIQUE:
			k->n_columns = name_list(r, c, path, "columns", 1, "index", &k->columns);
			break;
		case UPKIT_CHECK_NOT_NULL:
			k->n_columns = one_column(r, c, path, &k->columns);
			break;
		case UPKIT_CHECK_REFERENCES:
			read_references(r, c, path, k);
			break;
		case UPKIT_CHECK_FITS:
			read_fits(r, c, path, k);
			break;
		case UPKIT_CHECK_NUMBER_SEQUENCE:
			read_number_sequence(r, c, path, k);
			break;
		case UPKIT_CHECK_CUSTOM:
			k->detail = sr_expr(r, c, path, "detail", 0);
			break;
	}
	/* The details name the check's own columns unless "key" says otherwise. */
	if (!cJSON_GetObjectItemCaseSensitive(c, "key") && k->kind == UPKIT_CHECK_NUMBER_SEQUENCE)
	{
		k->key = calloc(1, sizeof *k->key);
		if (k->key == NULL)
			abort();
		k->key[0] = xstrdup("NUMBERSEQUENCE");
		k->n_key = 1;
	}
	else if (!cJSON_GetObjectItemCaseSensitive(c, "key") && k->kind != UPKIT_CHECK_NOT_NULL)
	{
		k->key = copy_list(k->columns, k->n_columns);
		k->n_key = k->n_columns;
	}
}

void *
upkit_validate_spec_read(struct upkit_spec_reader *r, const cJSON *root)
{
	static const char *const top_keys[] = {
		"kind", "description", "procedure", "per_company", "checks", "xpp", NULL
	};
	struct upkit_validate_spec *s = calloc(1, sizeof *s);
	const cJSON *arr,
			   *it;
	int			i = 0;

	if (s == NULL)
		abort();
	sr_check_keys(r, root, "$", top_keys);
	s->description = sr_text(r, root, "$", "description", 0);
	s->per_company = sr_bool(r, root, "$", "per_company", 1);
	sr_procedure(r, root, &s->procedure);
	arr = sr_array(r, root, "$", "checks", 1);
	if (arr && cJSON_GetArraySize(arr) == 0)
		sr_problem(r, "$.checks", "must list at least one check");
	if (arr && cJSON_GetArraySize(arr) > 0)
	{
		s->checks = calloc((size_t) cJSON_GetArraySize(arr), sizeof *s->checks);
		if (s->checks == NULL)
			abort();
		cJSON_ArrayForEach(it, arr)
		{
			char	   *p = sr_path_index("$.checks", i++);
			struct upkit_validate_check *k = &s->checks[s->n_checks++];

			if (!cJSON_IsObject(it))
				sr_problem(r, p, "must be an object {\"id\": ..., \"check\": ..., ...}");
			else
				read_check(r, it, p, s->per_company, k);
			for (int j = 0; k->id && j < s->n_checks - 1; j++)
				if (s->checks[j].id && strcmp(s->checks[j].id, k->id) == 0)
				{
					char	   *ip = sr_path_key(p, "id");

					sr_problem(r, ip, "message id \"%s\" is already used by $.checks[%d]; the log keeps one entry per id",
							   k->id, j);
					free(ip);
					break;
				}
			free(p);
		}
	}
	s->xpp = sr_text(r, root, "$", "xpp", 0);
	return s;
}

static void
free_list(char **l, int n)
{
	for (int i = 0; i < n; i++)
		free(l[i]);
	free(l);
}

void
upkit_validate_spec_free(void *body)
{
	struct upkit_validate_spec *s = body;

	if (s == NULL)
		return;
	for (int i = 0; i < s->n_checks; i++)
	{
		struct upkit_validate_check *k = &s->checks[i];

		free(k->id);
		free(k->message);
		free(k->resolution);
		upkit_qname_free(&k->table);
		free(k->alias);
		free(k->where);
		free_list(k->key, k->n_key);
		free_list(k->columns, k->n_columns);
		upkit_qname_free(&k->to);
		free_list(k->to_columns, k->n_to_columns);
		free(k->type);
		upkit_qname_free(&k->target);
		free(k->target_column);
		free(k->numbersequence);
		upkit_qname_free(&k->rows_table);
		free(k->rows_alias);
		free(k->rows_where);
		free(k->detail);
	}
	free(s->checks);
	free(s->description);
	upkit_qname_free(&s->procedure);
	free(s->xpp);
	free(s);
}

/*
 * What the procedure reads: each check's table with RECID (and DATAAREAID)
 * and its columns, a referenced table with its columns, a table counted
 * for a number sequence.  A "fits" target is not needed: the check reads
 * its type from the catalog when it exists and from the spec when not.
 * Expressions are not probed (each check has its own FROM clause); the
 * server finds a bad one when the procedure runs.
 */
void
upkit_validate_spec_needs(const void *body, struct upkit_spec_needs *n)
{
	const struct upkit_validate_spec *s = body;

	for (int i = 0; i < s->n_checks; i++)
	{
		const struct upkit_validate_check *k = &s->checks[i];
		char	   *p = sr_path_index("$.checks", i);
		char	   *pt = sr_path_key(p, "table");
		int			t;

		if (k->table.name == NULL)
		{
			free(pt);
			free(p);
			continue;
		}
		t = upkit_needs_table(n, &k->table, pt, "checked table");
		upkit_needs_column(n, t, "RECID", UPKIT_NEED_BIGINT, pt, "RECID column");
		if (k->dataareaid)
			upkit_needs_column(n, t, "DATAAREAID", UPKIT_NEED_TEXT, pt, "company column");
		for (int j = 0; j < k->n_columns; j++)
			upkit_needs_column(n, t, k->columns[j], UPKIT_NEED_ANY, p, "checked column");
		for (int j = 0; j < k->n_key; j++)
			upkit_needs_column(n, t, k->key[j], UPKIT_NEED_ANY, p, "key column");
		if (k->kind == UPKIT_CHECK_NUMBER_SEQUENCE)
		{
			static const char *const cols[] = {"NUMBERSEQUENCE", "NEXTREC", "HIGHEST", "FORMAT", NULL};

			for (int j = 0; cols[j]; j++)
				upkit_needs_column(n, t, cols[j], UPKIT_NEED_ANY, pt, "number sequence column");
		}
		if (k->to.name)
		{
			char	   *pto = sr_path_key(p, "to");
			int			to = upkit_needs_table(n, &k->to, pto, "referenced table");

			for (int j = 0; j < k->n_to_columns; j++)
				upkit_needs_column(n, to, k->to_columns[j], UPKIT_NEED_ANY, pto, "referenced column");
			if (k->to_dataareaid)
				upkit_needs_column(n, to, "DATAAREAID", UPKIT_NEED_TEXT, pto, "referenced company column");
			free(pto);
		}
		if (k->rows_table.name)
		{
			char	   *pr = sr_path_key(p, "rows");
			int			rt = upkit_needs_table(n, &k->rows_table, pr, "table counted for a number sequence");

			if (k->rows_dataareaid)
				upkit_needs_column(n, rt, "DATAAREAID", UPKIT_NEED_TEXT, pr, "company column");
			free(pr);
		}
		free(pt);
		free(p);
	}
	upkit_needs_object(n, s->procedure.schema, s->procedure.name, NULL);
}

/*
 * A plan job calls the procedure with its company (a per-company spec is a
 * "standard" job, run once per company) and the default cap; the errors
 * and advisories it logs come back, but the job succeeds either way: the
 * log is what blocks (docs/readiness.md, "Readiness and the runner").
 */
void
upkit_validate_spec_call(const void *body, struct upkit_call *c)
{
	const struct upkit_validate_spec *s = body;

	c->procedure = &s->procedure;
	if (s->per_company)
		upkit_call_add(c, (struct upkit_call_param) {.name = "DATAAREAID", .source = UPKIT_CALL_COMPANY});
}
