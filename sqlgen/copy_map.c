/*
 * copy_map.c: the mapping rules of the bulk copy (see copy_map.h and
 * docs/copy.md "Mapping rules").  Pure: table descriptions and the mapping
 * file in, the mapping and its errors out.
 *
 * Table precedence (the reference's, in order): a special mapping from the
 * mapping file; the same name; DEL_ + the name; the same table id in both
 * SQLDICTIONARYs; else a mapping error.  Fields go by name unless the
 * mapping file maps them; an affected table's shadow fields replace the
 * source fields of the same target name.  A field that finds no target, a
 * type or length that differs, two fields for one target, LTRIM on a
 * non-text field, or a target field that is NOT NULL without a default and
 * gets no value: each is an error of its table, and one error keeps the
 * table from being copied.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "copy_map.h"
#include "strbuf.h"

/* Shadow columns that link a shadow row to its source row; never copied. */
static const char *const shadow_keys[] = {"refrecid", "refdataareaid", "recversionid", NULL};

const char *
copy_how_name(enum copy_table_how how)
{
	switch (how)
	{
		case COPY_BY_SPECIAL:
			return "special mapping";
		case COPY_BY_NAME:
			return "same name";
		case COPY_BY_DEL:
			return "DEL_ prefix";
		case COPY_BY_ID:
			return "table id";
		case COPY_NOT_MAPPED:
			return "mapping error";
		case COPY_SKIPPED:
			return "not copied (DONOTCOPY)";
	}
	return "?";
}

const char *
copy_join_sql(enum copy_join j)
{
	static const char *const sql[] = {"JOIN", "LEFT JOIN", "RIGHT JOIN", "FULL JOIN"};

	return sql[j];
}

const char *
copy_join_name(enum copy_join j)
{
	static const char *const names[] = {"join", "left", "right", "full"};

	return names[j];
}

const char *
copy_exception_name(enum copy_exception e)
{
	static const char *const names[] = {"none", "do_not_copy", "truncate_on_copy"};

	return names[e];
}

const char *
copy_option_name(enum copy_field_option o)
{
	static const char *const names[] = {"none", "ltrim", "do_not_copy"};

	return names[o];
}

struct copy_table_desc *
copy_db_add_table(struct copy_db_desc *db, const char *name)
{
	struct copy_table_desc *t;

	db->tables = realloc(db->tables, sizeof(*db->tables) * (db->ntables + 1));
	if (db->tables == NULL)
		abort();
	t = &db->tables[db->ntables++];
	memset(t, 0, sizeof *t);
	t->name = xstrdup(name);
	t->tabid = -1;
	return t;
}

struct copy_column *
copy_table_add_column(struct copy_table_desc *t, const char *name, const char *type)
{
	struct copy_column *col;

	t->cols = realloc(t->cols, sizeof(*t->cols) * (t->ncols + 1));
	if (t->cols == NULL)
		abort();
	col = &t->cols[t->ncols++];
	memset(col, 0, sizeof *col);
	col->name = xstrdup(name);
	col->type = xstrdup(type);
	return col;
}

const struct copy_table_desc *
copy_db_find(const struct copy_db_desc *db, const char *name)
{
	for (int i = 0; i < db->ntables; i++)
		if (strcasecmp(db->tables[i].name, name) == 0)
			return &db->tables[i];
	return NULL;
}

const struct copy_column *
copy_table_column(const struct copy_table_desc *t, const char *name)
{
	for (int i = 0; i < t->ncols; i++)
		if (strcasecmp(t->cols[i].name, name) == 0)
			return &t->cols[i];
	return NULL;
}

static char *
vformat(const char *fmt, va_list ap)
{
	char		buf[2048];

	vsnprintf(buf, sizeof buf, fmt, ap);
	return xstrdup(buf);
}

void
copy_table_error(struct copy_table_map *t, const char *fmt, ...)
{
	va_list		ap;

	t->errors = realloc(t->errors, sizeof(*t->errors) * (t->nerrors + 1));
	if (t->errors == NULL)
		abort();
	va_start(ap, fmt);
	t->errors[t->nerrors++] = vformat(fmt, ap);
	va_end(ap);
}

