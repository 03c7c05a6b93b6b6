/*
 * spec_delta.c: read and validate a "delta" spec (see spec_delta.h and
 * docs/specs.md, which lists every rule and message checked here).
 *
 * Like every reader it goes on after a problem, so one run reports every
 * problem in the file, each with its JSON path.
 */
#include <stdlib.h>
#include <string.h>

#include "comment.h"
#include "ident.h"
#include "kind.h"
#include "spec_delta.h"
#include "strbuf.h"

/* A name with a default: absent gives dflt, invalid gives NULL (reported). */
static char *
name_or_default(struct upkit_spec_reader *r, const cJSON *obj, const char *path,
				const char *key, const char *dflt)
{
	if (obj == NULL || cJSON_GetObjectItemCaseSensitive(obj, key) == NULL)
		return xstrdup(dflt);
	return sr_name(r, obj, path, key, 1);
}

/* The procedure's name and the two derived names must be valid names. */
static void
check_derived_names(struct upkit_spec_reader *r, const char *name)
{
	static const char *const suffixes[] = {UPKIT_DELTA_CHANGES_SUFFIX, UPKIT_DELTA_REPORT_SUFFIX, NULL};

	for (const char *const *sfx = suffixes; *sfx; sfx++)
	{
		struct strbuf n = STRBUF_INIT;
		char		why[512];

		sb_appendf(&n, "%s%s", name, *sfx);
		if (upkit_ident_check(sb_str(&n), r->dialect, why, sizeof why) != 0)
		{
			sr_problem(r, "$.procedure.name",
					   "the %s object is named \"%s\", which is not a valid name: %s",
					   *sfx + 1, sb_str(&n), why);
			sb_free(&n);
			return;
		}
		sb_free(&n);
	}
}

static void
read_companies(struct upkit_spec_reader *r, const cJSON *root, struct upkit_delta_spec *s)
{
	const cJSON *arr;
	const cJSON *it;
	size_t		total = 0;
	int			i = 0;

	if (s->per_company)
	{
		if (cJSON_GetObjectItemCaseSensitive(root, "dataareaids"))
			sr_problem(r, "$.dataareaids",
					   "is only for a shared spec (\"per_company\": false); a per-company procedure takes the company as its parameter");
		return;
	}
	if (cJSON_GetObjectItemCaseSensitive(root, "dataareaids") == NULL)
	{
		sr_problem(r, "$.dataareaids",
				   "is required when \"per_company\" is false: the list of DATAAREAIDs the shared table's rows are kept under");
		return;
	}
	arr = sr_array(r, root, "$", "dataareaids", 1);
	if (arr == NULL)
		return;
	if (cJSON_GetArraySize(arr) == 0)
	{
		sr_problem(r, "$.dataareaids", "must list at least one DATAAREAID");
		return;
	}
	s->dataareaids = calloc((size_t) cJSON_GetArraySize(arr), sizeof *s->dataareaids);
	if (s->dataareaids == NULL)
		abort();
	cJSON_ArrayForEach(it, arr)
	{
		char	   *p = sr_path_index("$.dataareaids", i);
		char		why[512];

		if (!cJSON_IsString(it))
			sr_problem(r, p, "must be a string (a DATAAREAID such as \"dat\")");
		else if (it->valuestring[0] == '\0' || strchr(it->valuestring, ','))
			sr_problem(r, p, "\"%s\" is not a DATAAREAID: it must be non-empty, without commas or control characters",
					   it->valuestring);
		else if (upkit_text_check(it->valuestring, 0, why, sizeof why) != 0)
			sr_problem(r, p, "\"%s\" is not a DATAAREAID: %s", it->valuestring, why);
		else
		{
			int			dup = 0;

			for (int j = 0; j < s->n_dataareaids; j++)
				if (strcmp(s->dataareaids[j], it->valuestring) == 0)
				{
					sr_problem(r, p, "DATAAREAID \"%s\" is already listed", it->valuestring);
					dup = 1;
					break;
				}
			if (!dup)
			{
				s->dataareaids[s->n_dataareaids++] = xstrdup(it->valuestring);
				total += strlen(it->valuestring) + (s->n_dataareaids > 1 ? 1 : 0);
			}
		}
		free(p);
		i++;
	}
	if (total > UPKIT_DELTA_MAX_COMPANY_LIST)
		sr_problem(r, "$.dataareaids",
				   "the DATAAREAIDs joined by commas take %zu characters; the state table keeps at most %d",
				   total, UPKIT_DELTA_MAX_COMPANY_LIST);
}

