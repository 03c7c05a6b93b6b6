/*
 * transfer_tables.c: what "upkit transfer" moves, and the checks of each
 * table on both systems (see transfer.h).
 *
 * What moves: the shadow table of every delta spec given, the tables the
 * DBA names, and upkit's state tables (the extension's configuration
 * tables on PostgreSQL, the runtime's [dbo].[UPKIT_*] tables on SQL
 * Server; transfer_side_*.c) less the ledgers, which record what happened
 * on one system and must not move: the copy ledger, the insert runs, the
 * transfer marker and the runner's tables.  A state table added later
 * moves unless it is in its side's list of ledgers, the one place of that
 * list.  The extension's configuration sequences (the ids of delta and
 * validation runs) are state counters: the moved rows carry ids the test
 * system handed out, so production's counter is raised to the larger of
 * both after the copy (transfer_run.c), never lowered.
 *
 * Names compare without regard to case, as AX compares them; each table is
 * then used as the catalog spells it.  Every value is a parameter; the only
 * names in SQL text are catalog names, quoted.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "copy_side.h"
#include "ident.h"
#include "spec.h"
#include "spec_delta.h"
#include "transfer.h"
#include "transfer_side.h"

static void
server_problem(struct upkit_diags *diags, const char *side, const struct upkit_conn *c)
{
	upkit_diag_msg(diags, "cannot read the %s system (%s): %s", side, c->where, sb_str(&c->error));
}

/* The catalog's spelling of schema.name (any case): 1 found, 0 not, -1 error. */
static int
resolve(struct upkit_conn *c, const char *schema, const char *name, struct strbuf *out)
{
	const char *p[] = {schema, name};

	return upkit_query_value(c, transfer_side_of(c)->resolve, 2, p, out);
}

static void
add(struct transfer *tr, const char *schema, const char *name, const char *why, int state)
{
	struct transfer_table *t;

	for (int i = 0; i < tr->ntables; i++)
		if (strcmp(tr->tables[i].schema, schema) == 0 && strcmp(tr->tables[i].name, name) == 0)
			return;
	tr->tables = realloc(tr->tables, sizeof(*tr->tables) * (tr->ntables + 1));
	if (tr->tables == NULL)
		abort();
	t = &tr->tables[tr->ntables++];
	memset(t, 0, sizeof *t);
	t->schema = xstrdup(schema);
	t->name = xstrdup(name);
	t->why = xstrdup(why);
	t->state = state;
	t->test_rows = t->prod_rows = -1;
	t->tabid = -1;
}

/* A table the DBA or a spec names: found on test, or a problem. */
static int
add_named(struct transfer *tr, struct upkit_conn *test, const char *schema, const char *name,
		  const char *why, struct upkit_diags *diags)
{
	struct strbuf real = STRBUF_INIT;
	int			rc = resolve(test, schema, name, &real);

	if (rc < 0)
		server_problem(diags, "test", test);
	else if (rc == 0)
		upkit_diag_msg(diags, "%s: no table %s in schema %s of the test system", why, name, schema);
	else
		add(tr, schema, sb_str(&real), why, 0);
	sb_free(&real);
	return rc < 0 ? -1 : 0;
}

static int
add_spec(struct transfer *tr, struct upkit_conn *test, const char *file, const char *ax_schema,
		 struct upkit_diags *diags)
{
	struct upkit_spec *s = upkit_spec_read_file(file, test->dialect, diags);
	const struct upkit_delta_spec *d;
	struct strbuf why = STRBUF_INIT;
	int			rc = 0;

	if (s == NULL)
		return 0;				/* its problems are in diags */
	if (strcmp(s->kind->name, "delta") != 0)
		upkit_diag_add(diags, file, "$.kind", "a spec of kind \"%s\" names no staging table: only a"
					   " delta spec has one (its shadow); name other tables with --table", s->kind->name);
	else
	{
		d = upkit_spec_body(s, test->dialect);
		sb_appendf(&why, "shadow of %s", strrchr(file, '/') ? strrchr(file, '/') + 1 : file);
		rc = add_named(tr, test, d->shadow.schema ? d->shadow.schema : ax_schema, d->shadow.name,
					   sb_str(&why), diags);
	}
	sb_free(&why);
	upkit_spec_free(s);
	return rc;
}

