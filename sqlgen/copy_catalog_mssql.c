/*
 * copy_catalog_mssql.c: the copy's questions to a SQL Server database (see
 * copy_catalog_mssql.h), asked of sys.tables, sys.columns, sys.types,
 * SQLDICTIONARY and [dbo].[UPKIT_DELTA_STATE] with names as parameters
 * (@P1, through sp_executesql); answered the same way by a fixture file.
 *
 * Readiness (docs/delta.md "State and readiness"): the mapping file's ready
 * function (the generated NAME_READY, BIT) must return 1 for each listed
 * company; without one, [dbo].[UPKIT_DELTA_STATE] must have a row for the
 * shadow table and every row of it READY_TO_COPY = 1.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "copy_catalog_mssql.h"
#include "copy_mssql.h"
#include "copy_ready.h"
#include "ident.h"
#include "spec.h"

/* A whole number cell, or -1 with *bad set. */
static int
num(const char *s, int *bad)
{
	char	   *end;
	long		v;

	if (s == NULL || *s == '\0')
	{
		*bad = 1;
		return -1;
	}
	v = strtol(s, &end, 10);
	if (*end != '\0' || v < -1 || v > 1000000000L)
		*bad = 1;
	return (int) v;
}

int
copy_catalog_mssql_build(const char *what, const char *schema, const struct upkit_rows *cols,
						 const struct upkit_rows *dict, enum upkit_dialect spell,
						 struct copy_db_desc *db, struct upkit_diags *diags)
{
	struct copy_table_desc *t = NULL;
	int			problems = 0;

	memset(db, 0, sizeof *db);
	db->schema = xstrdup(schema);
	for (int i = 0; i < cols->nrows; i++)
	{
		const char *tname = upkit_rows_get(cols, i, 0);
		const char *cname = upkit_rows_get(cols, i, 1);
		struct copy_mssql_type ty = {upkit_rows_get(cols, i, 2), 0, 0, 0};
		int			bad = (cols->ncols != 8 && cols->ncols != 9) || tname == NULL || cname == NULL || ty.name == NULL;
		int			nullable,
					hasdef,
					identity = 0,
					mapped;
		struct strbuf type = STRBUF_INIT;
		struct copy_column *col;

		if (!bad)
		{
			ty.max_length = num(upkit_rows_get(cols, i, 3), &bad);
			ty.precision = num(upkit_rows_get(cols, i, 4), &bad);
			ty.scale = num(upkit_rows_get(cols, i, 5), &bad);
			nullable = num(upkit_rows_get(cols, i, 6), &bad);
			hasdef = num(upkit_rows_get(cols, i, 7), &bad);
			if (cols->ncols == 9)
				identity = num(upkit_rows_get(cols, i, 8), &bad);
		}
		if (bad)
		{
			upkit_diag_add(diags, what, NULL,
						   "column row %d: needs TABLE, COLUMN, TYPE and five whole numbers "
						   "(MAX_LENGTH, PRECISION, SCALE, IS_NULLABLE, HAS_DEFAULT), and IS_IDENTITY"
						   " where given", i);
			problems++;
			continue;
		}
		if (t == NULL || strcmp(t->name, tname) != 0)
			t = copy_db_add_table(db, tname);
		mapped = copy_mssql_type_for(&type, &ty, spell) == 0;
		col = copy_table_add_column(t, cname, sb_str(&type));
		sb_free(&type);
		copy_mssql_type_sql(&type, &ty);
		/* the SQL Server spelling, for messages, where the type shown is another */
		if (mapped && strcmp(sb_str(&type), col->type) != 0)
			col->native = xstrdup(sb_str(&type));
		col->notnull = nullable == 0;
		col->hasdefault = hasdef != 0;
		col->identity = identity != 0;
		sb_free(&type);
	}
	if (dict)
	{
		db->has_dictionary = 1;
		for (int i = 0; i < dict->nrows; i++)
		{
			const char *name = upkit_rows_get(dict, i, 0);
			int			bad = dict->ncols != 2 || name == NULL;
			int			id = bad ? 0 : num(upkit_rows_get(dict, i, 1), &bad);

			if (bad)
			{
				upkit_diag_add(diags, what, NULL, "dictionary row %d: needs NAME and a TABLEID", i);
				problems++;
				continue;
			}
			for (int j = 0; j < db->ntables; j++)
				if (strcasecmp(db->tables[j].name, name) == 0)
					db->tables[j].tabid = id;
		}
	}
	return problems > 0 ? -1 : 0;
}

/* ---- from a server ---- */

static int
query_or_diag(struct upkit_conn *c, const char *sql, int n, const char *const *p,
			  struct upkit_rows *r, struct upkit_diags *diags)
{
	if (c->ops->query(c, sql, n, p, r) == 0)
		return 0;
	upkit_diag_msg(diags, "cannot read the catalog of %s: %s", c->where, sb_str(&c->error));
	return -1;
}

