/*
 * render_delta_pg.c: the PostgreSQL words of the delta objects
 * (procs/pg/delta.sql.in): a SQL function for the classification, a SQL
 * function for the report, a PL/pgSQL procedure for the run.
 *
 * The content hash is hash_record_extended(row(columns), 0): a 64-bit hash
 * of the values, each hashed by its type's extended hash function (the one
 * hash indexes and hash partitioning use), combined in column order.  No
 * value is turned into text, so no session setting (DateStyle, TimeZone,
 * extra_float_digits) can change a hash, and it costs about half of
 * hashing the row's text.  Values that compare equal hash equal (numeric
 * 1.0 and 1.00); a type without a hash function fails the run loudly.
 */
#include "ident.h"
#include "render_delta.h"

static void
pg_hash(struct strbuf *sb, const char *alias, const struct upkit_delta_spec *s)
{
	sb_append(sb, "hash_record_extended(row(");
	for (int i = 0; i < s->n_content; i++)
	{
		sb_appendf(sb, "%s%s.", i ? ", " : "", alias);
		upkit_quote_ident(sb, s->content_columns[i], UPKIT_DIALECT_PG);
	}
	sb_append(sb, "), 0)");
}

static void
pg_examples(struct strbuf ex[UPKIT_DELTA_EXAMPLES], const struct upkit_delta_example_of *x)
{
	sb_appendf(&ex[UPKIT_DELTA_EX_CALL], "CALL %s(%s);", x->proc, x->per_company ? "'dat'" : "");
	sb_appendf(&ex[UPKIT_DELTA_EX_REPORT], "SELECT * FROM %s(%swith_recids => true);", x->report,
			   x->per_company ? "'dat', " : "");
	sb_appendf(&ex[UPKIT_DELTA_EX_READY], "SELECT %s(%s);", x->ready, x->per_company ? "'dat'" : "");
	sb_appendf(&ex[UPKIT_DELTA_EX_LIVE], "CALL %s(%sp_batch_size => 5000, p_pause_ms => 0);", x->live,
			   x->per_company ? "'dat', " : "");
	sb_appendf(&ex[UPKIT_DELTA_EX_LIVE_PAUSE], "SELECT upkit.live_control(%s, %s, 'pause');",
			   x->shadow_lit, x->scope_lit);
}

static const struct upkit_delta_words pg_words = {
	.dialect = UPKIT_DIALECT_PG,
	.template_path = "procs/pg/delta.sql.in",
	.company_param = "p_dataareaid",
	.company_decl = "p_dataareaid text",
	.col_recid = "recid",
	.col_recversion = "recversion",
	.col_dataareaid = "dataareaid",
	.changes_hash = "c.content_hash",
	.concat = "||",
	.null_hash = "NULL::bigint",
	.source_alias = "s",
	.shadow_alias = "t",
	/* No object needs the caller's transaction: the procedure opens one when there is none. */
	.units = {
		{"CHANGES_FN", "function", UPKIT_DELTA_CHANGES_SUFFIX, 0, 0, {{0}}},
		{"REPORT", "function", UPKIT_DELTA_REPORT_SUFFIX, 0, 0, {{0}}},
		{"READY", "function", UPKIT_DELTA_READY_SUFFIX, 0, 0,
		{{"upkit", "delta_state", UPKIT_ACCESS_READ}}},
		{"PROC", "procedure", "", 0, UPKIT_ACCESS_CREATE | UPKIT_ACCESS_DELETE,
			{{"upkit", "delta_state", UPKIT_ACCESS_CREATE | UPKIT_ACCESS_READ | UPKIT_ACCESS_UPDATE},
		{"upkit", "delta_run", UPKIT_ACCESS_CREATE}}},
		{"LIVE", "procedure", UPKIT_DELTA_LIVE_SUFFIX, 0, UPKIT_ACCESS_CREATE,
		{{"upkit", "live_state", UPKIT_ACCESS_CREATE | UPKIT_ACCESS_READ | UPKIT_ACCESS_UPDATE}}},
	},
	.hash = pg_hash,
	.examples = pg_examples,
};

int
upkit_render_delta_pg(struct upkit_units *out, const struct upkit_spec *spec, char *err, size_t errn)
{
	return upkit_render_delta(out, spec, &pg_words, err, errn);
}