static void
read_detection(struct upkit_spec_reader *r, const cJSON *root, struct upkit_delta_spec *s)
{
	static const char *const keys[] = {"method", "columns", "hash_column", NULL};
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(root, "detection");
	const cJSON *arr,
			   *it;
	char	   *method;
	int			i = 0;

	if (d == NULL)
		return;
	if (cJSON_IsString(d))
	{
		if (strcmp(d->valuestring, "recversion") == 0)
			return;
		if (strcmp(d->valuestring, "content") == 0)
			sr_problem(r, "$.detection",
					   "\"content\" needs the columns to hash and the shadow column for the hash: "
					   "{\"method\": \"content\", \"columns\": [...], \"hash_column\": \"...\"}");
		else
			sr_problem(r, "$.detection", "unknown detection \"%s\" (known: \"recversion\", \"content\")",
					   d->valuestring);
		return;
	}
	if (!cJSON_IsObject(d))
	{
		sr_problem(r, "$.detection", "must be \"recversion\" or an object {\"method\": ..., ...}");
		return;
	}
	sr_check_keys(r, d, "$.detection", keys);
	method = sr_string(r, d, "$.detection", "method", 1);
	if (method == NULL)
		return;
	if (strcmp(method, "recversion") == 0)
	{
		if (cJSON_GetObjectItemCaseSensitive(d, "columns") || cJSON_GetObjectItemCaseSensitive(d, "hash_column"))
			sr_problem(r, "$.detection", "\"columns\" and \"hash_column\" are only for \"method\": \"content\"");
		free(method);
		return;
	}
	if (strcmp(method, "content") != 0)
	{
		sr_problem(r, "$.detection.method", "unknown method \"%s\" (known: \"recversion\", \"content\")", method);
		free(method);
		return;
	}
	free(method);
	s->content = 1;
	s->hash_column = sr_name(r, d, "$.detection", "hash_column", 1);
	arr = sr_array(r, d, "$.detection", "columns", 1);
	if (arr == NULL)
		return;
	if (cJSON_GetArraySize(arr) == 0)
	{
		sr_problem(r, "$.detection.columns", "must name at least one source column to hash");
		return;
	}
	s->content_columns = calloc((size_t) cJSON_GetArraySize(arr), sizeof *s->content_columns);
	if (s->content_columns == NULL)
		abort();
	cJSON_ArrayForEach(it, arr)
	{
		char	   *p = sr_path_index("$.detection.columns", i);
		char		why[512];

		if (!cJSON_IsString(it))
			sr_problem(r, p, "must be a string (a source column name)");
		else if (upkit_ident_check(it->valuestring, r->dialect, why, sizeof why) != 0)
			sr_problem(r, p, "%s", why);
		else
		{
			int			dup = 0;

			for (int j = 0; j < s->n_content; j++)
				if (upkit_ident_same(s->content_columns[j], it->valuestring, r->dialect))
				{
					sr_problem(r, p, "column \"%s\" is already listed", it->valuestring);
					dup = 1;
					break;
				}
			if (!dup)
				s->content_columns[s->n_content++] = xstrdup(it->valuestring);
		}
		free(p);
		i++;
	}
}

