/*
 * specread.c: typed, validated access to spec fields (see specread.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "comment.h"
#include "ident.h"
#include "specread.h"
#include "strbuf.h"

void
sr_problem(struct upkit_spec_reader *r, const char *path, const char *fmt, ...)
{
	char		buf[2048];
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	upkit_diag_add(r->diags, r->file, path, "%s", buf);
	r->problems++;
}

char *
sr_path_key(const char *parent, const char *key)
{
	struct strbuf sb = STRBUF_INIT;

	sb_appendf(&sb, "%s.%s", parent, key);
	return sb.data;
}

char *
sr_path_index(const char *parent, int i)
{
	struct strbuf sb = STRBUF_INIT;

	sb_appendf(&sb, "%s[%d]", parent, i);
	return sb.data;
}

static const char *
type_name(const cJSON *v)
{
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsBool(v))
		return "a boolean";
	if (cJSON_IsNull(v))
		return "null";
	if (cJSON_IsArray(v))
		return "an array";
	if (cJSON_IsObject(v))
		return "an object";
	return "invalid";
}

void
sr_check_keys(struct upkit_spec_reader *r, const cJSON *obj, const char *path,
			  const char *const *allowed)
{
	const cJSON *it,
			   *prev;

	if (!cJSON_IsObject(obj))
		return;
	for (it = obj->child; it; it = it->next)
	{
		int			known = 0;

		for (const char *const *a = allowed; *a; a++)
			if (strcmp(*a, it->string) == 0)
				known = 1;
		if (!known)
		{
			struct strbuf list = STRBUF_INIT;
			char	   *p = sr_path_key(path, it->string);

			for (const char *const *a = allowed; *a; a++)
				sb_appendf(&list, "%s%s", a == allowed ? "" : ", ", *a);
			sr_problem(r, p, "unknown key \"%s\" (known keys here: %s)", it->string, sb_str(&list));
			sb_free(&list);
			free(p);
			continue;
		}
		for (prev = obj->child; prev != it; prev = prev->next)
			if (strcmp(prev->string, it->string) == 0)
			{
				char	   *p = sr_path_key(path, it->string);

				sr_problem(r, p, "key \"%s\" appears more than once", it->string);
				free(p);
				break;
			}
	}
}

/* The member, reporting a missing required one. */
static const cJSON *
member(struct upkit_spec_reader *r, const cJSON *obj, const char *path, const char *key,
	   int required)
{
	const cJSON *v = cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;

	if (v == NULL && required)
	{
		char	   *p = sr_path_key(path, key);

		sr_problem(r, p, "\"%s\" is required", key);
		free(p);
	}
	return v;
}

static int
want_type(struct upkit_spec_reader *r, const cJSON *v, const char *path, const char *key,
		  int ok, const char *want)
{
	if (!ok)
	{
		char	   *p = sr_path_key(path, key);

		sr_problem(r, p, "must be %s, not %s", want, type_name(v));
		free(p);
	}
	return ok;
}

const cJSON *
sr_object(struct upkit_spec_reader *r, const cJSON *obj, const char *path,
		  const char *key, int required)
{
	const cJSON *v = member(r, obj, path, key, required);

	if (v && !want_type(r, v, path, key, cJSON_IsObject(v), "an object"))
		return NULL;
	return v;
}

const cJSON *
sr_array(struct upkit_spec_reader *r, const cJSON *obj, const char *path,
		 const char *key, int required)
{
	const cJSON *v = member(r, obj, path, key, required);

	if (v && !want_type(r, v, path, key, cJSON_IsArray(v), "an array"))
		return NULL;
	return v;
}

char *
sr_string(struct upkit_spec_reader *r, const cJSON *obj, const char *path,
		  const char *key, int required)
{
	const cJSON *v = member(r, obj, path, key, required);

	if (v == NULL || !want_type(r, v, path, key, cJSON_IsString(v), "a string"))
		return NULL;
	return xstrdup(v->valuestring);
}

/* A string field that check() accepts for the reader's dialect. */
static char *
checked_string(struct upkit_spec_reader *r, const cJSON *obj, const char *path,
			   const char *key, int required,
			   int (*check) (const char *, enum upkit_dialect, char *, size_t))
{
	char	   *s = sr_string(r, obj, path, key, required);
	char		why[512];

	if (s && check(s, r->dialect, why, sizeof why) != 0)
	{
		char	   *p = sr_path_key(path, key);

		sr_problem(r, p, "%s", why);
		free(p);
		free(s);
		return NULL;
	}
	return s;
}

