/*
 * copy_mssql_encode.c: SQL Server values, as FreeTDS db-lib returns them
 * from dbdata() (native integers, DBDATETIME, DBNUMERIC, the raw 16 bytes of
 * a uniqueidentifier, characters already converted to the client charset),
 * written in PostgreSQL's COPY text format, for a SQL Server to PostgreSQL
 * copy that streams into COPY ... FROM STDIN (see copy_mssql.h).
 *
 * Decisions (docs/copy.md "SQL Server"):
 * - AX's empty date, 1900-01-01 00:00:00, stays 1900-01-01: AX's kernel
 *   writes and compares it as dateNull(), its date fields are NOT NULL, and
 *   an upgraded AX on PostgreSQL reads it back the same way; turning it into
 *   NULL would break both.
 * - datetime counts 1/300 s; a tick becomes the nearest microsecond
 *   (PostgreSQL's resolution), so 00:00:00.003 (one tick) is 00:00:00.003333.
 * - uniqueidentifier's first three groups are little-endian in its bytes
 *   (SQL Server's layout); the text form is the one SQL Server prints.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <sybdb.h>

#include "copy_mssql.h"

void
copy_text_null(struct strbuf *out)
{
	sb_append(out, "\\N");
}

void
copy_text_chars(struct strbuf *out, const char *s, size_t n)
{
	size_t		start = 0;

	for (size_t i = 0; i < n; i++)
	{
		const char *esc = NULL;

		switch (s[i])
		{
			case '\\':
				esc = "\\\\";
				break;
			case '\t':
				esc = "\\t";
				break;
			case '\n':
				esc = "\\n";
				break;
			case '\r':
				esc = "\\r";
				break;
			default:
				continue;
		}
		sb_append_len(out, s + start, i - start);
		sb_append(out, esc);
		start = i + 1;
	}
	sb_append_len(out, s + start, n - start);
}

/* Days since 1970-01-01 -> civil date (proleptic Gregorian). */
static void
civil_from_days(long long z, int *y, int *m, int *d)
{
	long long	era,
				doe,
				yoe,
				doy,
				mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int) (doy - (153 * mp + 2) / 5 + 1);
	*m = (int) (mp < 10 ? mp + 3 : mp - 9);
	*y = (int) (yoe + era * 400 + (*m <= 2));
}

static void
date_time(struct strbuf *out, long long days1900, long long micros)
{
	int			y,
				m,
				d;
	long long	secs = micros / 1000000;
	long long	frac = micros % 1000000;

	/* 1900-01-01 is day 25567 before 1970-01-01. */
	civil_from_days(days1900 - 25567, &y, &m, &d);
	sb_appendf(out, "%04d-%02d-%02d %02lld:%02lld:%02lld", y, m, d, secs / 3600, secs / 60 % 60,
			   secs % 60);
	if (frac != 0)
	{
		char		buf[8];
		int			n = 6;

		snprintf(buf, sizeof buf, "%06lld", frac);
		while (n > 0 && buf[n - 1] == '0')
			n--;
		buf[n] = '\0';
		sb_appendf(out, ".%s", buf);
	}
}

void
copy_text_datetime(struct strbuf *out, int days, int ticks)
{
	/* ticks * 1e6 / 300 = ticks * 10000 / 3, to the nearest microsecond */
	date_time(out, days, ((long long) ticks * 10000 + 1) / 3);
}

void
copy_text_guid(struct strbuf *out, const unsigned char b[16])
{
	static const int order[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};

	for (int i = 0; i < 16; i++)
	{
		if (i == 4 || i == 6 || i == 8 || i == 10)
			sb_append(out, "-");
		sb_appendf(out, "%02x", b[order[i]]);
	}
}

void
copy_text_bytea(struct strbuf *out, const unsigned char *b, size_t n)
{
	sb_append(out, "\\\\x");
	for (size_t i = 0; i < n; i++)
		sb_appendf(out, "%02x", b[i]);
}

/*
 * Bytes of a DBNUMERIC's array for a precision, sign byte included: FreeTDS
 * stores the magnitude big-endian in the fewest bytes that hold 10^p - 1.
 */
static int
numeric_bytes(int precision)
{
	static const int bytes[39] = {0, 2, 2, 3, 3, 4, 4, 4, 5, 5, 6, 6, 6, 7, 7, 8, 8, 9, 9, 9, 10,
	10, 11, 11, 11, 12, 12, 13, 13, 14, 14, 14, 15, 15, 16, 16, 16, 17, 17};

	return precision >= 1 && precision <= 38 ? bytes[precision] : -1;
}

