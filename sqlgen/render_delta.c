/*
 * render_delta.c: the parts of a delta spec's SQL that both dialects share
 * (see render_delta.h).  Every name is quoted here, every expression put in
 * parentheses; values that come from the spec and end up in the SQL text (a
 * shared spec's DATAAREAIDs, names in messages) are quoted literals.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "fill.h"
#include "comment.h"
#include "ident.h"
#include "render_common.h"
#include "render_delta.h"
#include "templates.h"

static void
literal_of(struct strbuf *sb, const char *text, enum upkit_dialect d)
{
	upkit_quote_literal(sb, text, d);
}

/* procedure name + suffix, quoted and qualified. */
static void
derived_name(struct strbuf *sb, const struct upkit_qname *proc, const char *suffix,
			 enum upkit_dialect d)
{
	struct strbuf n = STRBUF_INIT;

	sb_appendf(&n, "%s%s", proc->name, suffix);
	upkit_quote_qualified(sb, proc->schema, sb_str(&n), d);
	sb_free(&n);
}

/* The literal of prefix + the derived name (procedure name + suffix, quoted and qualified). */
static void
derived_literal(struct strbuf *sb, const struct upkit_qname *proc, const char *suffix, const char *prefix,
				enum upkit_dialect d)
{
	struct strbuf q = STRBUF_INIT;

	sb_append(&q, prefix);
	derived_name(&q, proc, suffix, d);
	literal_of(sb, sb_str(&q), d);
	sb_free(&q);
}

static void
comment_var(struct upkit_render_vars *vs, const char *name, const char *text)
{
	struct strbuf sb = STRBUF_INIT;

	upkit_render_comment_block(&sb, text);
	upkit_render_var_sb(vs, name, &sb);
}

/*
 * The spec's units, in the order the template creates their objects
 * ("--#unit KEY" lines): the classification function (with the lines
 * before it: the header and the DROPs of the older objects, in dependency
 * order), the report, the ready check, the procedure, the live fill.  Every one reads the source, the
 * shadow and the lookups; the procedure rewrites the shadow's rows and
 * records its run.
 */
static void
delta_units(struct upkit_units *out, const struct upkit_spec *spec,
			const struct upkit_delta_spec *s, const struct upkit_delta_words *w,
			struct upkit_fill_unit *units)
{
	enum upkit_dialect d = w->dialect;
	char	   *schema = upkit_ident_fold(s->procedure.schema, d);

	for (int i = 0; i < UPKIT_DELTA_UNITS; i++)
	{
		struct strbuf name = STRBUF_INIT;
		char	   *folded;
		struct upkit_unit *u;

		sb_appendf(&name, "%s%s", s->procedure.name, w->units[i].suffix);
		folded = upkit_ident_fold(sb_str(&name), d);
		units[i].key = w->units[i].key;
		u = upkit_unit_add(out, d, w->units[i].kind, schema, folded, spec->file, w->template_path);
		units[i].unit = out->n - 1;
		u->needs_transaction = w->units[i].needs_transaction;
		upkit_unit_table_as_written(u, s->source.schema, s->source.name, UPKIT_ACCESS_READ);
		upkit_unit_table_as_written(u, s->shadow.schema, s->shadow.name, UPKIT_ACCESS_READ | w->units[i].shadow_access);
		for (int j = 0; j < s->n_lookups; j++)
			upkit_unit_table_as_written(u, s->lookups[j].table.schema, s->lookups[j].table.name, UPKIT_ACCESS_READ);
		for (int j = 0; j < 2 && w->units[i].state[j].name; j++)
			upkit_unit_table(u, w->units[i].state[j].schema, w->units[i].state[j].name,
							 w->units[i].state[j].access);
		sb_free(&name);
		free(folded);
	}
	free(schema);
}

