/*
 * copy_plan.c: build a copy plan (see copy_plan.h): read both databases,
 * map (copy_map.c), then check per table what only the databases can say:
 * an affected table must be ready for copy, a target must be empty (or have
 * the exception truncate_on_copy, or a ledger that accounts for its rows),
 * and a table already begun must still have the mapping it began with.
 * A table that fails any of these is refused, naming the reason.
 *
 * The SELECT of a table, in the source's dialect (quoting and ltrim are
 * the source's, copy_side.h; the rest is the same text): its mapped fields in the target's
 * column order of the mapping, from the source table, joined with its
 * shadow for an affected table (shd.REFRECID = src.RECID AND
 * shd.REFDATAAREAID = src.DATAAREAID, with the join type asked for).  In a
 * LEFT or FULL join a field the shadow replaces takes the source's value
 * where there is no shadow row; in a RIGHT or FULL join RECID and
 * DATAAREAID come from the shadow where there is no source row.
 *
 * Ranges: a table with a RECID and more rows than split_rows (the
 * estimate) is cut into ranges of equal RECID width between its smallest
 * and largest RECID; the first and last are open, so every row falls in
 * exactly one range whatever its RECID (a NULL one goes to the first).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "copy_catalog.h"
#include "copy_ledger.h"
#include "copy_plan.h"
#include "copy_side.h"
#include "ident.h"

#define MAX_RANGES 1000

const char *
copy_state_name(enum copy_table_state s)
{
	static const char *const names[] = {"to copy", "partly copied: resume", "copied",
	"not copied (DONOTCOPY)", "refused"};

	return names[s];
}

void
copy_plan_refuse(struct copy_table_plan *t, const char *fmt, ...)
{
	char		buf[2048];
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	copy_table_error(t->map, "%s", buf);
	t->state = COPY_STATE_REFUSED;
}

/* How the SELECT is spelt: the source's dialect and operations. */
struct sql_style
{
	enum upkit_dialect d;
	const struct copy_source_ops *so;
};

static void
col(struct strbuf *sb, const struct sql_style *st, const char *alias, const char *name)
{
	sb_appendf(sb, "%s.", alias);
	upkit_quote_catalog_name(sb, name, st->d);
}


/*
 * A source field, src.<field>; a source key (RECID, DATAAREAID) with the
 * shadow's in a RIGHT or FULL join is COALESCE(src.<key>, shd.<REFRECID or
 * REFDATAAREAID>), so a shadow row without a source row keeps its key.
 */
static void
source_col(struct strbuf *sb, const struct sql_style *st, const struct copy_table_map *m, const char *field)
{
	enum copy_join j = m->rule && m->rule->shadow ? m->rule->shadow->join : COPY_JOIN_INNER;
	const char *shadow_key = NULL;

	if (m->shadow != NULL && (j == COPY_JOIN_RIGHT || j == COPY_JOIN_FULL))
	{
		if (strcasecmp(field, "recid") == 0)
			shadow_key = copy_table_column(m->shadow, "refrecid")->name;
		else if (strcasecmp(field, "dataareaid") == 0)
			shadow_key = copy_table_column(m->shadow, "refdataareaid")->name;
	}
	if (shadow_key == NULL)
	{
		col(sb, st, "src", field);
		return;
	}
	sb_append(sb, "COALESCE(");
	col(sb, st, "src", field);
	sb_append(sb, ", ");
	col(sb, st, "shd", shadow_key);
	sb_append(sb, ")");
}

static void
field_expr(struct strbuf *sb, const struct sql_style *st, const struct copy_table_map *m,
		   const struct copy_field_map *f)
{
	enum copy_join j = m->rule && m->rule->shadow ? m->rule->shadow->join : COPY_JOIN_INNER;
	struct strbuf v = STRBUF_INIT;

	if (f->shadow && f->source && (j == COPY_JOIN_LEFT || j == COPY_JOIN_FULL))
	{
		sb_append(&v, "CASE WHEN ");
		col(&v, st, "shd", copy_table_column(m->shadow, "refrecid")->name);
		sb_append(&v, " IS NOT NULL THEN ");
		col(&v, st, "shd", f->shadow);
		sb_append(&v, " ELSE ");
		col(&v, st, "src", f->source);
		sb_append(&v, " END");
	}
	else if (f->shadow)
		col(&v, st, "shd", f->shadow);
	else
		source_col(&v, st, m, f->source);
	if (f->option == COPY_FIELD_LTRIM)
		st->so->ltrim(sb, sb_str(&v), f->type);
	else
		sb_append(sb, sb_str(&v));
	sb_free(&v);
}

