/*
 * copy_recid.c: RECID safety after a copy (see copy_run.h).  The copied
 * rows keep their RECIDs, so the target's SYSTEMSEQUENCES row of the
 * table (ID = -1, its SQLDICTIONARY table id) must hand out RECIDs above
 * the largest one; a table without a row starts at 5637144576 (AX).
 *
 * Where NEXTVAL is not above the largest RECID, it is raised by
 * upkit.raise_recid_floor(tabid, floor) in a PostgreSQL target, by
 * [dbo].[UPKIT_RAISE_RECID_FLOOR] in a SQL Server one (copy_side.h), never
 * by an UPDATE from here: with upkit preloaded the shared cache may hold a block of
 * RECIDs below the new NEXTVAL for that table and would go on handing it
 * out; the function raises NEXTVAL and drops that block in one step
 * (extension/recid_realign.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "copy_catalog.h"
#include "copy_run.h"
#include "copy_side.h"
#include "ident.h"

#define AX_FIRST_RECID 5637144576LL


static int
failed(struct strbuf *note, const char *what, const struct upkit_conn *dst)
{
	sb_appendf(note, "RECID safety: cannot %s: %s", what, sb_str(&dst->error));
	return -1;
}

int
copy_recid_raise_floor(struct upkit_conn *dst, const char *schema, int tabid, long long floor,
					   struct strbuf *newval)
{
	char		tab[24],
				fl[24];
	const char *p[] = {tab, fl};
	const char *sp[] = {schema};

	snprintf(tab, sizeof tab, "%d", tabid);
	snprintf(fl, sizeof fl, "%lld", floor);
	return upkit_query_value(dst, "SELECT pg_catalog.set_config('search_path', pg_catalog.quote_ident($1), true)",
							 1, sp, NULL) == 1 &&
		upkit_query_value(dst, "SELECT upkit.raise_recid_floor($1::integer, $2::bigint)", 2, p, newval) == 1
		? 0 : -1;
}

static int
raise_floor(struct upkit_conn *dst, const char *schema, int tabid, long long floor,
			struct strbuf *newval)
{
	if (dst->ops->begin(dst) != 0)
		return -1;
	return upkit_conn_finish(dst, copy_target_of(dst)->raise_floor(dst, schema, tabid, floor, newval));
}

int
copy_recid_make_safe(struct upkit_conn *dst, const struct copy_plan *plan,
					 const struct copy_table_plan *t, struct strbuf *note)
{
	const struct copy_table_desc *table = t->map->dst;
	const struct copy_column *recid = copy_table_column(table, "recid");
	struct strbuf q = STRBUF_INIT;
	struct strbuf sql = STRBUF_INIT;
	struct strbuf v = STRBUF_INIT;
	char		tab[24];
	const char *p[] = {tab};
	long long	max,
				next;
	int			rc;

	if (recid == NULL)
	{
		sb_append(note, "no RECID field");
		return 0;
	}
	if (table->tabid < 0)
	{
		sb_appendf(note, "no table id in the target's SQLDICTIONARY: SYSTEMSEQUENCES not checked");
		return 0;
	}
	if (copy_db_find(&plan->dst, "systemsequences") == NULL)
	{
		sb_appendf(note, "no SYSTEMSEQUENCES in schema %s of the target: not checked", plan->dst.schema);
		return 0;
	}
	sb_append(&q, "SELECT max(");
	upkit_quote_catalog_name(&q, recid->name, dst->dialect);
	sb_append(&q, ") FROM ");
	upkit_quote_catalog_qualified(&q, t->dst_schema, table->name, dst->dialect);
	rc = upkit_query_value(dst, sb_str(&q), 0, NULL, &v);
	sb_free(&q);
	if (rc < 0)
		return failed(note, "read the largest RECID", dst);
	if (sb_str(&v)[0] == '\0')
	{
		sb_free(&v);
		sb_append(note, "no rows: nothing to check");
		return 0;
	}
	max = atoll(sb_str(&v));
	sb_free(&v);
	snprintf(tab, sizeof tab, "%d", table->tabid);
	upkit_quote_catalog_qualified(&q, t->dst_schema, copy_db_find(&plan->dst, "systemsequences")->name,
								  dst->dialect);
	sb_appendf(&sql, copy_target_of(dst)->nextval_sql, sb_str(&q));
	rc = upkit_query_value(dst, sb_str(&sql), 1, p, &v);
	sb_free(&q);
	sb_free(&sql);
	if (rc < 0)
		return failed(note, "read SYSTEMSEQUENCES", dst);
	next = rc == 1 ? atoll(sb_str(&v)) : AX_FIRST_RECID;
	sb_free(&v);
	if (next > max)
	{
		sb_appendf(note, "NEXTVAL %lld%s is above the largest RECID %lld", next,
				   rc == 1 ? "" : " (no SYSTEMSEQUENCES row: the first RECID)", max);
		return 0;
	}
	if (raise_floor(dst, t->dst_schema, table->tabid, max + 1, &v) != 0)
	{
		sb_appendf(note, "NEXTVAL %lld is not above the largest RECID %lld and could not be raised: %s",
				   next, max, sb_str(&dst->error));
		sb_free(&v);
		return -1;
	}
	sb_appendf(note, "raised NEXTVAL of table id %d from %lld to %s (largest RECID %lld)",
			   table->tabid, next, sb_str(&v), max);
	sb_free(&v);
	return 0;
}
