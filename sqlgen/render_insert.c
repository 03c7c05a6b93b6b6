/*
 * render_insert.c: the parts of an insert procedure that both dialects
 * build the same way (see render_insert.h).
 *
 * Every name goes through upkit_quote_ident, every expression is put in
 * parentheses (its own parentheses balance, ident.h), and the texts that
 * become comments go through upkit_comment_lines.  Nothing from a spec
 * reaches the SQL another way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "comment.h"
#include "ident.h"
#include "render_insert.h"
#include "spec_insert.h"
#include "templates.h"

/* Width the value column of "value,  -- column" lines is padded to. */
#define COMMENT_COLUMN 56

static char *
qname(const char *schema, const char *name, enum upkit_dialect d)
{
	struct strbuf sb = STRBUF_INIT;

	upkit_quote_qualified(&sb, schema, name, d);
	return sb.data;
}

static char *
qident(const char *name, enum upkit_dialect d)
{
	struct strbuf sb = STRBUF_INIT;

	upkit_quote_ident(&sb, name, d);
	return sb.data;
}

static char *
literal(const char *s, enum upkit_dialect d)
{
	struct strbuf sb = STRBUF_INIT;

	upkit_quote_literal(&sb, s, d);
	return sb.data;
}

/* The literal of a name as the catalog stores it (PostgreSQL folds). */
static char *
name_literal(const char *name, enum upkit_dialect d)
{
	char	   *folded = upkit_ident_fold(name, d);
	char	   *r = literal(folded, d);

	free(folded);
	return r;
}

/* Characters (not bytes) of a UTF-8 string. */
static size_t
utf8_width(const char *s)
{
	size_t		n = 0;

	for (; *s; s++)
		if (((unsigned char) *s & 0xC0) != 0x80)
			n++;
	return n;
}

/* One "value,  -- column" line of the INSERT's SELECT list. */
static void
value_line(struct strbuf *sb, const char *value, int last, const char *column_comment)
{
	size_t		start = sb->len;

	sb_append(sb, value);
	if (!last)
		sb_append(sb, ",");
	/* pad from the value's last line */
	{
		const char *nl = strrchr(sb_str(sb) + start, '\n');
		size_t		width = utf8_width(nl ? nl + 1 : sb_str(sb) + start) + (nl ? 11 : 0);

		do
			sb_append(sb, " ");
		while (++width < COMMENT_COLUMN);
	}
	sb_appendf(sb, "-- %s", column_comment);
	if (!last)
		sb_append(sb, "\n       ");
}

/* The expression on one line, for a message literal (runs of blanks become one). */
static char *
one_line(const char *expr)
{
	struct strbuf sb = STRBUF_INIT;
	int			blank = 0;

	for (const char *c = expr; *c; c++)
	{
		if (*c == ' ' || *c == '\t' || *c == '\n' || *c == '\r')
			blank = 1;
		else
		{
			if (blank && sb.len > 0)
				sb_append(&sb, " ");
			blank = 0;
			sb_append_len(&sb, c, 1);
		}
	}
	return sb.data ? sb.data : strdup("");
}

/*
 * The key check of a "rerun" by key: [NOT ]EXISTS a target row (of the
 * company) whose key column equals the source row's key expression.
 */
static void
key_exists(struct strbuf *sb, const char *not, const struct upkit_insert_spec *s,
		   const char *target, const struct upkit_insert_words *w)
{
	enum upkit_dialect d = w->dialect;
	char	   *t = qident(UPKIT_RERUN_TARGET_ALIAS, d);
	char	   *key = qident(s->mapping[s->rerun_key].column, d);

	/* continuation lines align with SELECT: "WHERE " or "  AND " + not + "EXISTS (" */
	int			pad = 6 + (int) strlen(not) + 8;

	sb_appendf(sb, "%sEXISTS (SELECT 1\n%*s  FROM %s AS %s\n%*s WHERE ", not, pad, "", target, t, pad, "");
	if (s->per_company)
	{
		char	   *daid = qident(UPKIT_COL_DATAAREAID, d);

		sb_appendf(sb, "%s.%s = %s\n%*s   AND ", t, daid, w->dataareaid_param, pad, "");
		free(daid);
	}
	sb_appendf(sb, "%s.%s = (%s))", t, key, s->mapping[s->rerun_key].expr);
	free(t);
	free(key);
}

/* Does any value contain the tag? */
static int
tag_used(const char *tag, const struct upkit_fill_var *vars, int n)
{
	for (int i = 0; i < n; i++)
		if (vars[i].value && strstr(vars[i].value, tag))
			return 1;
	return 0;
}