/* A state counter's value on c (-1: never used), or -2 on error. */
static long long
counter_value(struct upkit_conn *c, const char *name)
{
	struct strbuf v = STRBUF_INIT;
	const char *p[] = {name};
	long long	n = -2;

	if (upkit_query_value(c, transfer_side_of(c)->counter_value, 1, p, &v) == 1)
		n = atoll(sb_str(&v));
	sb_free(&v);
	return n;
}

static void
add_counter(struct transfer *tr, enum upkit_dialect d, const char *schema, const char *name, long long test_value)
{
	struct transfer_counter *k;
	struct strbuf q = STRBUF_INIT;

	tr->counters = realloc(tr->counters, sizeof(*tr->counters) * (tr->ncounters + 1));
	if (tr->counters == NULL)
		abort();
	k = &tr->counters[tr->ncounters++];
	memset(k, 0, sizeof *k);
	upkit_quote_catalog_qualified(&q, schema, name, d);
	k->quoted = xstrdup(sb_str(&q));
	sb_free(&q);
	sb_appendf(&q, "%s.%s", schema, name);
	k->name = xstrdup(sb_str(&q));
	k->test = test_value;
	k->prod = k->after = -1;
	sb_free(&q);
}

/* The extension's configuration tables on test, less the ledgers, and its counters. */
static int
add_state(struct transfer *tr, struct upkit_conn *test, struct upkit_diags *diags)
{
	struct upkit_rows r = UPKIT_ROWS_INIT;
	const struct transfer_side *ts = transfer_side_of(test);

	if (test->ops->query(test, ts->state_tables, 0, NULL, &r) != 0)
	{
		server_problem(diags, "test", test);
		return -1;
	}
	if (r.nrows == 0)
		upkit_diag_msg(diags, "the test system (%s) has no upkit state tables: %s", test->where, ts->install);
	for (int i = 0; i < r.nrows; i++)
		if (strcmp(upkit_rows_get(&r, i, 2), "t") == 0 || strcmp(upkit_rows_get(&r, i, 2), "1") == 0)
			add_counter(tr, test->dialect, upkit_rows_get(&r, i, 0), upkit_rows_get(&r, i, 1),
						atoll(upkit_rows_get(&r, i, 3)));
		else if (!transfer_side_is_ledger(ts, upkit_rows_get(&r, i, 1)))
			add(tr, upkit_rows_get(&r, i, 0), upkit_rows_get(&r, i, 1), "upkit state", 1);
	upkit_rows_free(&r);
	return 0;
}

/* [SCHEMA.]NAME (default schema ax_schema), found on test, or a problem. */
static int
add_qualified(struct transfer *tr, struct upkit_conn *test, const char *qualified, const char *ax_schema,
			  const char *why, struct upkit_diags *diags)
{
	const char *dot = strchr(qualified, '.');
	char	   *schema = dot ? strndup(qualified, (size_t) (dot - qualified)) : xstrdup(ax_schema);
	int			rc = add_named(tr, test, schema, dot ? dot + 1 : qualified, why, diags);

	free(schema);
	return rc;
}

int
transfer_collect(struct transfer *tr, struct upkit_conn *test, struct upkit_conn *prod,
				 const struct transfer_options *opt, struct upkit_diags *diags)
{
	(void) prod;
	if (opt->plan && transfer_plan_read(opt->plan, test, &tr->from_plan, diags) != 0)
		return -1;
	for (int i = 0; i < tr->from_plan.ntables; i++)
		if (add_qualified(tr, test, tr->from_plan.tables[i], opt->ax_schema, tr->from_plan.whys[i], diags) != 0)
			return -1;
	for (const char *const *s = opt->specs; s && *s; s++)
		if (add_spec(tr, test, *s, opt->ax_schema, diags) != 0)
			return -1;
	for (const char *const *t = opt->tables; t && *t; t++)
		if (add_qualified(tr, test, *t, opt->ax_schema, "--table", diags) != 0)
			return -1;
	return add_state(tr, test, diags);
}

/* "name type[ details], ..." of a table's columns, in order: 1, or -1. */
static int
columns(struct upkit_conn *c, const struct transfer_table *t, struct strbuf *out)
{
	const char *p[] = {t->schema, t->name};
	struct upkit_rows r = UPKIT_ROWS_INIT;

	if (c->ops->query(c, transfer_side_of(c)->columns, 2, p, &r) != 0)
		return -1;
	for (int i = 0; i < r.nrows; i++)
		for (int j = 0; j < r.ncols; j++)
			sb_appendf(out, "%s%s", j > 0 ? " " : i > 0 ? ", " : "",
					   upkit_rows_get(&r, i, j) ? upkit_rows_get(&r, i, j) : "");
	upkit_rows_free(&r);
	return 1;
}

