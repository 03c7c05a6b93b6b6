/*
 * render_updel_pg.c: the PostgreSQL forms of the update and delete
 * statements (procs/pg/update.sql.in, delete.sql.in).
 *
 * An update is UPDATE target AS alias SET ... FROM joined tables WHERE
 * ..., the joins' conditions in the WHERE (PostgreSQL's FROM may not refer
 * to the target in a JOIN's ON).  A left join needs the ON, so a statement
 * with one joins the target to itself by ctid instead: UPDATE target AS
 * upkit_target SET ... FROM target AS alias JOIN ... LEFT JOIN ... WHERE
 * upkit_target.ctid = alias.ctid; the spec's expressions name the alias
 * as always.  SET names the column alone (PostgreSQL's rule).
 */
#include <stdlib.h>

#include "ident.h"
#include "render_updel.h"
#include "spec_insert.h"

static int
has_left(const struct upkit_updel_stmt *st)
{
	for (int i = 0; i < st->n_joins; i++)
		if (st->joins[i].left)
			return 1;
	return 0;
}

static void
set_list(struct strbuf *sb, const struct upkit_updel_stmt *st, int only)
{
	int			n = 0;

	for (int i = 0; i < st->n_set; i++)
	{
		char	   *f;

		if (only >= 0 && i != only)
			continue;
		f = upkit_ident_fold(st->set[i].column, UPKIT_DIALECT_PG);
		sb_append(sb, n++ ? ",\n       " : "   SET ");
		upkit_quote_ident(sb, f, UPKIT_DIALECT_PG);
		sb_appendf(sb, " = (%s)", st->set[i].expr);
		free(f);
	}
}

static void
pg_update(struct strbuf *sb, const struct upkit_updel_ctx *c, const struct upkit_updel_stmt *st, int only)
{
	struct strbuf conds = STRBUF_INIT;

	sb_append(sb, "UPDATE ");
	upkit_quote_qualified(sb, st->target.table.schema, st->target.table.name, UPKIT_DIALECT_PG);
	if (has_left(st))
	{
		struct strbuf first = STRBUF_INIT;

		sb_appendf(sb, " AS %s\n", UPKIT_UPDEL_TARGET_ALIAS);
		set_list(sb, st, only);
		sb_append(sb, "\n");
		sb_appendf(&first, "%s.ctid = %s.ctid", UPKIT_UPDEL_TARGET_ALIAS, st->target.alias);
		upkit_updel_from_where(sb, c, st, st->n_joins, sb_str(&first));
		sb_free(&first);
		return;
	}
	sb_appendf(sb, " AS %s\n", st->target.alias);
	set_list(sb, st, only);
	for (int i = 0; i < st->n_joins; i++)
	{
		sb_append(sb, i ? ",\n       " : "\n  FROM ");
		upkit_updel_join_source(sb, c, &st->joins[i], "       ");
	}
	upkit_updel_target_conds(&conds, c, st, "\n   AND ");
	for (int i = 0; i < st->n_joins; i++)
		upkit_updel_join_conds(&conds, c, &st->joins[i], "\n   AND ");
	if (conds.len > 0)
		sb_appendf(sb, "\n WHERE %s", sb_str(&conds) + 8);
	sb_free(&conds);
}

static void
pg_delete(struct strbuf *sb, const struct upkit_updel_ctx *c, const struct upkit_updel_stmt *st)
{
	struct strbuf conds = STRBUF_INIT;

	sb_append(sb, "DELETE FROM ");
	upkit_updel_table(sb, c, &st->target);
	upkit_updel_target_conds(&conds, c, st, "\n   AND ");
	if (conds.len > 0)
		sb_appendf(sb, "\n WHERE %s", sb_str(&conds) + 8);
	sb_free(&conds);
}