int
upkit_render_delta(struct upkit_units *out, const struct upkit_spec *spec,
				   const struct upkit_delta_words *w, char *err, size_t errn)
{
	const struct upkit_delta_spec *s = upkit_spec_body(spec, w->dialect);
	enum upkit_dialect d = w->dialect;
	const struct upkit_template *t = upkit_template_find(w->template_path);
	struct upkit_render_vars vs = {.n = 0};
	struct strbuf sb = STRBUF_INIT;
	struct strbuf shadow_name = STRBUF_INIT;
	struct strbuf source_name = STRBUF_INIT;
	struct strbuf proc_name = STRBUF_INIT;
	struct strbuf companies = STRBUF_INIT;	/* 'dat', 'ceu' */
	struct strbuf company_list = STRBUF_INIT;	/* dat,ceu */
	char	   *spec_file;		/* the file's name, escaped: it goes into comments */
	int			rc;

	if (t == NULL)
	{
		snprintf(err, errn, "template %s is not embedded in this upkit", w->template_path);
		return -1;
	}
	spec_file = upkit_comment_escaped(spec->file);
	upkit_display_name(&shadow_name, s->shadow.schema, s->shadow.name, d);
	upkit_display_name(&source_name, s->source.schema, s->source.name, d);
	upkit_quote_qualified(&proc_name, s->procedure.schema, s->procedure.name, d);
	for (int i = 0; i < s->n_dataareaids; i++)
	{
		if (i > 0)
		{
			sb_append(&companies, ", ");
			sb_append(&company_list, ",");
		}
		literal_of(&companies, s->dataareaids[i], d);
		sb_append(&company_list, s->dataareaids[i]);
	}

	upkit_render_var(&vs, "SPEC_FILE", spec_file);
	comment_var(&vs, "DESCRIPTION", s->description);
	comment_var(&vs, "XPP", s->xpp);
	upkit_render_var(&vs, "PER_COMPANY", s->per_company ? "1" : "");
	upkit_render_var(&vs, "CONTENT", s->content ? "1" : "");
	upkit_render_var(&vs, "LOOKUPS", s->n_lookups > 0 ? "1" : "");
	upkit_render_var(&vs, "ALIAS", s->alias);

	/* Objects and their names as literals. */
	upkit_render_var(&vs, "PROC", sb_str(&proc_name));
	derived_name(&sb, &s->procedure, UPKIT_DELTA_CHANGES_SUFFIX, d);
	upkit_render_var_sb(&vs, "CHANGES_FN", &sb);
	derived_name(&sb, &s->procedure, UPKIT_DELTA_REPORT_SUFFIX, d);
	upkit_render_var_sb(&vs, "REPORT", &sb);
	derived_name(&sb, &s->procedure, UPKIT_DELTA_READY_SUFFIX, d);
	upkit_render_var_sb(&vs, "READY", &sb);
	derived_name(&sb, &s->procedure, UPKIT_DELTA_LIVE_SUFFIX, d);
	upkit_render_var_sb(&vs, "LIVE", &sb);
	literal_of(&sb, sb_str(&proc_name), d);
	upkit_render_var_sb(&vs, "PROC_LIT", &sb);
	derived_literal(&sb, &s->procedure, UPKIT_DELTA_CHANGES_SUFFIX, "", d);
	upkit_render_var_sb(&vs, "CHANGES_LIT", &sb);
	derived_literal(&sb, &s->procedure, UPKIT_DELTA_REPORT_SUFFIX, "", d);
	upkit_render_var_sb(&vs, "REPORT_LIT", &sb);
	derived_literal(&sb, &s->procedure, UPKIT_DELTA_READY_SUFFIX, "", d);
	upkit_render_var_sb(&vs, "READY_LIT", &sb);
	derived_literal(&sb, &s->procedure, UPKIT_DELTA_LIVE_SUFFIX, "", d);
	upkit_render_var_sb(&vs, "LIVE_LIT", &sb);
	derived_literal(&sb, &s->procedure, UPKIT_DELTA_REPORT_SUFFIX, "upkit ", d);
	upkit_render_var_sb(&vs, "REPORT_MSG_PREFIX", &sb);
	derived_literal(&sb, &s->procedure, "", "upkit ", d);
	upkit_render_var_sb(&vs, "MSG_PREFIX", &sb);
	upkit_quote_qualified(&sb, s->source.schema, s->source.name, d);
	upkit_render_var_sb(&vs, "SOURCE", &sb);
	upkit_quote_qualified(&sb, s->shadow.schema, s->shadow.name, d);
	upkit_render_var_sb(&vs, "SHADOW", &sb);
	literal_of(&sb, sb_str(&source_name), d);
	upkit_render_var_sb(&vs, "SOURCE_LIT", &sb);
	{
		struct strbuf q = STRBUF_INIT;

		upkit_quote_qualified(&q, s->source.schema, s->source.name, d);
		literal_of(&sb, sb_str(&q), d);
		sb_append(&sb, "::regclass");
		upkit_render_var_sb(&vs, "SOURCE_REGCLASS", &sb);
		sb_free(&q);
	}
	literal_of(&sb, sb_str(&shadow_name), d);
	upkit_render_var_sb(&vs, "SHADOW_LIT", &sb);
	upkit_quote_ident(&sb, s->refrecid, d);
	upkit_render_var_sb(&vs, "REFRECID", &sb);
	upkit_quote_ident(&sb, s->refdataareaid, d);
	upkit_render_var_sb(&vs, "REFDATAAREAID", &sb);
	upkit_quote_ident(&sb, s->recversionid, d);
	upkit_render_var_sb(&vs, "RECVERSIONID", &sb);

	/* The company: a parameter, or a shared spec's literals. */
	if (s->per_company)
	{
		sb_appendf(&sb, "= %s", w->company_param);
		upkit_render_var_sb(&vs, "IN_SCOPE", &sb);
		upkit_render_var(&vs, "STATE_KEY", w->company_param);
		{
			struct strbuf k = STRBUF_INIT;

			sb_appendf(&k, "upkit.delta %s ", sb_str(&shadow_name));
			literal_of(&sb, sb_str(&k), d);
			sb_appendf(&sb, " %s %s", w->concat, w->company_param);
			sb_free(&k);
		}
		upkit_render_var_sb(&vs, "LOCK_KEY", &sb);
		sb_appendf(&sb, "one company per call, %s", w->company_param);
		upkit_render_var_sb(&vs, "SCOPE_TEXT", &sb);
		literal_of(&sb, "company ", d);
		sb_appendf(&sb, " %s %s", w->concat, w->company_param);
		upkit_render_var_sb(&vs, "SCOPE_ARG", &sb);
		upkit_render_var(&vs, "DATAAREAID_DECL", w->company_decl);
		upkit_render_var(&vs, "DATAAREAID_ARG", w->company_param);
		sb_appendf(&sb, "%s, ", w->company_decl);
		upkit_render_var_sb(&vs, "DATAAREAID_DECL_COMMA", &sb);
		upkit_render_var(&vs, "DATAAREAID_TYPE", "text");
		upkit_render_var(&vs, "DATAAREAID_TYPE_COMMA", "text, ");
	}
	else
	{
		sb_appendf(&sb, "IN (%s)", sb_str(&companies));
		upkit_render_var_sb(&vs, "IN_SCOPE", &sb);
		literal_of(&sb, sb_str(&company_list), d);
		upkit_render_var_sb(&vs, "STATE_KEY", &sb);
		{
			struct strbuf k = STRBUF_INIT;

			sb_appendf(&k, "upkit.delta %s %s", sb_str(&shadow_name), sb_str(&company_list));
			literal_of(&sb, sb_str(&k), d);
			sb_free(&k);
		}
		upkit_render_var_sb(&vs, "LOCK_KEY", &sb);
		sb_appendf(&sb, "shared by the companies %s", sb_str(&companies));
		upkit_render_var_sb(&vs, "SCOPE_TEXT", &sb);
		{
			struct strbuf k = STRBUF_INIT;

			sb_appendf(&k, "companies %s", sb_str(&company_list));
			literal_of(&sb, sb_str(&k), d);
			sb_free(&k);
		}
		upkit_render_var_sb(&vs, "SCOPE_ARG", &sb);
		upkit_render_var(&vs, "DATAAREAID_DECL", "");
		upkit_render_var(&vs, "DATAAREAID_ARG", "");
		upkit_render_var(&vs, "DATAAREAID_DECL_COMMA", "");
		upkit_render_var(&vs, "DATAAREAID_TYPE", "");
		upkit_render_var(&vs, "DATAAREAID_TYPE_COMMA", "");
	}

	/* Detection. */
	sb_appendf(&sb, "its RECVERSION differs from the shadow row's %s", s->recversionid);
	if (s->content)
	{
		sb_append(&sb, ",\n--            or the hash of its columns ");
		for (int i = 0; i < s->n_content; i++)
			sb_appendf(&sb, "%s%s", i ? ", " : "", s->content_columns[i]);
		sb_appendf(&sb, "\n--            differs from the shadow row's %s", s->hash_column);
	}
	upkit_render_var_sb(&vs, "UPDATED_TEXT", &sb);
	if (s->content)
	{
		w->hash(&sb, s->alias, s);
		upkit_render_var_sb(&vs, "LIVE_HASH", &sb);
		w->hash(&sb, w->source_alias, s);
		upkit_render_var_sb(&vs, "SRC_HASH", &sb);
		sb_appendf(&sb, "%s.", w->shadow_alias);
		upkit_quote_ident(&sb, s->hash_column, d);
		upkit_render_var_sb(&vs, "SHD_HASH", &sb);
	}
	else
	{
		upkit_render_var(&vs, "LIVE_HASH", w->null_hash);
		upkit_render_var(&vs, "SRC_HASH", w->null_hash);
		upkit_render_var(&vs, "SHD_HASH", w->null_hash);
	}

	/* The shadow's columns and the values the mapping gives them. */
	{
		struct strbuf cols = STRBUF_INIT;
		struct strbuf vals = STRBUF_INIT;
		const char *vindent = "       ";

		upkit_quote_ident(&cols, s->refrecid, d);
		sb_append(&cols, ",\n ");
		upkit_quote_ident(&cols, s->refdataareaid, d);
		sb_append(&cols, ",\n ");
		upkit_quote_ident(&cols, s->recversionid, d);
		sb_appendf(&vals, "%s.%s,\n%s%s.%s,\n%s%s.%s",
				   s->alias, w->col_recid, vindent, s->alias, w->col_dataareaid,
				   vindent, s->alias, w->col_recversion);
		if (s->content)
		{
			sb_append(&cols, ",\n ");
			upkit_quote_ident(&cols, s->hash_column, d);
			sb_appendf(&vals, ",\n%s%s", vindent, w->changes_hash);
		}
		for (int i = 0; i < s->n_mapping; i++)
		{
			sb_append(&cols, ",\n ");
			upkit_quote_ident(&cols, s->mapping[i].column, d);
			sb_appendf(&vals, ",\n%s(%s)", vindent, s->mapping[i].expr);
		}
		upkit_render_var_sb(&vs, "SHADOW_COLUMNS", &cols);
		upkit_render_var_sb(&vs, "SHADOW_VALUES", &vals);
	}

	/* Lookups: LEFT JOINs, so a missing lookup row never drops a source row. */
	for (int i = 0; i < s->n_lookups; i++)
	{
		const struct upkit_delta_lookup *l = &s->lookups[i];

		if (i > 0)
			sb_append(&sb, "\n");
		sb_append(&sb, "LEFT JOIN ");
		upkit_quote_qualified(&sb, l->table.schema, l->table.name, d);
		sb_appendf(&sb, " AS %s\n", l->alias);
		if (l->per_company)
			sb_appendf(&sb, "       ON %s.%s = %s\n      AND (%s)",
					   l->alias, w->col_dataareaid, w->company_param, l->on);
		else
			sb_appendf(&sb, "       ON (%s)", l->on);
	}
	upkit_render_var_sb(&vs, "LOOKUP_JOINS", &sb);

	/* Examples for the header: the dialect's calls of the objects. */
	{
		static const char *const ex_vars[UPKIT_DELTA_EXAMPLES] = {
			"CALL_EXAMPLE", "REPORT_EXAMPLE", "READY_EXAMPLE", "LIVE_EXAMPLE", "LIVE_PAUSE_EXAMPLE"
		};
		struct strbuf ex[UPKIT_DELTA_EXAMPLES] = {STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT};
		struct strbuf report = STRBUF_INIT,
					ready = STRBUF_INIT,
					live = STRBUF_INIT,
					shadow_lit = STRBUF_INIT,
					scope_lit = STRBUF_INIT;
		struct upkit_delta_example_of x;

		derived_name(&report, &s->procedure, UPKIT_DELTA_REPORT_SUFFIX, d);
		derived_name(&ready, &s->procedure, UPKIT_DELTA_READY_SUFFIX, d);
		derived_name(&live, &s->procedure, UPKIT_DELTA_LIVE_SUFFIX, d);
		literal_of(&shadow_lit, sb_str(&shadow_name), d);
		literal_of(&scope_lit, s->per_company ? "dat" : sb_str(&company_list), d);
		x.per_company = s->per_company;
		x.proc = sb_str(&proc_name);
		x.report = sb_str(&report);
		x.ready = sb_str(&ready);
		x.live = sb_str(&live);
		x.shadow_lit = sb_str(&shadow_lit);
		x.scope_lit = sb_str(&scope_lit);
		w->examples(ex, &x);
		for (int i = 0; i < UPKIT_DELTA_EXAMPLES; i++)
			upkit_render_var_sb(&vs, ex_vars[i], &ex[i]);
		sb_free(&report);
		sb_free(&ready);
		sb_free(&live);
		sb_free(&shadow_lit);
		sb_free(&scope_lit);
	}

	/* PostgreSQL: the dollar-quote tag and the objects' comments. */
	upkit_render_dollar_tag(&sb, spec);
	upkit_render_var_sb(&vs, "TAG", &sb);
	{
		struct strbuf c = STRBUF_INIT;

		sb_appendf(&c, "upkit delta (spec %s): the rows of %s (%s) that differ from the shadow %s: "
				   "RECID, change (new, updated, deleted) and the content hash. Read by %s and its report.",
				   spec_file, sb_str(&source_name),
				   s->per_company ? "one company" : sb_str(&company_list),
				   sb_str(&shadow_name), sb_str(&proc_name));
		literal_of(&sb, sb_str(&c), d);
		upkit_render_var_sb(&vs, "CHANGES_COMMENT", &sb);
		sb_free(&c);
		sb_appendf(&c, "upkit delta (spec %s): read-only report for %s: how many rows of %s are new, "
				   "updated and deleted against %s, with_recids => true lists their RECIDs; 23502 for source rows "
				   "without RECID or DATAAREAID. Changes nothing.",
				   spec_file, sb_str(&proc_name), sb_str(&source_name), sb_str(&shadow_name));
		literal_of(&sb, sb_str(&c), d);
		upkit_render_var_sb(&vs, "REPORT_COMMENT", &sb);
		sb_free(&c);
		sb_appendf(&c, "upkit delta (spec %s): brings %s up to date with %s: deletes the shadow rows of "
				   "updated and deleted rows, maps new and updated rows again, records the run in "
				   "upkit.delta_run and upkit.delta_state, returns the three counts. All or nothing; "
				   "a run without changes writes nothing to the shadow and records itself as clean (ready_to_copy).",
				   spec_file, sb_str(&shadow_name), sb_str(&source_name));
		literal_of(&sb, sb_str(&c), d);
		upkit_render_var_sb(&vs, "PROC_COMMENT", &sb);
		sb_free(&c);
		sb_appendf(&c, "upkit delta (spec %s): true when %s is ready to copy: the latest run of %s found "
				   "nothing to do (upkit.delta_state.ready_to_copy) and the classification finds no change and no "
				   "source row without a key since. Changes nothing.",
				   spec_file, sb_str(&shadow_name), sb_str(&proc_name));
		literal_of(&sb, sb_str(&c), d);
		upkit_render_var_sb(&vs, "READY_COMMENT", &sb);
		sb_free(&c);
		sb_appendf(&c, "upkit delta (spec %s): the live fill of %s from %s through the mapping of %s, for source rows "
				   "without a shadow row, in batches of p_batch_size in the order DATAAREAID, RECID, committing "
				   "each, p_pause_ms between batches, p_target_ms adapting the batch size; checkpoint and "
				   "progress in upkit.live_state; upkit.live_control(..., 'pause') stops it after a batch, a "
				   "new call resumes after the checkpoint. Never inside a transaction block (25001); never "
				   "writes a source row.",
				   spec_file, sb_str(&shadow_name), sb_str(&source_name), sb_str(&proc_name));
		literal_of(&sb, sb_str(&c), d);
		upkit_render_var_sb(&vs, "LIVE_COMMENT", &sb);
		sb_free(&c);
	}

	{
		struct upkit_fill_unit units[UPKIT_DELTA_UNITS];

		delta_units(out, spec, s, w, units);
		rc = upkit_fill_units(out, units, UPKIT_DELTA_UNITS, t->text, vs.v, vs.n, err, errn);
	}
	upkit_render_vars_free(&vs);
	sb_free(&shadow_name);
	sb_free(&source_name);
	sb_free(&proc_name);
	sb_free(&companies);
	sb_free(&company_list);
	free(spec_file);
	return rc;
}
