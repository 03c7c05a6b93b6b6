/*
 * render_updel_mssql.c: the T-SQL forms of the update and delete
 * statements (procs/mssql/update.sql.in, delete.sql.in): the reference's
 * UPDATE alias SET ... FROM table AS alias JOIN ... WHERE ... and DELETE
 * alias FROM table AS alias WHERE ..., with the joins' conditions in their
 * ON.  Errors are THROWn with their own numbers (docs/mssql.md).
 */
#include <stdlib.h>

#include "ident.h"
#include "render_updel.h"

static void
ms_update(struct strbuf *sb, const struct upkit_updel_ctx *c, const struct upkit_updel_stmt *st, int only)
{
	int			n = 0;

	sb_appendf(sb, "UPDATE %s\n", st->target.alias);
	for (int i = 0; i < st->n_set; i++)
	{
		if (only >= 0 && i != only)
			continue;
		sb_append(sb, n++ ? ",\n       " : "   SET ");
		upkit_quote_ident(sb, st->set[i].column, UPKIT_DIALECT_MSSQL);
		sb_appendf(sb, " = (%s)", st->set[i].expr);
	}
	sb_append(sb, "\n");
	upkit_updel_from_where(sb, c, st, st->n_joins, NULL);
}

static void
ms_delete(struct strbuf *sb, const struct upkit_updel_ctx *c, const struct upkit_updel_stmt *st)
{
	sb_appendf(sb, "DELETE %s\n", st->target.alias);
	upkit_updel_from_where(sb, c, st, 0, NULL);
}

static void
target_lit(struct strbuf *sb, const struct upkit_updel_stmt *st)
{
	struct strbuf t = STRBUF_INIT;

	upkit_quote_qualified(&t, st->target.table.schema, st->target.table.name, UPKIT_DIALECT_MSSQL);
	upkit_quote_literal(sb, sb_str(&t), UPKIT_DIALECT_MSSQL);
	sb_free(&t);
}

static void
ms_check(struct strbuf *sb, const struct upkit_updel_ctx *c, const struct upkit_updel_stmt *st, int i)
{
	struct strbuf joins = STRBUF_INIT;
	struct strbuf lit = STRBUF_INIT;

	upkit_updel_checked_joins(&joins, st);
	upkit_quote_literal(&lit, sb_str(&joins), UPKIT_DIALECT_MSSQL);
	sb_append(sb, "-- Every target row matches at most one row of the joins: else stop\n"
			  "-- before writing anything (an arbitrary joined row would win).\n");
	sb_append(sb, "SET @RECID = NULL;\n");
	sb_appendf(sb, "SELECT TOP (1) @RECID = %s.[RECID]\n", st->target.alias);
	upkit_updel_from_where(sb, c, st, st->n_joins, NULL);
	sb_appendf(sb, "\n GROUP BY %s.[RECID]\nHAVING COUNT_BIG(*) > 1;\n", st->target.alias);
	sb_append(sb, "IF @RECID IS NOT NULL\nBEGIN\n");
	sb_appendf(sb, "    SET @MSG = %s + N': statement %d: the row RECID ' + CAST(@RECID AS NVARCHAR(20)) + N' of ' + ",
			   c->proc_lit, i + 1);
	target_lit(sb, st);
	sb_appendf(sb, "\n             + N' matches more than one row of ' + %s + N'; nothing was updated';\n", sb_str(&lit));
	sb_append(sb, "    THROW 50201, @MSG, 1;\nEND;");
	sb_free(&joins);
	sb_free(&lit);
}

static void
ms_count(struct strbuf *sb, const struct upkit_updel_ctx *c, const struct upkit_updel_stmt *st, int i)
{
	const char *total = c->s->is_delete ? "@ROWS_DELETED" : "@ROWS_UPDATED";

	sb_append(sb, "SET @ROWS = ROWCOUNT_BIG();\n");
	sb_appendf(sb, "SET %s = %s + @ROWS;", total, total);
	if (c->s->n_stmts > 1)
	{
		sb_appendf(sb, "\nSET @MSG = %s + N': statement %d %s ' + CAST(@ROWS AS NVARCHAR(20)) + N' rows of ' + ",
				   c->proc_lit, i + 1, c->s->is_delete ? "deleted" : "updated");
		target_lit(sb, st);
		sb_append(sb, ";\nPRINT @MSG;");
	}
}

static void
ms_param_check(struct strbuf *sb, const struct upkit_updel_ctx *c, const char *company)
{
	struct strbuf p = STRBUF_INIT;

	upkit_updel_param(&p, c, company);
	sb_appendf(sb, "IF %s IS NULL\nBEGIN\n"
			   "    SET @MSG = %s + N': the company parameter %s must not be NULL';\n"
			   "    THROW 50200, @MSG, 1;\nEND;", sb_str(&p), c->proc_lit, sb_str(&p));
	sb_free(&p);
}

static void
ms_call_example(struct strbuf *sb, const struct upkit_updel_ctx *c, const char *proc)
{
	sb_appendf(sb, "EXEC %s", proc);
	for (int i = 0; i < c->s->n_companies; i++)
		sb_appendf(sb, "%s @%s = N'dat'", i ? "," : "", c->s->companies[i]);
	sb_append(sb, ";");
}

const struct upkit_updel_words upkit_updel_words_mssql = {
	.dialect = UPKIT_DIALECT_MSSQL,
	.update_template = "procs/mssql/update.sql.in",
	.delete_template = "procs/mssql/delete.sql.in",
	.param_prefix = "@",
	.param_fold = 0,
	.param_decl = "%s NVARCHAR(4000),",
	.probe_company = "N''",
	.update = ms_update,
	.delete = ms_delete,
	.check = ms_check,
	.count = ms_count,
	.param_check = ms_param_check,
	.call_example = ms_call_example,
	.needs_transaction_several = 1,
};

int
upkit_render_updel_mssql(struct upkit_units *out, const struct upkit_spec *spec, char *err, size_t errn)
{
	return upkit_render_updel(out, spec, &upkit_updel_words_mssql, err, errn);
}
