/*
 * keywords.c: reserved words of PostgreSQL and SQL Server (see keywords.h).
 *
 * PostgreSQL: the server's own list, pg_get_keywords() without the
 * unreserved ones; tests/insert/quote_ident.t compares quote_ident's
 * decisions with the server's for every keyword it knows.
 *
 * SQL Server: the documented "Reserved Keywords (Transact-SQL)" list
 * (SQL Server 2012 and later, WITHIN GROUP as "within"), plus GO, the batch
 * separator of SSMS and sqlcmd.  The ODBC reserved words and "future
 * keywords" of the same page are not reserved by SQL Server; run through the
 * T-SQL grammar (tests/tsql) as an alias in every place upkit puts one
 * (FROM, JOIN ... ON, qualified columns, ORDER BY), none of them fails but
 * the ones in this list (measured once, for issue 9: WITHIN is the only one
 * the documented list spells differently, as WITHIN GROUP).
 */
#include <stdlib.h>
#include <string.h>

#include "keywords.h"

/*
 * PostgreSQL 15 keywords that are not UNRESERVED_KEYWORD (reserved,
 * column-name and type/function-name keywords): quote_ident quotes these.
 * Sorted for bsearch.
 */
static const char *const pg_keywords[] = {
	"all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric",
	"authorization", "between", "bigint", "binary", "bit", "boolean", "both", "case",
	"cast", "char", "character", "check", "coalesce", "collate", "collation", "column",
	"concurrently", "constraint", "create", "cross", "current_catalog", "current_date",
	"current_role", "current_schema", "current_time", "current_timestamp",
	"current_user", "dec", "decimal", "default", "deferrable", "desc", "distinct", "do",
	"else", "end", "except", "exists", "extract", "false", "fetch", "float", "for",
	"foreign", "freeze", "from", "full", "grant", "greatest", "group", "grouping",
	"having", "ilike", "in", "initially", "inner", "inout", "int", "integer",
	"intersect", "interval", "into", "is", "isnull", "join", "lateral", "leading",
	"least", "left", "like", "limit", "localtime", "localtimestamp", "national",
	"natural", "nchar", "none", "normalize", "not", "notnull", "null", "nullif",
	"numeric", "offset", "on", "only", "or", "order", "out", "outer", "overlaps",
	"overlay", "placing", "position", "precision", "primary", "real", "references",
	"returning", "right", "row", "select", "session_user", "setof", "similar",
	"smallint", "some", "substring", "symmetric", "table", "tablesample", "then",
	"time", "timestamp", "to", "trailing", "treat", "trim", "true", "union", "unique",
	"user", "using", "values", "varchar", "variadic", "verbose", "when", "where",
	"window", "with", "xmlattributes", "xmlconcat", "xmlelement", "xmlexists",
	"xmlforest", "xmlnamespaces", "xmlparse", "xmlpi", "xmlroot", "xmlserialize",
	"xmltable"
};

/* SQL Server's reserved keywords, lower case, sorted for bsearch. */
static const char *const tsql_keywords[] = {
	"add", "all", "alter", "and", "any", "as", "asc", "authorization", "backup",
	"begin", "between", "break", "browse", "bulk", "by", "cascade", "case", "check",
	"checkpoint", "close", "clustered", "coalesce", "collate", "column", "commit",
	"compute", "constraint", "contains", "containstable", "continue", "convert",
	"create", "cross", "current", "current_date", "current_time", "current_timestamp",
	"current_user", "cursor", "database", "dbcc", "deallocate", "declare", "default",
	"delete", "deny", "desc", "disk", "distinct", "distributed", "double", "drop",
	"dump", "else", "end", "errlvl", "escape", "except", "exec", "execute", "exists",
	"exit", "external", "fetch", "file", "fillfactor", "for", "foreign", "freetext",
	"freetexttable", "from", "full", "function", "go", "goto", "grant", "group",
	"having", "holdlock", "identity", "identity_insert", "identitycol", "if", "in",
	"index", "inner", "insert", "intersect", "into", "is", "join", "key", "kill",
	"left", "like", "lineno", "load", "merge", "national", "nocheck", "nonclustered",
	"not", "null", "nullif", "of", "off", "offsets", "on", "open", "opendatasource",
	"openquery", "openrowset", "openxml", "option", "or", "order", "outer", "over",
	"percent", "pivot", "plan", "precision", "primary", "print", "proc", "procedure",
	"public", "raiserror", "read", "readtext", "reconfigure", "references",
	"replication", "restore", "restrict", "return", "revert", "revoke", "right",
	"rollback", "rowcount", "rowguidcol", "rule", "save", "schema", "securityaudit",
	"select", "semantickeyphrasetable", "semanticsimilaritydetailstable",
	"semanticsimilaritytable", "session_user", "set", "setuser", "shutdown", "some",
	"statistics", "system_user", "table", "tablesample", "textsize", "then", "to",
	"top", "tran", "transaction", "trigger", "truncate", "try_convert", "tsequal",
	"union", "unique", "unpivot", "update", "updatetext", "use", "user", "values",
	"varying", "view", "waitfor", "when", "where", "while", "with", "within",
	"writetext"
};

static int
cmp_kw(const void *a, const void *b)
{
	return strcmp(*(const char *const *) a, *(const char *const *) b);
}

int
upkit_is_pg_keyword(const char *lower)
{
	return bsearch(&lower, pg_keywords, sizeof pg_keywords / sizeof pg_keywords[0],
				   sizeof(char *), cmp_kw) != NULL;
}

int
upkit_is_tsql_keyword(const char *lower)
{
	return bsearch(&lower, tsql_keywords, sizeof tsql_keywords / sizeof tsql_keywords[0],
				   sizeof(char *), cmp_kw) != NULL;
}