int
copy_catalog_mssql_read(struct upkit_conn *c, const char *schema, enum upkit_dialect spell,
						struct copy_db_desc *out, struct upkit_diags *diags)
{
	const char *p[] = {schema};
	struct upkit_rows cols = UPKIT_ROWS_INIT;
	struct upkit_rows dict = UPKIT_ROWS_INIT;
	struct upkit_rows has = UPKIT_ROWS_INIT;
	int			rc = -1;

	if (query_or_diag(c,
					  "SELECT t.name, c.name, ty.name, c.max_length, c.[precision], c.[scale],"
					  "       CAST(c.is_nullable AS INT),"
					  "       CASE WHEN c.default_object_id <> 0 OR c.is_identity = 1"
					  "            THEN 1 ELSE 0 END,"
					  "       CAST(c.is_identity AS INT)"
					  "  FROM sys.tables AS t"
					  "  JOIN sys.schemas AS s ON s.schema_id = t.schema_id"
					  "  JOIN sys.columns AS c ON c.object_id = t.object_id AND c.is_computed = 0"
					  "  JOIN sys.types AS ty ON ty.user_type_id = c.system_type_id"
					  " WHERE s.name = @P1"
					  " ORDER BY t.name, c.column_id", 1, p, &cols, diags) != 0 ||
		query_or_diag(c,
					  "SELECT COUNT(*) FROM sys.tables AS t"
					  "  JOIN sys.schemas AS s ON s.schema_id = t.schema_id"
					  " WHERE s.name = @P1 AND t.name = N'SQLDICTIONARY'", 1, p, &has, diags) != 0)
		goto out;
	if (strcmp(upkit_rows_get(&has, 0, 0), "0") != 0)
	{
		struct strbuf sql = STRBUF_INIT;

		sb_append(&sql, "SELECT [SQLNAME], [TABLEID] FROM ");
		upkit_quote_catalog_qualified(&sql, schema, "SQLDICTIONARY", UPKIT_DIALECT_MSSQL);
		sb_append(&sql, " WHERE [FIELDID] = 0");
		rc = query_or_diag(c, sb_str(&sql), 0, NULL, &dict, diags);
		sb_free(&sql);
		if (rc != 0)
			goto out;
	}
	rc = copy_catalog_mssql_build(c->where, schema, &cols,
								  strcmp(upkit_rows_get(&has, 0, 0), "0") != 0 ? &dict : NULL,
								  spell, out, diags);
out:
	upkit_rows_free(&cols);
	upkit_rows_free(&dict);
	upkit_rows_free(&has);
	return rc;
}

/* ---- from a fixture file ---- */

/* A JSON array of arrays of strings and numbers -> rows of text cells (null: NULL). */
static int
json_rows(const char *path, const cJSON *arr, const char *key, struct upkit_rows *r,
		  struct upkit_diags *diags)
{
	int			n = cJSON_GetArraySize(arr);
	int			ncols = n > 0 ? cJSON_GetArraySize(cJSON_GetArrayItem(arr, 0)) : 0;

	if (!cJSON_IsArray(arr))
	{
		upkit_diag_add(diags, path, key, "must be an array of rows");
		return -1;
	}
	r->nrows = n;
	r->ncols = ncols;
	r->cells = calloc((size_t) n * (size_t) ncols + 1, sizeof *r->cells);
	if (r->cells == NULL)
		abort();
	for (int i = 0; i < n; i++)
	{
		const cJSON *row = cJSON_GetArrayItem(arr, i);

		if (!cJSON_IsArray(row) || cJSON_GetArraySize(row) != ncols)
		{
			upkit_diag_add(diags, path, key, "row %d: must be an array of %d values like row 0",
						   i, ncols);
			return -1;
		}
		for (int j = 0; j < ncols; j++)
		{
			const cJSON *v = cJSON_GetArrayItem(row, j);
			char		buf[32];

			if (cJSON_IsString(v))
				r->cells[i * ncols + j] = xstrdup(v->valuestring);
			else if (cJSON_IsNumber(v))
			{
				snprintf(buf, sizeof buf, "%.0f", v->valuedouble);
				r->cells[i * ncols + j] = xstrdup(buf);
			}
			else if (!cJSON_IsNull(v))
			{
				upkit_diag_add(diags, path, key, "row %d value %d: must be a string, a number or null",
							   i, j);
				return -1;
			}
		}
	}
	return 0;
}

int
copy_catalog_mssql_fixture(const char *path, enum upkit_dialect spell, struct copy_db_desc *out,
						   struct upkit_rows *delta_state, struct upkit_diags *diags)
{
	struct strbuf text = STRBUF_INIT;
	struct upkit_rows cols = UPKIT_ROWS_INIT;
	struct upkit_rows dict = UPKIT_ROWS_INIT;
	cJSON	   *root = NULL;
	const cJSON *schema,
			   *d,
			   *st;
	int			rc = -1;