/*
 * The procedure's unit: what a call touches.  It reads the source, inserts
 * into the target (reading it too when a key decides what to insert),
 * reserves RECIDs by locking and advancing the SYSTEMSEQUENCES row of its
 * TABID (inserting it when missing), numbers by advancing the
 * NUMBERSEQUENCETABLE row, checks the company in DATAAREA and records the
 * call in the runtime's table of runs.
 */
static int
insert_unit(struct upkit_units *out, const struct upkit_spec *spec,
			const struct upkit_insert_spec *s, const struct upkit_insert_words *w,
			const char *ax_tables)
{
	enum upkit_dialect d = w->dialect;
	char	   *schema = upkit_ident_fold(s->procedure.schema, d);
	char	   *name = upkit_ident_fold(s->procedure.name, d);
	struct upkit_unit *u = upkit_unit_add(out, d, "procedure", schema, name, spec->file, w->template_path);

	u->needs_transaction = w->needs_transaction;
	upkit_unit_table_as_written(u, s->source.schema, s->source.name, UPKIT_ACCESS_READ);
	upkit_unit_table_as_written(u, s->target.schema, s->target.name, UPKIT_ACCESS_CREATE |
			   (s->rerun != UPKIT_RERUN_RECORD ? UPKIT_ACCESS_READ : 0));
	upkit_unit_table_as_written(u, ax_tables, "SYSTEMSEQUENCES", UPKIT_ACCESS_CREATE | UPKIT_ACCESS_READ | UPKIT_ACCESS_UPDATE);
	upkit_unit_tabid(u, s->tabid);
	if (s->sequence_column)
		upkit_unit_table_as_written(u, ax_tables, "NUMBERSEQUENCETABLE", UPKIT_ACCESS_READ | UPKIT_ACCESS_UPDATE);
	if (s->per_company || s->sequence_column)
		upkit_unit_table_as_written(u, ax_tables, "DATAAREA", UPKIT_ACCESS_READ);
	upkit_unit_table(u, w->runs_schema, w->runs_table,
					 UPKIT_ACCESS_CREATE | UPKIT_ACCESS_READ | UPKIT_ACCESS_UPDATE);
	free(schema);
	free(name);
	return out->n - 1;
}

