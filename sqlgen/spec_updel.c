/*
 * spec_updel.c: read and validate "update" and "delete" specs (see
 * spec_updel.h and docs/specs.md, which lists every rule and message
 * checked here).  Both kinds share the reader: a delete is a statement
 * without joins and "set".
 *
 * Like every reader it goes on after a problem, so one run reports every
 * problem in the file, each with its JSON path.  Every expression passes
 * upkit_expr_check (sr_expr) and then the virtual-company rule
 * (dataareaid.h).
 */
#include <stdlib.h>
#include <string.h>

#include "dataareaid.h"
#include "ident.h"
#include "spec_insert.h"
#include "render_updel.h"
#include "kind.h"
#include "spec_updel.h"
#include "strbuf.h"

/* An expression, checked also against the virtual-company rule. */
static char *
expr_field(struct upkit_spec_reader *r, const cJSON *obj, const char *path, const char *key,
		   int required)
{
	char	   *e = sr_expr(r, obj, path, key, required);
	char		why[1024];

	if (e && upkit_dataareaid_check(e, r->dialect, why, sizeof why) != 0)
	{
		char	   *p = sr_path_key(path, key);

		sr_problem(r, p, "%s", why);
		free(p);
	}
	return e;
}

static void
check_map_exprs(struct upkit_spec_reader *r, const char *path, const char *key,
				const struct upkit_column_map *m, int n)
{
	for (int i = 0; i < n; i++)
	{
		char		why[1024];

		if (m[i].expr && upkit_dataareaid_check(m[i].expr, r->dialect, why, sizeof why) != 0)
		{
			char	   *pk = sr_path_key(path, key);
			char	   *pi = sr_path_index(pk, i);
			char	   *pe = sr_path_key(pi, "expr");

			sr_problem(r, pe, "%s", why);
			free(pk);
			free(pi);
			free(pe);
		}
	}
}

/* Remember a company parameter (names compare without case: they become p_name and @NAME). */
static void
add_company(struct upkit_updel_spec *s, const char *name)
{
	for (int i = 0; i < s->n_companies; i++)
		if (upkit_ident_same(s->companies[i], name, UPKIT_DIALECT_MSSQL))
			return;
	XGROW(s->companies, s->n_companies);
	s->companies[s->n_companies++] = xstrdup(name);
}

/* Is alias used by the statement's target, joins or conditions so far? */
static const char *
alias_taken(const struct upkit_updel_stmt *st, const char *alias)
{
	if (upkit_ident_same(alias, UPKIT_UPDEL_TARGET_ALIAS, UPKIT_DIALECT_MSSQL))
		return "the generated SQL (the target in PostgreSQL's form for left joins)";
	if (st->target.alias && upkit_ident_same(alias, st->target.alias, UPKIT_DIALECT_MSSQL))
		return "the target";
	for (int i = 0; i < st->n_joins; i++)
		if (st->joins[i].t.alias && upkit_ident_same(alias, st->joins[i].t.alias, UPKIT_DIALECT_MSSQL))
			return "another join";
	for (int i = 0; i < st->n_exists; i++)
		if (st->exists[i].t.alias && upkit_ident_same(alias, st->exists[i].t.alias, UPKIT_DIALECT_MSSQL))
			return "another exists condition";
	return NULL;
}

/*
 * The fields every table has: schema, table, alias, per_company, company.
 * dflt_alias NULL: the alias is required.
 */
