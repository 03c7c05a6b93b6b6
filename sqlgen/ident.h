/*
 * ident.h: names, expressions and literals in generated SQL, per dialect.
 *
 * Every name that reaches generated SQL goes through upkit_ident_check and
 * then upkit_quote_ident; every SQL expression from a spec goes through
 * upkit_expr_check.  Spec readers of every kind share these rules:
 *
 * Names (schemas, tables, columns, procedures): any printable text without
 * control characters (C0, DEL, C1) or line and paragraph separators (names
 * also appear in comments, comment.h) and without blanks at either end,
 * valid UTF-8, at most 63 bytes for PostgreSQL (NAMEDATALEN - 1, after
 * folding) and 128 UTF-16 code units for SQL Server (sysname, nvarchar(128)).
 * They are always quoted, so quotes, brackets and semicolons in a name are
 * harmless.
 *
 * PostgreSQL folds a name as it folds an unquoted identifier (ASCII upper
 * case to lower case), so the AX spelling SALESQUOTATIONTABLE names the
 * table salesquotationtable; it is then quoted by quote_ident's rules (only
 * when it is not a plain lower-case identifier or is a keyword).  SQL
 * Server keeps the name and quotes it by QUOTENAME's rules: [name] with ]
 * doubled.
 *
 * Aliases are referenced without quotes inside expressions, so they must be
 * plain: a letter or underscore, then letters, digits, underscores, at most
 * 30 characters, not a reserved word of either dialect (keywords.h).
 *
 * Expressions are SQL text written by the DBA.  They may use anything the
 * dialect offers inside one scalar expression, but not: ';' (anywhere), a
 * line that is only GO (upkit_is_go_line, the batch splitter's own
 * definition), comment openers or closers (--, slash-star,
 * star-slash) outside literals, unbalanced quotes, brackets or parentheses,
 * a literal or quoted name that spans lines, control characters and line
 * ends other than LF and CR LF (comment.h), and for
 * PostgreSQL dollar quoting ($) and E'' escape strings outside literals and
 * a backslash inside a literal (an escape when standard_conforming_strings
 * is off).
 * The renderers put every expression in parentheses; because its own
 * parentheses balance, an expression cannot leave its place in the
 * statement.
 */
#ifndef UPKIT_IDENT_H
#define UPKIT_IDENT_H

#include <stddef.h>

#include "dialect.h"
#include "strbuf.h"

#define UPKIT_PG_NAME_MAX_BYTES 63
#define UPKIT_MSSQL_NAME_MAX_UNITS 128	/* sysname: nvarchar(128), UTF-16 code units */
#define UPKIT_ALIAS_MAX_CHARS 30

/* 0 when name is a valid name for the dialect; else -1 and a reason in why. */
int			upkit_ident_check(const char *name, enum upkit_dialect d, char *why, size_t n);
/* 0 when alias is a plain alias; else -1 and a reason in why. */
int			upkit_alias_check(const char *alias, char *why, size_t n);
/* 0 when expr is an acceptable expression; else -1 and a reason in why. */
int			upkit_expr_check(const char *expr, enum upkit_dialect d, char *why, size_t n);
/* The name as the dialect stores it (malloc'd): PostgreSQL folds ASCII upper case. */
char	   *upkit_ident_fold(const char *name, enum upkit_dialect d);
/* Do two names denote the same object in the dialect (SQL Server: case-insensitive)? */
int			upkit_ident_same(const char *a, const char *b, enum upkit_dialect d);

/* Append "schema.name" as the dialect stores the names (not quoted): for texts and messages. */
void		upkit_display_name(struct strbuf *sb, const char *schema, const char *name,
							   enum upkit_dialect d);
/* Append the quoted name: "name"/name for PostgreSQL, [name] for SQL Server. */
void		upkit_quote_ident(struct strbuf *sb, const char *name, enum upkit_dialect d);
/*
 * Append a name exactly as the server's catalog spells it (read from the
 * catalog, so never folded), always quoted: "name" with " doubled, [name]
 * with ] doubled.
 */
void		upkit_quote_catalog_name(struct strbuf *sb, const char *name, enum upkit_dialect d);
/* Append schema.name as the catalog spells them, both always quoted. */
void		upkit_quote_catalog_qualified(struct strbuf *sb, const char *schema, const char *name,
										  enum upkit_dialect d);
/* Append schema.name, both quoted. */
void		upkit_quote_qualified(struct strbuf *sb, const char *schema, const char *name,
								  enum upkit_dialect d);
/* Append a string literal: 'x' (E'x' when it holds a backslash) or N'x'. */
void		upkit_quote_literal(struct strbuf *sb, const char *s, enum upkit_dialect d);
/*
 * An order_by item: an expression (upkit_expr_check), then optionally ASC or
 * DESC (any case), and no other ASC or DESC outside literals and quoted
 * names.  Returns the length of the expression part and sets *desc; -1 and
 * a reason in why when the item is not of that form.
 */
long		upkit_order_check(const char *item, enum upkit_dialect d, int *desc, char *why, size_t n);

#endif