char *
sr_name(struct upkit_spec_reader *r, const cJSON *obj, const char *path,
		const char *key, int required)
{
	return checked_string(r, obj, path, key, required, upkit_ident_check);
}

char *
sr_schema(struct upkit_spec_reader *r, const cJSON *obj, const char *path, const char *key)
{
	const cJSON *v = member(r, obj, path, key, 0);
	const char *dname = upkit_dialect_name(r->dialect);
	char	   *p,
			   *s;

	if (v == NULL)
		return xstrdup(upkit_dialect_words(r->dialect)->default_schema);
	if (cJSON_IsString(v))
		return sr_name(r, obj, path, key, 1);
	if (!cJSON_IsObject(v))
	{
		p = sr_path_key(path, key);
		sr_problem(r, p, "must be a string or an object {\"pg\": ..., \"mssql\": ...}, not %s",
				   type_name(v));
		free(p);
		return NULL;
	}
	p = sr_path_key(path, key);
	{
		static const char *const keys[] = {"pg", "mssql", NULL};

		sr_check_keys(r, v, p, keys);
	}
	if (cJSON_GetObjectItemCaseSensitive(v, dname) == NULL)
		s = xstrdup(upkit_dialect_words(r->dialect)->default_schema);
	else
		s = sr_name(r, v, p, dname, 1);
	free(p);
	return s;
}

char *
sr_expr(struct upkit_spec_reader *r, const cJSON *obj, const char *path,
		const char *key, int required)
{
	return checked_string(r, obj, path, key, required, upkit_expr_check);
}

char *
sr_alias(struct upkit_spec_reader *r, const cJSON *obj, const char *path,
		 const char *key, const char *dflt)
{
	char	   *s = sr_string(r, obj, path, key, 0);
	char		why[512];

	if (s == NULL)
		return cJSON_GetObjectItemCaseSensitive(obj, key) ? NULL : xstrdup(dflt);
	if (upkit_alias_check(s, why, sizeof why) != 0)
	{
		char	   *p = sr_path_key(path, key);

		sr_problem(r, p, "%s", why);
		free(p);
		free(s);
		return NULL;
	}
	return s;
}

char *
sr_text(struct upkit_spec_reader *r, const cJSON *obj, const char *path,
		const char *key, int required)
{
	const cJSON *v = member(r, obj, path, key, required);
	struct strbuf sb = STRBUF_INIT;
	char		why[512];
	char	   *p;

	if (v == NULL)
		return NULL;
	p = sr_path_key(path, key);
	if (cJSON_IsString(v))
		sb_append(&sb, v->valuestring);
	else if (cJSON_IsArray(v))
	{
		int			i = 0;
		const cJSON *line;

		cJSON_ArrayForEach(line, v)
		{
			if (!cJSON_IsString(line))
			{
				char	   *pi = sr_path_index(p, i);

				sr_problem(r, pi, "must be a string (one line of text), not %s", type_name(line));
				free(pi);
			}
			else
				sb_appendf(&sb, "%s%s", i ? "\n" : "", line->valuestring);
			i++;
		}
	}
	else
	{
		sr_problem(r, p, "must be a string or an array of strings (lines), not %s", type_name(v));
		free(p);
		return NULL;
	}
	if (upkit_text_check(sb_str(&sb), 1, why, sizeof why) != 0)
	{
		sr_problem(r, p, "%s", why);
		sb_free(&sb);
		free(p);
		return NULL;
	}
	free(p);
	if (sb.data == NULL)
		return xstrdup("");
	return sb.data;
}

int
sr_bool(struct upkit_spec_reader *r, const cJSON *obj, const char *path,
		const char *key, int dflt)
{
	const cJSON *v = member(r, obj, path, key, 0);

	if (v == NULL || !want_type(r, v, path, key, cJSON_IsBool(v), "true or false"))
		return dflt;
	return cJSON_IsTrue(v);
}

