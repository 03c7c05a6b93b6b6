/*
 * render_validate.c: the parts of a validate spec's SQL that both dialects
 * share (see render_validate.h).  Every name is quoted here, every
 * expression put in parentheses; texts from the spec (message ids,
 * messages, resolutions, names in details) reach the SQL as quoted
 * literals and the comments through comment.h.
 *
 * Each check is one query of its bad rows, with four columns: the row's
 * RECID, its DATAAREAID (NULL for a shared table), the check's key columns
 * as text ('ITEMID=A1, CONFIGID=x') and a detail text.  The dialect's step
 * statement stores the first rows of it (at most the cap) and logs the
 * exact count.  A query reads the table once ("unique" too: the groups and
 * their rows come from one pass); nothing is written but the log.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "comment.h"
#include "fill.h"
#include "ident.h"
#include "render_common.h"
#include "render_validate.h"
#include "templates.h"

static void
lit(struct strbuf *sb, const char *text, const struct upkit_validate_words *w)
{
	upkit_quote_literal(sb, text, w->dialect);
}

/* alias.column, quoted. */
static void
col(struct strbuf *sb, const char *alias, const char *name, const struct upkit_validate_words *w)
{
	sb_appendf(sb, "%s.", alias);
	upkit_quote_ident(sb, name, w->dialect);
}

/* The key text: 'COL=' || coalesce(value::text, 'NULL') || ', COL2=' ... */
static void
key_expr(struct strbuf *sb, const struct upkit_validate_check *k, const char *alias,
		 const struct upkit_validate_words *w)
{
	if (k->n_key == 0)
	{
		sb_append(sb, w->null_text);
		return;
	}
	for (int i = 0; i < k->n_key; i++)
	{
		struct strbuf label = STRBUF_INIT;
		struct strbuf c = STRBUF_INIT;
		sb_appendf(&label, "%s%s=", i ? ", " : "", k->key[i]);
		if (i)
			sb_append(sb, w->concat);
		lit(sb, sb_str(&label), w);
		sb_appendf(sb, "%sCOALESCE(", w->concat);
		col(&c, alias, k->key[i], w);
		w->text(sb, sb_str(&c));
		sb_append(sb, ", ");
		lit(sb, "NULL", w);
		sb_append(sb, ")");
		sb_free(&label);
		sb_free(&c);
	}
}

/* The conditions every check's rows meet: the company, the check's where. */
static void
scope_in(struct strbuf *sb, const struct upkit_validate_spec *s, const struct upkit_validate_check *k,
		 const char *alias, const struct upkit_validate_words *w, const char *and_line)
{
	const char *and = "";

	if (s->per_company)
	{
		col(sb, alias, "DATAAREAID", w);
		sb_appendf(sb, " = %s", w->company_param);
		and = and_line;
	}
	if (k->where)
	{
		sb_appendf(sb, "%s(%s)", and, k->where);
		and = and_line;
	}
	if (!*and)
		sb_append(sb, "1 = 1");
}

/* The same for a statement's own WHERE. */
static void
scope(struct strbuf *sb, const struct upkit_validate_spec *s, const struct upkit_validate_check *k,
	  const char *alias, const struct upkit_validate_words *w)
{
	scope_in(sb, s, k, alias, w, "\n   AND ");
}

/* SELECT alias.RECID, alias.DATAAREAID | NULL, key, */
static void
select_head(struct strbuf *sb, const struct upkit_validate_check *k, const char *alias,
			const struct upkit_validate_words *w)
{
	sb_append(sb, "SELECT ");
	col(sb, alias, "RECID", w);
	sb_append(sb, " AS upkit_recid,\n       ");
	if (k->dataareaid)
		col(sb, alias, "DATAAREAID", w);
	else
		sb_append(sb, w->null_text);
	sb_append(sb, " AS upkit_dataareaid,\n       ");
	key_expr(sb, k, alias, w);
	sb_append(sb, " AS upkit_key,\n       ");
}

