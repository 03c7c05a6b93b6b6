/*
 * copy_explain.c: a copy plan as text (upkit copy --explain) and as JSON
 * (--explain --json): table by table the rule that mapped it (or why it
 * cannot be copied), field by field where each value goes and by which
 * rule, or the field's error naming both types.  Nothing is printed here;
 * the command writes the text out.
 */
#include <cjson/cJSON.h>
#include <stdlib.h>

#include "copy_plan.h"

static const char *
nz(const char *s)
{
	return s ? s : "";
}

static void
field_text(struct strbuf *out, const struct copy_table_map *m, const struct copy_field_map *f)
{
	const char *from = f->shadow ? f->shadow : f->source;

	if (f->target == NULL && f->error == NULL)
	{
		sb_appendf(out, "    %-22s    not copied: %s\n", from, f->rule);
		return;
	}
	sb_appendf(out, "    %-22s -> %-22s %s", from, nz(f->target), f->rule);
	if (f->shadow)
		sb_appendf(out, " %s.%s", m->shadow->name, f->shadow);
	if (f->shadow && f->source)
		sb_appendf(out, " (replaces source field %s)", f->source);
	if (f->option == COPY_FIELD_LTRIM)
		sb_append(out, ", LTRIM");
	if (f->type)
		sb_appendf(out, "  %s", f->type);
	sb_append(out, "\n");
	if (f->error)
		sb_appendf(out, "      error: %s\n", f->error);
}

void
copy_explain_text(struct strbuf *out, const struct copy_plan *plan)
{
	int			bad = 0;

	for (int i = 0; i < plan->ntables; i++)
	{
		const struct copy_table_plan *t = &plan->tables[i];
		const struct copy_table_map *m = t->map;

		sb_appendf(out, "%s.%s", plan->src.schema, m->src->name);
		if (m->dst)
			sb_appendf(out, " -> %s.%s", plan->dst.schema, m->dst->name);
		sb_appendf(out, "  [%s]  %s\n", copy_how_name(m->how), copy_state_name(t->state));
		if (t->state == COPY_STATE_SKIPPED)
			continue;
		if (t->writer)
			sb_appendf(out, "  writer: %s\n", t->writer);
		if (m->shadow)
			sb_appendf(out, "  affected: shadow %s, %s; %s\n", m->shadow->name,
						copy_join_sql(m->rule->shadow->join), nz(t->ready_note));
		if (m->rule && m->rule->exception == COPY_EXC_TRUNCATEONCOPY)
			sb_append(out, "  exception TRUNCATEONCOPY: the target is emptied before the copy\n");
		if (t->nranges > 0)
		{
			int			done = 0;

			for (int r = 0; r < t->nranges; r++)
				done += t->ranges[r].done;
			sb_appendf(out, "  about %lld rows, %d range%s%s", t->source_rows < 0 ? 0 : t->source_rows,
					   t->nranges, t->nranges == 1 ? "" : "s",
					   t->nranges > 1 ? " by RECID" : "");
			if (done > 0)
				sb_appendf(out, ", %d done (upkit.copy_ledger)", done);
			sb_append(out, "\n");
		}
		for (int f = 0; f < m->nfields; f++)
			field_text(out, m, &m->fields[f]);
		for (int e = 0; e < m->nerrors; e++)
			sb_appendf(out, "  error: %s\n", m->errors[e]);
		bad += t->state == COPY_STATE_REFUSED;
	}
	sb_appendf(out, "%d table%s: %d cannot be copied\n", plan->ntables,
			   plan->ntables == 1 ? "" : "s", bad);
}

static void
add_str(cJSON *o, const char *key, const char *v)
{
	if (v)
		cJSON_AddStringToObject(o, key, v);
	else
		cJSON_AddNullToObject(o, key);
}

void
copy_explain_json(struct strbuf *out, const struct copy_plan *plan)
{
	cJSON	   *root = cJSON_CreateObject();
	cJSON	   *tables = cJSON_AddArrayToObject(root, "tables");
	int			bad = 0;
	char	   *text;

	add_str(root, "source_schema", plan->src.schema);
	add_str(root, "target_schema", plan->dst.schema);
	for (int i = 0; i < plan->ntables; i++)
	{
		const struct copy_table_plan *t = &plan->tables[i];
		const struct copy_table_map *m = t->map;
		cJSON	   *o = cJSON_CreateObject();
		cJSON	   *fields = cJSON_CreateArray();
		cJSON	   *errors = cJSON_CreateArray();

		cJSON_AddItemToArray(tables, o);
		add_str(o, "source", m->src->name);
		add_str(o, "target", m->dst ? m->dst->name : NULL);
		add_str(o, "rule", copy_how_name(m->how));
		add_str(o, "state", copy_state_name(t->state));
		cJSON_AddBoolToObject(o, "copyable", t->state != COPY_STATE_REFUSED);
		add_str(o, "exception", copy_exception_name(m->rule ? m->rule->exception : COPY_EXC_NONE));
		if (m->shadow)
		{
			cJSON	   *sh = cJSON_AddObjectToObject(o, "shadow");

			add_str(sh, "table", m->shadow->name);
			add_str(sh, "join", copy_join_name(m->rule->shadow->join));
			add_str(sh, "ready", t->ready_note);
		}
		if (t->writer)
			add_str(o, "writer", t->writer);
		cJSON_AddNumberToObject(o, "rows_estimate", (double) t->source_rows);
		cJSON_AddNumberToObject(o, "ranges", t->nranges);
		for (int f = 0; f < m->nfields; f++)
		{
			const struct copy_field_map *fm = &m->fields[f];
			cJSON	   *fo = cJSON_CreateObject();

			add_str(fo, "source", fm->source);
			add_str(fo, "shadow", fm->shadow);
			add_str(fo, "target", fm->target);
			add_str(fo, "rule", fm->rule);
			add_str(fo, "option", copy_option_name(fm->option));
			add_str(fo, "type", fm->type);
			add_str(fo, "error", fm->error);
			cJSON_AddItemToArray(fields, fo);
		}
		cJSON_AddItemToObject(o, "fields", fields);
		for (int e = 0; e < m->nerrors; e++)
			cJSON_AddItemToArray(errors, cJSON_CreateString(m->errors[e]));
		cJSON_AddItemToObject(o, "errors", errors);
		bad += t->state == COPY_STATE_REFUSED;
	}
	cJSON_AddNumberToObject(root, "cannot_copy", bad);
	text = cJSON_Print(root);
	sb_append(out, text);
	sb_append(out, "\n");
	free(text);
	cJSON_Delete(root);
}
