/*
 * render_updel.c: the parts of an update or delete procedure that both
 * dialects share (see render_updel.h).  Every name is quoted here, every
 * expression put in parentheses, every company compared with its own
 * parameter.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "comment.h"
#include "fill.h"
#include "ident.h"
#include "render_common.h"
#include "render_updel.h"
#include "spec_insert.h"
#include "templates.h"

void
upkit_updel_param(struct strbuf *sb, const struct upkit_updel_ctx *c, const char *company)
{
	if (c->probe)
	{
		sb_append(sb, c->w->probe_company);
		return;
	}
	sb_append(sb, c->w->param_prefix);
	if (c->w->param_fold)
	{
		char	   *f = upkit_ident_fold(company, c->w->dialect);

		sb_append(sb, f);
		free(f);
	}
	else
		sb_append(sb, company);
}

static void
column(struct strbuf *sb, const struct upkit_updel_ctx *c, const char *alias, const char *name)
{
	char	   *f = upkit_ident_fold(name, c->w->dialect);

	if (alias)
		sb_appendf(sb, "%s.", alias);
	upkit_quote_ident(sb, f, c->w->dialect);
	free(f);
}

static void
company_cond(struct strbuf *sb, const struct upkit_updel_ctx *c, const struct upkit_updel_table *t,
			 const char *sep)
{
	if (!t->per_company)
		return;
	sb_append(sb, sep);
	column(sb, c, t->alias, UPKIT_COL_DATAAREAID);
	sb_append(sb, " = ");
	upkit_updel_param(sb, c, t->company);
}

void
upkit_updel_table(struct strbuf *sb, const struct upkit_updel_ctx *c, const struct upkit_updel_table *t)
{
	upkit_quote_qualified(sb, t->table.schema, t->table.name, c->w->dialect);
	sb_appendf(sb, " AS %s", t->alias);
}

void
upkit_updel_table_text(struct strbuf *sb, const struct upkit_updel_table *t)
{
	sb_appendf(sb, "%s (%s)", t->table.name, t->alias);
}

void
upkit_updel_join_source(struct strbuf *sb, const struct upkit_updel_ctx *c, const struct upkit_updel_join *j,
						const char *in)
{
	if (j->n_aggregate == 0)
	{
		upkit_updel_table(sb, c, &j->t);
		return;
	}
	/* One row per match value: the joined rows grouped by the match columns. */
	sb_append(sb, "(SELECT ");
	for (int i = 0; i < j->n_match; i++)
	{
		column(sb, c, j->t.alias, j->match[i].column);
		sb_appendf(sb, ",\n%s        ", in);
	}
	for (int i = 0; i < j->n_aggregate; i++)
	{
		if (i)
			sb_appendf(sb, ",\n%s        ", in);
		sb_appendf(sb, "(%s) AS ", j->aggregate[i].expr);
		column(sb, c, NULL, j->aggregate[i].column);
	}
	sb_appendf(sb, "\n%s   FROM ", in);
	upkit_updel_table(sb, c, &j->t);
	if (j->t.per_company || j->where)
	{
		struct strbuf sep = STRBUF_INIT;

		sb_appendf(&sep, "\n%s  WHERE ", in);
		if (j->t.per_company)
		{
			company_cond(sb, c, &j->t, sb_str(&sep));
			sb_free(&sep);
			sb_appendf(&sep, "\n%s    AND ", in);
		}
		if (j->where)
			sb_appendf(sb, "%s(%s)", sb_str(&sep), j->where);
		sb_free(&sep);
	}
	sb_appendf(sb, "\n%s  GROUP BY ", in);
	for (int i = 0; i < j->n_match; i++)
	{
		if (i)
			sb_append(sb, ", ");
		column(sb, c, j->t.alias, j->match[i].column);
	}
	sb_appendf(sb, ") AS %s", j->t.alias);
}

void
upkit_updel_join_conds(struct strbuf *sb, const struct upkit_updel_ctx *c,
					   const struct upkit_updel_join *j, const char *sep)
{
	/* An aggregate's rows are of the company already (inside its derived table). */
	if (j->n_aggregate == 0)
		company_cond(sb, c, &j->t, sep);
	for (int i = 0; i < j->n_match; i++)
	{
		sb_append(sb, sep);
		column(sb, c, j->t.alias, j->match[i].column);
		sb_appendf(sb, " = (%s)", j->match[i].expr);
	}
	if (j->on)
		sb_appendf(sb, "%s(%s)", sep, j->on);
}

