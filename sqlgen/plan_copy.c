/*
 * plan_copy.c: a plan's bulk copy (docs/runner.md "The copy stage").
 *
 * A job with "copy": {"from": DB, "mapping": FILE, "split_rows": N,
 * "tables": [...]} in stage "copy" declares the copy of those source tables
 * from database DB into the job's database; either may be PostgreSQL or
 * SQL Server, as for "upkit copy" (copy_side.h), except a PostgreSQL source
 * into a SQL Server target, which has no bulk path there either.  It is
 * read and validated here (the mapping file too, with its own file and
 * paths) and then expanded into one job per table, "ID.TABLE": a shared
 * job of stage copy that
 * creates rows in the table it fills (a table given as {"table": T,
 * "jobs": N} also gets N jobs "ID.T.1" ... "ID.T.N" that share its RECID
 * ranges, and its own job waits for them), so that the graph (plan_graph.c)
 * orders the copy stage by the tables' weights and makes every later job
 * that uses a copied table wait for that table's copy only.  The table a
 * source table fills is, for the plan, the mapping file's special mapping
 * or the same name; when AX's rules map it elsewhere at run time (DEL_, a
 * table id), the job fails instead of copying under a name the plan did
 * not order by (runner_copy.c).
 *
 * Without "tables" the copy takes every table of the source schema that
 * "upkit copy" would copy with the same mapping.  Those are known only from
 * the source's catalog, so the declaring job stays in the plan as one
 * pending job (no table: "upkit plan" shows it so) until
 * upkit_plan_copy_set_tables expands it with the tables runner_copy_expand
 * read ("upkit run", "upkit plan --catalog"); the graph is then built
 * again, so the dependency rule and the weights are those of a listed copy.
 *
 * The jobs carry no SQL: runner_copy.c plans the copy on the databases
 * (copy_plan_build) and runs each table's ranges with copy_range_run.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "copy_mapfile.h"
#include "copy_side.h"
#include "plan_copy.h"
#include "strbuf.h"

#define GROW(arr, n) do { \
	(arr) = realloc((arr), sizeof *(arr) * (size_t) ((n) + 1)); \
	if ((arr) == NULL) abort(); \
} while (0)

/* Keys a copy job may not have: it runs no spec or script of its own. */
static const char *const not_with_copy[] = {
	"spec", "sql", "tables", "params", "transaction", "weight", NULL
};

/* An AX table name: letters, digits, '_' (the expanded job's id takes it). */
static int
plain_table(const char *s)
{
	if (*s == '\0')
		return 0;
	for (const char *c = s; *c; c++)
		if (!isalnum((unsigned char) *c) && *c != '_')
			return 0;
	return 1;
}

/* The tables the mapping file sends elsewhere than the same name. */
static void
read_mapping(struct upkit_spec_reader *r, const struct upkit_plan *p, struct upkit_plan_copy *c)
{
	struct copy_mapping m = {0};
	int			before = r->diags->n;
	enum upkit_dialect sd = c->source_db >= 0 ? p->dbs[c->source_db].target.dialect : UPKIT_DIALECT_PG;

	if (c->mapping_file)
		copy_mapping_read_file(c->mapping_file, &m, r->diags);
	r->problems += r->diags->n - before;
	c->source_schema = xstrdup(m.source_schema ? m.source_schema : copy_source_for(sd)->default_schema);
	c->targets = calloc((size_t) c->n_tables + 1, sizeof *c->targets);
	if (c->targets == NULL)
		abort();
	for (int i = 0; i < c->n_tables; i++)
	{
		const char *target = c->tables[i];

		for (int k = 0; k < m.ntables; k++)
			if (strcasecmp(m.tables[k].table, c->tables[i]) == 0 && m.tables[k].target)
				target = m.tables[k].target;
		c->targets[i] = upkit_plan_table_key(m.target_schema, target);
	}
	copy_mapping_free(&m);
}