static void
read_table(struct upkit_spec_reader *r, struct upkit_updel_spec *s, struct upkit_updel_stmt *st,
		   const cJSON *obj, const char *path, const char *dflt_alias, struct upkit_updel_table *t)
{
	const cJSON *company = cJSON_GetObjectItemCaseSensitive(obj, "company");
	char	   *alias = NULL;

	sr_qname(r, obj, path, "table", &t->table);
	if (dflt_alias)
		alias = sr_alias(r, obj, path, "alias", dflt_alias);
	else if (cJSON_GetObjectItemCaseSensitive(obj, "alias") == NULL)
	{
		char	   *p = sr_path_key(path, "alias");

		sr_problem(r, p, "\"alias\" is required: expressions name this table by its alias");
		free(p);
	}
	else
		alias = sr_alias(r, obj, path, "alias", NULL);
	if (alias)
	{
		const char *taken = alias_taken(st, alias);

		if (taken)
		{
			char	   *p = sr_path_key(path, "alias");

			sr_problem(r, p, "alias \"%s\" is already used by %s", alias, taken);
			free(p);
			free(alias);
			alias = NULL;
		}
	}
	t->alias = alias;
	t->per_company = sr_bool(r, obj, path, "per_company", 1);
	if (company && !t->per_company)
	{
		char	   *p = sr_path_key(path, "company");

		sr_problem(r, p, "is only for a per-company table; a shared table (\"per_company\": false) has no DATAAREAID to compare");
		free(p);
	}
	else if (t->per_company && company == NULL)
		t->company = xstrdup(UPKIT_UPDEL_COMPANY);
	else if (t->per_company)
	{
		char	   *name = sr_string(r, obj, path, "company", 1);
		char		why[512];

		if (name && upkit_alias_check(name, why, sizeof why) != 0)
		{
			char	   *p = sr_path_key(path, "company");

			sr_problem(r, p, "the company parameter \"%s\" becomes @%s and p_%s, so it must be a plain name: %s",
					   name, name, name, why);
			free(p);
			free(name);
			name = NULL;
		}
		t->company = name;
	}
	if (t->company)
		add_company(s, t->company);
}

/* Is col a column an update may not set?  The reason or NULL. */
static const char *
unsettable(const void *spec, const char *col, enum upkit_dialect d)
{
	(void) spec;
	if (upkit_ident_same(col, UPKIT_COL_RECID, d))
		return "RECID identifies the row; an update never changes it";
	if (upkit_ident_same(col, UPKIT_COL_DATAAREAID, d))
		return "DATAAREAID says which company the row belongs to; moving rows between companies is not an update";
	return NULL;
}

/* A join's match column may not be its DATAAREAID: the company parameter matches it. */
static const char *
unmatchable(const void *spec, const char *col, enum upkit_dialect d)
{
	const struct upkit_updel_join *j = spec;

	if (j->t.per_company && upkit_ident_same(col, UPKIT_COL_DATAAREAID, d))
		return "a per-company table's DATAAREAID is compared with its company parameter, never with another table's";
	return NULL;
}

static void
read_join(struct upkit_spec_reader *r, struct upkit_updel_spec *s, struct upkit_updel_stmt *st,
		  const cJSON *obj, const char *p)
{
	static const char *const keys[] = {
		"schema", "table", "alias", "type", "match", "on", "per_company", "company",
		"unique", "aggregate", "where", NULL
	};
	struct upkit_updel_join j;
	char	   *type,
			   *unique;

	memset(&j, 0, sizeof j);
	sr_check_keys(r, obj, p, keys);
	read_table(r, s, st, obj, p, NULL, &j.t);
	type = sr_string(r, obj, p, "type", 0);
	if (type && strcmp(type, "left") == 0)
		j.left = 1;
	else if (type && strcmp(type, "inner") != 0)
	{
		char	   *pt = sr_path_key(p, "type");

		sr_problem(r, pt, "unknown join type \"%s\" (known: \"inner\", \"left\")", type);
		free(pt);
	}
	free(type);
	sr_mapping_at(r, obj, p, "match", 1, "joined", unmatchable, &j, &j.match, &j.n_match);
	check_map_exprs(r, p, "match", j.match, j.n_match);
	j.on = expr_field(r, obj, p, "on", 0);
	sr_mapping_at(r, obj, p, "aggregate", 0, "aggregate output", NULL, NULL, &j.aggregate, &j.n_aggregate);
	check_map_exprs(r, p, "aggregate", j.aggregate, j.n_aggregate);
	if (cJSON_GetObjectItemCaseSensitive(obj, "aggregate") == NULL &&
		cJSON_GetObjectItemCaseSensitive(obj, "where") != NULL)
	{
		char	   *pw = sr_path_key(p, "where");

		sr_problem(r, pw, "is only for an aggregate join (with \"aggregate\"); a plain join's further condition is \"on\"");
		free(pw);
	}
	else
		j.where = expr_field(r, obj, p, "where", 0);
	unique = sr_string(r, obj, p, "unique", 0);
	if (unique)
	{
		char	   *pu = sr_path_key(p, "unique");

		if (strcmp(unique, "check") == 0)
			j.check = 1;
		else if (strcmp(unique, "index") != 0)
			sr_problem(r, pu, "unknown value \"%s\" (known: \"index\": a unique index proves it at install; "
					   "\"check\": the procedure checks it when it runs)", unique);
		if (cJSON_GetObjectItemCaseSensitive(obj, "aggregate") != NULL)
			sr_problem(r, pu, "an aggregate join is unique by construction (one row per match value); leave \"unique\" out");
		free(pu);
		free(unique);
	}
	XGROW(st->joins, st->n_joins);
	st->joins[st->n_joins++] = j;
}