/* FNV-1a, 64 bits, as hex: the fingerprint of the mapping a copy began with. */
static char *
fingerprint(const struct copy_table_plan *t)
{
	uint64_t	h = 1469598103934665603ULL;
	char		buf[17];

	for (const char *p = t->select_sql; *p; p++)
		h = (h ^ (unsigned char) *p) * 1099511628211ULL;
	for (int i = 0; i < t->ncolumns; i++)
	{
		h = (h ^ (unsigned char) '\n') * 1099511628211ULL;
		for (const char *p = t->columns[i]; *p; p++)
			h = (h ^ (unsigned char) *p) * 1099511628211ULL;
	}
	snprintf(buf, sizeof buf, "%016llx", (unsigned long long) h);
	return xstrdup(buf);
}

void
copy_plan_render(struct copy_table_plan *t, enum upkit_dialect source)
{
	struct sql_style style = {source, copy_source_for(source)};
	const struct sql_style *st = &style;
	const struct copy_table_map *m = t->map;
	struct strbuf sel = STRBUF_INIT;
	struct strbuf from = STRBUF_INIT;
	struct strbuf key = STRBUF_INIT;
	const struct copy_column *recid = copy_table_column(m->src, "recid");

	t->columns = calloc((size_t) m->nfields + 1, sizeof *t->columns);
	if (t->columns == NULL)
		abort();
	sb_append(&sel, "SELECT ");
	for (int i = 0; i < m->nfields; i++)
	{
		const struct copy_field_map *f = &m->fields[i];

		if (f->target == NULL)
			continue;
		if (t->ncolumns > 0)
			sb_append(&sel, ", ");
		field_expr(&sel, st, m, f);
		t->columns[t->ncolumns++] = f->target;
	}
	sb_append(&from, " FROM ");
	upkit_quote_catalog_qualified(&from, t->src_schema, m->src->name, st->d);
	sb_append(&from, " AS src");
	if (m->shadow)
	{
		sb_appendf(&from, " %s ", copy_join_sql(m->rule->shadow->join));
		upkit_quote_catalog_qualified(&from, t->src_schema, m->shadow->name, st->d);
		sb_append(&from, " AS shd ON ");
		col(&from, st, "shd", copy_table_column(m->shadow, "refrecid")->name);
		sb_append(&from, " = ");
		col(&from, st, "src", copy_table_column(m->src, "recid")->name);
		sb_append(&from, " AND ");
		col(&from, st, "shd", copy_table_column(m->shadow, "refdataareaid")->name);
		sb_append(&from, " = ");
		col(&from, st, "src", copy_table_column(m->src, "dataareaid")->name);
	}
	sb_append(&sel, sb_str(&from));
	if (recid)
	source_col(&key, st, m, recid->name);
	t->key_expr = key.data;
	t->select_sql = sel.data;
	t->from_sql = from.data;
	t->fingerprint = fingerprint(t);
}

void
copy_range_sql(struct strbuf *sb, const struct copy_table_plan *t, int range)
{
	const struct copy_range *g = &t->ranges[range];

	sb_append(sb, t->select_sql);
	if (t->key_expr == NULL || (!g->has_lo && !g->has_hi))
		return;
	sb_append(sb, " WHERE ");
	if (g->has_lo && g->has_hi)
		sb_appendf(sb, "%s >= %lld AND %s < %lld", t->key_expr, g->lo, t->key_expr, g->hi);
	else if (g->has_lo)
		sb_appendf(sb, "%s >= %lld", t->key_expr, g->lo);
	else
		sb_appendf(sb, "(%s < %lld OR %s IS NULL)", t->key_expr, g->hi, t->key_expr);
}