/* One entry of "tables": "NAME", or {"table": "NAME", "jobs": N}. */
static void
read_table(struct upkit_spec_reader *r, const cJSON *it, const char *tp, struct upkit_plan_copy *c)
{
	static const char *const keys[] = {"table", "jobs", NULL};
	char	   *name = NULL;
	long long	parts = 1;
	int			dup = 0;

	if (cJSON_IsObject(it))
	{
		sr_check_keys(r, it, tp, keys);
		name = sr_string(r, it, tp, "table", 1);
		sr_int(r, it, tp, "jobs", 0, 1, 64, &parts);
	}
	else if (cJSON_IsString(it))
		name = xstrdup(it->valuestring);
	if (name == NULL || !plain_table(name))
	{
		if (name || !cJSON_IsObject(it))
			sr_problem(r, tp, "a table name (letters, digits, '_'; the schema is the mapping file's),"
					   " or {\"table\": NAME, \"jobs\": N}");
		free(name);
		return;
	}
	for (int k = 0; k < c->n_tables; k++)
		dup |= strcasecmp(c->tables[k], name) == 0;
	if (dup)
	{
		sr_problem(r, tp, "table %s is already in the list", name);
		free(name);
		return;
	}
	GROW(c->tables, c->n_tables);
	GROW(c->parts, c->n_tables);
	c->parts[c->n_tables] = (int) parts;
	c->tables[c->n_tables++] = name;
}

static void
read_tables(struct upkit_spec_reader *r, const cJSON *o, struct upkit_plan_copy *c)
{
	const cJSON *a = sr_array(r, o, c->path, "tables", 0);
	char	   *ap = sr_path_key(c->path, "tables");
	const cJSON *it;
	int			i = 0;

	c->every_table = cJSON_GetObjectItemCaseSensitive(o, "tables") == NULL;
	c->listed = !c->every_table;
	if (a && cJSON_GetArraySize(a) == 0)
		sr_problem(r, ap, "an empty list: name the source tables to copy, or leave \"tables\" out to copy every table");
	cJSON_ArrayForEach(it, a)
	{
		char	   *tp = sr_path_index(ap, i++);

		read_table(r, it, tp, c);
		free(tp);
	}
	free(ap);
}

/*
 * "batch_size" and "table_lock": how a SQL Server target's bulk copy
 * commits and locks (upkit copy's --batch-size, --table-lock); refused for
 * another target, as upkit copy refuses them.
 */
static void
read_bulk_options(struct upkit_spec_reader *r, const struct upkit_plan *p, const struct upkit_plan_job *j,
				  const cJSON *o, struct upkit_plan_copy *c)
{
	const cJSON *lock = cJSON_GetObjectItemCaseSensitive(o, "table_lock");
	int			mssql = j->db >= 0 && p->dbs[j->db].target.dialect == UPKIT_DIALECT_MSSQL;

	sr_int(r, o, c->path, "batch_size", 0, 0, 1000000000000LL, &c->batch_size);
	if (lock && !cJSON_IsBool(lock))
	{
		char	   *lp = sr_path_key(c->path, "table_lock");

		sr_problem(r, lp, "true or false");
		free(lp);
	}
	c->table_lock = cJSON_IsTrue(lock);
	if (!mssql && j->db >= 0 && (lock || cJSON_GetObjectItemCaseSensitive(o, "batch_size")))
	{
		char	   *kp = sr_path_key(c->path, lock ? "table_lock" : "batch_size");

		sr_problem(r, kp, "batch_size and table_lock are for a SQL Server target (its bulk copy);"
				   " \"%s\" is %s", p->dbs[j->db].name, upkit_dialect_name(p->dbs[j->db].target.dialect));
		free(kp);
	}
}

