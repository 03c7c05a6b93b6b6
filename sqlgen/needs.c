/*
 * needs.c: build and free a spec's list of needs (see needs.h).
 */
#include <stdlib.h>

#include "needs.h"
#include "strbuf.h"

int
upkit_needs_table(struct upkit_spec_needs *n, const struct upkit_qname *q,
				  const char *path, const char *role)
{
	struct upkit_need_table *t;

	XGROW(n->tables, n->n_tables);
	t = &n->tables[n->n_tables];
	t->name.schema = xstrdup_or_null(q->schema);
	t->name.name = xstrdup_or_null(q->name);
	t->path = xstrdup(path);
	t->role = xstrdup(role);
	return n->n_tables++;
}

int
upkit_needs_column(struct upkit_spec_needs *n, int table, const char *column,
				   enum upkit_need_type type, const char *path, const char *role)
{
	struct upkit_need_column *c;

	XGROW(n->columns, n->n_columns);
	c = &n->columns[n->n_columns];
	c->table = table;
	c->column = xstrdup(column);
	c->type = type;
	c->path = xstrdup(path);
	c->role = xstrdup(role);
	return n->n_columns++;
}

int
upkit_needs_join(struct upkit_spec_needs *n, int table, const char *alias, const char *on)
{
	struct upkit_need_join *j;

	XGROW(n->joins, n->n_joins);
	j = &n->joins[n->n_joins];
	j->table = table;
	j->alias = xstrdup(alias);
	j->on = xstrdup(on);
	return n->n_joins++;
}

void
upkit_needs_probe(struct upkit_spec_needs *n, enum upkit_probe_place place,
				  const char *expr, int into, int join, const char *path)
{
	struct upkit_need_probe *p;

	XGROW(n->probes, n->n_probes);
	p = &n->probes[n->n_probes++];
	p->place = place;
	p->expr = xstrdup(expr);
	p->into = into;
	p->join = join;
	p->path = xstrdup(path);
	p->group = 0;
}

void
upkit_needs_statement(struct upkit_spec_needs *n, const char *sql, const char *path, int group)
{
	upkit_needs_probe(n, UPKIT_PROBE_STATEMENT, sql, -1, -1, path);
	n->probes[n->n_probes - 1].group = group;
}

void
upkit_needs_unique(struct upkit_spec_needs *n, int table, char *const *columns, int n_columns,
				   const char *path, const char *what)
{
	struct upkit_need_unique *u;

	XGROW(n->uniques, n->n_uniques);
	u = &n->uniques[n->n_uniques++];
	u->table = table;
	u->columns = calloc((size_t) n_columns + 1, sizeof *u->columns);
	if (u->columns == NULL)
		abort();
	for (int i = 0; i < n_columns; i++)
		u->columns[i] = xstrdup(columns[i]);
	u->n_columns = n_columns;
	u->path = xstrdup(path);
	u->what = xstrdup(what);
}

void
upkit_needs_mapping(struct upkit_spec_needs *n, int table, const struct upkit_column_map *map,
					int n_map, const char *role)
{
	for (int i = 0; i < n_map; i++)
	{
		char	   *pm = sr_path_index("$.mapping", i);
		char	   *col = sr_path_key(pm, "column");
		char	   *ex = sr_path_key(pm, "expr");
		int			c = upkit_needs_column(n, table, map[i].column, UPKIT_NEED_ANY, col, role);

		upkit_needs_probe(n, UPKIT_PROBE_VALUE, map[i].expr, c, -1, ex);
		free(pm);
		free(col);
		free(ex);
	}
}

void
upkit_needs_object(struct upkit_spec_needs *n, const char *schema, const char *name,
				   const char *suffix)
{
	struct strbuf s = STRBUF_INIT;

	XGROW(n->objects, n->n_objects);
	sb_appendf(&s, "%s%s", name, suffix ? suffix : "");
	n->objects[n->n_objects].schema = xstrdup_or_null(schema);
	n->objects[n->n_objects].name = xstrdup(sb_str(&s));
	n->n_objects++;
	sb_free(&s);
}

void
upkit_spec_needs_free(struct upkit_spec_needs *n)
{
	for (int i = 0; i < n->n_tables; i++)
	{
		upkit_qname_free(&n->tables[i].name);
		free(n->tables[i].path);
		free(n->tables[i].role);
	}
	for (int i = 0; i < n->n_columns; i++)
	{
		free(n->columns[i].column);
		free(n->columns[i].path);
		free(n->columns[i].role);
	}
	for (int i = 0; i < n->n_joins; i++)
	{
		free(n->joins[i].alias);
		free(n->joins[i].on);
	}
	for (int i = 0; i < n->n_probes; i++)
	{
		free(n->probes[i].expr);
		free(n->probes[i].path);
	}
	for (int i = 0; i < n->n_objects; i++)
		upkit_qname_free(&n->objects[i]);
	for (int i = 0; i < n->n_uniques; i++)
	{
		for (int j = 0; j < n->uniques[i].n_columns; j++)
			free(n->uniques[i].columns[j]);
		free(n->uniques[i].columns);
		free(n->uniques[i].path);
		free(n->uniques[i].what);
	}
	free(n->uniques);
	free(n->tables);
	free(n->columns);
	free(n->joins);
	free(n->probes);
	free(n->objects);
	free(n->from_alias);
	*n = (struct upkit_spec_needs) UPKIT_SPEC_NEEDS_INIT;
}