static void
from(struct strbuf *sb, const struct upkit_qname *t, const char *alias, const struct upkit_validate_words *w)
{
	upkit_quote_qualified(sb, t->schema, t->name, w->dialect);
	sb_appendf(sb, " AS %s", alias);
}

/*
 * unique: the rows of every group of the index's columns (and DATAAREAID,
 * for a table that has it) with more than one row, each with its group's
 * row count, in one read of the table (the dialect's duplicates: a hash
 * aggregate that collects the RECIDs, or a window count).  A row with a
 * NULL in an index column is never a duplicate here (PostgreSQL's unique
 * index takes any number; AX's fields are NOT NULL, see not_null).
 */
static void
bad_unique(struct strbuf *sb, const struct upkit_validate_spec *s, const struct upkit_validate_check *k,
		   const struct upkit_validate_words *w)
{
	const char *a = k->alias;
	struct strbuf tbl = STRBUF_INIT,
				where = STRBUF_INIT,
				by = STRBUF_INIT,
				recid = STRBUF_INIT,
				company = STRBUF_INIT,
				key = STRBUF_INIT,
				dups = STRBUF_INIT;
	struct upkit_validate_dups d;
	int			key_by_group = 1;

	from(&tbl, &k->table, a, w);
	scope_in(&where, s, k, a, w, "\n           AND ");
	for (int i = 0; i < k->n_columns; i++)
	{
		sb_append(&where, "\n           AND ");
		col(&where, a, k->columns[i], w);
		sb_append(&where, " IS NOT NULL");
		if (i)
			sb_append(&by, ", ");
		col(&by, a, k->columns[i], w);
	}
	if (k->dataareaid)
	{
		sb_append(&by, ", ");
		col(&by, a, "DATAAREAID", w);
		col(&company, a, "DATAAREAID", w);
	}
	else
		sb_append(&company, w->null_text);
	col(&recid, a, "RECID", w);
	key_expr(&key, k, a, w);
	for (int i = 0; i < k->n_key; i++)
	{
		int			grouped = k->dataareaid && upkit_ident_same(k->key[i], "DATAAREAID", w->dialect);

		for (int j = 0; j < k->n_columns && !grouped; j++)
			grouped = upkit_ident_same(k->key[i], k->columns[j], w->dialect);
		key_by_group &= grouped;
	}
	d = (struct upkit_validate_dups) {
		sb_str(&tbl), sb_str(&where), sb_str(&by), sb_str(&recid), sb_str(&company), sb_str(&key), key_by_group
	};
	w->duplicates(&dups, &d);

	sb_append(sb, "SELECT upkit_d.upkit_recid, upkit_d.upkit_dataareaid, upkit_d.upkit_key,\n       ");
	lit(sb, "one of ", w);
	sb_append(sb, w->concat);
	w->text(sb, "upkit_d.upkit_n");
	sb_append(sb, w->concat);
	lit(sb, " rows with these values", w);
	sb_append(sb, " AS upkit_detail\n  FROM (\n");
	upkit_validate_indent(sb, sb_str(&dups), "        ");
	sb_append(sb, ") AS upkit_d");
	sb_free(&tbl);
	sb_free(&where);
	sb_free(&by);
	sb_free(&recid);
	sb_free(&company);
	sb_free(&key);
	sb_free(&dups);
}

static void
bad_not_null(struct strbuf *sb, const struct upkit_validate_spec *s, const struct upkit_validate_check *k,
			 const struct upkit_validate_words *w)
{
	struct strbuf t = STRBUF_INIT;

	select_head(sb, k, k->alias, w);
	sb_appendf(&t, "%s is NULL", k->columns[0]);
	lit(sb, sb_str(&t), w);
	sb_append(sb, " AS upkit_detail\n  FROM ");
	from(sb, &k->table, k->alias, w);
	sb_append(sb, "\n WHERE ");
	scope(sb, s, k, k->alias, w);
	sb_append(sb, "\n   AND ");
	col(sb, k->alias, k->columns[0], w);
	sb_append(sb, " IS NULL");
	sb_free(&t);
}

