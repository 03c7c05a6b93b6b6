/*
 * copy_side.c: the one place that picks a copy side's operations by the
 * connection's engine (copy_side.h).
 */
#include <stdlib.h>

#include "copy_side.h"
#include "ident.h"

const struct copy_source_ops *
copy_source_for(enum upkit_dialect d)
{
	return d == UPKIT_DIALECT_MSSQL ? &copy_source_mssql : &copy_source_pg;
}

const struct copy_source_ops *
copy_source_of(const struct upkit_conn *c)
{
	return copy_source_for(c->dialect);
}

const struct copy_target_ops *
copy_target_of(const struct upkit_conn *c)
{
	return copy_target_for(c->dialect);
}

const struct copy_target_ops *
copy_target_for(enum upkit_dialect d)
{
	return d == UPKIT_DIALECT_MSSQL ? &copy_target_mssql : &copy_target_pg;
}

/*
 * A source that sends chunks needs a target that takes them (the same bulk
 * format: PostgreSQL's); a source that hands over rows, a target that
 * takes rows.
 */
const char *
copy_side_no_path_for(enum upkit_dialect src, enum upkit_dialect dst)
{
	const struct copy_source_ops *so = copy_source_for(src);
	const struct copy_target_ops *to = copy_target_for(dst);

	if (so->rows_begin == NULL && to->load_chunk == NULL)
		return "no bulk copy from PostgreSQL to SQL Server: upkit copy reads a PostgreSQL source"
			" only into a PostgreSQL target";
	if (so->rows_begin != NULL && to->load_row == NULL)
		return "the target takes no rows read from SQL Server";
	return NULL;
}

const char *
copy_side_no_path(const struct upkit_conn *src, const struct upkit_conn *dst)
{
	return copy_side_no_path_for(src->dialect, dst->dialect);
}

long long
copy_side_count_from(struct upkit_conn *c, const char *from_sql)
{
	struct strbuf sql = STRBUF_INIT;
	struct strbuf v = STRBUF_INIT;
	long long	n = -1;

	sb_appendf(&sql, "SELECT %s%s", copy_source_of(c)->count_rows, from_sql);
	if (upkit_query_value(c, sb_str(&sql), 0, NULL, &v) == 1)
		n = atoll(sb_str(&v));
	sb_free(&sql);
	sb_free(&v);
	return n;
}

long long
copy_side_count_table(struct upkit_conn *c, const char *schema, const char *table)
{
	struct strbuf from = STRBUF_INIT;
	long long	n;

	sb_append(&from, " FROM ");
	upkit_quote_catalog_qualified(&from, schema, table, c->dialect);
	n = copy_side_count_from(c, sb_str(&from));
	sb_free(&from);
	return n;
}
