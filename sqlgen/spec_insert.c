/*
 * spec_insert.c: read and validate an "insert" spec (see spec_insert.h and
 * docs/specs.md, which lists every rule and message checked here).
 */
#include <stdlib.h>
#include <string.h>

#include "ident.h"
#include "kind.h"
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

/*
 * "rerun": what a second call does.  Read after the mapping: the key column
 * must be one of the mapped columns, and its mapping expression is the
 * source row's key.
 */
static void
read_rerun(struct upkit_spec_reader *r, const cJSON *root, struct upkit_insert_spec *s)
{
	static const char *const keys[] = {"mode", "key", NULL};
	static const char *const modes[] = {"record", "insert_missing", "refuse", NULL};
	const cJSON *o = sr_object(r, root, "$", "rerun", 0);
	char	   *mode;
	char	   *key;
	int			m = -1;

	s->rerun = UPKIT_RERUN_RECORD;
	s->rerun_key = -1;
	if (o == NULL)
		return;
	sr_check_keys(r, o, "$.rerun", keys);
	mode = sr_string(r, o, "$.rerun", "mode", 1);
	key = sr_name(r, o, "$.rerun", "key", 0);
	for (int i = 0; mode && modes[i]; i++)
		if (strcmp(mode, modes[i]) == 0)
			m = i;
	if (mode && m < 0)
		sr_problem(r, "$.rerun.mode", "unknown mode \"%s\" (known: \"record\", \"insert_missing\", \"refuse\")", mode);
	else if (m == UPKIT_RERUN_RECORD && key)
		sr_problem(r, "$.rerun.key", "is only for \"mode\": \"insert_missing\" or \"refuse\"; \"record\" recognizes a second call by its record, not by a key");
	else if (m > UPKIT_RERUN_RECORD && key == NULL && !cJSON_GetObjectItemCaseSensitive(o, "key"))
		sr_problem(r, "$.rerun.key", "\"key\" is required for \"mode\": \"%s\": the target column that holds the source row's key", mode);
	else if (m > UPKIT_RERUN_RECORD && key)
	{
		s->rerun = (enum upkit_insert_rerun) m;
		for (int i = 0; i < s->n_mapping; i++)
			if (s->mapping[i].column && upkit_ident_same(s->mapping[i].column, key, r->dialect))
				s->rerun_key = i;
		if (s->rerun_key < 0)
			sr_problem(r, "$.rerun.key", "column \"%s\" is not in \"mapping\": the key column must be filled from the source row's key by a mapping entry", key);
		if (s->alias && upkit_ident_same(s->alias, UPKIT_RERUN_TARGET_ALIAS, UPKIT_DIALECT_MSSQL))
			sr_problem(r, "$.source.alias", "alias \"%s\" is used by the generated SQL for the target in the key check", s->alias);
	}
	free(mode);
	free(key);
}

void *
upkit_insert_spec_read(struct upkit_spec_reader *r, const cJSON *root)
{
	static const char *const top_keys[] = {
		"kind", "description", "procedure", "source", "target", "per_company",
		"sequence", "mapping", "xpp", "ax_schema", "rerun", NULL
	};
	static const char *const source_keys[] = {"schema", "table", "alias", "filter", "order_by", NULL};
	static const char *const target_keys[] = {"schema", "table", "tabid", "recversion", NULL};
	static const char *const seq_keys[] = {"column", NULL};
	struct upkit_insert_spec *s = calloc(1, sizeof *s);
	const cJSON *source,
			   *target,
			   *seq;
	long long	tabid = 0;

	if (s == NULL)
		abort();
	sr_check_keys(r, root, "$", top_keys);
	s->description = sr_text(r, root, "$", "description", 0);
	s->per_company = sr_bool(r, root, "$", "per_company", 1);

	sr_procedure(r, root, &s->procedure);

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
	read_rerun(r, root, s);
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

/*
 * What the procedure reads and writes (see needs.h): the source and target
 * tables, the target's system columns with the types the procedure writes
 * (RECID bigint, RECVERSION integer, DATAAREAID and the business id
 * character types), every mapped column, and the expressions in their
 * places, over "FROM source AS alias".
 */
void
upkit_insert_spec_needs(const void *body, struct upkit_spec_needs *n)
{
	const struct upkit_insert_spec *s = body;

	int			src = upkit_needs_table(n, &s->source, "$.source.table", "source table");
	int			tgt = upkit_needs_table(n, &s->target, "$.target.table", "target table");

	n->from = src;
	n->from_alias = xstrdup(s->alias);
	n->into = tgt;
	if (s->per_company)
	{
		upkit_needs_column(n, src, UPKIT_COL_DATAAREAID, UPKIT_NEED_TEXT, "$.per_company",
						   "source company column");
		upkit_needs_column(n, tgt, UPKIT_COL_DATAAREAID, UPKIT_NEED_TEXT, "$.per_company",
						   "target company column");
	}
	upkit_needs_column(n, tgt, UPKIT_COL_RECID, UPKIT_NEED_BIGINT, "$.target.table",
					   "target RECID column");
	if (s->recversion)
		upkit_needs_column(n, tgt, UPKIT_COL_RECVERSION, UPKIT_NEED_INTEGER, "$.target.recversion",
						   "target RECVERSION column");
	if (s->sequence_column)
		upkit_needs_column(n, tgt, s->sequence_column, UPKIT_NEED_TEXT, "$.sequence.column",
						   "sequence column");
	upkit_needs_mapping(n, tgt, s->mapping, s->n_mapping, "mapped target column");
	if (s->filter)
		upkit_needs_probe(n, UPKIT_PROBE_WHERE, s->filter, -1, -1, "$.source.filter");
	for (int i = 0; i < s->n_order; i++)
	{
		char	   *p = sr_path_index("$.source.order_by", i);

		upkit_needs_probe(n, UPKIT_PROBE_ORDER, s->order_by[i].expr, -1, -1, p);
		free(p);
	}
	upkit_needs_object(n, s->procedure.schema, s->procedure.name, NULL);
}

/*
 * The company when the procedure works per company, then the number
 * sequence and whether to right-justify when it fills a business number:
 * the order procs/pg/insert.sql.in and procs/mssql/insert.sql.in declare
 * them (p_dataareaid / @DATAAREAID, ...).
 */
void
upkit_insert_spec_call(const void *body, struct upkit_call *c)
{
	static const char *const yes_no[] = {"Y", "N", NULL};
	const struct upkit_insert_spec *s = body;

	c->procedure = &s->procedure;
	if (s->per_company)
		upkit_call_add(c, (struct upkit_call_param) {.name = "DATAAREAID", .source = UPKIT_CALL_COMPANY});
	if (s->sequence_column)
	{
		upkit_call_add(c, (struct upkit_call_param) {
			.name = "NUMBERSEQUENCE", .source = UPKIT_CALL_PARAM, .key = "numbersequence",
			.why = "fills a business number"});
		upkit_call_add(c, (struct upkit_call_param) {
			.name = "RJUSTIFY", .source = UPKIT_CALL_PARAM, .key = "rjustify", .fallback = "N",
			.choices = yes_no, .why = "pads business numbers to the column's length or not"});
	}
}