/* references: rows whose columns (none NULL) match no row of the referenced table. */
static void
bad_references(struct strbuf *sb, const struct upkit_validate_spec *s, const struct upkit_validate_check *k,
			   const struct upkit_validate_words *w)
{
	struct strbuf t = STRBUF_INIT;

	select_head(sb, k, k->alias, w);
	sb_append(&t, "no row in ");
	upkit_display_name(&t, k->to.schema, k->to.name, w->dialect);
	lit(sb, sb_str(&t), w);
	sb_append(sb, " AS upkit_detail\n  FROM ");
	from(sb, &k->table, k->alias, w);
	sb_append(sb, "\n WHERE ");
	scope(sb, s, k, k->alias, w);
	for (int i = 0; i < k->n_columns; i++)
	{
		sb_append(sb, "\n   AND ");
		col(sb, k->alias, k->columns[i], w);
		sb_append(sb, " IS NOT NULL");
	}
	sb_append(sb, "\n   AND NOT EXISTS (SELECT 1 FROM ");
	from(sb, &k->to, "upkit_r", w);
	sb_append(sb, "\n                    WHERE ");
	for (int i = 0; i < k->n_to_columns; i++)
	{
		if (i)
			sb_append(sb, "\n                      AND ");
		col(sb, "upkit_r", k->to_columns[i], w);
		sb_append(sb, " = ");
		col(sb, k->alias, k->columns[i], w);
	}
	if (k->to_dataareaid)
	{
		sb_append(sb, "\n                      AND ");
		col(sb, "upkit_r", "DATAAREAID", w);
		sb_append(sb, " = ");
		col(sb, k->alias, "DATAAREAID", w);
	}
	sb_append(sb, ")");
	sb_free(&t);
}

static void
bad_fits(struct strbuf *sb, struct strbuf *prelude, const struct upkit_validate_spec *s,
		 const struct upkit_validate_check *k, const struct upkit_validate_words *w)
{
	struct strbuf c = STRBUF_INIT;
	struct strbuf name = STRBUF_INIT;
	struct strbuf pred = STRBUF_INIT;
	struct strbuf detail = STRBUF_INIT;

	col(&c, k->alias, k->columns[0], w);
	lit(&name, k->columns[0], w);
	w->fits(prelude, &pred, &detail, k, sb_str(&c), sb_str(&name));
	select_head(sb, k, k->alias, w);
	sb_appendf(sb, "%s AS upkit_detail\n  FROM ", sb_str(&detail));
	from(sb, &k->table, k->alias, w);
	sb_append(sb, "\n WHERE ");
	scope(sb, s, k, k->alias, w);
	sb_appendf(sb, "\n   AND %s", sb_str(&pred));
	sb_free(&c);
	sb_free(&name);
	sb_free(&pred);
	sb_free(&detail);
}

/*
 * number_sequence: the sequence's rows (per company) whose FORMAT is NULL
 * or has no '#', or whose next rows numbers would pass HIGHEST (when it is
 * above 0) or need more digits than the FORMAT has slots.  The rows to
 * number: a fixed count, or the rows of a table (per company when it has
 * DATAAREAID).  Sums are exact numbers, so no value can overflow.
 */