/* One range, or equal-width RECID ranges for a large table. */
static int
plan_ranges(struct upkit_conn *src, struct copy_table_plan *t, long long split_rows)
{
	long long	min = 0,
				max = 0;
	long long	n = 1;
	int			rc = 1;

	if (t->source_rows < 0)
		t->source_rows = copy_side_count_from(src, t->from_sql);
	if (t->source_rows < 0)
		return -1;
	if (t->key_expr && split_rows > 0 && t->source_rows > split_rows &&
		(rc = copy_catalog_key_bounds(src, t, &min, &max)) < 0)
		return -1;
	if (rc == 0)
	{
		n = (t->source_rows + split_rows - 1) / split_rows;
		if (n > MAX_RANGES)
			n = MAX_RANGES;
		if (n > max - min + 1)
			n = max - min + 1;
	}
	t->nranges = (int) n;
	t->ranges = calloc((size_t) n, sizeof *t->ranges);
	if (t->ranges == NULL)
		abort();
	for (int i = 0; i < n; i++)
	{
		struct copy_range *g = &t->ranges[i];

		g->no = i;
		g->has_lo = i > 0;
		g->has_hi = i < n - 1;
		/* min + i * width, without overflowing a bigint */
		g->lo = min + (long long) ((__int128) (max - min + 1) * i / n);
		g->hi = min + (long long) ((__int128) (max - min + 1) * (i + 1) / n);
	}
	return 0;
}

void
copy_plan_refuse_unfilled(struct copy_table_plan *t)
{
	const struct copy_table_desc *d = t->map->dst;

	for (int i = 0; i < d->ncols; i++)
	{
		int			filled = 0;

		for (int j = 0; j < t->ncolumns && !filled; j++)
			filled = strcasecmp(t->columns[j], d->cols[i].name) == 0;
		if (!filled)
			copy_plan_refuse(t, "target field %s gets no value: the bulk copy into SQL Server sends"
							 " every field (map a source field to it)", d->cols[i].name);
	}
}

/* Readiness, the ledger, the target's rows, the ranges; -1 on a server error. */
static int
plan_table(struct copy_plan *plan, struct copy_table_plan *t, struct upkit_conn *src,
		   struct upkit_conn *dst, const struct copy_options *opt)
{
	const struct copy_table_map *m = t->map;
	const struct copy_source_ops *so = copy_source_of(src);
	const struct copy_target_ops *to = copy_target_of(dst);
	int			changed = 0;
	int			found = 0;
	int			rc;

	copy_plan_render(t, src->dialect);
	if (to->writer)
		t->writer = to->writer(t);
	if (to->every_field)
		copy_plan_refuse_unfilled(t);
	if (m->shadow)
	{
		struct strbuf note = STRBUF_INIT;

		rc = so->ready(src, t->src_schema, m, &note);
		t->ready_note = xstrdup(sb_str(&note));
		sb_free(&note);
		if (rc < 0)
			return -1;
		if (rc == 0)
			copy_plan_refuse(t, "not ready for copy: %s", t->ready_note);
	}
	if (plan->has_ledger && (found = copy_ledger_read(dst, t, &changed)) < 0)
		return -1;
	if (changed)
		copy_plan_refuse(t, "the mapping changed since its copy began (%s has another mapping hash);"
						 " to copy it afresh, empty %s and delete its rows from %s",
						 to->ledger->name, m->dst->name, to->ledger->name);
	else if (found)
	{
		long long	ledger_rows = 0;
		int			pending;

		t->target_rows = copy_side_count_table(dst, t->dst_schema, m->dst->name);
		if (t->target_rows < 0 || copy_ledger_totals(dst, t, &ledger_rows, &pending) < 0)
			return -1;
		if (t->target_rows != ledger_rows)
			copy_plan_refuse(t, "target table %s has %lld rows, but %s accounts for %lld:"
							 " it changed since its copy began", m->dst->name, t->target_rows,
							 to->ledger->name, ledger_rows);
	}
	else
	{
		if ((rc = to->has_rows(dst, t->dst_schema, m->dst->name)) < 0)
			return -1;
		t->target_rows = rc;
		if (rc && !(m->rule && m->rule->exception == COPY_EXC_TRUNCATEONCOPY))
			copy_plan_refuse(t, "target table %s is not empty (the exception truncate_on_copy would empty it first)",
							 m->dst->name);
	}
	t->source_rows = so->estimate(src, t->src_schema, m->src->name);
	if (!found && plan_ranges(src, t, opt->split_rows) < 0)
		return -1;
	if (copy_table_has_errors(m))
		t->state = COPY_STATE_REFUSED;
	return 0;
}

static int
wanted(const struct copy_options *opt, const char *name)
{
	if (opt->only == NULL)
		return 1;
	for (const char *const *o = opt->only; *o; o++)
		if (strcasecmp(*o, name) == 0)
			return 1;
	return 0;
}