/* Is alias taken by the source, an earlier lookup or the generated SQL? */
static const char *
alias_taken(const struct upkit_delta_spec *s, const char *alias)
{
	if (upkit_ident_same(alias, UPKIT_DELTA_CHANGES_ALIAS, UPKIT_DIALECT_MSSQL))
		return "the generated SQL's list of changed rows";
	if (s->alias && upkit_ident_same(alias, s->alias, UPKIT_DIALECT_MSSQL))
		return "the source";
	for (int i = 0; i < s->n_lookups; i++)
		if (s->lookups[i].alias && upkit_ident_same(alias, s->lookups[i].alias, UPKIT_DIALECT_MSSQL))
			return "another lookup";
	return NULL;
}

static void
read_lookups(struct upkit_spec_reader *r, const cJSON *root, struct upkit_delta_spec *s)
{
	static const char *const keys[] = {"schema", "table", "alias", "on", "per_company", NULL};
	const cJSON *arr = sr_array(r, root, "$", "lookups", 0);
	const cJSON *it;
	int			i = 0;

	if (arr == NULL)
		return;
	s->lookups = calloc((size_t) cJSON_GetArraySize(arr) + 1, sizeof *s->lookups);
	if (s->lookups == NULL)
		abort();
	cJSON_ArrayForEach(it, arr)
	{
		char	   *p = sr_path_index("$.lookups", i);

		if (!cJSON_IsObject(it))
			sr_problem(r, p, "must be an object {\"table\": ..., \"alias\": ..., \"on\": ...}");
		else
		{
			struct upkit_delta_lookup l = {{NULL, NULL}, NULL, NULL, 0};
			const char *taken;

			sr_check_keys(r, it, p, keys);
			sr_qname(r, it, p, "table", &l.table);
			l.alias = sr_string(r, it, p, "alias", 1);
			if (l.alias)
			{
				char		why[512];
				char	   *pa = sr_path_key(p, "alias");

				if (upkit_alias_check(l.alias, why, sizeof why) != 0)
					sr_problem(r, pa, "%s", why);
				else if ((taken = alias_taken(s, l.alias)) != NULL)
					sr_problem(r, pa, "alias \"%s\" is already used by %s", l.alias, taken);
				free(pa);
			}
			l.on = sr_expr(r, it, p, "on", 1);
			l.per_company = sr_bool(r, it, p, "per_company", s->per_company);
			if (l.per_company && !s->per_company)
			{
				char	   *pc = sr_path_key(p, "per_company");

				sr_problem(r, pc, "a shared spec has no company parameter to compare the lookup's DATAAREAID with; "
						   "leave \"per_company\" out and compare it with a literal in \"on\"");
				free(pc);
			}
			s->lookups[s->n_lookups++] = l;
		}
		free(p);
		i++;
	}
}

/* Is col a shadow column the procedure fills itself?  The reason or NULL. */
static const char *
link_column(const void *spec, const char *col, enum upkit_dialect d)
{
	const struct upkit_delta_spec *s = spec;

	if (s->refrecid && upkit_ident_same(col, s->refrecid, d))
		return "it is the link column shadow.refrecid, set to the source RECID";
	if (s->refdataareaid && upkit_ident_same(col, s->refdataareaid, d))
		return "it is the link column shadow.refdataareaid, set to the source DATAAREAID";
	if (s->recversionid && upkit_ident_same(col, s->recversionid, d))
		return "it is the link column shadow.recversionid, set to the source RECVERSION";
	if (s->hash_column && upkit_ident_same(col, s->hash_column, d))
		return "it is detection.hash_column, set to the hash of the content columns";
	return NULL;
}