static void
field_error(struct copy_field_map *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
field_error(struct copy_field_map *f, const char *fmt, ...)
{
	va_list		ap;

	if (f->error)
		return;					/* the first error says enough */
	va_start(ap, fmt);
	f->error = vformat(fmt, ap);
	va_end(ap);
}

int
copy_table_has_errors(const struct copy_table_map *t)
{
	if (t->nerrors > 0)
		return 1;
	for (int i = 0; i < t->nfields; i++)
		if (t->fields[i].error)
			return 1;
	return 0;
}

static struct copy_field_map *
add_field(struct copy_table_map *t)
{
	t->fields = realloc(t->fields, sizeof(*t->fields) * (t->nfields + 1));
	if (t->fields == NULL)
		abort();
	memset(&t->fields[t->nfields], 0, sizeof t->fields[0]);
	return &t->fields[t->nfields++];
}

static const struct copy_field_rule *
find_field_rule(const struct copy_field_rule *rules, int n, const char *field)
{
	for (int i = 0; i < n; i++)
		if (strcasecmp(rules[i].field, field) == 0)
			return &rules[i];
	return NULL;
}

static const struct copy_table_rule *
find_table_rule(const struct copy_mapping *m, const char *table)
{
	for (int i = 0; i < m->ntables; i++)
		if (strcasecmp(m->tables[i].table, table) == 0)
			return &m->tables[i];
	return NULL;
}

static int
is_shadow_key(const char *col)
{
	for (const char *const *k = shadow_keys; *k; k++)
		if (strcasecmp(*k, col) == 0)
			return 1;
	return 0;
}

/* A character type as PostgreSQL's format_type or SQL Server (copy_mssql_type_sql) spells it. */
static int
is_text_type(const char *type)
{
	static const char *const prefixes[] = {"character", "text", "nvarchar(", "varchar(", "nchar(",
	"char(", "ntext", NULL};

	for (int i = 0; prefixes[i]; i++)
		if (strncmp(type, prefixes[i], strlen(prefixes[i])) == 0)
			return 1;
	return 0;
}

/* The field map that fills target column name, or NULL. */
static struct copy_field_map *
filling(struct copy_table_map *t, const char *target)
{
	for (int i = 0; i < t->nfields; i++)
		if (t->fields[i].target && strcasecmp(t->fields[i].target, target) == 0)
			return &t->fields[i];
	return NULL;
}

/* Where one field of the source (or shadow) goes. */
static void
map_one_field(struct copy_table_map *t, const struct copy_column *col,
			  const struct copy_field_rule *rule, int from_shadow)
{
	const char *field = col->name;
	const char *type = col->type;
	char		shown[300];
	const char *tname = rule && rule->target ? rule->target : field;
	const struct copy_column *dcol;
	struct copy_field_map *other;
	struct copy_field_map *f;

	if (rule && rule->option == COPY_FIELD_DONOTCOPY)
	{
		f = add_field(t);
		f->source = from_shadow ? NULL : xstrdup(field);
		f->shadow = from_shadow ? xstrdup(field) : NULL;
		f->option = COPY_FIELD_DONOTCOPY;
		f->rule = from_shadow ? "shadow field option DONOTCOPY" : "field option DONOTCOPY";
		return;
	}
	/* A type spelt for the target names its own spelling too: "nvarchar(60) (as character varying(60))". */
	if (col->native)
		snprintf(shown, sizeof shown, "%s (as %s)", col->native, type);
	else
		snprintf(shown, sizeof shown, "%s", type);
	dcol = copy_table_column(t->dst, tname);
	other = dcol ? filling(t, dcol->name) : NULL;
	if (other && !from_shadow && other->shadow && other->source == NULL)
	{
		/* The shadow's field replaces this source field (kept for outer joins). */
		other->source = xstrdup(field);
		if (strcmp(type, dcol->type) != 0)
			field_error(other, "source field %s is %s, target field %s is %s",
						field, shown, dcol->name, dcol->type);
		return;
	}
	f = add_field(t);
	f->source = from_shadow ? NULL : xstrdup(field);
	f->shadow = from_shadow ? xstrdup(field) : NULL;
	f->option = rule ? rule->option : COPY_FIELD_PLAIN;
	f->rule = from_shadow ? (rule && rule->target ? "shadow field mapping" : "shadow")
		: (rule && rule->target ? "field mapping" : "same name");
	if (dcol == NULL)
	{
		field_error(f, "%s field %s has no field %s in target table %s",
					from_shadow ? "shadow" : "source", field, tname, t->dst->name);
		return;
	}
	f->target = xstrdup(dcol->name);
	f->type = dcol->type;
	if (other)
		field_error(f, "mapping conflict: %s and %s both map to target field %s",
					other->shadow ? other->shadow : other->source, field, dcol->name);
	else if (strcmp(type, dcol->type) != 0)
		field_error(f, "%s field %s is %s, target field %s is %s",
					from_shadow ? "shadow" : "source", field, shown, dcol->name, dcol->type);
	else if (f->option == COPY_FIELD_LTRIM && !is_text_type(type))
		field_error(f, "field option LTRIM needs a text field; %s is %s", field, type);
}

/* Mapping-file field entries that name no field of table. */
static void
check_rule_fields(const struct copy_field_rule *rules, int n, const struct copy_table_desc *table,
				  const char *what, const char *file, struct upkit_diags *diags)
{
	for (int i = 0; i < n; i++)
		if (copy_table_column(table, rules[i].field) == NULL)
			upkit_diag_add(diags, file, rules[i].path, "%s table %s has no field %s",
						   what, table->name, rules[i].field);
}

/* Position of a field's target column; fields not copied go last. */
static int
target_pos(const struct copy_table_map *t, const struct copy_field_map *f)
{
	if (f->target)
		for (int i = 0; i < t->dst->ncols; i++)
			if (strcmp(t->dst->cols[i].name, f->target) == 0)
				return i;
	return t->dst->ncols;
}

/* In the target's column order (stable: insertion sort). */
static void
sort_fields(struct copy_table_map *t)
{
	for (int i = 1; i < t->nfields; i++)
	{
		struct copy_field_map f = t->fields[i];
		int			pos = target_pos(t, &f);
		int			j = i;

		for (; j > 0 && target_pos(t, &t->fields[j - 1]) > pos; j--)
			t->fields[j] = t->fields[j - 1];
		t->fields[j] = f;
	}
}

static void
map_fields(struct copy_table_map *t, const struct copy_mapping *m, struct upkit_diags *diags)
{
	const struct copy_table_rule *r = t->rule;
	const struct copy_shadow_rule *sh = r ? r->shadow : NULL;

	if (t->shadow)
	{
		if (!copy_table_column(t->src, "recid") || !copy_table_column(t->src, "dataareaid"))
			copy_table_error(t, "source table %s needs RECID and DATAAREAID to join its shadow %s",
							 t->src->name, t->shadow->name);
		if (!copy_table_column(t->shadow, "refrecid") || !copy_table_column(t->shadow, "refdataareaid"))
			copy_table_error(t, "shadow table %s needs REFRECID and REFDATAAREAID",
							 t->shadow->name);
		for (int i = 0; i < t->shadow->ncols; i++)
		{
			const struct copy_column *c = &t->shadow->cols[i];

			if (!is_shadow_key(c->name))
				map_one_field(t, c, find_field_rule(sh->fields, sh->nfields, c->name), 1);
		}
		check_rule_fields(sh->fields, sh->nfields, t->shadow, "shadow", m->file, diags);
	}
	for (int i = 0; i < t->src->ncols; i++)
	{
		const struct copy_column *c = &t->src->cols[i];

		map_one_field(t, c, r ? find_field_rule(r->fields, r->nfields, c->name) : NULL, 0);
	}
	if (r)
		check_rule_fields(r->fields, r->nfields, t->src, "source", m->file, diags);
	sort_fields(t);
	for (int i = 0; i < t->dst->ncols; i++)
	{
		const struct copy_column *c = &t->dst->cols[i];

		if (c->notnull && !c->hasdefault && filling(t, c->name) == NULL)
			copy_table_error(t, "target field %s is NOT NULL without a default, and no source or shadow field fills it",
							 c->name);
	}
}

/* The target by the first rule that applies. */
static void
map_table(struct copy_table_map *t, const struct copy_db_desc *src, const struct copy_db_desc *dst,
		  const struct copy_mapping *m)
{
	const struct copy_table_rule *r = t->rule;
	struct strbuf del = STRBUF_INIT;

	if (r && r->exception == COPY_EXC_DONOTCOPY)
	{
		t->how = COPY_SKIPPED;
		return;
	}
	sb_appendf(&del, "del_%s", t->src->name);
	if (r && r->target)
	{
		t->how = COPY_BY_SPECIAL;
		if ((t->dst = copy_db_find(dst, r->target)) == NULL)
			copy_table_error(t, "the special mapping names target table %s, which is not in schema %s of the target",
							 r->target, dst->schema);
	}
	else if ((t->dst = copy_db_find(dst, t->src->name)) != NULL)
		t->how = COPY_BY_NAME;
	else if ((t->dst = copy_db_find(dst, sb_str(&del))) != NULL)
		t->how = COPY_BY_DEL;
	else
	{
		if (src->has_dictionary && dst->has_dictionary && t->src->tabid >= 0)
			for (int i = 0; i < dst->ntables && t->dst == NULL; i++)
				if (dst->tables[i].tabid == t->src->tabid)
					t->dst = &dst->tables[i];
		if (t->dst)
			t->how = COPY_BY_ID;
		else
		{
			t->how = COPY_NOT_MAPPED;
			copy_table_error(t, "no target table: no special mapping, no table %s or DEL_%s in schema %s of the target, %s",
							 t->src->name, t->src->name, dst->schema,
							 !src->has_dictionary || !dst->has_dictionary
							 ? "and no table id to go by (SQLDICTIONARY is missing on one side)"
							 : t->src->tabid < 0 ? "and the source's SQLDICTIONARY has no table id for it"
							 : "and no target table has its table id");
		}
	}
	sb_free(&del);
	if (t->dst && r && r->shadow)
	{
		if ((t->shadow = copy_db_find(src, r->shadow->table)) == NULL)
			copy_table_error(t, "its shadow table %s is not in schema %s of the source",
							 r->shadow->table, src->schema);
	}
	(void) m;
}

/* Two source tables for one target table: an error of both. */
static void
check_conflicts(struct copy_map_result *out)
{
	for (int i = 0; i < out->ntables; i++)
		for (int j = i + 1; j < out->ntables; j++)
		{
			struct copy_table_map *a = &out->tables[i],
					   *b = &out->tables[j];

			if (a->dst && a->dst == b->dst)
			{
				copy_table_error(a, "mapping conflict: source tables %s and %s both map to target table %s",
								 a->src->name, b->src->name, a->dst->name);
				copy_table_error(b, "mapping conflict: source tables %s and %s both map to target table %s",
								 a->src->name, b->src->name, a->dst->name);
			}
		}
}

static int
is_shadow_of_some_table(const struct copy_mapping *m, const char *name)
{
	for (int i = 0; i < m->ntables; i++)
		if (m->tables[i].shadow && strcasecmp(m->tables[i].shadow->table, name) == 0)
			return 1;
	return 0;
}

int
copy_map(const struct copy_db_desc *src, const struct copy_db_desc *dst,
		 const struct copy_mapping *m, struct copy_map_result *out, struct upkit_diags *diags)
{
	int			bad = 0;

	out->tables = calloc((size_t) src->ntables + 1, sizeof *out->tables);
	out->ntables = 0;
	if (out->tables == NULL)
		abort();
	for (int i = 0; i < m->ntables; i++)
		if (copy_db_find(src, m->tables[i].table) == NULL)
			upkit_diag_add(diags, m->file, m->tables[i].path, "no table %s in schema %s of the source",
						   m->tables[i].table, src->schema);
	for (int i = 0; i < src->ntables; i++)
	{
		struct copy_table_map *t;

		if (is_shadow_of_some_table(m, src->tables[i].name))
			continue;
		t = &out->tables[out->ntables++];
		t->src = &src->tables[i];
		t->rule = find_table_rule(m, t->src->name);
		map_table(t, src, dst, m);
	}
	check_conflicts(out);
	for (int i = 0; i < out->ntables; i++)
	{
		struct copy_table_map *t = &out->tables[i];

		if (t->dst && t->nerrors == 0)
			map_fields(t, m, diags);
		bad += copy_table_has_errors(t);
	}
	return bad;
}

void
copy_map_result_free(struct copy_map_result *r)
{
	for (int i = 0; i < r->ntables; i++)
	{
		struct copy_table_map *t = &r->tables[i];

		for (int j = 0; j < t->nfields; j++)
		{
			free(t->fields[j].source);
			free(t->fields[j].shadow);
			free(t->fields[j].target);
			free(t->fields[j].error);
		}
		free(t->fields);
		for (int j = 0; j < t->nerrors; j++)
			free(t->errors[j]);
		free(t->errors);
	}
	free(r->tables);
	r->tables = NULL;
	r->ntables = 0;
}

void
copy_db_desc_free(struct copy_db_desc *db)
{
	for (int i = 0; i < db->ntables; i++)
	{
		for (int j = 0; j < db->tables[i].ncols; j++)
		{
			free(db->tables[i].cols[j].name);
			free(db->tables[i].cols[j].type);
			free(db->tables[i].cols[j].native);
		}
		free(db->tables[i].cols);
		free(db->tables[i].name);
	}
	free(db->tables);
	free(db->schema);
	memset(db, 0, sizeof *db);
}

static void
free_field_rules(struct copy_field_rule *f, int n)
{
	for (int i = 0; i < n; i++)
	{
		free(f[i].field);
		free(f[i].target);
		free(f[i].path);
	}
	free(f);
}

void
copy_mapping_free(struct copy_mapping *m)
{
	for (int i = 0; i < m->ntables; i++)
	{
		struct copy_table_rule *t = &m->tables[i];

		free(t->table);
		free(t->target);
		free(t->path);
		free_field_rules(t->fields, t->nfields);
		if (t->shadow)
		{
			free(t->shadow->table);
			free(t->shadow->path);
			free(t->shadow->ready_schema);
			free(t->shadow->ready_function);
			for (int j = 0; j < t->shadow->ncompanies; j++)
				free(t->shadow->companies[j]);
			free(t->shadow->companies);
			free_field_rules(t->shadow->fields, t->shadow->nfields);
			free(t->shadow);
		}
	}
	free(m->tables);
	free(m->file);
	free(m->source_schema);
	free(m->target_schema);
	memset(m, 0, sizeof *m);
}