void
plan_copy_read(struct upkit_spec_reader *r, struct upkit_plan *p, const cJSON *job,
			   struct upkit_plan_job *j)
{
	static const char *const keys[] = {"from", "mapping", "split_rows", "tables", "batch_size", "table_lock", NULL};
	struct upkit_plan_copy *c = calloc(1, sizeof *c);
	const cJSON *o;
	const char *nopath;
	char	   *s;

	if (c == NULL)
		abort();
	GROW(p->copies, p->n_copies);
	p->copies[p->n_copies++] = c;
	j->copy = c;
	j->type = UPKIT_JOB_SHARED;
	j->transaction = 0;
	c->path = sr_path_key(j->path, "copy");
	c->source_db = -1;
	c->split_rows = 1000000;
	c->batch_size = 10000;		/* upkit copy's --batch-size */
	for (int k = 0; not_with_copy[k]; k++)
		if (cJSON_GetObjectItemCaseSensitive(job, not_with_copy[k]))
		{
			char	   *kp = sr_path_key(j->path, not_with_copy[k]);

			sr_problem(r, kp, "a copy job runs no spec or script of its own: leave \"%s\" out", not_with_copy[k]);
			free(kp);
		}
	if (j->stage != UPKIT_STAGE_COPY)
		sr_problem(r, c->path, "a copy belongs to stage \"copy\", not \"%s\"", upkit_stage_name(j->stage));
	if ((s = sr_string(r, job, j->path, "type", 0)) != NULL)
	{
		if (strcmp(s, "shared") != 0)
		{
			char	   *tp = sr_path_key(j->path, "type");

			sr_problem(r, tp, "a copy's table jobs run once each: its type is \"shared\", not \"%s\"", s);
			free(tp);
		}
		free(s);
	}
	j->config_keys = upkit_plan_read_strings(r, job, j->path, "config_keys", 0, &j->n_config_keys);
	j->after = upkit_plan_read_strings(r, job, j->path, "after", 1, &j->n_after);
	j->after_tables = upkit_plan_read_strings(r, job, j->path, "after_tables", 0, &j->n_after_tables);
	for (int i = 0; i < j->n_after_tables; i++)
	{
		char	   *k = upkit_plan_table_key_text(j->after_tables[i]);

		free(j->after_tables[i]);
		j->after_tables[i] = k;
	}
	if ((o = sr_object(r, job, j->path, "copy", 1)) == NULL)
		return;
	sr_check_keys(r, o, c->path, keys);
	if ((s = sr_string(r, o, c->path, "from", 1)) != NULL)
	{
		char	   *fp = sr_path_key(c->path, "from");

		if ((c->source_db = upkit_plan_find_db(p, s)) < 0)
			sr_problem(r, fp, "no database \"%s\" in $.databases", s);
		else if (c->source_db == j->db)
			sr_problem(r, fp, "the copy reads \"%s\" and writes the job's \"database\": give two databases", s);
		else if (j->db >= 0 && (nopath = copy_side_no_path_for(p->dbs[c->source_db].target.dialect,
																p->dbs[j->db].target.dialect)) != NULL)
			sr_problem(r, fp, "\"%s\" (%s) into \"%s\" (%s): %s", s,
					   upkit_dialect_name(p->dbs[c->source_db].target.dialect), p->dbs[j->db].name,
					   upkit_dialect_name(p->dbs[j->db].target.dialect), nopath);
		free(fp);
		free(s);
	}
	if ((s = sr_string(r, o, c->path, "mapping", 0)) != NULL)
	{
		c->mapping_file = upkit_plan_resolve(p->dir, s);
		free(s);
	}
	sr_int(r, o, c->path, "split_rows", 0, 0, 1000000000000LL, &c->split_rows);
	read_bulk_options(r, p, j, o, c);
	read_tables(r, o, c);
	read_mapping(r, p, c);
}

static char **
copy_strings(char *const *s, int n)
{
	char	  **out = calloc((size_t) n + 1, sizeof *out);

	if (out == NULL)
		abort();
	for (int i = 0; i < n; i++)
		out[i] = xstrdup(s[i]);
	return out;
}