static void
bad_number_sequence(struct strbuf *sb, const struct upkit_validate_spec *s,
					const struct upkit_validate_check *k, const struct upkit_validate_words *w)
{
	const char *a = k->alias;
	struct strbuf fmt = STRBUF_INIT;
	struct strbuf slots = STRBUF_INIT;
	struct strbuf last = STRBUF_INIT;
	struct strbuf digits = STRBUF_INIT;
	struct strbuf nextrec = STRBUF_INIT;
	struct strbuf highest = STRBUF_INIT;
	struct strbuf code = STRBUF_INIT;
	struct strbuf t = STRBUF_INIT;
	/*
	 * A shared spec counts the rows per company (GROUP BY, joined to each
	 * company's sequence row); a per-company spec counts its company's rows.
	 */
	int			by_company = k->rows_table.name && k->rows_dataareaid && !s->per_company;
	const char *n = by_company ? "COALESCE(upkit_n.upkit_n, 0)" : "upkit_n.upkit_n";

	col(&fmt, a, "FORMAT", w);
	col(&code, a, "NUMBERSEQUENCE", w);
	col(&t, a, "NEXTREC", w);
	w->exact(&nextrec, sb_str(&t));
	sb_free(&t);
	col(&t, a, "HIGHEST", w);
	w->exact(&highest, sb_str(&t));
	sb_free(&t);
	w->slots(&slots, sb_str(&fmt));
	sb_appendf(&last, "(%s + %s - 1)", sb_str(&nextrec), n);
	w->digits(&digits, sb_str(&last));

	select_head(sb, k, a, w);
	sb_append(sb, "CASE WHEN ");
	sb_appendf(sb, "%s IS NULL THEN ", sb_str(&fmt));
	lit(sb, "FORMAT is NULL", w);
	sb_appendf(sb, "\n            WHEN %s = 0 THEN ", sb_str(&slots));
	lit(sb, "FORMAT ", w);
	sb_appendf(sb, "%s%s%s", w->concat, sb_str(&fmt), w->concat);
	lit(sb, " has no digit slot (#)", w);
	sb_appendf(sb, "\n            WHEN %s > 0 AND %s > %s THEN ", sb_str(&highest), sb_str(&last), sb_str(&highest));
	lit(sb, "the last of ", w);
	sb_append(sb, w->concat);
	w->text(sb, n);
	sb_append(sb, w->concat);
	lit(sb, " numbers from NEXTREC ", w);
	sb_append(sb, w->concat);
	w->text(sb, sb_str(&nextrec));
	sb_append(sb, w->concat);
	lit(sb, " would be ", w);
	sb_append(sb, w->concat);
	w->text(sb, sb_str(&last));
	sb_append(sb, w->concat);
	lit(sb, ", past HIGHEST ", w);
	sb_append(sb, w->concat);
	w->text(sb, sb_str(&highest));
	sb_append(sb, "\n            ELSE ");
	lit(sb, "the last of ", w);
	sb_append(sb, w->concat);
	w->text(sb, n);
	sb_append(sb, w->concat);
	lit(sb, " numbers would be ", w);
	sb_append(sb, w->concat);
	w->text(sb, sb_str(&last));
	sb_append(sb, w->concat);
	lit(sb, ", more digits than the FORMAT's ", w);
	sb_append(sb, w->concat);
	w->text(sb, sb_str(&slots));
	sb_append(sb, w->concat);
	lit(sb, " slots", w);
	sb_append(sb, " END AS upkit_detail\n  FROM ");
	from(sb, &k->table, a, w);
	if (k->rows_table.name == NULL)
		sb_appendf(sb, "\n CROSS JOIN (SELECT %lld AS upkit_n) AS upkit_n", k->rows);
	else
	{
		sb_appendf(sb, "\n %s (SELECT ", by_company ? "LEFT JOIN" : "CROSS JOIN");
		if (by_company)
		{
			col(sb, k->rows_alias, "DATAAREAID", w);
			sb_append(sb, " AS upkit_company, ");
		}
		sb_appendf(sb, "%s AS upkit_n\n              FROM ", w->count);
		from(sb, &k->rows_table, k->rows_alias, w);
		if (s->per_company && k->rows_dataareaid)
		{
			sb_append(sb, "\n             WHERE ");
			col(sb, k->rows_alias, "DATAAREAID", w);
			sb_appendf(sb, " = %s", w->company_param);
		}
		if (k->rows_where)
			sb_appendf(sb, "\n             %s (%s)", s->per_company && k->rows_dataareaid ? "  AND" : "WHERE",
					   k->rows_where);
		if (by_company)
		{
			sb_append(sb, "\n             GROUP BY ");
			col(sb, k->rows_alias, "DATAAREAID", w);
			sb_append(sb, ") AS upkit_n\n    ON upkit_n.upkit_company = ");
			col(sb, a, "DATAAREAID", w);
		}
		else
			sb_append(sb, ") AS upkit_n");
	}
	sb_append(sb, "\n WHERE ");
	scope(sb, s, k, a, w);
	sb_appendf(sb, "\n   AND %s = ", sb_str(&code));
	lit(sb, k->numbersequence, w);
	sb_appendf(sb, "\n   AND (%s IS NULL OR %s = 0", sb_str(&fmt), sb_str(&slots));
	sb_appendf(sb, "\n        OR (%s > 0 AND ((%s > 0 AND %s > %s) OR %s > %s)))",
			   n, sb_str(&highest), sb_str(&last), sb_str(&highest), sb_str(&digits), sb_str(&slots));
	sb_free(&fmt);
	sb_free(&slots);
	sb_free(&last);
	sb_free(&digits);
	sb_free(&nextrec);
	sb_free(&highest);
	sb_free(&code);
	sb_free(&t);
}