void
upkit_updel_target_conds(struct strbuf *sb, const struct upkit_updel_ctx *c,
						 const struct upkit_updel_stmt *st, const char *sep)
{
	company_cond(sb, c, &st->target, sep);
	if (st->filter)
		sb_appendf(sb, "%s(%s)", sep, st->filter);
	for (int i = 0; i < st->n_exists; i++)
	{
		const struct upkit_updel_exists *e = &st->exists[i];
		const char *inner = "\n                ";

		sb_appendf(sb, "%s%sEXISTS (SELECT 1\n                FROM ", sep, e->negated ? "NOT " : "");
		upkit_updel_table(sb, c, &e->t);
		sb_append(sb, "\n               WHERE ");
		if (e->t.per_company)
		{
			company_cond(sb, c, &e->t, "");
			sb_appendf(sb, "%s AND ", inner);
		}
		sb_appendf(sb, "(%s))", e->on);
	}
}

/* The first condition goes after WHERE, the others after AND; sb_len tells which. */
void
upkit_updel_from_where(struct strbuf *sb, const struct upkit_updel_ctx *c,
					   const struct upkit_updel_stmt *st, int upto, const char *first)
{
	struct strbuf conds = STRBUF_INIT;

	sb_append(sb, "  FROM ");
	upkit_updel_table(sb, c, &st->target);
	for (int i = 0; i < upto && i < st->n_joins; i++)
	{
		const struct upkit_updel_join *j = &st->joins[i];
		struct strbuf on = STRBUF_INIT;

		sb_appendf(sb, "\n  %s ", j->left ? "LEFT JOIN" : "INNER JOIN");
		upkit_updel_join_source(sb, c, j, j->left ? "            " : "             ");
		upkit_updel_join_conds(&on, c, j, "\n   AND ");
		/* The first condition follows ON. */
		sb_appendf(sb, "\n    ON %s", sb_str(&on) + strlen("\n   AND "));
		sb_free(&on);
	}
	if (first)
		sb_appendf(&conds, "\n   AND %s", first);
	upkit_updel_target_conds(&conds, c, st, "\n   AND ");
	if (conds.len > 0)
		sb_appendf(sb, "\n WHERE %s", sb_str(&conds) + strlen("\n   AND "));
	sb_free(&conds);
}

void
upkit_updel_checked_joins(struct strbuf *sb, const struct upkit_updel_stmt *st)
{
	int			n = 0;

	for (int i = 0; i < st->n_joins; i++)
		if (st->joins[i].check)
			sb_appendf(sb, "%sthe join %s AS %s", n++ ? ", " : "", st->joins[i].t.table.name,
					   st->joins[i].t.alias);
}

/* What the procedure does, as comment lines: one paragraph per statement. */
static void
summary(struct strbuf *sb, const struct upkit_updel_spec *s)
{
	for (int i = 0; i < s->n_stmts; i++)
	{
		const struct upkit_updel_stmt *st = &s->stmts[i];
		struct strbuf line = STRBUF_INIT;

		if (s->n_stmts > 1)
			sb_appendf(&line, "Statement %d: ", i + 1);
		sb_append(&line, s->is_delete ? "deletes from " : "updates ");
		upkit_updel_table_text(&line, &st->target);
		for (int j = 0; j < st->n_joins; j++)
		{
			sb_append(&line, j ? ", " : " from ");
			if (st->joins[j].n_aggregate)
				sb_append(&line, "an aggregate of ");
			upkit_updel_table_text(&line, &st->joins[j].t);
			if (st->joins[j].left)
				sb_append(&line, " (left join)");
		}
		for (int j = 0; j < st->n_exists; j++)
		{
			sb_append(&line, j ? ", " : " where ");
			sb_append(&line, st->exists[j].negated ? "no row of " : "a row of ");
			upkit_updel_table_text(&line, &st->exists[j].t);
		}
		sb_append(&line, st->n_exists ? " matches." : ".");
		sb_append(&line, "\nCompanies: ");
		{
			int			n = 0;
			const struct upkit_updel_table *all[1] = {&st->target};

			for (int k = 0; k < 1; k++)
				if (all[k]->per_company)
					sb_appendf(&line, "%s%s = %s", n++ ? ", " : "", all[k]->alias, all[k]->company);
			for (int j = 0; j < st->n_joins; j++)
				if (st->joins[j].t.per_company)
					sb_appendf(&line, "%s%s = %s", n++ ? ", " : "", st->joins[j].t.alias, st->joins[j].t.company);
			for (int j = 0; j < st->n_exists; j++)
				if (st->exists[j].t.per_company)
					sb_appendf(&line, "%s%s = %s", n++ ? ", " : "", st->exists[j].t.alias, st->exists[j].t.company);
			if (n == 0)
				sb_append(&line, "none (every table is shared)");
		}
		if (upkit_updel_stmt_checks(st))
		{
			sb_append(&line, "\nChecked when it runs: ");
			upkit_updel_checked_joins(&line, st);
			sb_append(&line, " (a target row that matches twice stops it).");
		}
		upkit_comment_lines(sb, "", sb_str(&line));
		sb_free(&line);
	}
	if (sb->len > 0 && sb->data[sb->len - 1] == '\n')
		sb->data[--sb->len] = '\0';
}

