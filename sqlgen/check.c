/*
 * check.c: install-time checks (see check.h).  Tables first; the columns
 * of the tables that exist; and, only when every table and column of the
 * spec is there, the expressions, each in a statement of its own that the
 * server analyses without running (conn.h, check), so that a problem names
 * the one expression it is about.
 */
#include <stdlib.h>

#include "check.h"
#include "ident.h"

static const struct upkit_catalog_ops *const catalogs[UPKIT_DIALECT_COUNT] = {
	[UPKIT_DIALECT_PG] = &upkit_catalog_pg,
	[UPKIT_DIALECT_MSSQL] = &upkit_catalog_mssql,
};

const struct upkit_catalog_ops *
upkit_catalog_for(enum upkit_dialect d)
{
	return catalogs[d];
}

void
upkit_spec_needs(const struct upkit_spec *s, enum upkit_dialect d, struct upkit_spec_needs *n)
{
	s->kind->needs(upkit_spec_body(s, d), n);
}

static const char *
need_words(enum upkit_need_type t)
{
	switch (t)
	{
		case UPKIT_NEED_BIGINT:
			return "bigint (it holds RECIDs)";
		case UPKIT_NEED_INTEGER:
			return "an integer type";
		case UPKIT_NEED_TEXT:
			return "a character type";
		default:
			return "any type";
	}
}

static void
qualified(struct strbuf *sb, const struct upkit_qname *q, enum upkit_dialect d)
{
	upkit_quote_qualified(sb, q->schema, q->name, d);
}

/* FROM source AS alias LEFT JOIN lookup AS alias ON (on) ..., up to join last. */
static void
from_clause(struct strbuf *sb, const struct upkit_spec_needs *n, int last, enum upkit_dialect d)
{
	sb_append(sb, " FROM ");
	qualified(sb, &n->tables[n->from].name, d);
	sb_appendf(sb, " AS %s", n->from_alias);
	for (int j = 0; j <= last && j < n->n_joins; j++)
	{
		sb_append(sb, " LEFT JOIN ");
		qualified(sb, &n->tables[n->joins[j].table].name, d);
		sb_appendf(sb, " AS %s ON (%s)", n->joins[j].alias, n->joins[j].on);
	}
}

static void
probe_sql(struct strbuf *sb, const struct upkit_spec_needs *n, const struct upkit_need_probe *p,
		  enum upkit_dialect d)
{
	switch (p->place)
	{
		case UPKIT_PROBE_VALUE:
			sb_append(sb, "INSERT INTO ");
			qualified(sb, &n->tables[n->into].name, d);
			sb_append(sb, " (");
			upkit_quote_ident(sb, n->columns[p->into].column, d);
			sb_appendf(sb, ") SELECT (%s)", p->expr);
			from_clause(sb, n, n->n_joins, d);
			break;
		case UPKIT_PROBE_WHERE:
			sb_append(sb, "SELECT 1");
			from_clause(sb, n, n->n_joins, d);
			sb_appendf(sb, " WHERE (%s)", p->expr);
			break;
		case UPKIT_PROBE_ORDER:
			sb_append(sb, "SELECT 1 AS upkit_probe");
			from_clause(sb, n, n->n_joins, d);
			sb_appendf(sb, " ORDER BY (%s)", p->expr);
			break;
		case UPKIT_PROBE_JOIN:
			sb_append(sb, "SELECT 1");
			from_clause(sb, n, p->join, d);
			break;
		case UPKIT_PROBE_STATEMENT:
			sb_append(sb, p->expr);
			break;
	}
}

/* Check one spec; returns its problems, or -1 when the server failed. */
static int
check_spec(struct upkit_conn *c, const struct upkit_catalog_ops *cat, const struct upkit_spec *s,
		   struct upkit_diags *diags)
{
	struct upkit_spec_needs n = UPKIT_SPEC_NEEDS_INIT;
	enum upkit_dialect d = c->dialect;
	int		   *exists;
	int			problems = 0;
	int			catalog_problems;
	int			rc = 0;

