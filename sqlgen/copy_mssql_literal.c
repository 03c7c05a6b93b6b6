/*
 * copy_mssql_literal.c: one value read with db-lib written as a T-SQL
 * literal, for the INSERT writer of copy_target_mssql.c (a target table
 * whose IDENTITY column the mapping fills).  Pure functions, unit-tested
 * without a server (tests/unit/test_copy_mssql_insert.c).
 *
 * This is the one place that turns a value into SQL text, so it is safe by
 * construction: text is N'...' with every ' doubled (the only character a
 * T-SQL string literal needs escaped; db-lib hands text over in the client
 * character set, UTF-8, and an N'' literal keeps it Unicode), a text with
 * a NUL byte is refused (it would end the command string); binary is
 * 0x<hex> (0x alone is the empty value); numbers are digits, sign, point
 * and exponent only, from the decoders of copy_mssql_encode.c; a datetime
 * is CONVERT(DATETIME, 'yyyy-mm-dd hh:mi:ss.mmm', 121) with the
 * milliseconds rounded from its 1/300 s ticks (SQL Server rounds .mmm back
 * to the same tick: .000, .003, .007); a datetime2 CONVERT(DATETIME2(7),
 * 'yyyy-mm-dd hh:mi:ss.fffffff', 121); a date CONVERT(DATE, ..., 23); a
 * uniqueidentifier CONVERT(UNIQUEIDENTIFIER, '...'); a bit 0 or 1; NULL.
 * Every other type is refused, naming it: nothing is written in a form
 * the server could read as something else.  Which SQL Server types those
 * are is COPY_TSQL_LITERAL_TYPES (copy_mssql.h), the one list of them;
 * copy_tsql_literal_type answers from it.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <sybfront.h>
#include <sybdb.h>

#include "copy_mssql.h"

int
copy_tsql_literal_type(const char *name)
{
#define TSQL_TYPE_NAME(type, systype) #type,
	static const char *const names[] = {COPY_TSQL_LITERAL_TYPES(TSQL_TYPE_NAME)};
#undef TSQL_TYPE_NAME

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcasecmp(name, names[i]) == 0)
			return 1;
	return 0;
}

static void
chars(struct strbuf *out, const unsigned char *s, int n)
{
	sb_append(out, "N'");
	for (int i = 0; i < n; i++)
	{
		if (s[i] == '\'')
			sb_append(out, "''");
		else
			sb_append_len(out, (const char *) s + i, 1);
	}
	sb_append(out, "'");
}

static void
binary(struct strbuf *out, const unsigned char *b, int n)
{
	sb_append(out, "0x");
	for (int i = 0; i < n; i++)
		sb_appendf(out, "%02X", b[i]);
}

int
copy_tsql_literal(struct strbuf *out, int systype, const unsigned char *data, int len,
				  char *msg, size_t msglen)
{
	struct strbuf v = STRBUF_INIT;
	int			rc = 0;

	if (data == NULL)
	{
		sb_append(out, "NULL");
		return 0;
	}
	switch (systype)
	{
		case SYBCHAR:
		case SYBVARCHAR:
		case SYBNVARCHAR:
		case SYBTEXT:
			if (memchr(data, '\0', (size_t) len) != NULL)
			{
				snprintf(msg, msglen, "a text value with a NUL byte cannot be written as a T-SQL literal");
				return -1;
			}
			chars(out, data, len);
			return 0;
		case SYBBINARY:
		case SYBVARBINARY:
		case SYBIMAGE:
			binary(out, data, len);
			return 0;
		case SYBBIT:
		case SYBBITN:
			if (len != 1)
				break;
			sb_append(out, data[0] ? "1" : "0");
			return 0;
		case SYBDATETIME:
			{
				DBDATETIME	d;

				if (len != (int) sizeof d)
					break;
				memcpy(&d, data, sizeof d);
				copy_text_datetime(&v, d.dtdays, d.dttime);
				sb_append(out, "CONVERT(DATETIME, '");
				sb_append_len(out, sb_str(&v), 19);
				sb_appendf(out, ".%03d', 121)", ((d.dttime % 300) * 10 + 1) / 3);
				sb_free(&v);
				return 0;
			}
		case SYBMSDATETIME2:
			{
				/* DBDATETIMEALL: days from 1900-01-01, time in 100 ns units */
				DBDATETIMEALL d;
				unsigned long long t;

				if (len != (int) sizeof d)
					break;
				memcpy(&d, data, sizeof d);
				t = (unsigned long long) d.time;
				if (t >= 864000000000ULL)
				{
					snprintf(msg, msglen, "a datetime2 whose time of day is past 24 hours");
					return -1;
				}
				rc = copy_text_dblib_value(&v, SYBMSDATE, data, len, msg, msglen);
				if (rc != 0)
					break;
				sb_appendf(out, "CONVERT(DATETIME2(7), '%s %02llu:%02llu:%02llu.%07llu', 121)", sb_str(&v),
						   t / 36000000000ULL, t / 600000000ULL % 60, t / 10000000ULL % 60, t % 10000000ULL);
				sb_free(&v);
				return 0;
			}
		case SYBINT1:
		case SYBINT2:
		case SYBINT4:
		case SYBINT8:
		case SYBFLT8:
		case SYBREAL:
		case SYBNUMERIC:
		case SYBDECIMAL:
		case SYBDATETIME4:
		case SYBMSDATE:
		case COPY_MSSQL_SYBUNIQUE:
			/* the COPY text of these has no character that needs escaping */
			rc = copy_text_dblib_value(&v, systype, data, len, msg, msglen);
			if (rc != 0)
				break;
			if (strspn(sb_str(&v), "0123456789-+.eE: abcdef") != strlen(sb_str(&v)))
			{
				snprintf(msg, msglen, "db-lib type %d gave a value that is not a number, date or uuid",
						 systype);
				rc = -1;
			}
			else if (systype == SYBDATETIME4)
				sb_appendf(out, "CONVERT(DATETIME, '%s', 121)", sb_str(&v));
			else if (systype == SYBMSDATE)
				sb_appendf(out, "CONVERT(DATE, '%s', 23)", sb_str(&v));
			else if (systype == COPY_MSSQL_SYBUNIQUE)
				sb_appendf(out, "CONVERT(UNIQUEIDENTIFIER, '%s')", sb_str(&v));
			else
				sb_append(out, sb_str(&v));
			sb_free(&v);
			return rc;
		default:
			snprintf(msg, msglen, "db-lib type %d has no T-SQL literal in upkit copy", systype);
			return -1;
	}
	sb_free(&v);
	if (rc == 0)
		snprintf(msg, msglen, "a value of db-lib type %d whose length %d is not the type's", systype, len);
	return -1;
}