static void
read_exists(struct upkit_spec_reader *r, struct upkit_updel_spec *s, struct upkit_updel_stmt *st,
			const cJSON *obj, const char *path, const char *key, int negated)
{
	static const char *const keys[] = {"schema", "table", "alias", "on", "per_company", "company", NULL};
	const cJSON *arr = sr_array(r, obj, path, key, 0);
	const cJSON *it;
	char	   *apath = sr_path_key(path, key);
	int			i = 0;

	cJSON_ArrayForEach(it, arr)
	{
		char	   *p = sr_path_index(apath, i++);

		if (!cJSON_IsObject(it))
			sr_problem(r, p, "must be an object {\"table\": ..., \"alias\": ..., \"on\": ...}");
		else
		{
			struct upkit_updel_exists e;

			memset(&e, 0, sizeof e);
			e.negated = negated;
			sr_check_keys(r, it, p, keys);
			read_table(r, s, st, it, p, NULL, &e.t);
			e.on = expr_field(r, it, p, "on", 1);
			XGROW(st->exists, st->n_exists);
			st->exists[st->n_exists++] = e;
		}
		free(p);
	}
	free(apath);
}

static void
read_stmt(struct upkit_spec_reader *r, struct upkit_updel_spec *s, const cJSON *obj, const char *path)
{
	static const char *const target_keys[] = {"schema", "table", "alias", "per_company", "company", NULL};
	struct upkit_updel_stmt *st;
	const cJSON *target;
	const cJSON *joins;

	XGROW(s->stmts, s->n_stmts);
	st = &s->stmts[s->n_stmts++];
	memset(st, 0, sizeof *st);
	st->path = xstrdup(path);
	target = sr_object(r, obj, path, "target", 1);
	if (target)
	{
		char	   *p = sr_path_key(path, "target");

		sr_check_keys(r, target, p, target_keys);
		read_table(r, s, st, target, p, "T", &st->target);
		free(p);
	}
	if (!s->is_delete)
	{
		char	   *pj = sr_path_key(path, "joins");
		const cJSON *it;
		int			i = 0;

		joins = sr_array(r, obj, path, "joins", 0);
		cJSON_ArrayForEach(it, joins)
		{
			char	   *p = sr_path_index(pj, i++);

			if (!cJSON_IsObject(it))
				sr_problem(r, p, "must be an object {\"table\": ..., \"alias\": ..., \"match\": [...]}");
			else
				read_join(r, s, st, it, p);
			free(p);
		}
		free(pj);
		sr_mapping_at(r, obj, path, "set", 1, "target", unsettable, NULL, &st->set, &st->n_set);
		check_map_exprs(r, path, "set", st->set, st->n_set);
	}
	st->filter = expr_field(r, obj, path, "filter", 0);
	read_exists(r, s, st, obj, path, "exists", 0);
	read_exists(r, s, st, obj, path, "not_exists", 1);
}

