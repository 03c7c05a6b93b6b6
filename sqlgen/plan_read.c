/*
 * plan_read.c: read and validate a plan file (plan.h; the format is
 * docs/runner.md).  Like a spec, every problem is reported with the file,
 * a JSON path and a reason, and reading goes on after a problem so that
 * all of them are reported at once.  A job's spec is read for the dialect
 * of the job's database, and its problems name the spec file.
 *
 * Passwords never come from a plan: a PostgreSQL conninfo that holds one is
 * refused (libpq takes PGPASSWORD or ~/.pgpass), and a SQL Server database
 * names the environment variable that holds its login's password.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "check.h"
#include "ident.h"
#include "plan.h"
#include "plan_copy.h"
#include "render.h"
#include "specread.h"
#include "strbuf.h"

#define GROW(arr, n) do { \
	(arr) = realloc((arr), sizeof *(arr) * (size_t) ((n) + 1)); \
	if ((arr) == NULL) abort(); \
} while (0)

static const char *const stage_names[UPKIT_N_STAGES] = {
	"readiness", "live", "delta", "single-user", "presync", "copy", "postsync", "additional"
};
static const char *const type_names[] = {"start", "shared", "standard", "final"};

const char *
upkit_stage_name(enum upkit_stage s)
{
	return stage_names[s];
}

const char *
upkit_job_type_name(enum upkit_job_type t)
{
	return type_names[t];
}

void
upkit_access_letters(int access, char out[5])
{
	out[0] = (access & UPKIT_ACCESS_CREATE) ? 'c' : '-';
	out[1] = (access & UPKIT_ACCESS_READ) ? 'r' : '-';
	out[2] = (access & UPKIT_ACCESS_UPDATE) ? 'u' : '-';
	out[3] = (access & UPKIT_ACCESS_DELETE) ? 'd' : '-';
	out[4] = '\0';
}

/*
 * A table's name for comparison: lower case (both engines compare AX names
 * without regard to case), and the default schema (public, dbo) dropped.
 */
static char *
table_key(const char *schema, const char *name)
{
	struct strbuf sb = STRBUF_INIT;

	if (schema && *schema && strcasecmp(schema, "public") != 0 && strcasecmp(schema, "dbo") != 0)
		sb_appendf(&sb, "%s.", schema);
	sb_append(&sb, name);
	for (char *c = sb.data; *c; c++)
		*c = (char) tolower((unsigned char) *c);
	return sb.data;
}

static char *
table_key_text(const char *text)
{
	const char *dot = strchr(text, '.');
	char	   *schema,
			   *key;

	if (dot == NULL)
		return table_key(NULL, text);
	schema = strndup(text, (size_t) (dot - text));
	key = table_key(schema, dot + 1);
	free(schema);
	return key;
}

/* An id: letters, digits, '_', '-', '.', 1 to 63 characters. */
static int
plain_id(const char *s)
{
	size_t		n = strlen(s);

	if (n == 0 || n > 63)
		return 0;
	for (const char *c = s; *c; c++)
		if (!isalnum((unsigned char) *c) && *c != '_' && *c != '-' && *c != '.')
			return 0;
	return 1;
}

static char *
read_id(struct upkit_spec_reader *r, const cJSON *obj, const char *path, const char *key, int required)
{
	char	   *s = sr_string(r, obj, path, key, required);

	if (s && !plain_id(s))
	{
		char	   *p = sr_path_key(path, key);

		sr_problem(r, p, "\"%s\" is not a plain name (letters, digits, '_', '-', '.'; at most 63)", s);
		free(p);
		free(s);
		return NULL;
	}
	return s;
}

/* An array of strings at obj.key; each checked by plain_id when ids. */
static char **
read_strings(struct upkit_spec_reader *r, const cJSON *obj, const char *path, const char *key,
			 int ids, int *n)
{
	const cJSON *a = sr_array(r, obj, path, key, 0);
	char	  **out = NULL;
	char	   *ap;
	int			i = 0;
	const cJSON *it;

	*n = 0;
	if (a == NULL)
		return NULL;
	ap = sr_path_key(path, key);
	cJSON_ArrayForEach(it, a)
	{
		char	   *p = sr_path_index(ap, i++);

		if (!cJSON_IsString(it) || it->valuestring[0] == '\0')
			sr_problem(r, p, "must be a non-empty string");
		else if (ids && !plain_id(it->valuestring))
			sr_problem(r, p, "\"%s\" is not a plain name (letters, digits, '_', '-', '.'; at most 63)",
					   it->valuestring);
		else
		{
			GROW(out, *n);
			out[(*n)++] = xstrdup(it->valuestring);
		}
		free(p);
	}
	free(ap);
	return out;
}