int
upkit_render_insert(struct upkit_units *out, const struct upkit_spec *spec,
					const struct upkit_insert_words *w, char *err, size_t errn)
{
	const struct upkit_insert_spec *s = upkit_spec_body(spec, w->dialect);
	enum upkit_dialect d = w->dialect;
	const struct upkit_template *t = upkit_template_find(w->template_path);
	int			has_seq = s->sequence_column != NULL;
	int			has_daid = s->per_company || has_seq;
	char	   *proc = qname(s->procedure.schema, s->procedure.name, d);
	char	   *proc_lit = literal(proc, d);
	char	   *source = qname(s->source.schema, s->source.name, d);
	char	   *target = qname(s->target.schema, s->target.name, d);
	char	   *target_lit = literal(target, d);
	char	   *alias = qident(s->alias, d);
	char	   *ax_schema = qident(s->ax_schema, d);
	char	   *spec_file = upkit_comment_escaped(spec->file);	/* it goes into comments */
	char	   *seq_col = has_seq ? qident(s->sequence_column, d) : NULL;
	char	   *seq_col_lit = has_seq ? name_literal(s->sequence_column, d) : NULL;
	char	   *tschema_lit = name_literal(s->target.schema, d);
	char	   *ttable_lit = name_literal(s->target.name, d);
	char		tabid[32];
	char		rownum[64];
	struct strbuf where = STRBUF_INIT,
				order = STRBUF_INIT,
				cols = STRBUF_INIT,
				values = STRBUF_INIT,
				exprs = STRBUF_INIT,
				xpp = STRBUF_INIT,
				descr = STRBUF_INIT,
				call = STRBUF_INIT,
				tmp = STRBUF_INIT;
	char		tag[32] = "$proc$";
	int			rc;
	/* Idempotency (the spec's "rerun"). */
	int			has_key = s->rerun != UPKIT_RERUN_RECORD && s->rerun_key >= 0;
	const char *ax_tables = w->ax_tables_schema ? w->ax_tables_schema : s->ax_schema;
	char	   *dataarea = qname(ax_tables, "DATAAREA", d);
	char	   *dataarea_lit = literal(dataarea, d);
	char	   *numseq = qname(ax_tables, "NUMBERSEQUENCETABLE", d);
	char	   *numseq_lit = literal(numseq, d);
	char	   *proc_schema_lit = name_literal(s->procedure.schema, d);
	char	   *proc_name_lit = name_literal(s->procedure.name, d);
	char	   *key_col = NULL,
			   *key_col_lit = NULL,
			   *key_expr_lit = NULL;
	struct strbuf present_where = STRBUF_INIT,
				key_expr = STRBUF_INIT,
				prev_args = STRBUF_INIT;

	if (t == NULL)
	{
		snprintf(err, errn, "template %s is not built into this upkit", w->template_path);
		return -1;
	}
	snprintf(tabid, sizeof tabid, "%lld", s->tabid);
	{
		char	   *rn = qident(UPKIT_ROWNUM_COLUMN, d);

		snprintf(rownum, sizeof rownum, "%s.%s", w->row_alias, rn);
		free(rn);
	}

	/* WHERE: the company as a parameter, then the spec's filter. */
	if (s->per_company)
	{
		char	   *daid = qident(UPKIT_COL_DATAAREAID, d);

		sb_appendf(&where, "%s.%s = %s", alias, daid, w->dataareaid_param);
		free(daid);
	}
	if (s->filter)
		sb_appendf(&where, "%s(%s)", where.len ? "\n  AND " : "", s->filter);

	/*
	 * Idempotency: with a key, the rows to insert are those whose key is not
	 * in the target (WHERE); "refuse" counts those whose key is (PRESENT_WHERE).
	 */
	if (has_key)
	{
		sb_append(&present_where, sb_str(&where));
		if (present_where.len)
			sb_append(&present_where, "\n  AND ");
		key_exists(&present_where, "", s, target, w);
		if (where.len)
			sb_append(&where, "\n  AND ");
		key_exists(&where, "NOT ", s, target, w);
		key_col = qident(s->mapping[s->rerun_key].column, d);
		key_col_lit = literal(key_col, d);
		sb_appendf(&key_expr, "(%s)", s->mapping[s->rerun_key].expr);
		{
			char	   *flat = one_line(s->mapping[s->rerun_key].expr);

			key_expr_lit = literal(flat, d);
			free(flat);
		}
	}
	/* The argument types of the procedure before 0.3 (PostgreSQL drops it). */
	sb_appendf(&prev_args, "%s%sbigint", has_daid ? "text, " : "", has_seq ? "text, character, " : "");

	/* ORDER BY */
	for (int i = 0; i < s->n_order; i++)
		sb_appendf(&order, "%s(%s)%s", i ? ", " : "", s->order_by[i].expr,
				   s->order_by[i].desc ? " DESC" : "");

	/* Target columns and the values, system columns first. */
	{
		char	   *c = qident(UPKIT_COL_RECID, d);

		sb_appendf(&cols, "%s", c);
		sb_free(&tmp);
		sb_appendf(&tmp, "%s + %s", w->first_recid, rownum);
		value_line(&values, sb_str(&tmp), 0, "RECID: the reserved range, 0-based");
		free(c);
	}
	if (s->recversion)
	{
		char	   *c = qident(UPKIT_COL_RECVERSION, d);

		sb_appendf(&cols, ",\n %s", c);
		value_line(&values, "1", 0, "RECVERSION");
		free(c);
	}
	if (s->per_company)
	{
		char	   *c = qident(UPKIT_COL_DATAAREAID, d);

		sb_appendf(&cols, ",\n %s", c);
		value_line(&values, w->dataareaid_param, 0, "DATAAREAID: the company parameter");
		free(c);
	}
	if (has_seq)
	{
		sb_appendf(&cols, ",\n %s", seq_col);
		sb_free(&tmp);
		sb_appendf(&tmp, w->fmt_call, rownum);
		{
			char		note[600];

			snprintf(note, sizeof note, "%s: the number sequence", s->sequence_column);
			value_line(&values, sb_str(&tmp), 0, note);
		}
	}
	for (int i = 0; i < s->n_mapping; i++)
	{
		char	   *c = qident(s->mapping[i].column, d);

		sb_appendf(&cols, ",\n %s", c);
		sb_free(&tmp);
		sb_appendf(&tmp, "%s.%s", w->row_alias, c);
		{
			char		note[32];

			snprintf(note, sizeof note, "$.mapping[%d]", i);
			value_line(&values, sb_str(&tmp), i == s->n_mapping - 1, note);
		}
		sb_appendf(&exprs, "(%s) AS %s%s", s->mapping[i].expr, c,
				   i == s->n_mapping - 1 ? "" : ",\n");
		free(c);
	}

	upkit_comment_lines(&xpp, "", s->xpp);
	if (xpp.len > 0)
		xpp.data[--xpp.len] = '\0';		/* the template ends the line */
	if (s->description)
	{
		upkit_comment_lines(&descr, "", s->description);
		if (descr.len > 0)
			descr.data[--descr.len] = '\0';
	}
	w->call_example(&call, proc, has_daid, has_seq);

	{
		struct upkit_fill_var vars[] = {
			{"PROC", proc},
			{"PROC_LIT", proc_lit},
			{"SPEC_FILE", spec_file},
			{"DESCRIPTION", descr.len ? sb_str(&descr) : ""},
			{"SOURCE", source},
			{"ALIAS", alias},
			{"TARGET", target},
			{"TARGET_LIT", target_lit},
			{"TARGET_SCHEMA_LIT", tschema_lit},
			{"TARGET_TABLE_LIT", ttable_lit},
			{"TABID", tabid},
			{"SEQ", has_seq ? "1" : ""},
			{"DAID", has_daid ? "1" : ""},
			{"SEQ_COLUMN", seq_col ? seq_col : ""},
			{"SEQ_COLUMN_LIT", seq_col_lit ? seq_col_lit : ""},
			{"SEQ_AND_NUMBERS", has_seq ? " and as many numbers" : ""},
			{"CALL_EXAMPLE", sb_str(&call)},
			{"XPP", sb_str(&xpp)},
			{"WHERE", sb_str(&where)},
			{"END_NO_WHERE", where.len ? "" : ";"},
			{"END_SUB_NO_WHERE", where.len ? "" : ") AS src;"},
			{"ORDER_BY", sb_str(&order)},
			{"TARGET_COLUMNS", sb_str(&cols)},
			{"INSERT_VALUES", sb_str(&values)},
			{"SELECT_EXPRS", sb_str(&exprs)},
			{"STEP_INSERT", has_seq ? w->step_insert_seq : w->step_insert_noseq},
			{"AX_SCHEMA", ax_schema},
			{"RECORD", s->rerun == UPKIT_RERUN_RECORD ? "1" : ""},
			{"KEY", has_key ? "1" : ""},
			{"KEY_MISSING", has_key && s->rerun == UPKIT_RERUN_INSERT_MISSING ? "1" : ""},
			{"KEY_REFUSE", has_key && s->rerun == UPKIT_RERUN_REFUSE ? "1" : ""},
			{"KEY_COLUMN", key_col ? key_col : ""},
			{"KEY_ROW_COLUMN", key_col ? key_col : ""},
			{"KEY_COLUMN_LIT", key_col_lit ? key_col_lit : ""},
			{"KEY_EXPR", sb_str(&key_expr)},
			{"KEY_EXPR_LIT", key_expr_lit ? key_expr_lit : ""},
			{"PRESENT_WHERE", sb_str(&present_where)},
			{"PROC_SCHEMA_LIT", proc_schema_lit},
			{"PROC_NAME_LIT", proc_name_lit},
			{"PREV_ARGS", sb_str(&prev_args)},
			{"DATAAREA", dataarea},
			{"DATAAREA_LIT", dataarea_lit},
			{"NUMSEQ", numseq},
			{"NUMSEQ_LIT", numseq_lit},
			{"COMPANY", has_daid ? w->dataareaid_param : w->no_company},
			{"FOR_COMPANY", has_daid ? " for the same company" : ""},
			{"FOR_COMPANY_FMT", has_daid ? w->company_fmt : ""},
			{"COMPANY_ARG", has_daid ? w->company_arg : ""},
			{"COMPANY_MSG", has_daid ? w->company_msg : ""},
			{"TAG", tag},
		};
		int			nvars = (int) (sizeof vars / sizeof vars[0]);

		/* A dollar-quote tag that no value contains (PostgreSQL). */
		struct upkit_fill_unit unit = {"PROC", insert_unit(out, spec, s, w, ax_tables)};

		for (int i = 1; tag_used(tag, vars, nvars - 1); i++)
			snprintf(tag, sizeof tag, "$proc%d$", i);
		rc = upkit_fill_units(out, &unit, 1, t->text, vars, nvars, err, errn);
	}

	free(proc);
	free(proc_lit);
	free(source);
	free(target);
	free(target_lit);
	free(alias);
	free(ax_schema);
	free(spec_file);
	free(seq_col);
	free(seq_col_lit);
	free(tschema_lit);
	free(ttable_lit);
	sb_free(&where);
	sb_free(&order);
	sb_free(&cols);
	sb_free(&values);
	sb_free(&exprs);
	sb_free(&xpp);
	sb_free(&descr);
	sb_free(&call);
	sb_free(&tmp);
	free(dataarea);
	free(dataarea_lit);
	free(numseq);
	free(numseq_lit);
	free(proc_schema_lit);
	free(proc_name_lit);
	free(key_col);
	free(key_col_lit);
	free(key_expr_lit);
	sb_free(&present_where);
	sb_free(&key_expr);
	sb_free(&prev_args);
	return rc;
}