static void *
read_spec(struct upkit_spec_reader *r, const cJSON *root, int is_delete)
{
	static const char *const update_keys[] = {
		"kind", "description", "procedure", "xpp", "statements",
		"target", "joins", "set", "filter", "exists", "not_exists", NULL
	};
	static const char *const delete_keys[] = {
		"kind", "description", "procedure", "xpp", "statements",
		"target", "filter", "exists", "not_exists", NULL
	};
	static const char *const update_stmt_keys[] = {"target", "joins", "set", "filter", "exists", "not_exists", NULL};
	static const char *const delete_stmt_keys[] = {"target", "filter", "exists", "not_exists", NULL};
	struct upkit_updel_spec *s = calloc(1, sizeof *s);
	const cJSON *stmts = cJSON_GetObjectItemCaseSensitive(root, "statements");

	if (s == NULL)
		abort();
	s->is_delete = is_delete;
	s->dialect = r->dialect;
	sr_check_keys(r, root, "$", is_delete ? delete_keys : update_keys);
	s->description = sr_text(r, root, "$", "description", 0);
	sr_procedure(r, root, &s->procedure);
	if (stmts == NULL)
		read_stmt(r, s, root, "$");
	else
	{
		const cJSON *arr = sr_array(r, root, "$", "statements", 1);
		const cJSON *it;
		int			i = 0;

		for (const char *const *k = is_delete ? delete_stmt_keys : update_stmt_keys; *k; k++)
			if (cJSON_GetObjectItemCaseSensitive(root, *k))
			{
				char	   *p = sr_path_key("$", *k);

				sr_problem(r, p, "belongs inside each entry of \"statements\" when the spec has a \"statements\" list");
				free(p);
			}
		if (arr && cJSON_GetArraySize(arr) == 0)
			sr_problem(r, "$.statements", "must list at least one statement");
		cJSON_ArrayForEach(it, arr)
		{
			char	   *p = sr_path_index("$.statements", i++);

			if (!cJSON_IsObject(it))
				sr_problem(r, p, "must be an object {\"target\": ..., ...}");
			else
			{
				sr_check_keys(r, it, p, is_delete ? delete_stmt_keys : update_stmt_keys);
				read_stmt(r, s, it, p);
			}
			free(p);
		}
	}
	s->xpp = sr_text(r, root, "$", "xpp", 1);
	if (s->n_companies > UPKIT_CALL_MAX_PARAMS)
		sr_problem(r, "$", "the tables name %d company parameters; a procedure takes at most %d",
				   s->n_companies, UPKIT_CALL_MAX_PARAMS);
	return s;
}

/*
 * A plan's job calls the procedure with one value per company parameter:
 * the default one (DATAAREAID) from the job's company, every other one
 * (a virtual company's id, say) from the job's "params" under its own name.
 */
void
upkit_updel_spec_call(const void *body, struct upkit_call *c)
{
	const struct upkit_updel_spec *s = body;

	c->procedure = &s->procedure;
	for (int i = 0; i < s->n_companies && i < UPKIT_CALL_MAX_PARAMS; i++)
	{
		if (upkit_ident_same(s->companies[i], UPKIT_UPDEL_COMPANY, UPKIT_DIALECT_MSSQL))
			upkit_call_add(c, (struct upkit_call_param) {.name = s->companies[i], .source = UPKIT_CALL_COMPANY});
		else
			upkit_call_add(c, (struct upkit_call_param) {
				.name = s->companies[i], .source = UPKIT_CALL_PARAM, .key = s->companies[i],
				.why = "is a company parameter of its own (a table kept under another company id)"});
	}
}

void *
upkit_update_spec_read(struct upkit_spec_reader *r, const cJSON *root)
{
	return read_spec(r, root, 0);
}

void *
upkit_delete_spec_read(struct upkit_spec_reader *r, const cJSON *root)
{
	return read_spec(r, root, 1);
}

static void
free_map(struct upkit_column_map *m, int n)
{
	for (int i = 0; i < n; i++)
	{
		free(m[i].column);
		free(m[i].expr);
	}
	free(m);
}

static void
free_table(struct upkit_updel_table *t)
{
	upkit_qname_free(&t->table);
	free(t->alias);
	free(t->company);
}