static char *
resolve(const char *dir, const char *file)
{
	struct strbuf sb = STRBUF_INIT;

	if (file[0] == '/' || strcmp(dir, ".") == 0)
		sb_append(&sb, file);
	else
		sb_appendf(&sb, "%s/%s", dir, file);
	return sb.data;
}

static void
read_database(struct upkit_spec_reader *r, const cJSON *v, const char *path, struct upkit_plan_db *db)
{
	static const char *const pg_keys[] = {"dialect", "conninfo", NULL};
	static const char *const ms_keys[] = {"dialect", "server", "database", "user", "password_env", NULL};
	char	   *dialect;

	if (!cJSON_IsObject(v))
	{
		sr_problem(r, path, "must be an object with \"dialect\" and where to connect");
		return;
	}
	dialect = sr_string(r, v, path, "dialect", 1);
	if (dialect)
		db->target.dialect = upkit_dialect_parse(dialect);
	if (dialect && db->target.dialect == UPKIT_DIALECT_NONE)
	{
		char	   *p = sr_path_key(path, "dialect");

		sr_problem(r, p, "unknown dialect \"%s\" (use \"pg\" or \"mssql\")", dialect);
		free(p);
	}
	free(dialect);
	if (db->target.dialect == UPKIT_DIALECT_PG)
	{
		char	   *ci = sr_string(r, v, path, "conninfo", 0);

		sr_check_keys(r, v, path, pg_keys);
		if (ci && upkit_conninfo_has_password(ci))
		{
			char	   *p = sr_path_key(path, "conninfo");

			sr_problem(r, p, "holds a password; a plan never does: use PGPASSWORD or ~/.pgpass");
			free(p);
		}
		db->target.conninfo = ci ? ci : xstrdup("");
	}
	else if (db->target.dialect == UPKIT_DIALECT_MSSQL)
	{
		char	   *server = sr_string(r, v, path, "server", 1);
		char	   *copy = NULL;

		sr_check_keys(r, v, path, ms_keys);
		if (server && upkit_mssql_parse_server(server, &db->target, &copy) != 0)
		{
			char	   *p = sr_path_key(path, "server");

			sr_problem(r, p, "\"%s\" is not HOST or HOST:PORT with a port from 1 to 65535", server);
			free(p);
		}
		free(server);
		db->target.database = sr_string(r, v, path, "database", 1);
		db->target.user = sr_string(r, v, path, "user", 1);
		db->password_env = sr_string(r, v, path, "password_env", 0);
		if (db->password_env == NULL)
			db->password_env = xstrdup("UPKIT_MSSQL_PASSWORD");
	}
}

static int
find_db(const struct upkit_plan *p, const char *name)
{
	for (int i = 0; i < p->n_dbs; i++)
		if (strcmp(p->dbs[i].name, name) == 0)
			return i;
	return -1;
}

static int
parse_access(const char *word)
{
	static const struct
	{
		const char *name;
		int			bit;
	}			words[] = {
		{"create", UPKIT_ACCESS_CREATE}, {"read", UPKIT_ACCESS_READ},
		{"update", UPKIT_ACCESS_UPDATE}, {"delete", UPKIT_ACCESS_DELETE}, {NULL, 0}
	};

	for (int i = 0; words[i].name; i++)
		if (strcmp(words[i].name, word) == 0)
			return words[i].bit;
	return 0;
}

static void
add_table(struct upkit_plan_job *j, char *key, int access)
{
	for (int i = 0; i < j->n_tables; i++)
		if (strcmp(j->tables[i].name, key) == 0)
		{
			j->tables[i].access |= access;
			free(key);
			return;
		}
	GROW(j->tables, j->n_tables);
	j->tables[j->n_tables].name = key;
	j->tables[j->n_tables++].access = access;
}