static void
bad_custom(struct strbuf *sb, const struct upkit_validate_spec *s, const struct upkit_validate_check *k,
		   const struct upkit_validate_words *w)
{
	select_head(sb, k, k->alias, w);
	if (k->detail)
	{
		struct strbuf e = STRBUF_INIT;

		sb_appendf(&e, "(%s)", k->detail);
		sb_append(sb, "COALESCE(");
		w->text(sb, sb_str(&e));
		sb_append(sb, ", ");
		lit(sb, k->message, w);
		sb_append(sb, ")");
		sb_free(&e);
	}
	else
		lit(sb, k->message, w);
	sb_append(sb, " AS upkit_detail\n  FROM ");
	from(sb, &k->table, k->alias, w);
	sb_append(sb, "\n WHERE ");
	scope(sb, s, k, k->alias, w);
}

/* The comment above a check: what it looks for. */
static void
check_comment(struct strbuf *sb, const struct upkit_validate_check *k, int number,
			  const struct upkit_validate_words *w)
{
	struct strbuf what = STRBUF_INIT;
	struct strbuf t = STRBUF_INIT;

	upkit_display_name(&t, k->table.schema, k->table.name, w->dialect);
	sb_appendf(&what, "%d. %s (%s, %s) on %s: ", number, k->id, upkit_check_kind_name(k->kind),
			   k->error ? "error" : "advisory", sb_str(&t));
	switch (k->kind)
	{
		case UPKIT_CHECK_UNIQUE:
			sb_append(&what, "rows a unique index over (");
			for (int i = 0; i < k->n_columns; i++)
				sb_appendf(&what, "%s%s", i ? ", " : "", k->columns[i]);
			sb_appendf(&what, ")%s would reject", k->dataareaid ? " per company" : "");
			break;
		case UPKIT_CHECK_NOT_NULL:
			sb_appendf(&what, "rows with %s NULL", k->columns[0]);
			break;
		case UPKIT_CHECK_REFERENCES:
			sb_free(&t);
			upkit_display_name(&t, k->to.schema, k->to.name, w->dialect);
			sb_appendf(&what, "rows whose (");
			for (int i = 0; i < k->n_columns; i++)
				sb_appendf(&what, "%s%s", i ? ", " : "", k->columns[i]);
			sb_appendf(&what, ") match no row of %s", sb_str(&t));
			break;
		case UPKIT_CHECK_FITS:
			sb_appendf(&what, "values of %s that do not fit %s", k->columns[0], k->type);
			if (k->family == UPKIT_FITS_STRING)
				sb_appendf(&what, "(%lld)", k->length);
			else if (k->family == UPKIT_FITS_NUMERIC)
				sb_appendf(&what, "(%lld,%lld)", k->precision, k->scale);
			if (k->target.name)
			{
				sb_free(&t);
				upkit_display_name(&t, k->target.schema, k->target.name, w->dialect);
				sb_appendf(&what, " (or the type of %s.%s where that table exists)", sb_str(&t), k->target_column);
			}
			break;
		case UPKIT_CHECK_NUMBER_SEQUENCE:
			sb_appendf(&what, "number sequence %s: a NULL FORMAT or one without #, or rows to number past HIGHEST or its digit slots",
					   k->numbersequence);
			break;
		case UPKIT_CHECK_CUSTOM:
			sb_appendf(&what, "rows where %s", k->where);
			break;
	}
	sb_appendf(sb, "%s-- ", w->indent);
	upkit_comment_escape(sb, sb_str(&what));
	sb_append(sb, "\n");
	sb_free(&what);
	sb_free(&t);
}

