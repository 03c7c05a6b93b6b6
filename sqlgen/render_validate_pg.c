/*
 * render_validate_pg.c: the PostgreSQL words of a validate procedure
 * (procs/pg/validate.sql.in): casts, the "fits" type checks, and the
 * statement of one check.
 *
 * A check is one statement: a MATERIALIZED CTE of its bad rows, a
 * data-modifying CTE that stores the first detail_cap of them (in order of
 * DATAAREAID, RECID, key: the same rows on every run over the same data)
 * and the count of all of them; then upkit.log_found logs the entry with
 * that count.  The stored details come first in the statement; their
 * foreign key to the entry is checked at commit (DEFERRABLE INITIALLY
 * DEFERRED), when log_found has written it.
 *
 * "fits" reads the target's limits once per run (upkit.fits_target): the
 * catalog's where the target table exists, the spec's elsewhere.  A value
 * fits an integer type when its text is an integer within the type's
 * range, a numeric(p, s) when its text is a decimal number (no exponent)
 * that rounded to s places has at most p - s integer digits, a character
 * type when its text without trailing blanks is at most the length (the
 * blanks PostgreSQL would cut silently).
 */
#include <stdlib.h>

#include "ident.h"
#include "render_validate.h"

static void
pg_text(struct strbuf *sb, const char *expr)
{
	sb_appendf(sb, "(%s)::text", expr);
}

static void
pg_exact(struct strbuf *sb, const char *expr)
{
	sb_appendf(sb, "(%s)::numeric", expr);
}

static void
pg_slots(struct strbuf *sb, const char *fmt)
{
	sb_appendf(sb, "(length(%s) - length(replace(%s, '#', '')))", fmt, fmt);
}

static void
pg_digits(struct strbuf *sb, const char *num)
{
	sb_appendf(sb, "length(abs(%s)::text)", num);
}

static void
pg_fits(struct strbuf *prelude, struct strbuf *pred, struct strbuf *detail,
		const struct upkit_validate_check *k, const char *col, const char *name_lit)
{
	static const char *const family[] = {"string", "integer", "numeric"};

	sb_append(prelude, "    SELECT * INTO v_fit FROM upkit.fits_target(");
	if (k->target.name)
	{
		struct strbuf q = STRBUF_INIT;

		upkit_quote_qualified(&q, k->target.schema, k->target.name, UPKIT_DIALECT_PG);
		upkit_quote_literal(prelude, sb_str(&q), UPKIT_DIALECT_PG);
		sb_append(prelude, ", ");
		sb_free(&q);
		{
			char	   *c = upkit_ident_fold(k->target_column, UPKIT_DIALECT_PG);

			upkit_quote_literal(prelude, c, UPKIT_DIALECT_PG);
			free(c);
		}
	}
	else
		sb_append(prelude, "NULL, NULL");
	sb_appendf(prelude, ", '%s', '%s', ", family[k->family], k->type);
	if (k->family == UPKIT_FITS_STRING)
		sb_appendf(prelude, "%lld, NULL, NULL);\n", k->length);
	else if (k->family == UPKIT_FITS_NUMERIC)
		sb_appendf(prelude, "NULL, %lld, %lld);\n", k->precision, k->scale);
	else
		sb_append(prelude, "NULL, NULL, NULL);\n");

	switch (k->family)
	{
		case UPKIT_FITS_STRING:
			sb_appendf(pred, "v_fit.max_length IS NOT NULL AND length(rtrim((%s)::text, ' ')) > v_fit.max_length", col);
			sb_appendf(detail, "%s || ' is ' || length(rtrim((%s)::text, ' ')) || ' characters, longer than ' || v_fit.type_name",
					   name_lit, col);
			return;
		case UPKIT_FITS_INTEGER:
			sb_appendf(pred, "%s IS NOT NULL\n   AND CASE WHEN (%s)::text ~ '^[[:space:]]*[-+]?[0-9]+[[:space:]]*$'\n"
					   "            THEN (%s)::text::numeric NOT BETWEEN v_fit.min_value AND v_fit.max_value\n"
					   "            ELSE true END", col, col, col);
			break;
		case UPKIT_FITS_NUMERIC:
			sb_appendf(pred, "%s IS NOT NULL AND v_fit.num_precision IS NOT NULL\n"
					   "   AND CASE WHEN (%s)::text ~ '^[[:space:]]*[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)[[:space:]]*$'\n"
					   "            THEN abs(round((%s)::text::numeric, v_fit.num_scale)) >= 10::numeric ^ (v_fit.num_precision - v_fit.num_scale)\n"
					   "            ELSE true END", col, col, col);
			break;
	}
	sb_appendf(detail, "%s || ' = ' || left((%s)::text, 100) || ' does not fit ' || v_fit.type_name", name_lit, col);
}