void
upkit_updel_spec_free(void *body)
{
	struct upkit_updel_spec *s = body;

	if (s == NULL)
		return;
	free(s->description);
	upkit_qname_free(&s->procedure);
	for (int i = 0; i < s->n_stmts; i++)
	{
		struct upkit_updel_stmt *st = &s->stmts[i];

		free(st->path);
		free_table(&st->target);
		for (int j = 0; j < st->n_joins; j++)
		{
			free_table(&st->joins[j].t);
			free_map(st->joins[j].match, st->joins[j].n_match);
			free(st->joins[j].on);
			free_map(st->joins[j].aggregate, st->joins[j].n_aggregate);
			free(st->joins[j].where);
		}
		free(st->joins);
		free_map(st->set, st->n_set);
		free(st->filter);
		for (int j = 0; j < st->n_exists; j++)
		{
			free_table(&st->exists[j].t);
			free(st->exists[j].on);
		}
		free(st->exists);
	}
	free(s->stmts);
	for (int i = 0; i < s->n_companies; i++)
		free(s->companies[i]);
	free(s->companies);
	free(s->xpp);
	free(s);
}

int
upkit_updel_stmt_checks(const struct upkit_updel_stmt *st)
{
	for (int i = 0; i < st->n_joins; i++)
		if (st->joins[i].check)
			return 1;
	return 0;
}

/*
 * The install-time probes of one statement, in the dialect's own form
 * (render_updel.h) with empty literals for the companies: each join with
 * the ones before it, the filter, each EXISTS condition, each SET item
 * (as the UPDATE that writes it) or the DELETE.  The first failure skips
 * the statement's later probes, which would fail for the same reason.
 */
static void
stmt_probes(struct upkit_spec_needs *n, const struct upkit_updel_ctx *c,
			const struct upkit_updel_stmt *st, int group)
{
	struct upkit_updel_stmt bare = *st;
	int			neg = 0,
				pos = 0;

	bare.filter = NULL;
	bare.n_exists = 0;
	for (int j = 0; j < st->n_joins; j++)
	{
		struct strbuf sql = STRBUF_INIT;
		char	   *pj = sr_path_key(st->path, "joins");
		char	   *p = sr_path_index(pj, j);

		sb_append(&sql, "SELECT 1\n");
		upkit_updel_from_where(&sql, c, &bare, j + 1, NULL);
		upkit_needs_statement(n, sb_str(&sql), p, group);
		sb_free(&sql);
		free(pj);
		free(p);
	}
	if (st->filter)
	{
		struct upkit_updel_stmt f = bare;
		struct strbuf sql = STRBUF_INIT;
		char	   *p = sr_path_key(st->path, "filter");

		f.filter = st->filter;
		sb_append(&sql, "SELECT 1\n");
		upkit_updel_from_where(&sql, c, &f, f.n_joins, NULL);
		upkit_needs_statement(n, sb_str(&sql), p, group);
		sb_free(&sql);
		free(p);
	}
	for (int k = 0; k < st->n_exists; k++)
	{
		struct upkit_updel_stmt e = bare;
		struct strbuf sql = STRBUF_INIT;
		char	   *pa = sr_path_key(st->path, st->exists[k].negated ? "not_exists" : "exists");
		char	   *p = sr_path_index(pa, st->exists[k].negated ? neg++ : pos++);
		char	   *pon = sr_path_key(p, "on");

		e.exists = &st->exists[k];
		e.n_exists = 1;
		sb_append(&sql, "SELECT 1\n");
		upkit_updel_from_where(&sql, c, &e, e.n_joins, NULL);
		upkit_needs_statement(n, sb_str(&sql), pon, group);
		sb_free(&sql);
		free(pa);
		free(p);
		free(pon);
	}
	for (int i = 0; i < st->n_set; i++)
	{
		struct strbuf sql = STRBUF_INIT;
		char	   *ps = sr_path_key(st->path, "set");
		char	   *p = sr_path_index(ps, i);
		char	   *pe = sr_path_key(p, "expr");

		c->w->update(&sql, c, &bare, i);
		upkit_needs_statement(n, sb_str(&sql), pe, group);
		sb_free(&sql);
		free(ps);
		free(p);
		free(pe);
	}
	if (c->s->is_delete)
	{
		struct strbuf sql = STRBUF_INIT;

		c->w->delete(&sql, c, st);
		upkit_needs_statement(n, sb_str(&sql), st->path, group);
		sb_free(&sql);
	}
}

