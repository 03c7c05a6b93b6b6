/*
 * mssql_query.c: run one T-SQL batch on the SQL Server the integration tests
 * use, over FreeTDS db-lib, and print its rows so a shell test can compare
 * them.
 *
 *   mssql_query 'SELECT [dbo].[FN_FMT_NUMBERSEQUENCE](N''SQ-###'', 5, 0, 0)'
 *   mssql_query < batch.sql
 *
 * The server comes from the environment, as for the tests in tests/mssql:
 * UPKIT_MSSQL (HOST[:PORT], port 1433 by default), UPKIT_MSSQL_DATABASE,
 * UPKIT_MSSQL_USER and UPKIT_MSSQL_PASSWORD.
 *
 * Output: one line per row of every result set, columns separated by a tab;
 * NULL is printed as \N, and a backslash, tab, newline or carriage return in
 * a value as \\, \t, \n, \r (the PostgreSQL COPY text conventions).  Server
 * errors (severity above 10) and db-lib errors go to stderr as
 * "Msg N, Level L, State S, Line X: text".
 *
 * Exit status: 0 the batch ran without an error, 1 the server or db-lib
 * reported an error, 2 wrong usage or no connection.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sybfront.h>
#include <sybdb.h>

static int	errors = 0;

static int
on_error(DBPROCESS *dbproc, int severity, int dberr, int oserr,
		 char *dberrstr, char *oserrstr)
{
	(void) dbproc;
	(void) severity;
	/* 20018 is the "General SQL Server error" echo of a server message. */
	if (dberr == 20018)
		return INT_CANCEL;
	errors++;
	fprintf(stderr, "db-lib error %d: %s", dberr, dberrstr ? dberrstr : "(no text)");
	if (oserr != DBNOERR && oserrstr)
		fprintf(stderr, " (%s)", oserrstr);
	fputc('\n', stderr);
	return INT_CANCEL;
}

static int
on_message(DBPROCESS *dbproc, DBINT msgno, int msgstate, int severity,
		   char *msgtext, char *srvname, char *procname, int line)
{
	(void) dbproc;
	(void) srvname;
	/* Severity 0-10 is information ("Changed database context ..."). */
	if (severity <= 10)
		return 0;
	errors++;
	fprintf(stderr, "Msg %d, Level %d, State %d%s%s, Line %d: %s\n", (int) msgno, severity, msgstate,
			procname && *procname ? ", Procedure " : "", procname ? procname : "", line,
			msgtext ? msgtext : "");
	return 0;
}

static void
put_escaped(const BYTE *s, DBINT n)
{
	for (DBINT i = 0; i < n; i++)
	{
		switch (s[i])
		{
			case '\\':
				fputs("\\\\", stdout);
				break;
			case '\t':
				fputs("\\t", stdout);
				break;
			case '\n':
				fputs("\\n", stdout);
				break;
			case '\r':
				fputs("\\r", stdout);
				break;
			default:
				putchar(s[i]);
		}
	}
}

static int
is_character_type(int type)
{
	/* db-lib hands (n)char, (n)varchar and their MAX forms over as these. */
	return type == SYBCHAR || type == SYBVARCHAR || type == SYBTEXT ||
		type == SYBNVARCHAR || type == SYBNTEXT;
}

static void
print_row(DBPROCESS *db, int ncols, BYTE *buf, DBINT bufsize)
{
	for (int c = 1; c <= ncols; c++)
	{
		BYTE	   *data = dbdata(db, c);
		DBINT		len = dbdatlen(db, c);
		int			type = dbcoltype(db, c);

		if (c > 1)
			putchar('\t');
		if (data == NULL)
			fputs("\\N", stdout);
		else if (is_character_type(type))
			put_escaped(data, len);
		else if ((DBINT) 2 * len + 64 > bufsize)
		{
			fprintf(stderr, "mssql_query: column %d (type %d) is too long to print (%d bytes)\n", c, type, (int) len);
			errors++;
		}
		else
		{
			/*
			 * -1: NUL-terminated (a positive length would pad with blanks);
			 * the text of a number, date or binary value (2 hex digits a
			 * byte) fits the buffer, as checked above.
			 */
			DBINT		n = dbconvert(db, type, data, len, SYBCHAR, buf, -1);

			if (n < 0)
			{
				fprintf(stderr, "mssql_query: cannot convert column %d (type %d) to text\n", c, type);
				errors++;
			}
			else
				put_escaped(buf, n);
		}
	}
	putchar('\n');
}

