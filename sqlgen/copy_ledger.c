/*
 * copy_ledger.c: the copy ledger in the target (see copy_ledger.h for why
 * a re-run never copies a row twice or loses one): upkit.copy_ledger on
 * PostgreSQL, [dbo].[UPKIT_COPY_LEDGER] on SQL Server, the same steps with
 * the SQL of the target's dialect (copy_side.h, copy_target_*.c).  Every
 * value is a parameter; the one name in SQL text (the table to truncate)
 * is quoted as the catalog spells it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "copy_ledger.h"
#include "copy_side.h"
#include "ident.h"

static void
num(char *buf, size_t n, long long v)
{
	snprintf(buf, n, "%lld", v);
}

int
copy_ledger_read(struct upkit_conn *dst, struct copy_table_plan *t, int *changed)
{
	const char *p[] = {t->dst_schema, t->map->dst->name};
	struct upkit_rows r = UPKIT_ROWS_INIT;
	int			alldone = 1;

	*changed = 0;
	if (dst->ops->query(dst, copy_target_of(dst)->ledger->read, 2, p, &r) != 0)
		return -1;
	if (r.nrows == 0)
	{
		upkit_rows_free(&r);
		return 0;
	}
	free(t->ranges);
	t->ranges = calloc((size_t) r.nrows, sizeof *t->ranges);
	if (t->ranges == NULL)
		abort();
	t->nranges = r.nrows;
	for (int i = 0; i < r.nrows; i++)
	{
		struct copy_range *g = &t->ranges[i];

		g->no = atoi(upkit_rows_get(&r, i, 0));
		g->has_lo = upkit_rows_get(&r, i, 1) != NULL;
		g->lo = g->has_lo ? atoll(upkit_rows_get(&r, i, 1)) : 0;
		g->has_hi = upkit_rows_get(&r, i, 2) != NULL;
		g->hi = g->has_hi ? atoll(upkit_rows_get(&r, i, 2)) : 0;
		g->done = strcmp(upkit_rows_get(&r, i, 3), "t") == 0 || strcmp(upkit_rows_get(&r, i, 3), "1") == 0;
		g->rows = upkit_rows_get(&r, i, 4) ? atoll(upkit_rows_get(&r, i, 4)) : 0;
		g->bytes = upkit_rows_get(&r, i, 5) ? atoll(upkit_rows_get(&r, i, 5)) : 0;
		if (strcmp(upkit_rows_get(&r, i, 6), t->fingerprint) != 0)
			*changed = 1;
		alldone &= g->done;
	}
	t->state = alldone ? COPY_STATE_DONE : COPY_STATE_PARTLY;
	upkit_rows_free(&r);
	return 1;
}

int
copy_ledger_plan(struct upkit_conn *dst, const struct copy_table_plan *t, int truncate)
{
	struct strbuf sql = STRBUF_INIT;
	int			rc = dst->ops->begin(dst);

	if (rc == 0 && truncate)
	{
		sb_append(&sql, "TRUNCATE TABLE ");
		upkit_quote_catalog_qualified(&sql, t->dst_schema, t->map->dst->name, dst->dialect);
		rc = dst->ops->exec(dst, sb_str(&sql));
	}
	for (int i = 0; rc == 0 && i < t->nranges; i++)
	{
		char		no[24],
					n[24],
					lo[24],
					hi[24];
		struct strbuf src = STRBUF_INIT;
		const char *p[8];

		sb_appendf(&src, "%s.%s", t->src_schema, t->map->src->name);
		num(no, sizeof no, t->ranges[i].no);
		num(n, sizeof n, t->nranges);
		num(lo, sizeof lo, t->ranges[i].lo);
		num(hi, sizeof hi, t->ranges[i].hi);
		p[0] = t->dst_schema;
		p[1] = t->map->dst->name;
		p[2] = no;
		p[3] = n;
		p[4] = sb_str(&src);
		p[5] = t->ranges[i].has_lo ? lo : NULL;
		p[6] = t->ranges[i].has_hi ? hi : NULL;
		p[7] = t->fingerprint;
		rc = dst->ops->query(dst, copy_target_of(dst)->ledger->insert, 8, p, NULL);
		sb_free(&src);
	}
	rc = upkit_conn_finish(dst, rc);
	sb_free(&sql);
	return rc;
}

int
copy_ledger_claim(struct upkit_conn *dst, const struct copy_table_plan *t, int range)
{
	char		no[24];
	const char *p[] = {t->dst_schema, t->map->dst->name, no, t->fingerprint};
	int			rc;

	num(no, sizeof no, t->ranges[range].no);
	rc = upkit_query_value(dst, copy_target_of(dst)->ledger->claim, 4, p, NULL);
	return rc;
}

int
copy_ledger_done(struct upkit_conn *dst, const struct copy_table_plan *t, int range,
				 long long rows, long long bytes)
{
	char		no[24],
				r[24],
				b[24];
	const char *p[] = {t->dst_schema, t->map->dst->name, no, r, b};

	num(no, sizeof no, t->ranges[range].no);
	num(r, sizeof r, rows);
	num(b, sizeof b, bytes);
	return dst->ops->query(dst, copy_target_of(dst)->ledger->done, 5, p, NULL);
}

int
copy_ledger_totals(struct upkit_conn *dst, const struct copy_table_plan *t, long long *rows,
				   int *pending)
{
	const char *p[] = {t->dst_schema, t->map->dst->name};
	struct upkit_rows r = UPKIT_ROWS_INIT;

	if (dst->ops->query(dst, copy_target_of(dst)->ledger->totals, 2, p, &r) != 0)
		return -1;
	*rows = atoll(upkit_rows_get(&r, 0, 0));
	*pending = atoi(upkit_rows_get(&r, 0, 1));
	upkit_rows_free(&r);
	return 0;
}