static void
free_strings(char **s, int n)
{
	for (int i = 0; i < n; i++)
		free(s[i]);
	free(s);
}

/*
 * Table k's job of declaration d (part 0), or part `part` of its ranges:
 * the parts carry no table (they never race with each other), the table's
 * job waits for its parts and fills the table for the graph.
 */
static void
table_job(const struct upkit_plan *p, const struct upkit_plan_job *d, int k, int part,
		  struct upkit_plan_job *e)
{
	const struct upkit_plan_copy *c = d->copy;
	int			n = c->parts[k];
	struct strbuf sb = STRBUF_INIT;

	memset(e, 0, sizeof *e);
	sb_appendf(&sb, "%s.%s", d->id ? d->id : "copy", c->tables[k]);
	if (part > 0)
		sb_appendf(&sb, ".%d", part);
	e->id = sb.data;
	if (c->every_table)
		e->path = xstrdup(c->path);	/* "$.jobs[3].copy": every table of it */
	else
	{
		char	   *tp = sr_path_key(c->path, "tables");

		e->path = sr_path_index(tp, k);	/* "$.jobs[3].copy.tables[0]": its table */
		free(tp);
	}
	sb = (struct strbuf) STRBUF_INIT;
	sb_appendf(&sb, "copy %s from %s", c->tables[k], c->source_db >= 0 ? p->dbs[c->source_db].name : "?");
	if (part > 0)
		sb_appendf(&sb, ", part %d of %d of its ranges", part, n);
	else if (n > 1)
		sb_appendf(&sb, ", after its %d parts: what is left, and the checks", n);
	e->description = sb.data;
	e->stage = UPKIT_STAGE_COPY;
	e->type = UPKIT_JOB_SHARED;
	e->db = d->db;
	e->transaction = 0;
	e->weight = -1;
	e->config_keys = copy_strings(d->config_keys, d->n_config_keys);
	e->n_config_keys = d->n_config_keys;
	e->after = copy_strings(d->after, d->n_after);
	e->n_after = d->n_after;
	if (part == 0 && n > 1)
	{
		e->after = realloc(e->after, sizeof *e->after * (size_t) (d->n_after + n + 1));
		if (e->after == NULL)
			abort();
		for (int i = 1; i <= n; i++)
		{
			struct strbuf id = STRBUF_INIT;

			sb_appendf(&id, "%s.%d", e->id, i);
			e->after[e->n_after++] = id.data;
		}
	}
	e->after_tables = copy_strings(d->after_tables, d->n_after_tables);
	e->n_after_tables = d->n_after_tables;
	if (part == 0)
	{
		e->tables = calloc(2, sizeof *e->tables);
		if (e->tables == NULL)
			abort();
		e->tables[0].name = xstrdup(c->targets[k]);
		e->tables[0].access = UPKIT_ACCESS_CREATE;
		e->n_tables = 1;
	}
	e->copy = c;
	e->copy_table = xstrdup(c->tables[k]);
	e->copy_index = k;
	e->copy_part = part;
}

/* A copy's declaring job that is still to be expanded into table jobs now. */
static int
expands(const struct upkit_plan_job *d)
{
	return d->copy && d->copy_table == NULL && d->copy->listed;
}

/* The declaration pending its tables: one job that shows the copy. */
static void
pending(const struct upkit_plan *p, struct upkit_plan_job *d)
{
	struct strbuf sb = STRBUF_INIT;

	((struct upkit_plan_copy *) d->copy)->id = xstrdup(d->id ? d->id : "copy");
	if (d->description)
		return;
	sb_appendf(&sb, "every table of schema %s of %s, from its catalog (upkit plan --catalog; upkit run)",
			   d->copy->source_schema, d->copy->source_db >= 0 ? p->dbs[d->copy->source_db].name : "?");
	d->description = sb.data;
}