void
upkit_format_number(char *buf, size_t n, double d)
{
	/* An integral value as all its digits; else the shortest text that reads back the same. */
	if (d > -1e21 && d < 1e21)
	{
		snprintf(buf, n, "%.0f", d);
		if (strtod(buf, NULL) == d)
			return;
	}
	for (int prec = 1; prec <= 17; prec++)
	{
		snprintf(buf, n, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			return;
	}
}

int
sr_int(struct upkit_spec_reader *r, const cJSON *obj, const char *path,
	   const char *key, int required, long long min, long long max, long long *out)
{
	const cJSON *v = member(r, obj, path, key, required);
	double		d;

	if (v == NULL)
		return 0;
	if (!want_type(r, v, path, key, cJSON_IsNumber(v), "an integer"))
		return -1;
	d = v->valuedouble;
	if (d < (double) min || d > (double) max || d != (double) (long long) d)
	{
		char	   *p = sr_path_key(path, key);

		char		num[64];

		upkit_format_number(num, sizeof num, d);
		sr_problem(r, p, "must be an integer from %lld to %lld, not %s", min, max, num);
		free(p);
		return -1;
	}
	*out = (long long) d;
	return 1;
}

void
sr_qname(struct upkit_spec_reader *r, const cJSON *obj, const char *path,
		 const char *name_key, struct upkit_qname *out)
{
	out->schema = sr_schema(r, obj, path, "schema");
	out->name = sr_name(r, obj, path, name_key, 1);
}

void
upkit_qname_free(struct upkit_qname *q)
{
	free(q->schema);
	free(q->name);
	q->schema = q->name = NULL;
}

void
sr_mapping(struct upkit_spec_reader *r, const cJSON *root, const char *what,
		   sr_reserved_column_fn reserved, const void *spec,
		   struct upkit_column_map **out, int *n)
{
	sr_mapping_at(r, root, "$", "mapping", 1, what, reserved, spec, out, n);
}

void
sr_mapping_at(struct upkit_spec_reader *r, const cJSON *obj, const char *path, const char *key,
			  int required, const char *what, sr_reserved_column_fn reserved, const void *spec,
			  struct upkit_column_map **out, int *n)
{
	static const char *const keys[] = {"column", "expr", NULL};
	const cJSON *arr = sr_array(r, obj, path, key, required);
	char	   *apath = sr_path_key(path, key);
	const cJSON *it;
	int			i = 0;

	if (arr == NULL || cJSON_GetArraySize(arr) == 0)
	{
		if (arr != NULL)
			sr_problem(r, apath, "must map at least one %s column", what);
		free(apath);
		return;
	}
	*out = calloc((size_t) cJSON_GetArraySize(arr), sizeof **out);
	if (*out == NULL)
		abort();
	cJSON_ArrayForEach(it, arr)
	{
		char	   *p = sr_path_index(apath, i);

		if (!cJSON_IsObject(it))
			sr_problem(r, p, "must be an object {\"column\": ..., \"expr\": ...}");
		else
		{
			char	   *col,
					   *expr;
			const char *why;

			sr_check_keys(r, it, p, keys);
			col = sr_name(r, it, p, "column", 1);
			expr = sr_expr(r, it, p, "expr", 1);
			if (col && reserved && (why = reserved(spec, col, r->dialect)) != NULL)
			{
				char	   *pc = sr_path_key(p, "column");

				sr_problem(r, pc, "column \"%s\" must not be mapped: %s", col, why);
				free(pc);
			}
			else if (col)
			{
				for (int j = 0; j < *n; j++)
					if ((*out)[j].column && upkit_ident_same((*out)[j].column, col, r->dialect))
					{
						char	   *pc = sr_path_key(p, "column");

						sr_problem(r, pc, "column \"%s\" is already mapped by %s[%d]; each %s column is mapped once",
								   col, apath, j, what);
						free(pc);
						break;
					}
			}
			(*out)[*n].column = col;
			(*out)[*n].expr = expr;
			(*n)++;
		}
		free(p);
		i++;
	}
	free(apath);
}

void
sr_procedure(struct upkit_spec_reader *r, const cJSON *root, struct upkit_qname *out)
{
	static const char *const keys[] = {"schema", "name", NULL};
	const cJSON *proc = sr_object(r, root, "$", "procedure", 1);

	if (proc)
	{
		sr_check_keys(r, proc, "$.procedure", keys);
		sr_qname(r, proc, "$.procedure", "name", out);
	}
}