void *
upkit_delta_spec_read(struct upkit_spec_reader *r, const cJSON *root)
{
	static const char *const top_keys[] = {
		"kind", "description", "procedure", "source", "shadow", "per_company",
		"dataareaids", "detection", "lookups", "mapping", "xpp", NULL
	};
	static const char *const source_keys[] = {"schema", "table", "alias", NULL};
	static const char *const shadow_keys[] = {"schema", "table", "refrecid", "refdataareaid", "recversionid", NULL};
	struct upkit_delta_spec *s = calloc(1, sizeof *s);
	const cJSON *source,
			   *shadow;

	if (s == NULL)
		abort();
	sr_check_keys(r, root, "$", top_keys);
	s->description = sr_text(r, root, "$", "description", 0);
	s->per_company = sr_bool(r, root, "$", "per_company", 1);

	sr_procedure(r, root, &s->procedure);
	if (s->procedure.name)
		check_derived_names(r, s->procedure.name);

	source = sr_object(r, root, "$", "source", 1);
	if (source)
	{
		sr_check_keys(r, source, "$.source", source_keys);
		sr_qname(r, source, "$.source", "table", &s->source);
		s->alias = sr_alias(r, source, "$.source", "alias", "S");
		if (s->alias && upkit_ident_same(s->alias, UPKIT_DELTA_CHANGES_ALIAS, UPKIT_DIALECT_MSSQL))
		{
			sr_problem(r, "$.source.alias", "alias \"%s\" is used by the generated SQL for the list of changed rows",
					   s->alias);
			free(s->alias);
			s->alias = NULL;
		}
	}

	shadow = sr_object(r, root, "$", "shadow", 1);
	if (shadow)
	{
		sr_check_keys(r, shadow, "$.shadow", shadow_keys);
		sr_qname(r, shadow, "$.shadow", "table", &s->shadow);
	}
	s->refrecid = name_or_default(r, shadow, "$.shadow", "refrecid", "REFRECID");
	s->refdataareaid = name_or_default(r, shadow, "$.shadow", "refdataareaid", "REFDATAAREAID");
	s->recversionid = name_or_default(r, shadow, "$.shadow", "recversionid", "RECVERSIONID");
	if (s->refrecid && s->refdataareaid && s->recversionid &&
		(upkit_ident_same(s->refrecid, s->refdataareaid, r->dialect) ||
		 upkit_ident_same(s->refrecid, s->recversionid, r->dialect) ||
		 upkit_ident_same(s->refdataareaid, s->recversionid, r->dialect)))
		sr_problem(r, "$.shadow", "the link columns refrecid, refdataareaid and recversionid must be three different columns");

	read_companies(r, root, s);
	read_detection(r, root, s);
	if (s->hash_column && s->refrecid && s->refdataareaid && s->recversionid &&
		(upkit_ident_same(s->hash_column, s->refrecid, r->dialect) ||
		 upkit_ident_same(s->hash_column, s->refdataareaid, r->dialect) ||
		 upkit_ident_same(s->hash_column, s->recversionid, r->dialect)))
		sr_problem(r, "$.detection.hash_column", "column \"%s\" is a link column; the hash needs a column of its own",
				   s->hash_column);
	read_lookups(r, root, s);
	sr_mapping(r, root, "shadow", link_column, s, &s->mapping, &s->n_mapping);
	s->xpp = sr_text(r, root, "$", "xpp", 0);
	return s;
}

