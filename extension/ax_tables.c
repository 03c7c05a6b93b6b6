/*-------------------------------------------------------------------------
 *
 * ax_tables.c
 *	  Finding the database's own AX tables (SYSTEMSEQUENCES,
 *	  NUMBERSEQUENCETABLE).
 *
 * upkit does not own these tables: an upgraded AX database already has
 * them, and the application keeps using them.  So they are found by name
 * through the caller's search_path at call time, as an unqualified table
 * name in the caller's query would be, and with the AX column names in
 * lower case (unquoted identifiers).  upkit.create_ax_tables() (SQL, in the
 * install script) creates minimal ones where a database has none.
 *
 * The lookup takes the lock the caller asks for and keeps it until the end
 * of the transaction, so the table cannot be dropped under a reservation.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/table.h"
#include "catalog/namespace.h"
#include "nodes/makefuncs.h"
#include "utils/rel.h"

#include "upkit.h"

/*
 * Open the table "name" as the caller's search_path finds it, or raise
 * 42P01 naming the search_path.
 */
Relation
upkit_open_ax_table(const char *name, LOCKMODE lockmode)
{
	RangeVar   *rv = makeRangeVar(NULL, pstrdup(name), -1);
	Oid			relid;
	Relation	rel;

	relid = RangeVarGetRelid(rv, lockmode, true);
	if (!OidIsValid(relid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("no table \"%s\" is visible through search_path \"%s\"",
						name, namespace_search_path),
				 errhint("upkit uses the database's own AX tables.  Put their schema on search_path, "
						 "or create minimal ones with SELECT upkit.create_ax_tables().")));
	rel = table_open(relid, NoLock);
	if (rel->rd_rel->relkind != RELKIND_RELATION &&
		rel->rd_rel->relkind != RELKIND_PARTITIONED_TABLE)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("\"%s\" found through search_path \"%s\" is not a table",
						name, namespace_search_path)));
	return rel;
}