/* Production's columns of t whose values the copy cannot keep: a problem each.  0, or -1. */
static int
uncopyable(struct upkit_conn *prod, const struct transfer_table *t, struct upkit_diags *diags)
{
	const char *sql = transfer_side_of(prod)->uncopyable_columns;
	const char *p[] = {t->schema, t->name};
	struct upkit_rows r = UPKIT_ROWS_INIT;

	if (sql == NULL)
		return 0;
	if (prod->ops->query(prod, sql, 2, p, &r) != 0)
		return -1;
	for (int i = 0; i < r.nrows; i++)
		upkit_diag_msg(diags, "%s.%s (%s): column %s on production is %s", t->schema, t->name, t->why,
					   upkit_rows_get(&r, i, 0), upkit_rows_get(&r, i, 1));
	upkit_rows_free(&r);
	return 0;
}

static long long
count_rows(struct upkit_conn *c, const struct transfer_table *t)
{
	return copy_side_count_table(c, t->schema, t->name);
}

/* Production's SQLDICTIONARY table id of t, or -1. */
static int
table_id(struct upkit_conn *prod, const char *ax_schema, const struct transfer_table *t)
{
	const struct transfer_side *ps = transfer_side_of(prod);
	struct strbuf dict = STRBUF_INIT;
	struct strbuf q = STRBUF_INIT;
	struct strbuf v = STRBUF_INIT;
	const char *p[] = {t->name};
	const char *dp[1];
	int			id = -1;

	upkit_quote_catalog_qualified(&dict, ax_schema, ps->dictionary, prod->dialect);
	dp[0] = sb_str(&dict);
	if (transfer_side_yes(prod, ps->exists, 1, dp) == 1)
	{
		sb_appendf(&q, ps->table_id, sb_str(&dict));
		if (upkit_query_value(prod, sb_str(&q), 1, p, &v) == 1 && sb_str(&v)[0])
			id = atoi(sb_str(&v));
	}
	sb_free(&dict);
	sb_free(&q);
	sb_free(&v);
	return id;
}

/* Test's delta must be complete for everything its state records. */
static int
check_ready(struct transfer *tr, struct upkit_conn *test, struct upkit_diags *diags)
{
	struct upkit_rows r = UPKIT_ROWS_INIT;
	const struct transfer_side *ts = transfer_side_of(test);

	if (transfer_side_yes(test, ts->exists, 1, &ts->delta_state) != 1)
		return 0;				/* add_state reported the missing extension */
	if (test->ops->query(test, ts->delta_not_ready, 0, NULL, &r) != 0)
	{
		server_problem(diags, "test", test);
		return -1;
	}
	for (int i = 0; i < r.nrows; i++)
		upkit_diag_msg(diags, "%s, company %s: the test system's delta is not complete (its latest run"
					   " found %s new, %s updated, %s deleted): run it there until 0, 0, 0",
					   upkit_rows_get(&r, i, 0), upkit_rows_get(&r, i, 1), upkit_rows_get(&r, i, 2),
					   upkit_rows_get(&r, i, 3), upkit_rows_get(&r, i, 4));
	upkit_rows_free(&r);
	/* a live fill begun and not done is preprocessing not complete either */
	if (transfer_side_yes(test, ts->exists, 1, &ts->live_state) == 1)
	{
		if (test->ops->query(test, ts->live_not_done, 0, NULL, &r) != 0)
		{
			server_problem(diags, "test", test);
			return -1;
		}
		for (int i = 0; i < r.nrows; i++)
			upkit_diag_msg(diags, "%s, company %s: the test system's live fill is %s, not done: finish it there",
						   upkit_rows_get(&r, i, 0), upkit_rows_get(&r, i, 1), upkit_rows_get(&r, i, 2));
		upkit_rows_free(&r);
	}
	/* a spec's shadow needs a completed run at all */
	for (int i = 0; i < tr->ntables; i++)
	{
		struct strbuf key = STRBUF_INIT;
		struct strbuf v = STRBUF_INIT;
		const char *p[1];

		if (strncmp(tr->tables[i].why, "shadow of ", 10) != 0)
			continue;
		sb_appendf(&key, "%s.%s", tr->tables[i].schema, tr->tables[i].name);
		p[0] = sb_str(&key);
		if (upkit_query_value(test, ts->delta_state_rows, 1, p, &v) == 1 && strcmp(sb_str(&v), "0") == 0)
			upkit_diag_msg(diags, "%s (%s): the test system's %s has no row for it:"
						   " no delta run of it has completed there", p[0], tr->tables[i].why, ts->delta_state);
		sb_free(&key);
		sb_free(&v);
	}
	return 0;
}