	memset(out, 0, sizeof *out);
	if (upkit_read_text_file(path, "a catalog fixture is UTF-8 JSON text", &text, diags) != 0)
		goto done;
	if ((root = cJSON_Parse(sb_str(&text))) == NULL || !cJSON_IsObject(root))
	{
		upkit_diag_add(diags, path, NULL, "not a JSON object");
		goto done;
	}
	schema = cJSON_GetObjectItemCaseSensitive(root, "schema");
	if (!cJSON_IsString(schema))
	{
		upkit_diag_add(diags, path, "$.schema", "must be the schema's name");
		goto done;
	}
	d = cJSON_GetObjectItemCaseSensitive(root, "dictionary");
	st = cJSON_GetObjectItemCaseSensitive(root, "delta_state");
	if (json_rows(path, cJSON_GetObjectItemCaseSensitive(root, "columns"), "$.columns", &cols,
				  diags) != 0 ||
		(d && json_rows(path, d, "$.dictionary", &dict, diags) != 0) ||
		(st && delta_state && json_rows(path, st, "$.delta_state", delta_state, diags) != 0))
		goto done;
	rc = copy_catalog_mssql_build(path, schema->valuestring, &cols, d ? &dict : NULL, spell, out,
								  diags);
done:
	cJSON_Delete(root);
	upkit_rows_free(&cols);
	upkit_rows_free(&dict);
	sb_free(&text);
	return rc;
}

/* ---- readiness ---- */

int
copy_catalog_mssql_ready_rows(const struct upkit_rows *state, const char *shadow_key,
							  struct strbuf *note)
{
	int			rows = 0,
				notready = 0;

	for (int i = 0; i < state->nrows; i++)
	{
		const char *key = upkit_rows_get(state, i, 0);
		const char *ready = upkit_rows_get(state, i, 2);

		if (key == NULL || strcasecmp(key, shadow_key) != 0)
			continue;
		rows++;
		if (ready == NULL || strcmp(ready, "1") != 0)
		{
			sb_appendf(note, "%s%s", notready == 0
					   ? "[dbo].[UPKIT_DELTA_STATE]: the latest delta run changed something (company "
					   : ", ", upkit_rows_get(state, i, 1) ? upkit_rows_get(state, i, 1) : "?");
			notready++;
		}
	}
	if (notready > 0)
	{
		sb_append(note, ")");
		return 0;
	}
	if (rows == 0)
	{
		sb_appendf(note, "[dbo].[UPKIT_DELTA_STATE] has no row for %s: no delta run has completed",
				   shadow_key);
		return 0;
	}
	sb_appendf(note, "[dbo].[UPKIT_DELTA_STATE]: every company of %s READY_TO_COPY", shadow_key);
	return 1;
}

static int
ready_by_function(struct upkit_conn *c, const char *schema, const struct copy_shadow_rule *sh,
				  struct strbuf *note)
{
	struct strbuf fn = STRBUF_INIT;
	struct strbuf sql = STRBUF_INIT;
	int			ready;

	upkit_quote_qualified(&fn, sh->ready_schema ? sh->ready_schema : schema, sh->ready_function,
						  UPKIT_DIALECT_MSSQL);
	sb_appendf(&sql, "SELECT CAST(%s(%s) AS INT)", sb_str(&fn), sh->ncompanies > 0 ? "@P1" : "");
	ready = copy_ready_by_function(c, sb_str(&fn), sb_str(&sql), sh, "1", note);
	sb_free(&fn);
	sb_free(&sql);
	return ready;
}

int
copy_catalog_mssql_ready(struct upkit_conn *c, const char *schema, const struct copy_table_map *t,
						 struct strbuf *note)
{
	struct strbuf key = STRBUF_INIT;
	struct upkit_rows r = UPKIT_ROWS_INIT;
	const char *p[1];
	int			rc;

	if (t->rule->shadow->ready_function)
		return ready_by_function(c, schema, t->rule->shadow, note);
	sb_appendf(&key, "%s.%s", schema, t->shadow->name);
	p[0] = sb_str(&key);
	rc = c->ops->query(c,
					   "IF OBJECT_ID(N'[dbo].[UPKIT_DELTA_STATE]', N'U') IS NOT NULL"
					   " SELECT [SHADOW_TABLE], [DATAAREAID], CAST([READY_TO_COPY] AS INT)"
					   "   FROM [dbo].[UPKIT_DELTA_STATE] WHERE [SHADOW_TABLE] = @P1",
					   1, p, &r);
	if (rc == 0)
		rc = copy_catalog_mssql_ready_rows(&r, p[0], note);
	upkit_rows_free(&r);
	sb_free(&key);
	return rc;
}
