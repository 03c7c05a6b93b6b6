/*
 * transfer_order.c: the order in which a transfer empties and copies the
 * moved tables, by the foreign keys between them (see transfer.h), the one
 * place of that order.
 *
 * A table referencing another moved table (upkit.validation_detail
 * references upkit.validation_log, which references upkit.validation_run)
 * can be written only after its parent's rows are there, and a parent can
 * be emptied only after its children are.  The foreign keys are read from
 * production's catalog (where they are enforced), never listed by hand, so
 * a table added later is ordered as well.  Each table gets a level: 0 when
 * it references no other moved table, else one more than the highest
 * level it references; the tables are sorted by level (stable, so the
 * order they were found in stays within a level).  The copy runs level by
 * level, parents first (transfer_run.c); --replace empties the tables in
 * the transaction that records the transfer's start (transfer_begin),
 * the way production's engine takes (transfer_side.h, empty): one
 * TRUNCATE of them all on PostgreSQL where it can, else a DELETE per
 * table in the reverse order, children first (transfer_delete_rows below,
 * the one place of that order, used by both engines).  A table referencing
 * itself is copied in one statement, whose foreign-key checks run at its
 * end, so it needs no order; a cycle through two or more moved tables has
 * no order at all and is a validation error naming them.
 *
 * The same foreign keys say whether a table outside the moved set
 * references a moved one (tr->outside_fkey): PostgreSQL's TRUNCATE
 * refuses such a table (short of CASCADE, which would empty the outside
 * table too), so that engine deletes instead (transfer_side_pg.c).  A
 * foreign key added between these checks and the start makes the
 * TRUNCATE fail inside the start's transaction: nothing is changed.
 */
#include <stdlib.h>
#include <string.h>

#include "ident.h"
#include "transfer.h"
#include "transfer_side.h"

static int
find(const struct transfer *tr, const char *schema, const char *name)
{
	for (int i = 0; i < tr->ntables; i++)
		if (strcmp(tr->tables[i].schema, schema) == 0 && strcmp(tr->tables[i].name, name) == 0)
			return i;
	return -1;
}

static int
by_level(const void *a, const void *b)
{
	const struct transfer_table *x = a,
			   *y = b;

	if (x->level != y->level)
		return x->level - y->level;
	return x->found - y->found;	/* stable */
}

/* The foreign keys of production between two different tables: child schema, name, parent schema, name. */
static int
read_fkeys(struct upkit_conn *prod, struct upkit_rows *r)
{
	return prod->ops->query(prod, transfer_side_of(prod)->foreign_keys, 0, NULL, r);
}

/* Name the tables on a cycle (each reaches itself), in one problem. */
static void
cycle(const struct transfer *tr, const int *child, const int *parent, int nedges, struct upkit_diags *diags)
{
	int			n = tr->ntables;
	char	   *reach = calloc((size_t) n * n + 1, 1);
	struct strbuf names = STRBUF_INIT;

	if (reach == NULL)
		abort();
	for (int e = 0; e < nedges; e++)
		reach[child[e] * n + parent[e]] = 1;
	for (int k = 0; k < n; k++)
		for (int i = 0; i < n; i++)
			for (int j = 0; j < n; j++)
				if (reach[i * n + k] && reach[k * n + j])
					reach[i * n + j] = 1;
	for (int i = 0; i < n; i++)
		if (reach[i * n + i])
			sb_appendf(&names, "%s%s.%s", sb_str(&names)[0] ? ", " : "", tr->tables[i].schema,
					   tr->tables[i].name);
	upkit_diag_msg(diags, "the foreign keys between the moved tables %s form a cycle: no order empties"
				   " and copies them; move them with upkit copy, or drop a constraint of the cycle",
				   sb_str(&names));
	sb_free(&names);
	free(reach);
}

int
transfer_order(struct transfer *tr, struct upkit_conn *prod, struct upkit_diags *diags)
{
	struct upkit_rows r = UPKIT_ROWS_INIT;
	int		   *child,
			   *parent;
	int			nedges = 0;
	int			changed = 1;

	if (read_fkeys(prod, &r) != 0)
	{
		upkit_diag_msg(diags, "cannot read production's foreign keys (%s): %s", prod->where,
					   sb_str(&prod->error));
		return -1;
	}
	child = calloc((size_t) r.nrows + 1, sizeof *child);
	parent = calloc((size_t) r.nrows + 1, sizeof *parent);
	if (child == NULL || parent == NULL)
		abort();
	for (int i = 0; i < r.nrows; i++)
	{
		int			c = find(tr, upkit_rows_get(&r, i, 0), upkit_rows_get(&r, i, 1));
		int			p = find(tr, upkit_rows_get(&r, i, 2), upkit_rows_get(&r, i, 3));

		if (c >= 0 && p >= 0)
			child[nedges] = c, parent[nedges++] = p;
		else if (p >= 0 && tr->outside_fkey == NULL)
		{
			struct strbuf fk = STRBUF_INIT;

			sb_appendf(&fk, "%s.%s references %s.%s", upkit_rows_get(&r, i, 0), upkit_rows_get(&r, i, 1),
					   upkit_rows_get(&r, i, 2), upkit_rows_get(&r, i, 3));
			tr->outside_fkey = xstrdup(sb_str(&fk));
			sb_free(&fk);
		}
	}
	for (int i = 0; i < tr->ntables; i++)
		tr->tables[i].level = 0, tr->tables[i].found = i;
	/* longest path: settles within ntables rounds unless there is a cycle */
	for (int round = 0; changed && round <= tr->ntables; round++)
	{
		changed = 0;
		for (int e = 0; e < nedges; e++)
			if (tr->tables[child[e]].level <= tr->tables[parent[e]].level)
			{
				tr->tables[child[e]].level = tr->tables[parent[e]].level + 1;
				changed = 1;
			}
	}
	if (changed)
		cycle(tr, child, parent, nedges, diags);
	else
	{
		qsort(tr->tables, (size_t) tr->ntables, sizeof *tr->tables, by_level);
	}
	free(child);
	free(parent);
	upkit_rows_free(&r);
	return 0;
}

int
transfer_delete_rows(const struct transfer *tr, struct upkit_conn *prod, struct strbuf *how)
{
	int			rc = 0;

	sb_appendf(how, "a DELETE per table, children first (%d table%s)", tr->ntables, tr->ntables == 1 ? "" : "s");
	for (int i = tr->ntables - 1; rc == 0 && i >= 0; i--)
	{
		struct strbuf sql = STRBUF_INIT;

		sb_append(&sql, "DELETE FROM ");
		upkit_quote_catalog_qualified(&sql, tr->tables[i].schema, tr->tables[i].name, prod->dialect);
		rc = prod->ops->exec(prod, sb_str(&sql));
		sb_free(&sql);
	}
	return rc;
}