int
copy_text_numeric(struct strbuf *out, int precision, int scale, const unsigned char *array)
{
	int			nbytes = numeric_bytes(precision);
	unsigned char mag[DBMAXNUMLEN];
	char		digits[80];
	int			nd = 0;
	int			len;

	if (nbytes < 0 || scale < 0 || scale > precision || array[0] > 1)
		return -1;
	len = nbytes - 1;
	memcpy(mag, array + 1, (size_t) len);
	/* Repeated division by 10 of the big-endian magnitude. */
	for (;;)
	{
		unsigned	rem = 0;
		int			zero = 1;

		for (int i = 0; i < len; i++)
		{
			unsigned	cur = (rem << 8) | mag[i];

			mag[i] = (unsigned char) (cur / 10);
			rem = cur % 10;
			zero &= mag[i] == 0;
		}
		digits[nd++] = (char) ('0' + rem);
		if (zero || nd >= (int) sizeof digits - 1)
			break;
	}
	if (nd > precision)
		return -1;
	while (nd <= scale)
		digits[nd++] = '0';
	if (array[0] == 1)
		sb_append(out, "-");
	for (int i = nd - 1; i >= 0; i--)
	{
		char		c[2] = {digits[i], '\0'};

		sb_append(out, c);
		if (i == scale && scale > 0)
			sb_append(out, ".");
	}
	return 0;
}

static int
need(int len, int want, int systype, char *msg, size_t msglen)
{
	if (len == want)
		return 0;
	snprintf(msg, msglen, "a value of db-lib type %d has %d bytes, not %d", systype, len, want);
	return -1;
}

int
copy_text_dblib_value(struct strbuf *out, int systype, const unsigned char *data, int len,
					  char *msg, size_t msglen)
{
	if (data == NULL)
	{
		copy_text_null(out);
		return 0;
	}
	switch (systype)
	{
		case SYBCHAR:
		case SYBVARCHAR:
		case SYBNVARCHAR:
		case SYBTEXT:
			copy_text_chars(out, (const char *) data, (size_t) len);
			return 0;
		case SYBBINARY:
		case SYBVARBINARY:
		case SYBIMAGE:
			copy_text_bytea(out, data, (size_t) len);
			return 0;
		case SYBINT1:
			if (need(len, 1, systype, msg, msglen))
				return -1;
			sb_appendf(out, "%u", (unsigned) data[0]);
			return 0;
		case SYBBIT:
		case SYBBITN:
			if (need(len, 1, systype, msg, msglen))
				return -1;
			sb_append(out, data[0] ? "t" : "f");
			return 0;
		case SYBINT2:
			{
				int16_t		v;

				if (need(len, 2, systype, msg, msglen))
					return -1;
				memcpy(&v, data, 2);
				sb_appendf(out, "%d", v);
				return 0;
			}
		case SYBINT4:
			{
				int32_t		v;

				if (need(len, 4, systype, msg, msglen))
					return -1;
				memcpy(&v, data, 4);
				sb_appendf(out, "%d", v);
				return 0;
			}
		case SYBINT8:
			{
				int64_t		v;

				if (need(len, 8, systype, msg, msglen))
					return -1;
				memcpy(&v, data, 8);
				sb_appendf(out, "%lld", (long long) v);
				return 0;
			}
		case SYBFLT8:
			{
				double		v;

				if (need(len, 8, systype, msg, msglen))
					return -1;
				memcpy(&v, data, 8);
				sb_appendf(out, "%.17g", v);
				return 0;
			}
		case SYBREAL:
			{
				float		v;

				if (need(len, 4, systype, msg, msglen))
					return -1;
				memcpy(&v, data, 4);
				sb_appendf(out, "%.9g", (double) v);
				return 0;
			}
		case SYBDATETIME:
			{
				DBDATETIME	v;

				if (need(len, (int) sizeof v, systype, msg, msglen))
					return -1;
				memcpy(&v, data, sizeof v);
				copy_text_datetime(out, v.dtdays, v.dttime);
				return 0;
			}
		case SYBDATETIME4:
			{
				DBDATETIME4 v;

				if (need(len, (int) sizeof v, systype, msg, msglen))
					return -1;
				memcpy(&v, data, sizeof v);
				date_time(out, v.days, (long long) v.minutes * 60 * 1000000);
				return 0;
			}
		case SYBNUMERIC:
		case SYBDECIMAL:
			{
				DBNUMERIC	v;

				if (len < 2 || len > (int) sizeof v)
					return need(len, (int) sizeof v, systype, msg, msglen);
				memset(&v, 0, sizeof v);
				memcpy(&v, data, (size_t) len);
				if (copy_text_numeric(out, v.precision, v.scale, v.array) != 0)
				{
					snprintf(msg, msglen, "a numeric(%d,%d) value whose bytes are not one",
							 v.precision, v.scale);
					return -1;
				}
				return 0;
			}
		case SYBMSDATE:
			{
				/* date: DBDATETIMEALL, its day number counted from 1900-01-01 */
				DBDATETIMEALL v;
				struct strbuf dt = STRBUF_INIT;

				if (need(len, (int) sizeof v, systype, msg, msglen))
					return -1;
				memcpy(&v, data, sizeof v);
				date_time(&dt, v.date, 0);
				sb_append_len(out, sb_str(&dt), 10);
				sb_free(&dt);
				return 0;
			}
		case COPY_MSSQL_SYBUNIQUE:
			if (need(len, 16, systype, msg, msglen))
				return -1;
			copy_text_guid(out, data);
			return 0;
		default:
			snprintf(msg, msglen, "db-lib type %d has no COPY text encoding in upkit copy",
					 systype);
			return -1;
	}
}
