/*
 * keywords.h: the reserved words of both dialects, for names that appear
 * without quotes (aliases) and for quote_ident's rule.
 */
#ifndef UPKIT_KEYWORDS_H
#define UPKIT_KEYWORDS_H

/*
 * A PostgreSQL 15 keyword that is not UNRESERVED_KEYWORD (pg_get_keywords()
 * catcode R, C or T); lower is in lower case.
 */
int			upkit_is_pg_keyword(const char *lower);
/* A word an unquoted T-SQL alias cannot be; lower is in lower case. */
int			upkit_is_tsql_keyword(const char *lower);

#endif
