/*
 * copy_mssql.h: what the copy needs to know about SQL Server's types
 * (copy_mssql_types.c) and how a SQL Server value, as FreeTDS db-lib hands
 * it over, is written into PostgreSQL's COPY text format
 * (copy_mssql_encode.c).  Pure functions: no server, no printing, so both
 * are unit-tested (tests/unit/test_copy_mssql.c).  docs/copy.md "SQL
 * Server" has the mapping table and the decisions (AX's 1900-01-01 empty
 * date stays a date; datetime's 1/300 s ticks become microseconds).
 */
#ifndef UPKIT_COPY_MSSQL_H
#define UPKIT_COPY_MSSQL_H

#include <stddef.h>

#include "dialect.h"
#include "strbuf.h"

/* A column's type as sys.columns / sys.types describe it. */
struct copy_mssql_type
{
	const char *name;			/* sys.types.name: "nvarchar", "int", ... */
	int			max_length;		/* sys.columns.max_length: bytes; -1 for (max) */
	int			precision;
	int			scale;
};

/* SQL Server's own spelling: "nvarchar(20)", "numeric(32,16)", "varbinary(max)". */
void		copy_mssql_type_sql(struct strbuf *out, const struct copy_mssql_type *t);

/*
 * The PostgreSQL type a column of type t becomes, as format_type() spells
 * it ("character varying(20)", "timestamp without time zone"): 0, or -1
 * when upkit has no mapping for it (out then holds the SQL Server spelling
 * followed by " (SQL Server; no PostgreSQL mapping)", which matches no
 * target type, so --explain reports the field).
 */
int			copy_mssql_type_pg(struct strbuf *out, const struct copy_mssql_type *t);

/*
 * The type spelt for a target of dialect d: SQL Server's own spelling, or
 * the PostgreSQL mapping.  0, or -1 when unmapped (see above).
 */
int			copy_mssql_type_for(struct strbuf *out, const struct copy_mssql_type *t,
								enum upkit_dialect d);

/* ---- COPY text format (one row: fields joined by tabs, ended by a newline) ---- */

/* db-lib's type number of uniqueidentifier (FreeTDS's SYBUNIQUE; not in sybdb.h). */
#define COPY_MSSQL_SYBUNIQUE 36

/* A NULL: \N. */
void		copy_text_null(struct strbuf *out);

/* Characters, escaped as COPY text needs (backslash, tab, newline, carriage return). */
void		copy_text_chars(struct strbuf *out, const char *s, size_t n);

/* DBDATETIME: days since 1900-01-01 and 1/300 s since midnight -> "YYYY-MM-DD HH:MM:SS[.ffffff]". */
void		copy_text_datetime(struct strbuf *out, int days, int ticks);

/* uniqueidentifier's 16 bytes, in SQL Server's layout -> "6f9619ff-8b86-d011-b42d-00c04fc964ff". */
void		copy_text_guid(struct strbuf *out, const unsigned char b[16]);

/* Bytes -> bytea's hex form, escaped for COPY text ("\\x0aff"). */
void		copy_text_bytea(struct strbuf *out, const unsigned char *b, size_t n);

/*
 * DBNUMERIC (precision, scale, sign byte, big-endian magnitude) -> its
 * decimal text ("-12.5000000000000000").  0, or -1 when the bytes are not a
 * numeric of that precision.
 */
int			copy_text_numeric(struct strbuf *out, int precision, int scale,
							  const unsigned char *array);

/*
 * One db-lib column value of type systype (SYBINT4, SYBNVARCHAR, ...; len
 * bytes at data, data NULL for a NULL) appended in COPY text form.  0, or
 * -1 for a type the copy does not carry (msg says which).
 */
int			copy_text_dblib_value(struct strbuf *out, int systype, const unsigned char *data,
								  int len, char *msg, size_t msglen);

/* ---- bulk copy into SQL Server (copy_mssql_bcp.c) ---- */

/* copy_bcp_varlen's answers for a value that cannot be sent: empty, or NULL for NOT NULL. */
#define COPY_BCP_EMPTY (-2)
#define COPY_BCP_NULL (-3)

/*
 * The host type a value of db-lib type systype (dbcoltype) is bound as
 * with bcp_bind: character data as SYBCHAR (UTF-8), binary as SYBBINARY,
 * any other type as itself; -1 for a type dbcoltype never reports.
 */
int			copy_bcp_bind_type(int systype);

/* Is a bound type of fixed length (bcp_bind's varlen -1)?  1 or 0. */
int			copy_bcp_fixed(int bindtype);

/*
 * The varlen for bcp_collen of one value (data NULL: NULL) into a column
 * (notnull: NOT NULL; empty_is_default: and its DEFAULT is the empty
 * string): 0 for NULL, -1 for a fixed-length type, else its length.  A NULL
 * for a NOT NULL column is COPY_BCP_NULL (its DEFAULT would take its
 * place).  An empty value (length 0) is sent as NULL (0) when
 * empty_is_default, else COPY_BCP_EMPTY: it cannot be sent.
 */