/* "tables": {"TABLE": "read" | ["read", "update"], ...} */
static void
read_tables(struct upkit_spec_reader *r, const cJSON *job, const char *path, struct upkit_plan_job *j)
{
	const cJSON *t = sr_object(r, job, path, "tables", 0);
	const cJSON *it;
	char	   *tp;

	if (t == NULL)
		return;
	tp = sr_path_key(path, "tables");
	cJSON_ArrayForEach(it, t)
	{
		char	   *p = sr_path_key(tp, it->string);
		int			access = 0,
					bad = 0;

		if (cJSON_IsString(it))
			bad = (access = parse_access(it->valuestring)) == 0;
		else if (cJSON_IsArray(it) && cJSON_GetArraySize(it) > 0)
		{
			const cJSON *w;

			cJSON_ArrayForEach(w, it)
			{
				int			bit = cJSON_IsString(w) ? parse_access(w->valuestring) : 0;

				bad |= bit == 0;
				access |= bit;
			}
		}
		else
			bad = 1;
		if (bad)
			sr_problem(r, p, "must be \"create\", \"read\", \"update\" or \"delete\", or an array of them");
		else
			add_table(j, table_key_text(it->string), access);
		free(p);
	}
	free(tp);
}

/*
 * How a unit of the job's procedure touches a table, by its plan key: the
 * union of every unit's access (units.h), 0 when none touches it.
 */
static int
units_access(const struct upkit_units *us, const char *key)
{
	int			access = 0;

	for (int u = 0; u < us->n; u++)
		for (int t = 0; t < us->items[u].n_tables; t++)
		{
			const struct upkit_unit_table *ut = &us->items[u].tables[t];
			char	   *k = table_key(ut->name.schema, ut->name.name);

			if (strcmp(k, key) == 0)
				access |= (int) ut->access;
			free(k);
		}
	return access;
}

/*
 * A generated procedure's tables, access and TABIDs: its units, rendered
 * for the job's dialect (and installed from there by the runner).  The
 * tables are the ones the spec names (its kind's needs: source, target,
 * shadow, lookups), with the access its units record for them; the
 * runtime's own bookkeeping rows the units also touch (SYSTEMSEQUENCES,
 * the runs and state tables) are keyed per TABID or procedure, so they
 * neither race nor weigh: the TABIDs order those (runner.c).
 */
static void
spec_units(struct upkit_spec_reader *r, struct upkit_plan_job *j, enum upkit_dialect d)
{
	struct upkit_spec_needs n = UPKIT_SPEC_NEEDS_INIT;
	int			before = r->diags->n;

	if (upkit_render_units(&j->units, d, 0, &j->spec, 1, r->diags) != 0)
	{
		r->problems += r->diags->n - before;
		return;
	}
	upkit_spec_needs(j->spec, d, &n);
	for (int i = 0; i < n.n_tables; i++)
	{
		char	   *key = table_key(n.tables[i].name.schema, n.tables[i].name.name);
		int			access = units_access(&j->units, key);

		add_table(j, key, access ? access : UPKIT_ACCESS_READ);
	}
	upkit_spec_needs_free(&n);
	for (int u = 0; u < j->units.n; u++)
		for (int t = 0; t < j->units.items[u].n_tabids; t++)
		{
			long long	tabid = j->units.items[u].tabids[t];
			int			seen = 0;

			for (int k = 0; k < j->n_tabids; k++)
				seen |= j->tabids[k] == tabid;
			if (seen)
				continue;
			GROW(j->tabids, j->n_tabids);
			j->tabids[j->n_tabids++] = tabid;
		}
}

