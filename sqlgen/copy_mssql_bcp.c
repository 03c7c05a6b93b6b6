/*
 * copy_mssql_bcp.c: how one value read with db-lib is bound for db-lib's
 * bulk copy into SQL Server (copy_target_mssql.c); pure functions, so the
 * choices are unit-tested without a server (tests/unit/test_copy_mssql.c).
 *
 * FreeTDS's bcp_bind / bcp_collen (src/dblib/bcp.c): varlen is the value's
 * length in bytes, -1 for a fixed-length type (its size is the type's), and
 * 0 means NULL.  So a value of length 0 (an empty string, an empty binary)
 * cannot be sent as itself: it would arrive as NULL.  The bulk load runs
 * without KEEP_NULLS, so SQL Server puts a column's DEFAULT where a NULL
 * arrives; for a NOT NULL character column whose DEFAULT is the empty
 * string (N'' or ''), a NULL therefore becomes exactly the empty string it
 * stood for, and the column can hold no NULL of its own to confuse it
 * with: a NULL from the source for a NOT NULL field is refused
 * (COPY_BCP_NULL), since its DEFAULT would take its place.  Anywhere else an empty value is refused (COPY_BCP_EMPTY), naming
 * the field, rather than written as something else.
 */
#include <string.h>

#include <sybfront.h>
#include <sybdb.h>

#include "copy_mssql.h"

int
copy_bcp_bind_type(int systype)
{
	switch (systype)
	{
		case SYBCHAR:
		case SYBVARCHAR:
		case SYBTEXT:
		case SYBNVARCHAR:
		case SYBNTEXT:
			/* text in the client character set (UTF-8); db-lib converts */
			return SYBCHAR;
		case SYBBINARY:
		case SYBVARBINARY:
		case SYBIMAGE:
			return SYBBINARY;
		case SYBINTN:
		case SYBBITN:
		case SYBDATETIMN:
		case SYBFLTN:
		case SYBMONEYN:
			/* dbcoltype reports the sized type; these do not come */
			return -1;
		default:
			return systype;
	}
}

int
copy_bcp_fixed(int bindtype)
{
	switch (bindtype)
	{
		case SYBINT1:
		case SYBINT2:
		case SYBINT4:
		case SYBINT8:
		case SYBBIT:
		case SYBFLT8:
		case SYBREAL:
		case SYBDATETIME:
		case SYBDATETIME4:
		case SYBMONEY:
		case SYBMONEY4:
			return 1;
		default:
			return 0;
	}
}

int
copy_bcp_varlen(int bindtype, const unsigned char *data, int len, int notnull,
				int empty_is_default)
{
	if (data == NULL)
		return notnull ? COPY_BCP_NULL : 0;
	if (copy_bcp_fixed(bindtype))
		return -1;
	if (len > 0)
		return len;
	return empty_is_default ? 0 : COPY_BCP_EMPTY;
}

int
copy_bcp_empty_default(const char *definition)
{
	/* sys.default_constraints.definition: "(N'')", "('')", "((N''))" */
	static const char *const empty[] = {"(N'')", "('')", "((N''))", "((''))", NULL};

	if (definition == NULL)
		return 0;
	for (int i = 0; empty[i]; i++)
		if (strcmp(definition, empty[i]) == 0)
			return 1;
	return 0;
}