static char *
read_all(FILE *f)
{
	size_t		cap = 8192,
				len = 0,
				n;
	char	   *s = malloc(cap);

	while (s && (n = fread(s + len, 1, cap - len - 1, f)) > 0)
	{
		len += n;
		if (cap - len - 1 == 0)
			s = realloc(s, cap *= 2);
	}
	if (s)
		s[len] = '\0';
	return s;
}

int
main(int argc, char **argv)
{
	const char *server = getenv("UPKIT_MSSQL");
	const char *database = getenv("UPKIT_MSSQL_DATABASE");
	const char *user = getenv("UPKIT_MSSQL_USER");
	const char *password = getenv("UPKIT_MSSQL_PASSWORD");
	char		hostport[600];
	char	   *sql;
	LOGINREC   *login;
	DBPROCESS  *db;
	RETCODE		rc;
	DBINT		bufsize = 1 << 20;
	BYTE	   *buf = malloc((size_t) bufsize);

	if (argc > 2 || (argc == 2 && strcmp(argv[1], "--help") == 0))
	{
		fprintf(stderr, "usage: mssql_query [SQL]   (without SQL the batch is read from stdin)\n");
		return 2;
	}
	if (server == NULL || *server == '\0' || user == NULL || password == NULL)
	{
		fprintf(stderr, "mssql_query: set UPKIT_MSSQL (HOST[:PORT]), UPKIT_MSSQL_USER and UPKIT_MSSQL_PASSWORD\n");
		return 2;
	}
	sql = argc == 2 ? strdup(argv[1]) : read_all(stdin);
	if (sql == NULL || buf == NULL)
	{
		fprintf(stderr, "mssql_query: out of memory\n");
		return 2;
	}
	/* db-lib wants HOST:PORT; without a port, 1433. */
	if (strchr(server, ':'))
		snprintf(hostport, sizeof hostport, "%s", server);
	else
		snprintf(hostport, sizeof hostport, "%s:1433", server);

	if (dbinit() == FAIL)
	{
		fprintf(stderr, "mssql_query: cannot initialise FreeTDS db-lib\n");
		return 2;
	}
	dberrhandle(on_error);
	dbmsghandle(on_message);
	dbsetlogintime(15);
	dbsettime(300);
	login = dblogin();
	DBSETLUSER(login, user);
	DBSETLPWD(login, password);
	DBSETLAPP(login, "upkit-tests");
	DBSETLCHARSET(login, "UTF-8");
	DBSETLVERSION(login, DBVERSION_74);
	if (database && *database)
		DBSETLDBNAME(login, database);
	db = dbopen(login, hostport);
	dbloginfree(login);
	if (db == NULL)
	{
		fprintf(stderr, "mssql_query: cannot connect to SQL Server at %s as %s\n", hostport, user);
		dbexit();
		return 2;
	}

	/*
	 * db-lib sessions start with the old DB-Library defaults (ANSI_NULLS,
	 * ANSI_WARNINGS, CONCAT_NULL_YIELDS_NULL ... OFF); run the tests with
	 * the settings SSMS uses, as the DBAs will.
	 */
	if (dbcmd(db, "SET ANSI_NULLS, ANSI_PADDING, ANSI_WARNINGS, ARITHABORT, CONCAT_NULL_YIELDS_NULL, "
			  "QUOTED_IDENTIFIER ON; SET NUMERIC_ROUNDABORT OFF;") == FAIL ||
		dbsqlexec(db) == FAIL || dbresults(db) == FAIL)
	{
		fprintf(stderr, "mssql_query: cannot set the session options on %s\n", hostport);
		dbclose(db);
		dbexit();
		return 2;
	}
	while (dbresults(db) != NO_MORE_RESULTS)
		;

	if (dbcmd(db, sql) == FAIL || dbsqlexec(db) == FAIL)
		errors++;
	else
	{
		while ((rc = dbresults(db)) != NO_MORE_RESULTS)
		{
			int			ncols;

			if (rc == FAIL)
			{
				errors++;
				continue;
			}
			ncols = dbnumcols(db);
			while ((rc = dbnextrow(db)) != NO_MORE_ROWS)
			{
				if (rc == FAIL)
				{
					errors++;
					break;
				}
				if (rc == REG_ROW)
					print_row(db, ncols, buf, bufsize);
			}
		}
	}
	fflush(stdout);
	dbclose(db);
	dbexit();
	free(sql);
	free(buf);
	return errors > 0 ? 1 : 0;
}