static char *
comment_lines_of(const char *text)
{
	struct strbuf sb = STRBUF_INIT;
	char	   *r;

	upkit_render_comment_block(&sb, text);
	r = xstrdup(sb_str(&sb));
	sb_free(&sb);
	return r;
}

/* The procedure's unit: it writes its targets and reads every other table. */
static int
updel_unit(struct upkit_units *out, const struct upkit_spec *spec, const struct upkit_updel_spec *s,
		   const struct upkit_updel_words *w, const char *source)
{
	enum upkit_dialect d = w->dialect;
	char	   *schema = upkit_ident_fold(s->procedure.schema, d);
	char	   *name = upkit_ident_fold(s->procedure.name, d);
	struct upkit_unit *u = upkit_unit_add(out, d, "procedure", schema, name, spec->file, source);

	u->needs_transaction = s->n_stmts > 1 && w->needs_transaction_several;
	for (int i = 0; i < s->n_stmts; i++)
	{
		const struct upkit_updel_stmt *st = &s->stmts[i];

		upkit_unit_table_as_written(u, st->target.table.schema, st->target.table.name,
									UPKIT_ACCESS_READ | (s->is_delete ? UPKIT_ACCESS_DELETE : UPKIT_ACCESS_UPDATE));
		for (int j = 0; j < st->n_joins; j++)
			upkit_unit_table_as_written(u, st->joins[j].t.table.schema, st->joins[j].t.table.name,
										UPKIT_ACCESS_READ);
		for (int j = 0; j < st->n_exists; j++)
			upkit_unit_table_as_written(u, st->exists[j].t.table.schema, st->exists[j].t.table.name,
										UPKIT_ACCESS_READ);
	}
	free(schema);
	free(name);
	return out->n - 1;
}