static void
server_problem(struct upkit_diags *diags, const char *what, const struct upkit_conn *c)
{
	upkit_diag_msg(diags, "cannot %s (%s at %s): %s", what, c->ops->engine, c->where, sb_str(&c->error));
}

void
copy_plan_tables(struct copy_plan *plan, const struct copy_options *opt)
{
	plan->tables = calloc((size_t) plan->map.ntables + 1, sizeof *plan->tables);
	if (plan->tables == NULL)
		abort();
	for (int i = 0; i < plan->map.ntables; i++)
	{
		struct copy_table_plan *t = &plan->tables[plan->ntables];

		if (!wanted(opt, plan->map.tables[i].src->name))
			continue;
		plan->ntables++;
		t->map = &plan->map.tables[i];
		t->src_schema = plan->src.schema;
		t->dst_schema = plan->dst.schema;
		t->target_rows = -1;
		t->batch_size = opt->batch_size;
		t->table_lock = opt->table_lock;
		if (t->map->how == COPY_SKIPPED)
			t->state = COPY_STATE_SKIPPED;
		else if (copy_table_has_errors(t->map))
			t->state = COPY_STATE_REFUSED;
	}
}

int
copy_plan_build(struct copy_plan *plan, struct upkit_conn *src, struct upkit_conn *dst,
				const struct copy_options *opt, struct upkit_diags *diags)
{
	const struct copy_source_ops *so = copy_source_of(src);
	const struct copy_target_ops *to = copy_target_of(dst);
	const char *sschema = plan->mapping.source_schema ? plan->mapping.source_schema : so->default_schema;
	const char *dschema = plan->mapping.target_schema ? plan->mapping.target_schema : to->default_schema;
	const char *nopath = copy_side_no_path(src, dst);
	struct strbuf v = STRBUF_INIT;
	int			bad = 0;
	int			rc;

	if (nopath)
	{
		upkit_diag_msg(diags, "%s", nopath);
		return -1;
	}
	/* One snapshot for every read of the source, the ranges' too (where the engine has one). */
	if (so->plan_begin(src, &plan->snapshot) != 0)
	{
		server_problem(diags, "start reading the source", src);
		return -1;
	}
	if (so->catalog(src, sschema, dst->dialect, &plan->src, diags) != 0 ||
		to->catalog(dst, dschema, &plan->dst, diags) != 0)
		return -1;
	if (opt->only)
		for (const char *const *o = opt->only; *o; o++)
			if (copy_db_find(&plan->src, *o) == NULL)
				upkit_diag_msg(diags, "--table %s: no table %s in schema %s of the source", *o, *o, sschema);
	copy_map(&plan->src, &plan->dst, &plan->mapping, &plan->map, diags);
	if ((rc = upkit_query_value(dst, to->ledger->exists, 0, NULL, &v)) != 1)
	{
		sb_free(&v);
		upkit_diag_msg(diags, "cannot look for %s in the target (%s at %s): %s", to->ledger->name,
					   dst->ops->engine, dst->where, sb_str(&dst->error));
		return -1;
	}
	plan->has_ledger = strcmp(sb_str(&v), "t") == 0 || strcmp(sb_str(&v), "1") == 0;
	sb_free(&v);
	copy_plan_tables(plan, opt);
	for (int i = 0; i < plan->ntables; i++)
	{
		struct copy_table_plan *t = &plan->tables[i];

		if (t->state == COPY_STATE_TODO && plan_table(plan, t, src, dst, opt) != 0)
		{
			upkit_diag_msg(diags, "cannot plan the copy of %s: %s", t->map->src->name,
						   sb_str(&src->error)[0] ? sb_str(&src->error) : sb_str(&dst->error));
			return -1;
		}
		bad += t->state == COPY_STATE_REFUSED;
	}
	return bad;
}

void
copy_plan_free(struct copy_plan *plan)
{
	for (int i = 0; i < plan->ntables; i++)
	{
		struct copy_table_plan *t = &plan->tables[i];

		free(t->select_sql);
		free(t->from_sql);
		free(t->key_expr);
		free(t->columns);
		free(t->fingerprint);
		free(t->ready_note);
		free(t->ranges);
	}
	free(plan->tables);
	free(plan->snapshot);
	copy_map_result_free(&plan->map);
	copy_db_desc_free(&plan->src);
	copy_db_desc_free(&plan->dst);
	copy_mapping_free(&plan->mapping);
	memset(plan, 0, sizeof *plan);
}