	upkit_spec_needs(s, d, &n);
	exists = calloc((size_t) n.n_tables + 1, sizeof *exists);
	if (exists == NULL)
		abort();
	for (int i = 0; i < n.n_tables && rc >= 0; i++)
	{
		char	   *schema = upkit_ident_fold(n.tables[i].name.schema, d);
		char	   *name = upkit_ident_fold(n.tables[i].name.name, d);
		struct strbuf q = STRBUF_INIT;

		rc = exists[i] = cat->table_exists(c, schema, name);
		qualified(&q, &n.tables[i].name, d);
		if (rc == 0)
		{
			upkit_diag_add(diags, s->file, n.tables[i].path, "%s %s does not exist in database %s",
						   n.tables[i].role, sb_str(&q), c->database);
			problems++;
		}
		sb_free(&q);
		free(schema);
		free(name);
	}
	for (int i = 0; i < n.n_columns && rc >= 0; i++)
	{
		const struct upkit_need_column *col = &n.columns[i];
		const struct upkit_need_table *t = &n.tables[col->table];
		char	   *schema,
				   *table,
				   *column;
		struct strbuf type = STRBUF_INIT;
		struct strbuf q = STRBUF_INIT;

		if (exists[col->table] != 1)
			continue;
		schema = upkit_ident_fold(t->name.schema, d);
		table = upkit_ident_fold(t->name.name, d);
		column = upkit_ident_fold(col->column, d);
		qualified(&q, &t->name, d);
		rc = cat->column_type(c, schema, table, column, &type);
		if (rc == 0)
		{
			upkit_diag_add(diags, s->file, col->path, "%s \"%s\" does not exist in table %s",
						   col->role, column, sb_str(&q));
			problems++;
		}
		else if (rc == 1 && !cat->type_fits(sb_str(&type), col->type))
		{
			upkit_diag_add(diags, s->file, col->path, "%s \"%s\" of table %s is %s; it must be %s",
						   col->role, column, sb_str(&q), sb_str(&type), need_words(col->type));
			problems++;
		}
		sb_free(&type);
		sb_free(&q);
		free(schema);
		free(table);
		free(column);
	}
	for (int i = 0; i < n.n_uniques && rc >= 0; i++)
	{
		const struct upkit_need_unique *u = &n.uniques[i];
		const struct upkit_need_table *t = &n.tables[u->table];
		struct strbuf cols = STRBUF_INIT;
		struct strbuf words = STRBUF_INIT;
		char	   *schema,
				   *table;

		if (exists[u->table] != 1)
			continue;
		for (int j = 0; j < u->n_columns; j++)
		{
			char	   *f = upkit_ident_fold(u->columns[j], d);

			sb_appendf(&cols, "%s%s", j ? "\n" : "", f);
			sb_appendf(&words, "%s%s", j ? ", " : "", f);
			free(f);
		}
		schema = upkit_ident_fold(t->name.schema, d);
		table = upkit_ident_fold(t->name.name, d);
		rc = cat->unique_covered(c, schema, table, sb_str(&cols));
		if (rc == 0)
		{
			struct strbuf q = STRBUF_INIT;

			qualified(&q, &t->name, d);
			upkit_diag_add(diags, s->file, u->path,
						   "%s can match several rows per target row: no unique index of %s has only columns among (%s), "
						   "so the update would take an arbitrary row; add the columns that make it unique, "
						   "aggregate it, or set \"unique\": \"check\" to have the procedure check it when it runs",
						   u->what, sb_str(&q), sb_str(&words));
			problems++;
			sb_free(&q);
		}
		sb_free(&cols);
		sb_free(&words);
		free(schema);
		free(table);
	}
	catalog_problems = problems;
	/* Expressions only over tables and columns that are all there. */
	for (int i = 0, skip = 0; i < n.n_probes && rc >= 0 && catalog_problems == 0; i++)
	{
		struct strbuf sql = STRBUF_INIT;

		if (n.probes[i].group > 0 && n.probes[i].group == skip)
			continue;
		probe_sql(&sql, &n, &n.probes[i], d);
		if (c->ops->check(c, sb_str(&sql)) != 0)
		{
			skip = n.probes[i].group;
			upkit_diag_add(diags, s->file, n.probes[i].path, "%s rejects it: %s%s%s%s",
						   c->ops->engine, sb_str(&c->error), c->sqlstate[0] ? " [SQLSTATE " : "",
						   c->sqlstate, c->sqlstate[0] ? "]" : "");
			problems++;
		}
		sb_free(&sql);
	}
	free(exists);
	upkit_spec_needs_free(&n);
	return rc < 0 ? -1 : problems;
}

int
upkit_check_specs(struct upkit_conn *c, struct upkit_spec *const *specs, int n,
				  struct upkit_diags *diags)
{
	const struct upkit_catalog_ops *cat = upkit_catalog_for(c->dialect);
	int			problems = 0;

	for (int i = 0; i < n; i++)
	{
		int			p = check_spec(c, cat, specs[i], diags);

		if (p < 0)
		{
			upkit_diag_msg(diags, "cannot read the catalog of %s: %s",
						   c->where, sb_str(&c->error));
			return -1;
		}
		problems += p;
	}
	return problems;
}