void
plan_copy_expand(struct upkit_spec_reader *r, struct upkit_plan *p)
{
	struct upkit_plan_job *jobs;
	int			n = 0,
				at = 0;

	if (p->n_copies == 0)
		return;
	for (int i = 0; i < p->n_jobs; i++)
	{
		const struct upkit_plan_copy *c = p->jobs[i].copy;

		if (!expands(&p->jobs[i]))
			n++;
		for (int k = 0; expands(&p->jobs[i]) && k < c->n_tables; k++)
			n += 1 + (c->parts[k] > 1 ? c->parts[k] : 0);
	}
	jobs = calloc((size_t) n + 1, sizeof *jobs);
	if (jobs == NULL)
		abort();
	for (int i = 0; i < p->n_jobs; i++)
	{
		struct upkit_plan_job *d = &p->jobs[i];

		if (!expands(d))
		{
			if (d->copy && d->copy_table == NULL && d->copy->id == NULL)
				pending(p, d);
			jobs[at++] = *d;
			continue;
		}
		if (d->copy->id == NULL)
			((struct upkit_plan_copy *) d->copy)->id = xstrdup(d->id ? d->id : "copy");
		for (int k = 0; k < d->copy->n_tables; k++)
		{
			for (int part = 1; d->copy->parts[k] > 1 && part <= d->copy->parts[k]; part++)
				table_job(p, d, k, part, &jobs[at++]);
			table_job(p, d, k, 0, &jobs[at++]);
		}
		free(d->id);
		free(d->path);
		free(d->description);
		free_strings(d->config_keys, d->n_config_keys);
		free_strings(d->after, d->n_after);
		free_strings(d->after_tables, d->n_after_tables);
	}
	free(p->jobs);
	p->jobs = jobs;
	p->n_jobs = n;
	for (int i = 0; i < n; i++)
	{
		if (!jobs[i].copy || !jobs[i].copy_table)
			continue;
		if (strlen(jobs[i].id) > 63)
			sr_problem(r, jobs[i].path, "the copy's job id \"%s\" is longer than 63: give the copy job a shorter id",
					   jobs[i].id);
		for (int k = 0; k < n; k++)
			if (k != i && strcmp(jobs[i].id, jobs[k].id) == 0 && (!jobs[k].copy || k < i))
				sr_problem(r, jobs[i].path, "the copy's job for this table is \"%s\", and %s already has that id",
						   jobs[i].id, jobs[k].path);
	}
}

int
upkit_plan_copy_set_tables(struct upkit_plan *p, struct upkit_plan_copy *c, char *const *names,
						   char *const *targets, int n, struct upkit_diags *diags)
{
	struct upkit_spec_reader r = {p->file, UPKIT_DIALECT_NONE, diags, 0};

	if (!c->every_table || c->listed)
		abort();				/* only a pending copy's tables come from the catalog */
	free_strings(c->tables, c->n_tables);
	free_strings(c->targets, c->n_tables);
	free(c->parts);
	c->tables = copy_strings(names, n);
	c->targets = copy_strings(targets, n);
	c->parts = calloc((size_t) n + 1, sizeof *c->parts);
	if (c->parts == NULL)
		abort();
	for (int i = 0; i < n; i++)
		c->parts[i] = 1;
	c->n_tables = n;
	c->listed = 1;
	plan_copy_expand(&r, p);
	return r.problems > 0 ? -1 : 0;
}

int
upkit_plan_copy_pending(const struct upkit_plan *p)
{
	for (int i = 0; i < p->n_copies; i++)
		if (!p->copies[i]->listed)
			return 1;
	return 0;
}

void
plan_copy_free(struct upkit_plan_copy *c)
{
	if (c == NULL)
		return;
	free(c->path);
	free(c->id);
	free(c->mapping_file);
	free(c->source_schema);
	free_strings(c->tables, c->n_tables);
	free_strings(c->targets, c->n_tables);
	free(c->parts);
	free(c);
}