static int
parse_name(const char *const *names, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

static void
bad_choice(struct upkit_spec_reader *r, const char *path, const char *key, const char *got,
		   const char *const *names, int n)
{
	struct strbuf list = STRBUF_INIT;
	char	   *p = sr_path_key(path, key);

	for (int i = 0; i < n; i++)
		sb_appendf(&list, "%s%s", i ? ", " : "", names[i]);
	sr_problem(r, p, "unknown %s \"%s\" (known: %s)", key, got, sb_str(&list));
	sb_free(&list);
	free(p);
}

/* Is v one of the parameter's choices?  Lists them into sb otherwise. */
static int
param_choice_ok(const struct upkit_call_param *cp, const char *v, struct strbuf *sb)
{
	for (int i = 0; cp->choices && cp->choices[i]; i++)
		if (strcmp(cp->choices[i], v) == 0)
			return 1;
	for (int i = 0; cp->choices && cp->choices[i]; i++)
		sb_appendf(sb, "%s\"%s\"", i == 0 ? "" : cp->choices[i + 1] ? ", " : " or ", cp->choices[i]);
	return cp->choices == NULL;
}

/*
 * "params": the values of the parameters the spec's kind says its
 * procedure takes from them (kind.h, the call hook); anything else is a
 * problem, and so is a required one left out.
 */
static void
read_params(struct upkit_spec_reader *r, const cJSON *job, const char *path, struct upkit_plan_job *j)
{
	const cJSON *o = sr_object(r, job, path, "params", 0);
	char	   *pp = sr_path_key(path, "params");

	if (j->sql_file && o)
		sr_problem(r, pp, "only a generated procedure (\"spec\") takes parameters");
	else if (o && j->spec)
		for (const cJSON *it = o->child; it; it = it->next)
		{
			const struct upkit_call_param *cp = upkit_call_param_find(&j->call, it->string);
			char	   *p = sr_path_key(pp, it->string);

			if (cp == NULL)
			{
				struct strbuf known = STRBUF_INIT;

				for (int i = 0; i < j->call.n_params; i++)
					if (j->call.params[i].source == UPKIT_CALL_PARAM)
						sb_appendf(&known, "%s\"%s\"", known.len ? ", " : "", j->call.params[i].key);
				sr_problem(r, p, "the spec %s takes no parameter \"%s\" (it takes %s)", j->spec_file,
						   it->string, known.len ? sb_str(&known) : "none");
				sb_free(&known);
			}
			else if (!cJSON_IsString(it))
				sr_problem(r, p, "must be a string");
			else
			{
				struct strbuf choices = STRBUF_INIT;
				int			i = (int) (cp - j->call.params);

				if (!param_choice_ok(cp, it->valuestring, &choices))
					sr_problem(r, p, "must be %s (the spec %s)", sb_str(&choices), cp->why ? cp->why : "");
				free(j->args[i]);
				j->args[i] = xstrdup(it->valuestring);
				sb_free(&choices);
			}
			free(p);
		}
	for (int i = 0; j->spec && i < j->call.n_params; i++)
	{
		const struct upkit_call_param *cp = &j->call.params[i];

		if (cp->source == UPKIT_CALL_PARAM && cp->fallback == NULL && j->args[i] == NULL)
			sr_problem(r, path, "the spec %s %s: give \"params\": {\"%s\": \"...\"}",
					   j->spec_file, cp->why ? cp->why : "needs it", cp->key);
	}
	free(pp);
}

static void
read_job(struct upkit_spec_reader *r, struct upkit_plan *p, const cJSON *job, int idx)
{
	static const char *const keys[] = {
		"id", "description", "stage", "type", "database", "spec", "sql", "transaction",
		"config_keys", "tables", "after", "after_tables", "weight", "params", "copy", NULL
	};
	struct upkit_plan_job *j = &p->jobs[idx];
	char	   *path = sr_path_index("$.jobs", idx);
	char	   *s;
	long long	w;

	j->path = path;
	j->weight = -1;
	j->db = -1;
	j->transaction = 1;
	if (!cJSON_IsObject(job))
	{
		sr_problem(r, path, "a job must be an object with at least \"id\", \"stage\" and \"spec\" or \"sql\"");
		return;
	}
	sr_check_keys(r, job, path, keys);
	j->id = read_id(r, job, path, "id", 1);
	for (int i = 0; j->id && i < idx; i++)
		if (p->jobs[i].id && strcmp(p->jobs[i].id, j->id) == 0)
		{
			char	   *ip = sr_path_key(path, "id");

			sr_problem(r, ip, "job \"%s\" is already defined at %s", j->id, p->jobs[i].path);
			free(ip);
		}
	j->description = sr_string(r, job, path, "description", 0);
	if ((s = sr_string(r, job, path, "stage", 1)) != NULL)
	{
		int			k = parse_name(stage_names, UPKIT_N_STAGES, s);

		if (k < 0)
			bad_choice(r, path, "stage", s, stage_names, UPKIT_N_STAGES);
		j->stage = k < 0 ? 0 : (enum upkit_stage) k;
		free(s);
	}
	if ((s = sr_string(r, job, path, "database", 0)) != NULL)
	{
		if ((j->db = find_db(p, s)) < 0)
		{
			char	   *dp = sr_path_key(path, "database");

			sr_problem(r, dp, "no database \"%s\" in $.databases", s);
			free(dp);
		}
		free(s);
	}
	else if (p->n_dbs == 1)
		j->db = 0;
	else if (p->n_dbs > 1)
		sr_problem(r, path, "the plan has %d databases: say which one the job runs in (\"database\")", p->n_dbs);

	if (cJSON_GetObjectItemCaseSensitive(job, "copy") != NULL)
	{
		plan_copy_read(r, p, job, j);	/* the copy stage's tables (plan_copy.c) */
		return;
	}
	s = sr_string(r, job, path, "spec", 0);
	j->sql_file = sr_string(r, job, path, "sql", 0);
	if ((s == NULL) == (j->sql_file == NULL))
		sr_problem(r, path, "a job runs either a generated procedure (\"spec\") or a SQL script (\"sql\"): give exactly one");
	if (s)
	{
		j->spec_file = resolve(p->dir, s);
		free(s);
		if (j->db >= 0 && p->dbs[j->db].target.dialect != UPKIT_DIALECT_NONE)
		{
			int			before = r->diags->n;

			enum upkit_dialect d = p->dbs[j->db].target.dialect;

			j->spec = upkit_spec_read_file(j->spec_file, d, r->diags);
			r->problems += r->diags->n - before;
			if (j->spec && j->spec->kind->call == NULL)
			{
				char	   *sp = sr_path_key(path, "spec");

				sr_problem(r, sp, "a \"%s\" spec generates no procedure a job can call", j->spec->kind->name);
				free(sp);
			}
			else if (j->spec)
				j->spec->kind->call(upkit_spec_body(j->spec, d), &j->call);
		}
	}
	if (j->sql_file)
	{
		char	   *f = resolve(p->dir, j->sql_file);
		struct stat st;

		free(j->sql_file);
		j->sql_file = f;
		if (stat(f, &st) != 0 || !S_ISREG(st.st_mode))
		{
			char	   *sp = sr_path_key(path, "sql");

			sr_problem(r, sp, "no SQL script at %s", f);
			free(sp);
		}
	}
	j->transaction = sr_bool(r, job, path, "transaction", 1);
	if (j->spec_file && !j->transaction)
	{
		char	   *tp = sr_path_key(path, "transaction");

		sr_problem(r, tp, "a generated procedure runs in the runner's transaction (it records its work with it): leave \"transaction\" out");
		free(tp);
	}

	j->type = j->spec && upkit_call_per_company(&j->call) ? UPKIT_JOB_STANDARD : UPKIT_JOB_SHARED;
	if ((s = sr_string(r, job, path, "type", 0)) != NULL)
	{
		int			k = parse_name(type_names, 4, s);

		if (k < 0)
			bad_choice(r, path, "type", s, type_names, 4);
		else
			j->type = (enum upkit_job_type) k;
		free(s);
	}
	if (j->spec && upkit_call_per_company(&j->call) != (j->type == UPKIT_JOB_STANDARD))
	{
		char	   *tp = sr_path_key(path, "type");

		sr_problem(r, tp, upkit_call_per_company(&j->call)
				   ? "the spec %s works per company, so the job is \"standard\" (once per company)"
				   : "the spec %s does not work per company, so the job cannot be \"standard\"",
				   j->spec_file);
		free(tp);
	}
	j->config_keys = read_strings(r, job, path, "config_keys", 0, &j->n_config_keys);
	j->after = read_strings(r, job, path, "after", 1, &j->n_after);
	j->after_tables = read_strings(r, job, path, "after_tables", 0, &j->n_after_tables);
	for (int i = 0; i < j->n_after_tables; i++)
	{
		char	   *k = table_key_text(j->after_tables[i]);

		free(j->after_tables[i]);
		j->after_tables[i] = k;
	}
	read_tables(r, job, path, j);
	if (j->spec)
		spec_units(r, j, p->dbs[j->db].target.dialect);
	if (sr_int(r, job, path, "weight", 0, 0, 1LL << 50, &w) == 1)
		j->weight = w;
	read_params(r, job, path, j);
}

static void
read_companies(struct upkit_spec_reader *r, const cJSON *root, struct upkit_plan *p)
{
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(root, "companies");

	if (c == NULL)
		return;
	if (cJSON_IsArray(c))
	{
		p->companies = read_strings(r, root, "$", "companies", 0, &p->n_companies);
		if (cJSON_GetArraySize(c) == 0)
			sr_problem(r, "$.companies", "an empty list: give the companies, or {\"from\": \"DATAAREA\"}");
	}
	else if (cJSON_IsObject(c))
	{
		static const char *const keys[] = {"from", "database", NULL};
		char	   *from = sr_string(r, c, "$.companies", "from", 1);
		char	   *db = sr_string(r, c, "$.companies", "database", 0);

		sr_check_keys(r, c, "$.companies", keys);
		if (from && strcasecmp(from, "DATAAREA") != 0)
			sr_problem(r, "$.companies.from", "companies come from \"DATAAREA\" (or are listed)");
		p->companies_from_dataarea = 1;
		p->companies_db = db ? find_db(p, db) : 0;
		if (p->companies_db < 0)
			sr_problem(r, "$.companies.database", "no database \"%s\" in $.databases", db);
		free(from);
		free(db);
	}
	else
		sr_problem(r, "$.companies", "must be a list of companies or {\"from\": \"DATAAREA\"}");
}

static void
read_sizes(struct upkit_spec_reader *r, const cJSON *root, struct upkit_plan *p)
{
	const cJSON *o = sr_object(r, root, "$", "table_sizes", 0);
	const cJSON *it;

	if (o == NULL)
		return;
	cJSON_ArrayForEach(it, o)
	{
		char	   *path = sr_path_key("$.table_sizes", it->string);

		if (!cJSON_IsNumber(it) || it->valuedouble < 0 || it->valuedouble > 1e15
			|| it->valuedouble != (double) (long long) it->valuedouble)
			sr_problem(r, path, "must be a whole number of rows, 0 or more");
		else
		{
			GROW(p->sizes, p->n_sizes);
			GROW(p->size_values, p->n_sizes);
			p->sizes[p->n_sizes].name = table_key_text(it->string);
			p->sizes[p->n_sizes].access = 0;
			p->size_values[p->n_sizes++] = (long long) it->valuedouble;
		}
		free(path);
	}
}

static struct upkit_plan *
read_root(struct upkit_spec_reader *r, const cJSON *root, struct upkit_plan *p)
{
	static const char *const keys[] = {
		"name", "description", "databases", "companies", "config_keys", "table_sizes", "jobs", NULL
	};
	const cJSON *dbs,
			   *jobs,
			   *it;
	int			i = 0;

	sr_check_keys(r, root, "$", keys);
	p->name = read_id(r, root, "$", "name", 1);
	if ((dbs = sr_object(r, root, "$", "databases", 1)) != NULL)
	{
		cJSON_ArrayForEach(it, dbs)
		{
			char	   *path = sr_path_key("$.databases", it->string);

			GROW(p->dbs, p->n_dbs);
			memset(&p->dbs[p->n_dbs], 0, sizeof p->dbs[0]);
			p->dbs[p->n_dbs].name = xstrdup(it->string);
			read_database(r, it, path, &p->dbs[p->n_dbs++]);
			free(path);
		}
		if (p->n_dbs == 0)
			sr_problem(r, "$.databases", "name at least one database, e.g. {\"target\": {\"dialect\": \"pg\"}}");
	}
	read_companies(r, root, p);
	p->config_keys = read_strings(r, root, "$", "config_keys", 0, &p->n_config_keys);
	read_sizes(r, root, p);
	if ((jobs = sr_array(r, root, "$", "jobs", 1)) != NULL)
	{
		p->n_jobs = cJSON_GetArraySize(jobs);
		p->jobs = calloc((size_t) p->n_jobs + 1, sizeof *p->jobs);
		if (p->jobs == NULL)
			abort();
		cJSON_ArrayForEach(it, jobs)
			read_job(r, p, it, i++);
		plan_copy_expand(r, p);
		if (p->n_jobs == 0)
			sr_problem(r, "$.jobs", "a plan needs at least one job");
	}
	return p;
}

struct upkit_plan *
upkit_plan_read(const char *path, struct upkit_diags *diags)
{
	struct upkit_plan *p = calloc(1, sizeof *p);
	struct strbuf text = STRBUF_INIT;
	struct upkit_spec_reader r = {NULL, UPKIT_DIALECT_PG, diags, 0};
	struct stat st;
	cJSON	   *root;
	const char *slash;

	if (p == NULL)
		abort();
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
	{
		p->dir = xstrdup(path);
		p->file = resolve(path, "plan.json");
	}
	else
	{
		p->file = xstrdup(path);
		slash = strrchr(path, '/');
		p->dir = slash ? strndup(path, (size_t) (slash - path)) : xstrdup(".");
		if (slash == path)
		{
			free(p->dir);
			p->dir = xstrdup("/");
		}
	}
	r.file = p->file;
	if (upkit_read_text_file(p->file, "a plan is UTF-8 JSON text", &text, diags) == 0
		&& (root = upkit_json_parse(&r, sb_str(&text), "a plan")) != NULL)
	{
		read_root(&r, root, p);
		cJSON_Delete(root);
	}
	else
		r.problems++;
	sb_free(&text);
	if (r.problems > 0)
	{
		upkit_plan_free(p);
		return NULL;
	}
	return p;
}

static int
in_list(char *const *list, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return 1;
	return 0;
}

int
upkit_plan_job_enabled(const struct upkit_plan *p, const struct upkit_plan_job *j,
					   char *const *extra, int n_extra)
{
	if (j->n_config_keys == 0)
		return 1;
	for (int i = 0; i < j->n_config_keys; i++)
		if (in_list(p->config_keys, p->n_config_keys, j->config_keys[i])
			|| in_list(extra, n_extra, j->config_keys[i]))
			return 1;
	return 0;
}

static void
free_strings(char **s, int n)
{
	for (int i = 0; i < n; i++)
		free(s[i]);
	free(s);
}

void
upkit_plan_free(struct upkit_plan *p)
{
	if (p == NULL)
		return;
	for (int i = 0; i < p->n_dbs; i++)
	{
		free(p->dbs[i].name);
		free((char *) p->dbs[i].target.conninfo);
		free((char *) p->dbs[i].target.server);
		free((char *) p->dbs[i].target.database);
		free((char *) p->dbs[i].target.user);
		free(p->dbs[i].password_env);
	}
	free(p->dbs);
	for (int i = 0; i < p->n_jobs; i++)
	{
		struct upkit_plan_job *j = &p->jobs[i];

		free(j->id);
		free(j->path);
		free(j->description);
		free(j->spec_file);
		upkit_spec_free(j->spec);
		free(j->sql_file);
		free_strings(j->config_keys, j->n_config_keys);
		for (int k = 0; k < j->n_tables; k++)
			free(j->tables[k].name);
		free(j->tables);
		free_strings(j->after, j->n_after);
		free_strings(j->after_tables, j->n_after_tables);
		for (int k = 0; k < UPKIT_CALL_MAX_PARAMS; k++)
			free(j->args[k]);
		upkit_units_free(&j->units);
		free(j->tabids);
		free(j->copy_table);
	}
	free(p->jobs);
	for (int i = 0; i < p->n_copies; i++)
		plan_copy_free(p->copies[i]);
	free(p->copies);
	free_strings(p->companies, p->n_companies);
	free_strings(p->config_keys, p->n_config_keys);
	for (int i = 0; i < p->n_sizes; i++)
		free(p->sizes[i].name);
	free(p->sizes);
	free(p->size_values);
	free(p->file);
	free(p->dir);
	free(p->name);
	free(p);
}

/* ---- for plan_copy.c (plan_copy.h), and a table's key for the runner (plan.h) ---- */

char *
upkit_plan_table_key(const char *schema, const char *name)
{
	return table_key(schema, name);
}

char *
upkit_plan_table_key_text(const char *text)
{
	return table_key_text(text);
}

char *
upkit_plan_resolve(const char *dir, const char *file)
{
	return resolve(dir, file);
}

int
upkit_plan_find_db(const struct upkit_plan *p, const char *name)
{
	return find_db(p, name);
}

char	  **
upkit_plan_read_strings(struct upkit_spec_reader *r, const cJSON *obj, const char *path,
						const char *key, int ids, int *n)
{
	return read_strings(r, obj, path, key, ids, n);
}
