/*
 * render_insert_pg.c: the PostgreSQL words of the insert procedure.  The
 * procedure is PL/pgSQL (procs/pg/insert.sql.in): it reserves through
 * upkit.reserve_recids and upkit.reserve_numbers, because the extension may
 * hand out RECIDs from a block cached in shared memory and reading or
 * updating SYSTEMSEQUENCES directly would collide with it.
 */
#include "render_insert.h"

static void
pg_call_example(struct strbuf *sb, const char *proc, int has_daid, int has_seq)
{
	sb_appendf(sb, "CALL %s(%s%s);", proc, has_daid ? "'dat'" : "",
			   has_seq ? ", 'NUMSEQ', 'N'" : "");
}

static const struct upkit_insert_words pg_words = {
	.call_example = pg_call_example,
	.dialect = UPKIT_DIALECT_PG,
	.template_path = "procs/pg/insert.sql.in",
	.dataareaid_param = "p_dataareaid",
	.row_alias = "src",
	.first_recid = "v_first_recid",
	.fmt_call = "upkit.fn_fmt_numbersequence(v_format, %s, v_first_number, v_rjustify_length)",
	.step_insert_seq = "4",
	.step_insert_noseq = "3",
	.ax_tables_schema = NULL,
	.no_company = "''",
	.company_fmt = " for company \"%\"",
	.company_arg = " p_dataareaid,",
	.needs_transaction = 0,
	.runs_schema = "upkit",
	.runs_table = "insert_runs",
	.company_msg = "",
};

int
upkit_render_insert_pg(struct upkit_units *out, const struct upkit_spec *spec, char *err, size_t errn)
{
	return upkit_render_insert(out, spec, &pg_words, err, errn);
}