int			copy_bcp_varlen(int bindtype, const unsigned char *data, int len, int notnull,
							int empty_is_default);

/* Is a default's definition (sys.default_constraints) the empty string?  1 or 0. */
int			copy_bcp_empty_default(const char *definition);

/* ---- T-SQL literals for the INSERT writer (copy_mssql_literal.c) ---- */

/*
 * The one list of the SQL Server types whose values copy_tsql_literal
 * writes: X(name, systype) for each, name as sys.types spells the system
 * type (TYPE_NAME(system_type_id)), systype the db-lib type that
 * copy_tsql_literal takes a value of it as (sybdb.h, where the list is
 * expanded with it).  copy_tsql_literal_type answers from it, and the
 * transfer's check of an IDENTITY table on SQL Server spells it into T-SQL
 * (transfer_side_mssql.c); tests/unit/test_copy_mssql_insert.c holds the
 * list and the literal writer to each other.
 */
#define COPY_TSQL_LITERAL_TYPES(X) \
	X(tinyint, SYBINT1) X(smallint, SYBINT2) X(int, SYBINT4) X(bigint, SYBINT8) \
	X(bit, SYBBIT) X(float, SYBFLT8) X(real, SYBREAL) X(numeric, SYBNUMERIC) X(decimal, SYBDECIMAL) \
	X(char, SYBCHAR) X(varchar, SYBVARCHAR) X(nchar, SYBNVARCHAR) X(nvarchar, SYBNVARCHAR) \
	X(text, SYBTEXT) X(binary, SYBBINARY) X(varbinary, SYBVARBINARY) X(image, SYBIMAGE) \
	X(datetime, SYBDATETIME) X(smalldatetime, SYBDATETIME4) X(datetime2, SYBMSDATETIME2) \
	X(date, SYBMSDATE) X(uniqueidentifier, COPY_MSSQL_SYBUNIQUE)

/*
 * Does the INSERT writer have a T-SQL literal for a column of SQL Server
 * type name (sys.types' spelling, any case)?  1 or 0.
 */
int			copy_tsql_literal_type(const char *name);

/*
 * One db-lib value of type systype (data NULL for a NULL) appended as a
 * T-SQL literal: N'..' with quotes doubled, 0x.., a number, CONVERT(DATETIME,
 * '..', 121), NULL.  0, or -1 for a type or value it cannot write (msg).
 */
int			copy_tsql_literal(struct strbuf *out, int systype, const unsigned char *data, int len,
							  char *msg, size_t msglen);

/* ---- which writer a SQL Server target table gets (copy_mssql_writer.c) ---- */

enum copy_mssql_writer
{
	COPY_MSSQL_BCP = 0,			/* db-lib's bulk copy */
	COPY_MSSQL_INSERT			/* INSERT ... VALUES under SET IDENTITY_INSERT ON */
};

/* INSERT statements of at most this many rows (SQL Server's limit for a VALUES list) ... */
#define COPY_MSSQL_INSERT_ROWS 1000
/* ... and of about this many bytes of SQL text at most. */
#define COPY_MSSQL_INSERT_BYTES (1024 * 1024)

/* A column of the target table, as sys.columns describes it. */
struct copy_mssql_tcol
{
	const char *name;
	int			identity;
	int			computed;
};

/*
 * The writer of table (named in messages) with columns tc in column_id
 * order, for plan columns plan_cols: COPY_MSSQL_BCP or COPY_MSSQL_INSERT,
 * colno[i] the table column (1-based) of plan column i; -1 with the reason
 * in err when a column gets no value or a plan column is no column.
 */
int			copy_mssql_writer_choose(const char *table, const struct copy_mssql_tcol *tc, int ntc,
									 const char *const *plan_cols, int nplan, int *colno,
									 struct strbuf *err);

/* "bcp (db-lib bulk copy)", "INSERT under SET IDENTITY_INSERT ON". */
const char *copy_mssql_writer_name(enum copy_mssql_writer w);

/* "SET IDENTITY_INSERT <table> ON" / "... OFF" (table quoted, qualified). */
void		copy_mssql_identity_insert(struct strbuf *sql, const char *table, int on);

struct copy_cell;

/*
 * Append one row of cells to the INSERT ins that holds nrows rows so far
 * (0: begin it, "INSERT INTO <table> [WITH (TABLOCK)] (<cols>) VALUES"):
 * 0, or -1 with "field <col>: <why>" in err for a value with no literal.
 */
int			copy_mssql_insert_row(struct strbuf *ins, int nrows, const char *table, int tablock,
								  const char *const *cols, int ncols, const struct copy_cell *cells,
								  struct strbuf *err);

#endif