static void
render_checks(struct strbuf *out, const struct upkit_validate_spec *s, const struct upkit_validate_words *w)
{
	for (int i = 0; i < s->n_checks; i++)
	{
		const struct upkit_validate_check *k = &s->checks[i];
		struct strbuf bad = STRBUF_INIT;
		struct strbuf prelude = STRBUF_INIT;
		struct strbuf id = STRBUF_INIT,
					level = STRBUF_INIT,
					msg = STRBUF_INIT,
					res = STRBUF_INIT;
		struct upkit_validate_step st;

		switch (k->kind)
		{
			case UPKIT_CHECK_UNIQUE:
				bad_unique(&bad, s, k, w);
				break;
			case UPKIT_CHECK_NOT_NULL:
				bad_not_null(&bad, s, k, w);
				break;
			case UPKIT_CHECK_REFERENCES:
				bad_references(&bad, s, k, w);
				break;
			case UPKIT_CHECK_FITS:
				bad_fits(&bad, &prelude, s, k, w);
				break;
			case UPKIT_CHECK_NUMBER_SEQUENCE:
				bad_number_sequence(&bad, s, k, w);
				break;
			case UPKIT_CHECK_CUSTOM:
				bad_custom(&bad, s, k, w);
				break;
		}
		lit(&id, k->id, w);
		lit(&level, k->error ? "error" : "advisory", w);
		lit(&msg, k->message, w);
		lit(&res, k->resolution, w);
		st = (struct upkit_validate_step) {
			k, i + 1, sb_str(&bad), sb_str(&id), sb_str(&level), sb_str(&msg), sb_str(&res),
			sb_str(&prelude)
		};
		if (i)
			sb_append(out, "\n");
		check_comment(out, k, i + 1, w);
		w->step(out, &st);
		sb_free(&bad);
		sb_free(&prelude);
		sb_free(&id);
		sb_free(&level);
		sb_free(&msg);
		sb_free(&res);
	}
	/* The template puts the placeholder on a line of its own. */
	if (out->len > 0 && out->data[out->len - 1] == '\n')
		out->data[--out->len] = '\0';
}

void
upkit_validate_indent(struct strbuf *sb, const char *text, const char *indent)
{
	sb_append(sb, indent);
	for (const char *p = text; *p; p++)
	{
		sb_append_len(sb, p, 1);
		if (*p == '\n' && p[1])
			sb_append(sb, indent);
	}
}