void
upkit_delta_spec_free(void *body)
{
	struct upkit_delta_spec *s = body;

	if (s == NULL)
		return;
	free(s->description);
	upkit_qname_free(&s->procedure);
	upkit_qname_free(&s->source);
	free(s->alias);
	upkit_qname_free(&s->shadow);
	free(s->refrecid);
	free(s->refdataareaid);
	free(s->recversionid);
	for (int i = 0; i < s->n_dataareaids; i++)
		free(s->dataareaids[i]);
	free(s->dataareaids);
	for (int i = 0; i < s->n_content; i++)
		free(s->content_columns[i]);
	free(s->content_columns);
	free(s->hash_column);
	for (int i = 0; i < s->n_lookups; i++)
	{
		upkit_qname_free(&s->lookups[i].table);
		free(s->lookups[i].alias);
		free(s->lookups[i].on);
	}
	free(s->lookups);
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
 * What the objects read and write (see needs.h): the source with its
 * system columns, the shadow with its link columns, the lookups, the
 * content columns and the hash column, every mapped shadow column, and the
 * mapping and join expressions in their places, over "FROM source AS alias
 * LEFT JOIN lookup AS alias ON (on) ...".  On SQL Server the classification
 * is an inline table-valued function, which resolves its names when it is
 * created: these checks find a missing one first, with the spec's path.
 */
void
upkit_delta_spec_needs(const void *body, struct upkit_spec_needs *n)
{
	const struct upkit_delta_spec *s = body;

	int			src = upkit_needs_table(n, &s->source, "$.source.table", "source table");
	int			shd = upkit_needs_table(n, &s->shadow, "$.shadow.table", "shadow table");

	n->from = src;
	n->from_alias = xstrdup(s->alias);
	n->into = shd;
	upkit_needs_column(n, src, "RECID", UPKIT_NEED_BIGINT, "$.source.table", "source RECID column");
	upkit_needs_column(n, src, "RECVERSION", UPKIT_NEED_INTEGER, "$.source.table",
					   "source RECVERSION column");
	upkit_needs_column(n, src, "DATAAREAID", UPKIT_NEED_TEXT, "$.source.table",
					   "source company column");
	upkit_needs_column(n, shd, s->refrecid, UPKIT_NEED_BIGINT, "$.shadow.refrecid",
					   "shadow link column refrecid");
	upkit_needs_column(n, shd, s->refdataareaid, UPKIT_NEED_TEXT, "$.shadow.refdataareaid",
					   "shadow link column refdataareaid");
	upkit_needs_column(n, shd, s->recversionid, UPKIT_NEED_INTEGER, "$.shadow.recversionid",
					   "shadow link column recversionid");
	for (int i = 0; i < s->n_content; i++)
	{
		char	   *p = sr_path_index("$.detection.columns", i);

		upkit_needs_column(n, src, s->content_columns[i], UPKIT_NEED_ANY, p, "content column");
		free(p);
	}
	if (s->hash_column)
		upkit_needs_column(n, shd, s->hash_column, UPKIT_NEED_ANY, "$.detection.hash_column",
						   "shadow hash column");
	for (int i = 0; i < s->n_lookups; i++)
	{
		const struct upkit_delta_lookup *l = &s->lookups[i];
		char	   *p = sr_path_index("$.lookups", i);
		char	   *pt = sr_path_key(p, "table");
		char	   *pc = sr_path_key(p, "per_company");
		char	   *po = sr_path_key(p, "on");
		int			t = upkit_needs_table(n, &l->table, pt, "lookup table");
		int			j = upkit_needs_join(n, t, l->alias, l->on);

		if (l->per_company)
			upkit_needs_column(n, t, "DATAAREAID", UPKIT_NEED_TEXT, pc, "lookup company column");
		upkit_needs_probe(n, UPKIT_PROBE_JOIN, l->on, -1, j, po);
		free(p);
		free(pt);
		free(pc);
		free(po);
	}
	upkit_needs_mapping(n, shd, s->mapping, s->n_mapping, "mapped shadow column");
	upkit_needs_object(n, s->procedure.schema, s->procedure.name, UPKIT_DELTA_CHANGES_SUFFIX);
	upkit_needs_object(n, s->procedure.schema, s->procedure.name, UPKIT_DELTA_REPORT_SUFFIX);
	upkit_needs_object(n, s->procedure.schema, s->procedure.name, UPKIT_DELTA_READY_SUFFIX);
	upkit_needs_object(n, s->procedure.schema, s->procedure.name, UPKIT_DELTA_LIVE_SUFFIX);
	upkit_needs_object(n, s->procedure.schema, s->procedure.name, NULL);
}

/*
 * The company when the procedure works per company: the one parameter
 * procs/pg/delta.sql.in and procs/mssql/delta.sql.in declare before the
 * INOUT counts.
 */
void
upkit_delta_spec_call(const void *body, struct upkit_call *c)
{
	const struct upkit_delta_spec *s = body;

	c->procedure = &s->procedure;
	if (s->per_company)
		upkit_call_add(c, (struct upkit_call_param) {.name = "DATAAREAID", .source = UPKIT_CALL_COMPANY});
}
