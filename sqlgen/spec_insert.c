/*
 * spec_insert.c: read and validate an "insert" spec (see spec_insert.h and
 * docs/specs.md, which lists every rule and message checked here).
 */
#include <stdlib.h>
#include <string.h>

#include "ident.h"
#include "spec_insert.h"

static void
read_order_by(struct upkit_spec_reader *r, const cJSON *source, struct upkit_insert_spec *s)
{
	const cJSON *arr = sr_array(r, source, "$.source", "order_by", 0);
	const cJSON *it;
	int			i = 0;

	if (arr == NULL)
	{
		struct strbuf e = STRBUF_INIT;

		if (s->alias == NULL)
			return;
		sb_appendf(&e, "%s.%s", s->alias, UPKIT_COL_RECID);
		s->order_by = calloc(1, sizeof *s->order_by);
		s->order_by[0].expr = e.data;
		s->n_order = 1;
		return;
	}
	if (cJSON_GetArraySize(arr) == 0)
	{
		sr_problem(r, "$.source.order_by", "must list at least one expression (leave it out for %s.RECID)",
				   s->alias ? s->alias : "S");
		return;
	}
	s->order_by = calloc((size_t) cJSON_GetArraySize(arr), sizeof *s->order_by);
	cJSON_ArrayForEach(it, arr)
	{
		char	   *p = sr_path_index("$.source.order_by", i);
		char		why[512];

		if (!cJSON_IsString(it))
			sr_problem(r, p, "must be a string: an expression, optionally followed by ASC or DESC");
		else
		{
			int			desc;
			long		len = upkit_order_check(it->valuestring, r->dialect, &desc, why, sizeof why);

			if (len < 0)
				sr_problem(r, p, "%s", why);
			else
			{
				s->order_by[s->n_order].expr = strndup(it->valuestring, (size_t) len);
				if (s->order_by[s->n_order].expr == NULL)
					abort();
				s->order_by[s->n_order].desc = desc;
				s->n_order++;
			}
		}
		free(p);
		i++;
	}
}

/* Is column one the procedure fills itself?  Returns the reason or NULL. */
static const char *
system_column(const void *spec, const char *col, enum upkit_dialect d)
{
	const struct upkit_insert_spec *s = spec;

	if (upkit_ident_same(col, UPKIT_COL_RECID, d))
		return "RECID is assigned by the procedure from the reserved range";
	if (s->recversion && upkit_ident_same(col, UPKIT_COL_RECVERSION, d))
		return "RECVERSION is set to 1 by the procedure (set \"target.recversion\": false to map it)";
	if (s->per_company && upkit_ident_same(col, UPKIT_COL_DATAAREAID, d))
		return "DATAAREAID is set from the @DATAAREAID parameter in a per-company spec";
	if (s->sequence_column && upkit_ident_same(col, s->sequence_column, d))
		return "this is the sequence column; the procedure formats it from the reserved numbers";
	if (upkit_ident_same(col, UPKIT_ROWNUM_COLUMN, UPKIT_DIALECT_MSSQL))
		return "upkit_row_number is the generated SQL's own row number column";
	return NULL;
}

void *
upkit_insert_spec_read(struct upkit_spec_reader *r, const cJSON *root)
{
	static const char *const top_keys[] = {
		"kind", "description", "procedure", "source", "target", "per_company",
		"sequence", "mapping", "xpp", "ax_schema", NULL
	};
	static const char *const proc_keys[] = {"schema", "name", NULL};
	static const char *const source_keys[] = {"schema", "table", "alias", "filter", "order_by", NULL};
	static const char *const target_keys[] = {"schema", "table", "tabid", "recversion", NULL};
	static const char *const seq_keys[] = {"column", NULL};
	struct upkit_insert_spec *s = calloc(1, sizeof *s);
	const cJSON *proc,
			   *source,
			   *target,
			   *seq;
	long long	tabid = 0;

	if (s == NULL)
		abort();
	sr_check_keys(r, root, "$", top_keys);
	s->description = sr_text(r, root, "$", "description", 0);
	s->per_company = sr_bool(r, root, "$", "per_company", 1);

	proc = sr_object(r, root, "$", "procedure", 1);
	if (proc)
	{
		sr_check_keys(r, proc, "$.procedure", proc_keys);
		sr_qname(r, proc, "$.procedure", "name", &s->procedure);
	}

	source = sr_object(r, root, "$", "source", 1);
	if (source)
	{
		sr_check_keys(r, source, "$.source", source_keys);
		sr_qname(r, source, "$.source", "table", &s->source);
		s->alias = sr_alias(r, source, "$.source", "alias", "S");
		s->filter = sr_expr(r, source, "$.source", "filter", 0);
		read_order_by(r, source, s);
	}

	target = sr_object(r, root, "$", "target", 1);
	s->recversion = 1;
	if (target)
	{
		sr_check_keys(r, target, "$.target", target_keys);
		sr_qname(r, target, "$.target", "table", &s->target);
		if (sr_int(r, target, "$.target", "tabid", 1, 1, 2147483647LL, &tabid) == 1)
			s->tabid = tabid;
		s->recversion = sr_bool(r, target, "$.target", "recversion", 1);
	}

	if (cJSON_GetObjectItemCaseSensitive(root, "ax_schema"))
		s->ax_schema = sr_schema(r, root, "$", "ax_schema");
	else if (s->target.schema)
		s->ax_schema = strdup(s->target.schema);

	seq = sr_object(r, root, "$", "sequence", 0);
	if (seq)
	{
		sr_check_keys(r, seq, "$.sequence", seq_keys);
		s->sequence_column = sr_name(r, seq, "$.sequence", "column", 1);
		if (s->sequence_column &&
			(upkit_ident_same(s->sequence_column, UPKIT_COL_RECID, r->dialect) ||
			 upkit_ident_same(s->sequence_column, UPKIT_COL_DATAAREAID, r->dialect) ||
			 upkit_ident_same(s->sequence_column, UPKIT_COL_RECVERSION, r->dialect)))
			sr_problem(r, "$.sequence.column", "column \"%s\" is a system column, not a business id",
					   s->sequence_column);
	}

	sr_mapping(r, root, "target", system_column, s, &s->mapping, &s->n_mapping);
	s->xpp = sr_text(r, root, "$", "xpp", 1);
	if (s->xpp && s->xpp[0] == '\0')
		sr_problem(r, "$.xpp", "must hold the original X++ that this procedure replaces");
	return s;
}

void
upkit_insert_spec_free(void *body)
{
	struct upkit_insert_spec *s = body;

	if (s == NULL)
		return;
	free(s->description);
	upkit_qname_free(&s->procedure);
	upkit_qname_free(&s->source);
	free(s->alias);
	free(s->filter);
	for (int i = 0; i < s->n_order; i++)
		free(s->order_by[i].expr);
	free(s->order_by);
	upkit_qname_free(&s->target);
	free(s->ax_schema);
	free(s->sequence_column);
	for (int i = 0; i < s->n_mapping; i++)
	{
		free(s->mapping[i].column);
		free(s->mapping[i].expr);
	}
	free(s->mapping);
	free(s->xpp);
	free(s);
}