static int
needs_table(struct upkit_spec_needs *n, const struct upkit_updel_table *t, const char *path,
			const char *role)
{
	char	   *pt = sr_path_key(path, "table");
	char	   *pc = sr_path_key(path, "per_company");
	struct strbuf r = STRBUF_INIT;
	int			i = upkit_needs_table(n, &t->table, pt, role);

	sb_appendf(&r, "%s company column", role);
	if (t->per_company)
		upkit_needs_column(n, i, UPKIT_COL_DATAAREAID, UPKIT_NEED_TEXT, pc, sb_str(&r));
	free(pt);
	free(pc);
	sb_free(&r);
	return i;
}

/*
 * What the procedure reads and writes (see needs.h): every table with its
 * company column, the columns set and matched, the target's RECID when a
 * join is checked at run time, the unique index that proves each other
 * plain join, and the statements themselves (stmt_probes).
 */
void
upkit_updel_spec_needs(const void *body, struct upkit_spec_needs *n)
{
	const struct upkit_updel_spec *s = body;
	const struct upkit_updel_words *w = s->dialect == UPKIT_DIALECT_PG ?
		&upkit_updel_words_pg : &upkit_updel_words_mssql;
	struct upkit_updel_ctx c = {s, w, "'upkit'", 1};

	for (int i = 0; i < s->n_stmts; i++)
	{
		const struct upkit_updel_stmt *st = &s->stmts[i];
		char	   *ptg = sr_path_key(st->path, "target");
		int			tgt = needs_table(n, &st->target, ptg, "target table");
		int			neg = 0,
					pos = 0;

		if (upkit_updel_stmt_checks(st))
			upkit_needs_column(n, tgt, UPKIT_COL_RECID, UPKIT_NEED_BIGINT, ptg,
							   "target RECID column (the run-time uniqueness check counts matches per RECID)");
		free(ptg);
		for (int k = 0; k < st->n_set; k++)
		{
			char	   *ps = sr_path_key(st->path, "set");
			char	   *p = sr_path_index(ps, k);
			char	   *pc = sr_path_key(p, "column");

			upkit_needs_column(n, tgt, st->set[k].column, UPKIT_NEED_ANY, pc, "updated column");
			free(ps);
			free(p);
			free(pc);
		}
		for (int j = 0; j < st->n_joins; j++)
		{
			const struct upkit_updel_join *jn = &st->joins[j];
			char	   *pj = sr_path_key(st->path, "joins");
			char	   *p = sr_path_index(pj, j);
			int			t = needs_table(n, &jn->t, p, "joined table");
			char	  **cols = calloc((size_t) jn->n_match + 2, sizeof *cols);
			int			nc = 0;

			if (cols == NULL)
				abort();
			for (int k = 0; k < jn->n_match; k++)
			{
				char	   *pm = sr_path_key(p, "match");
				char	   *pk = sr_path_index(pm, k);
				char	   *pc = sr_path_key(pk, "column");

				upkit_needs_column(n, t, jn->match[k].column, UPKIT_NEED_ANY, pc, "match column");
				cols[nc++] = jn->match[k].column;
				free(pm);
				free(pk);
				free(pc);
			}
			if (jn->t.per_company)
				cols[nc++] = UPKIT_COL_DATAAREAID;
			if (!jn->check && jn->n_aggregate == 0)
			{
				struct strbuf what = STRBUF_INIT;

				sb_appendf(&what, "the join %s AS %s", jn->t.table.name, jn->t.alias);
				upkit_needs_unique(n, t, cols, nc, p, sb_str(&what));
				sb_free(&what);
			}
			free(cols);
			free(pj);
			free(p);
		}
		for (int k = 0; k < st->n_exists; k++)
		{
			char	   *pa = sr_path_key(st->path, st->exists[k].negated ? "not_exists" : "exists");
			char	   *p = sr_path_index(pa, st->exists[k].negated ? neg++ : pos++);

			needs_table(n, &st->exists[k].t, p, "exists table");
			free(pa);
			free(p);
		}
		stmt_probes(n, &c, st, i + 1);
	}
	upkit_needs_object(n, s->procedure.schema, s->procedure.name, NULL);
}