/*
 * unique: one hash aggregate over the table (what the bare count of the
 * groups does), that also collects each group's RECIDs (and the rows' key
 * texts, when the key has columns outside the group) with upkit.collect;
 * the groups with more than one row are unnested into their rows.  A key
 * of group columns only is the group's text: values the grouping counts as
 * equal but that print differently (1.0 and 1.00 in a numeric column) show
 * as one of them.  Collecting every row's key text instead costs a quarter
 * more on the benchmark's million rows.
 */
static void
pg_duplicates(struct strbuf *sb, const struct upkit_validate_dups *d)
{
	sb_append(sb, "SELECT upkit_r.upkit_recid, upkit_g.upkit_dataareaid, ");
	sb_append(sb, d->key_by_group ? "upkit_g.upkit_key" : "upkit_r.upkit_key");
	sb_appendf(sb, ", upkit_g.upkit_n\n"
			   "  FROM (SELECT %s AS upkit_dataareaid,\n", d->dataareaid);
	if (d->key_by_group)
		sb_appendf(sb, "               %s AS upkit_key,\n", d->key);
	sb_appendf(sb, "               count(*) AS upkit_n, upkit.collect(%s) AS upkit_recids", d->recid);
	if (!d->key_by_group)
		sb_appendf(sb, ",\n               upkit.collect(%s) AS upkit_keys", d->key);
	sb_appendf(sb, "\n          FROM %s\n         WHERE ", d->from);
	sb_append(sb, d->where);
	sb_appendf(sb, "\n         GROUP BY %s\n        HAVING count(*) > 1) AS upkit_g\n", d->by);
	if (d->key_by_group)
		sb_append(sb, " CROSS JOIN LATERAL unnest(upkit_g.upkit_recids) AS upkit_r (upkit_recid)");
	else
		sb_append(sb, " CROSS JOIN LATERAL unnest(upkit_g.upkit_recids, upkit_g.upkit_keys)\n"
				  "       AS upkit_r (upkit_recid, upkit_key)");
}

static void
pg_step(struct strbuf *sb, const struct upkit_validate_step *st)
{
	sb_append(sb, st->fits_prelude);
	sb_append(sb, "    WITH upkit_bad AS MATERIALIZED (\n");
	upkit_validate_indent(sb, st->bad, "        ");
	sb_appendf(sb, "\n    ), upkit_stored AS (\n"
			   "        INSERT INTO upkit.validation_detail (script, dataareaid, message_id, seq, row_recid,\n"
			   "                                             row_dataareaid, row_key, detail)\n"
			   "        SELECT v_script, v_company, %s,\n"
			   "               row_number() OVER (ORDER BY b.upkit_dataareaid, b.upkit_recid, b.upkit_key),\n"
			   "               b.upkit_recid, b.upkit_dataareaid, b.upkit_key, b.upkit_detail\n"
			   "          FROM (SELECT * FROM upkit_bad\n"
			   "                 ORDER BY upkit_dataareaid, upkit_recid, upkit_key\n"
			   "                 LIMIT p_detail_cap) AS b)\n"
			   "    SELECT count(*) INTO v_found FROM upkit_bad;\n"
			   "    IF upkit.log_found(v_run, %s, %s,\n"
			   "                       %s,\n"
			   "                       %s,\n"
			   "                       v_found) > 0 THEN\n"
			   "        %s := %s + 1;\n"
			   "    END IF;\n",
			   st->id_lit, st->id_lit, st->level_lit, st->message_lit, st->resolution_lit,
			   st->check->error ? "errors" : "advisories", st->check->error ? "errors" : "advisories");
}

static const struct upkit_validate_words pg_words = {
	.dialect = UPKIT_DIALECT_PG,
	.template_path = "procs/pg/validate.sql.in",
	.company_param = "p_dataareaid",
	.indent = "    ",
	.concat = " || ",
	.count = "count(*)",
	.null_text = "NULL::text",
	.text = pg_text,
	.exact = pg_exact,
	.slots = pg_slots,
	.digits = pg_digits,
	.fits = pg_fits,
	.step = pg_step,
	.duplicates = pg_duplicates,
	.log_schema = "upkit",
	.log_tables = {"validation_run", "validation_log", "validation_detail"},
};

int
upkit_render_validate_pg(struct upkit_units *out, const struct upkit_spec *spec, char *err, size_t errn)
{
	return upkit_render_validate(out, spec, &pg_words, err, errn);
}