int
upkit_render_validate(struct upkit_units *out, const struct upkit_spec *spec,
					  const struct upkit_validate_words *w, char *err, size_t errn)
{
	const struct upkit_validate_spec *s = upkit_spec_body(spec, w->dialect);
	enum upkit_dialect d = w->dialect;
	int			pg = d == UPKIT_DIALECT_PG;
	const struct upkit_template *t = upkit_template_find(w->template_path);
	struct upkit_render_vars vs = {.n = 0};
	struct strbuf sb = STRBUF_INIT;
	struct strbuf script = STRBUF_INIT;
	struct strbuf proc = STRBUF_INIT;
	struct upkit_fill_unit target;
	struct upkit_unit *u;
	char	   *spec_file;
	char	   *schema,
			   *name;
	int			rc;

	if (t == NULL)
	{
		snprintf(err, errn, "template %s is not embedded in this upkit", w->template_path);
		return -1;
	}
	spec_file = upkit_comment_escaped(spec->file);
	upkit_display_name(&script, s->procedure.schema, s->procedure.name, d);
	upkit_quote_qualified(&proc, s->procedure.schema, s->procedure.name, d);

	upkit_render_var(&vs, "SPEC_FILE", spec_file);
	upkit_render_var(&vs, "PROC", sb_str(&proc));
	lit(&sb, sb_str(&proc), w);
	upkit_render_var_sb(&vs, "PROC_LIT", &sb);
	upkit_render_comment_block(&sb, s->description);
	upkit_render_var_sb(&vs, "DESCRIPTION", &sb);
	upkit_render_comment_block(&sb, s->xpp);
	upkit_render_var_sb(&vs, "XPP", &sb);
	upkit_render_var(&vs, "PER_COMPANY", s->per_company ? "1" : "");
	lit(&sb, sb_str(&script), w);
	upkit_render_var_sb(&vs, "SCRIPT_LIT", &sb);
	if (s->per_company)
		sb_append(&sb, w->company_param);
	else
		lit(&sb, "", w);
	upkit_render_var_sb(&vs, "COMPANY_ARG", &sb);
	if (pg)
		sb_appendf(&sb, "CALL %s(%s);", sb_str(&proc), s->per_company ? "'dat'" : "");
	else
		sb_appendf(&sb, "EXEC %s%s;", sb_str(&proc), s->per_company ? " @DATAAREAID = N'dat'" : "");
	upkit_render_var_sb(&vs, "CALL_EXAMPLE", &sb);
	sb_appendf(&sb, "upkit report %s", sb_str(&script));
	upkit_render_var_sb(&vs, "REPORT_EXAMPLE", &sb);
	for (int i = 0; i < s->n_checks; i++)
	{
		const struct upkit_validate_check *k = &s->checks[i];
		char	   *id = upkit_comment_escaped(k->id);

		sb_appendf(&sb, "%s--   %s (%s, %s)", i ? "\n" : "", id, upkit_check_kind_name(k->kind),
				   k->error ? "error" : "advisory");
		free(id);
	}
	upkit_render_var_sb(&vs, "CHECK_LIST", &sb);
	if (pg)
	{
		upkit_render_dollar_tag(&sb, spec);
		upkit_render_var_sb(&vs, "TAG", &sb);
	}
	else
		upkit_render_var(&vs, "TAG", "");
	upkit_render_var(&vs, "ARG_TYPES", s->per_company ? "text, integer, integer, integer" : "integer, integer, integer");
	{
		struct strbuf c = STRBUF_INIT;

		sb_appendf(&c, "upkit validate (spec %s): readiness checks, %d of them; logs errors and advisories "
				   "under script %s in the validation log (upkit report prints it). Changes nothing but the log.",
				   spec_file, s->n_checks, sb_str(&script));
		lit(&sb, sb_str(&c), w);
		upkit_render_var_sb(&vs, "PROC_COMMENT", &sb);
		sb_free(&c);
	}
	render_checks(&sb, s, w);
	upkit_render_var_sb(&vs, "CHECKS", &sb);

	schema = upkit_ident_fold(s->procedure.schema, d);
	name = upkit_ident_fold(s->procedure.name, d);
	u = upkit_unit_add(out, d, "procedure", schema, name, spec->file, w->template_path);
	for (int i = 0; i < s->n_checks; i++)
	{
		const struct upkit_validate_check *k = &s->checks[i];

		upkit_unit_table_as_written(u, k->table.schema, k->table.name, UPKIT_ACCESS_READ);
		if (k->to.name)
			upkit_unit_table_as_written(u, k->to.schema, k->to.name, UPKIT_ACCESS_READ);
		if (k->rows_table.name)
			upkit_unit_table_as_written(u, k->rows_table.schema, k->rows_table.name, UPKIT_ACCESS_READ);
	}
	for (int i = 0; i < 3; i++)
		upkit_unit_table(u, w->log_schema, w->log_tables[i],
						 UPKIT_ACCESS_READ | UPKIT_ACCESS_CREATE | UPKIT_ACCESS_UPDATE | UPKIT_ACCESS_DELETE);
	target.key = "PROC";
	target.unit = out->n - 1;
	rc = upkit_fill_units(out, &target, 1, t->text, vs.v, vs.n, err, errn);

	upkit_render_vars_free(&vs);
	sb_free(&script);
	sb_free(&proc);
	free(schema);
	free(name);
	free(spec_file);
	return rc;
}