int
transfer_check_tables(struct transfer *tr, struct upkit_conn *test, struct upkit_conn *prod,
					  const struct transfer_options *opt, struct upkit_diags *diags)
{
	for (int i = 0; i < tr->ntables; i++)
	{
		struct transfer_table *t = &tr->tables[i];
		struct strbuf real = STRBUF_INIT;
		struct strbuf tc = STRBUF_INIT;
		struct strbuf pc = STRBUF_INIT;
		int			rc = resolve(prod, t->schema, t->name, &real);

		if (rc < 0)
		{
			server_problem(diags, "production", prod);
			sb_free(&real);
			return -1;
		}
		if (rc == 0 || strcmp(sb_str(&real), t->name) != 0)
			upkit_diag_msg(diags, "%s.%s (%s): no such table on production (%s)", t->schema, t->name, t->why,
						   prod->where);
		else if (columns(test, t, &tc) != 1 || columns(prod, t, &pc) != 1)
		{
			server_problem(diags, sb_str(&test->error)[0] ? "test" : "production",
						   sb_str(&test->error)[0] ? test : prod);
			rc = -1;
		}
		else
		{
			if (strcmp(sb_str(&tc), sb_str(&pc)) != 0)
				upkit_diag_msg(diags, "%s.%s: the columns differ: the test system has (%s), production has (%s)",
							   t->schema, t->name, sb_str(&tc), sb_str(&pc));
			if (uncopyable(prod, t, diags) < 0)
				rc = -1;
			t->test_rows = count_rows(test, t);
			t->prod_rows = count_rows(prod, t);
			t->tabid = table_id(prod, opt->ax_schema, t);
			if (t->test_rows < 0 || t->prod_rows < 0)
				rc = -1;
			else if (t->prod_rows > 0 && !opt->replace && !tr->resume)
				upkit_diag_msg(diags, "%s.%s: production's copy has %lld rows, an older state:"
							   " --replace overwrites it", t->schema, t->name, t->prod_rows);
		}
		sb_free(&real);
		sb_free(&tc);
		sb_free(&pc);
		if (rc < 0)
		{
			if (diags->n == 0)
				upkit_diag_msg(diags, "cannot count the rows of %s.%s", t->schema, t->name);
			return -1;
		}
	}
	for (int i = 0; i < tr->ncounters; i++)
	{
		struct transfer_counter *k = &tr->counters[i];

		k->prod = counter_value(prod, k->quoted);
		if (k->prod == -2)
		{
			upkit_diag_msg(diags, "%s: cannot read it on production (%s): %s", k->name, prod->where,
						   sb_str(&prod->error));
			return -1;
		}
		k->after = k->test > k->prod ? k->test : k->prod;
	}
	return check_ready(tr, test, diags);
}

void
transfer_free(struct transfer *tr)
{
	for (int i = 0; i < tr->ntables; i++)
	{
		free(tr->tables[i].schema);
		free(tr->tables[i].name);
		free(tr->tables[i].why);
	}
	for (int i = 0; i < tr->nseqs; i++)
	{
		free(tr->seqs[i].company);
		free(tr->seqs[i].sequence);
		free(tr->seqs[i].label);
		free(tr->seqs[i].test_format);
		free(tr->seqs[i].prod_format);
	}
	for (int i = 0; i < tr->ncounters; i++)
		free(tr->counters[i].name), free(tr->counters[i].quoted);
	free(tr->counters);
	transfer_plan_names_free(&tr->from_plan);
	free(tr->tables);
	free(tr->seqs);
	free(tr->marker_id);
	free(tr->outside_fkey);
	sb_free(&tr->emptied);
	memset(tr, 0, sizeof *tr);
}
