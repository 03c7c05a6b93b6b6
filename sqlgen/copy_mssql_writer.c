/*
 * copy_mssql_writer.c: which writer a SQL Server target table gets
 * (copy_target_mssql.c), from its columns as sys.columns describes them;
 * a pure function, unit-tested without a server
 * (tests/unit/test_copy_mssql_insert.c).
 *
 *  - bcp (db-lib's bulk copy): every table without an IDENTITY column;
 *  - INSERT under SET IDENTITY_INSERT ON: a table whose IDENTITY column
 *    the mapping fills.  db-lib's bulk copy cannot keep identity values
 *    (FreeTDS's bcp_control takes BCPKEEPIDENTITY only with a host file,
 *    and its INSERT BULK leaves identity columns out), so such a table's
 *    rows go as multi-row INSERT statements with literal values instead.
 * A computed column takes no value.  Every other column must get one from
 * the mapping (refused, naming it, when it does not: an IDENTITY column
 * left to the server would renumber the copied rows, any other the bcp
 * path cannot leave to its default, FreeTDS issue #478), and every column
 * of the plan must be a column of the table.
 *
 * The INSERT writer's statements are built here too, so that their text
 * is unit-tested and parsed with the T-SQL grammar (tests/tsql/parse.t):
 * names quoted, values literals of copy_mssql_literal.c.
 */
#include <stdio.h>
#include <strings.h>

#include "copy_mssql.h"
#include "copy_side.h"
#include "ident.h"

const char *
copy_mssql_writer_name(enum copy_mssql_writer w)
{
	return w == COPY_MSSQL_INSERT ? "INSERT under SET IDENTITY_INSERT ON" : "bcp (db-lib bulk copy)";
}

int
copy_mssql_writer_choose(const char *table, const struct copy_mssql_tcol *tc, int ntc,
						 const char *const *plan_cols, int nplan, int *colno, struct strbuf *err)
{
	int			w = COPY_MSSQL_BCP;

	for (int i = 0; i < nplan; i++)
		colno[i] = 0;
	for (int c = 0; c < ntc; c++)
	{
		int			found = -1;

		if (tc[c].computed)
			continue;
		for (int i = 0; i < nplan; i++)
			if (strcasecmp(plan_cols[i], tc[c].name) == 0)
				found = i;
		if (found < 0)
		{
			sb_appendf(err, "field %s of %s gets no value from the mapping: %s", tc[c].name, table,
					   tc[c].identity
					   ? "it is an IDENTITY column, and the copy keeps the source's values"
					   " (map a source field to it)"
					   : "the bulk copy into SQL Server sends every field (map a source field to it)");
			return -1;
		}
		colno[found] = c + 1;
		if (tc[c].identity)
			w = COPY_MSSQL_INSERT;
	}
	for (int i = 0; i < nplan; i++)
		if (colno[i] == 0)
		{
			sb_appendf(err, "target table %s has no field %s", table, plan_cols[i]);
			return -1;
		}
	return w;
}

void
copy_mssql_identity_insert(struct strbuf *sql, const char *table, int on)
{
	sb_appendf(sql, "SET IDENTITY_INSERT %s %s", table, on ? "ON" : "OFF");
}

int
copy_mssql_insert_row(struct strbuf *ins, int nrows, const char *table, int tablock,
					  const char *const *cols, int ncols, const struct copy_cell *cells, struct strbuf *err)
{
	char		msg[160];

	if (nrows == 0)
	{
		sb_appendf(ins, "INSERT INTO %s%s (", table, tablock ? " WITH (TABLOCK)" : "");
		for (int i = 0; i < ncols; i++)
		{
			if (i > 0)
				sb_append(ins, ", ");
			upkit_quote_ident(ins, cols[i], UPKIT_DIALECT_MSSQL);
		}
		sb_append(ins, ") VALUES\n(");
	}
	else
		sb_append(ins, ",\n(");
	for (int i = 0; i < ncols; i++)
	{
		if (i > 0)
			sb_append(ins, ", ");
		if (copy_tsql_literal(ins, cells[i].type, cells[i].data, cells[i].len, msg, sizeof msg) != 0)
		{
			sb_appendf(err, "field %s: %s", cols[i], msg);
			return -1;
		}
	}
	sb_append(ins, ")");
	return 0;
}