int
upkit_render_updel(struct upkit_units *out, const struct upkit_spec *spec,
				   const struct upkit_updel_words *w, char *err, size_t errn)
{
	const struct upkit_updel_spec *s = upkit_spec_body(spec, w->dialect);
	enum upkit_dialect d = w->dialect;
	const char *path = s->is_delete ? w->delete_template : w->update_template;
	const struct upkit_template *t = upkit_template_find(path);
	struct strbuf proc = STRBUF_INIT,
				proc_lit = STRBUF_INIT,
				proc_id_lit = STRBUF_INIT,
				sum = STRBUF_INIT,
				call = STRBUF_INIT,
				params = STRBUF_INIT,
				checks = STRBUF_INIT,
				body = STRBUF_INIT,
				arg_types = STRBUF_INIT,
				comment = STRBUF_INIT,
				comment_lit = STRBUF_INIT;
	struct upkit_updel_ctx c = {s, w, NULL, 0};
	char	   *spec_file,
			   *description,
			   *xpp;
	struct strbuf tag = STRBUF_INIT;
	int			any_check = 0;
	int			rc;

	if (t == NULL)
	{
		snprintf(err, errn, "template %s is not embedded in this upkit", path);
		return -1;
	}
	upkit_quote_qualified(&proc, s->procedure.schema, s->procedure.name, d);
	{
		struct strbuf m = STRBUF_INIT;

		sb_appendf(&m, "upkit %s", sb_str(&proc));
		upkit_quote_literal(&proc_lit, sb_str(&m), d);
		sb_free(&m);
	}
	upkit_quote_literal(&proc_id_lit, sb_str(&proc), d);
	c.proc_lit = sb_str(&proc_lit);
	spec_file = upkit_comment_escaped(spec->file);
	description = comment_lines_of(s->description);
	xpp = comment_lines_of(s->xpp);
	summary(&sum, s);
	w->call_example(&call, &c, sb_str(&proc));

	for (int i = 0; i < s->n_companies; i++)
	{
		struct strbuf p = STRBUF_INIT;

		upkit_updel_param(&p, &c, s->companies[i]);
		if (i)
			sb_append(&params, "\n");
		sb_appendf(&params, w->param_decl, sb_str(&p));
		if (i)
			sb_append(&checks, "\n");
		w->param_check(&checks, &c, s->companies[i]);
		sb_appendf(&arg_types, "%stext", i ? ", " : "");
		sb_free(&p);
	}
	sb_appendf(&arg_types, "%sbigint", s->n_companies ? ", " : "");

	for (int i = 0; i < s->n_stmts; i++)
	{
		const struct upkit_updel_stmt *st = &s->stmts[i];
		struct strbuf head = STRBUF_INIT;

		if (i)
			sb_append(&body, "\n\n");
		if (s->n_stmts > 1)
			sb_appendf(&head, "Statement %d: ", i + 1);
		sb_append(&head, s->is_delete ? "delete from " : "update ");
		upkit_updel_table_text(&head, &st->target);
		sb_appendf(&body, "-- == %s ==\n", sb_str(&head));
		sb_free(&head);
		if (upkit_updel_stmt_checks(st))
		{
			any_check = 1;
			w->check(&body, &c, st, i);
			sb_append(&body, "\n");
		}
		if (s->is_delete)
			w->delete(&body, &c, st);
		else
			w->update(&body, &c, st, -1);
		sb_append(&body, ";\n");
		w->count(&body, &c, st, i);
	}

	sb_appendf(&comment, "upkit %s (spec %s): %s", s->is_delete ? "delete" : "update", spec_file,
			   s->n_stmts > 1 ? "several set-based statements" : "one set-based statement");
	upkit_quote_literal(&comment_lit, sb_str(&comment), d);
	upkit_render_dollar_tag(&tag, spec);
	{
		struct upkit_fill_var vars[] = {
			{"PROC", sb_str(&proc)},
			{"PROC_LIT", sb_str(&proc_lit)},
			{"PROC_ID_LIT", sb_str(&proc_id_lit)},
			{"SPEC_FILE", spec_file},
			{"DESCRIPTION", description},
			{"XPP", xpp},
			{"SUMMARY", sb_str(&sum)},
			{"EACH", s->n_stmts > 1 ? " by all statements, each also told on its own" : ""},
			{"CALL_EXAMPLE", sb_str(&call)},
			{"PARAMS", sb_str(&params)},
			{"PARAM_CHECKS", sb_str(&checks)},
			{"CHECK", any_check ? "1" : ""},
			{"SEVERAL", s->n_stmts > 1 ? "1" : ""},
			{"BODY", sb_str(&body)},
			{"ARG_TYPES", sb_str(&arg_types)},
			{"COMMENT", sb_str(&comment_lit)},
			{"TAG", sb_str(&tag)},
		};
		struct upkit_fill_unit unit = {"PROC", updel_unit(out, spec, s, w, path)};

		rc = upkit_fill_units(out, &unit, 1, t->text, vars, (int) (sizeof vars / sizeof vars[0]), err, errn);
	}
	free(spec_file);
	free(description);
	free(xpp);
	sb_free(&proc);
	sb_free(&proc_lit);
	sb_free(&proc_id_lit);
	sb_free(&sum);
	sb_free(&call);
	sb_free(&params);
	sb_free(&checks);
	sb_free(&body);
	sb_free(&arg_types);
	sb_free(&comment);
	sb_free(&comment_lit);
	sb_free(&tag);
	return rc;
}