static void
pg_check(struct strbuf *sb, const struct upkit_updel_ctx *c, const struct upkit_updel_stmt *st, int i)
{
	struct strbuf joins = STRBUF_INIT;
	struct strbuf lit = STRBUF_INIT;
	struct strbuf target = STRBUF_INIT;

	upkit_updel_checked_joins(&joins, st);
	upkit_quote_literal(&lit, sb_str(&joins), UPKIT_DIALECT_PG);
	upkit_quote_qualified(&target, st->target.table.schema, st->target.table.name, UPKIT_DIALECT_PG);
	sb_append(sb, "-- Every target row matches at most one row of the joins: else stop\n"
			  "-- before writing anything (an arbitrary joined row would win).\n");
	sb_appendf(sb, "SELECT %s.recid INTO v_recid\n", st->target.alias);
	upkit_updel_from_where(sb, c, st, st->n_joins, NULL);
	sb_appendf(sb, "\n GROUP BY %s.recid\nHAVING count(*) > 1\n LIMIT 1;\n", st->target.alias);
	sb_append(sb, "IF FOUND THEN\n");
	sb_appendf(sb, "    RAISE EXCEPTION '%%: statement %d: the row RECID %% of %% matches more than one row of %%; nothing was updated',\n",
			   i + 1);
	sb_appendf(sb, "        %s, v_recid, ", c->proc_lit);
	{
		struct strbuf t = STRBUF_INIT;

		upkit_quote_literal(&t, sb_str(&target), UPKIT_DIALECT_PG);
		sb_append(sb, sb_str(&t));
		sb_free(&t);
	}
	sb_appendf(sb, ", %s\n        USING ERRCODE = '21000',\n", sb_str(&lit));
	sb_append(sb, "              HINT = 'Match more columns, aggregate the joined rows, or clean the data.';\n"
			  "END IF;");
	sb_free(&joins);
	sb_free(&lit);
	sb_free(&target);
}

static void
pg_count(struct strbuf *sb, const struct upkit_updel_ctx *c, const struct upkit_updel_stmt *st, int i)
{
	const char *total = c->s->is_delete ? "rows_deleted" : "rows_updated";

	sb_append(sb, "GET DIAGNOSTICS v_rows = ROW_COUNT;\n");
	sb_appendf(sb, "%s := %s + v_rows;", total, total);
	if (c->s->n_stmts > 1)
	{
		struct strbuf t = STRBUF_INIT;
		struct strbuf lit = STRBUF_INIT;

		upkit_quote_qualified(&t, st->target.table.schema, st->target.table.name, UPKIT_DIALECT_PG);
		upkit_quote_literal(&lit, sb_str(&t), UPKIT_DIALECT_PG);
		sb_appendf(sb, "\nRAISE NOTICE '%%: statement %d %s %% rows of %%', %s, v_rows, %s;", i + 1,
				   c->s->is_delete ? "deleted" : "updated", c->proc_lit, sb_str(&lit));
		sb_free(&t);
		sb_free(&lit);
	}
}

static void
pg_param_check(struct strbuf *sb, const struct upkit_updel_ctx *c, const char *company)
{
	struct strbuf p = STRBUF_INIT;

	upkit_updel_param(&p, c, company);
	sb_appendf(sb, "IF %s IS NULL THEN\n"
			   "    RAISE EXCEPTION '%%: the company parameter %s must not be NULL', %s\n"
			   "        USING ERRCODE = '22004';\n"
			   "END IF;", sb_str(&p), sb_str(&p), c->proc_lit);
	sb_free(&p);
}

static void
pg_call_example(struct strbuf *sb, const struct upkit_updel_ctx *c, const char *proc)
{
	sb_appendf(sb, "CALL %s(", proc);
	for (int i = 0; i < c->s->n_companies; i++)
		sb_appendf(sb, "%s'dat'", i ? ", " : "");
	sb_append(sb, ");");
}

const struct upkit_updel_words upkit_updel_words_pg = {
	.dialect = UPKIT_DIALECT_PG,
	.update_template = "procs/pg/update.sql.in",
	.delete_template = "procs/pg/delete.sql.in",
	.param_prefix = "p_",
	.param_fold = 1,
	.param_decl = "%s text,",
	.probe_company = "''",
	.update = pg_update,
	.delete = pg_delete,
	.check = pg_check,
	.count = pg_count,
	.param_check = pg_param_check,
	.call_example = pg_call_example,
	.needs_transaction_several = 0,
};

int
upkit_render_updel_pg(struct upkit_units *out, const struct upkit_spec *spec, char *err, size_t errn)
{
	return upkit_render_updel(out, spec, &upkit_updel_words_pg, err, errn);
}
