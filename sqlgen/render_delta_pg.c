/*
 * render_delta_pg.c: the PostgreSQL words of the delta objects
 * (procs/pg/delta.sql.in): a SQL function for the classification, a SQL
 * function for the report, a PL/pgSQL procedure for the run.
 *
 * The content hash is md5 of the row of the named columns as text.  The
 * classification function that computes it runs under fixed DateStyle,
 * IntervalStyle, TimeZone, extra_float_digits and bytea_output (SET clauses
 * in the template), so a value's text, and with it the hash, never depends
 * on the caller's session.
 */
#include "ident.h"
#include "render_delta.h"

static void
pg_hash(struct strbuf *sb, const char *alias, const struct upkit_delta_spec *s)
{
	sb_append(sb, "md5(row(");
	for (int i = 0; i < s->n_content; i++)
	{
		sb_appendf(sb, "%s%s.", i ? ", " : "", alias);
		upkit_quote_ident(sb, s->content_columns[i], UPKIT_DIALECT_PG);
	}
	sb_append(sb, ")::text)");
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
	.null_hash = "NULL::text",
	.hash = pg_hash,
};

int
upkit_render_delta_pg(struct strbuf *out, const struct upkit_spec *spec, char *err, size_t errn)
{
	return upkit_render_delta(out, spec, &pg_words, err, errn);
}
