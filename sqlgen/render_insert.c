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

/* Does any value contain the tag? */
static int
tag_used(const char *tag, const struct upkit_fill_var *vars, int n)
{
	for (int i = 0; i < n; i++)
		if (vars[i].value && strstr(vars[i].value, tag))
			return 1;
	return 0;
}

int
upkit_render_insert(struct strbuf *out, const struct upkit_spec *spec,
					const struct upkit_insert_words *w, char *err, size_t errn)
{
	const struct upkit_insert_spec *s = spec->body;
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
	char	   *seq_col_lit = has_seq ? (d == UPKIT_DIALECT_PG ? name_literal(s->sequence_column, d)
										 : literal(s->sequence_column, d)) : NULL;
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

	if (t == NULL)
	{
		snprintf(err, errn, "template %s is not built into this upkit", w->template_path);
		return -1;
	}
	snprintf(tabid, sizeof tabid, "%lld", s->tabid);
	snprintf(rownum, sizeof rownum, "%s.%s", w->row_alias,
			 d == UPKIT_DIALECT_MSSQL ? "[" UPKIT_ROWNUM_COLUMN "]" : UPKIT_ROWNUM_COLUMN);

	/* WHERE: the company as a parameter, then the spec's filter. */
	if (s->per_company)
	{
		char	   *daid = qident(UPKIT_COL_DATAAREAID, d);

		sb_appendf(&where, "%s.%s = %s", alias, daid, w->dataareaid_param);
		free(daid);
	}
	if (s->filter)
		sb_appendf(&where, "%s(%s)", where.len ? "\n  AND " : "", s->filter);

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
	if (d == UPKIT_DIALECT_PG)
		sb_appendf(&call, "CALL %s(%s%s);", proc, has_daid ? "'dat'" : "",
				   has_seq ? ", 'NUMSEQ', 'N'" : "");
	else
		sb_appendf(&call, "BEGIN TRANSACTION; DECLARE @N BIGINT; EXEC %s %s%s@ROWS_INSERTED = @N OUTPUT; COMMIT TRANSACTION;", proc,
				   has_daid ? "@DATAAREAID = N'dat', " : "",
				   has_seq ? "@NUMBERSEQUENCE = N'NUMSEQ', @RJUSTIFY = 'N', " : "");

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
			{"TAG", tag},
		};
		int			nvars = (int) (sizeof vars / sizeof vars[0]);

		/* A dollar-quote tag that no value contains (PostgreSQL). */
		for (int i = 1; tag_used(tag, vars, nvars - 1); i++)
			snprintf(tag, sizeof tag, "$proc%d$", i);
		rc = upkit_fill(out, t->text, vars, nvars, err, errn);
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
	return rc;
}
