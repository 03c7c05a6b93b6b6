/*
 * reserve_stress: drive upkit.reserve_recids from several libpq sessions at
 * once and print every range that was handed out, for the tests in tests/reserve/.
 *
 *   reserve_stress stress -t TABID [-s SESSIONS] [-n TOTAL] [-r ROLLBACK_SESSIONS]
 *                         [-g GUARD_TABLE] [-S SEED]
 *       SESSIONS processes (default 8) make TOTAL reservations in all
 *       (default 10000) of random sizes: mostly 1..20, every tenth up to
 *       5000, every hundredth 20000 (so both the cache and the direct path
 *       are used).  Each one runs in a transaction that also inserts the
 *       range into reserve_log(session, start_recid, n); the first
 *       ROLLBACK_SESSIONS sessions (default half) roll back every second
 *       transaction.  With -g, every fifth transaction of every session also
 *       inserts 50 rows without RECID into GUARD_TABLE (a table guarded by
 *       upkit.recid_guard), whose RECIDs then come from the session's block.
 *   reserve_stress loop -t TABID
 *       One session reserves ranges in autocommit until its connection
 *       dies (the crash test kills its backend).
 *
 * Every range the server handed out is printed as "start,n,outcome,session"
 * (outcome: committed, rolledback or autocommit) with one write(2) per
 * line, so lines from several processes never mix.  A range is printed
 * once its reservation returned, before the transaction ends: a range
 * handed out to a transaction that then rolled back counts too.
 * Connection parameters come from the PG* environment variables.
 * Exit status: 0 when every session finished (loop: when the connection
 * was lost after at least one range), 1 otherwise.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libpq-fe.h"
#include "tool_io.h"

static PGconn *
connect_or_die(const char *who)
{
	PGconn	   *conn = PQconnectdb("application_name=reserve_stress");

	if (PQstatus(conn) != CONNECTION_OK)
	{
		fprintf(stderr, "%s: cannot connect: %s", who, PQerrorMessage(conn));
		exit(1);
	}
	return conn;
}

/* Run a command; return 0 or print the error and return -1. */
static int
run(PGconn *conn, const char *sql, int session)
{
	PGresult   *res = PQexec(conn, sql);
	int			ok = PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK;

	if (!ok)
		fprintf(stderr, "session %d: %s: %s", session, sql, PQerrorMessage(conn));
	PQclear(res);
	return ok ? 0 : -1;
}

/* upkit.reserve_recids(tabid, n) -> start, or -1 on error. */
static long long
reserve(PGconn *conn, int tabid, long long n, int session)
{
	char		sql[128];
	PGresult   *res;
	long long	start = -1;

	snprintf(sql, sizeof(sql), "SELECT upkit.reserve_recids(%d, %lld)", tabid, n);
	res = PQexec(conn, sql);
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		start = atoll(PQgetvalue(res, 0, 0));
	else if (session >= 0)
		fprintf(stderr, "session %d: %s: %s", session, sql, PQerrorMessage(conn));
	PQclear(res);
	return start;
}

static long long
random_size(unsigned *seed)
{
	int			r = rand_r(seed) % 100;

	if (r == 0)
		return 20000;
	if (r < 10)
		return 1 + rand_r(seed) % 5000;
	return 1 + rand_r(seed) % 20;
}

static int
stress_session(int session, int tabid, int count, int rollback, const char *guard, unsigned seed)
{
	PGconn	   *conn = connect_or_die("reserve_stress");
	char		line[256];
	char		sql[512];
	int			i;

	for (i = 0; i < count; i++)
	{
		long long	n = random_size(&seed);
		long long	start;
		int			undo = rollback && (i % 2 == 1);

		if (run(conn, "BEGIN", session) != 0)
			return 1;
		start = reserve(conn, tabid, n, session);
		if (start < 0)
			return 1;
		snprintf(line, sizeof(line), "%lld,%lld,%s,%d\n", start, n, undo ? "rolledback" : "committed", session);
		put_line(line);
		snprintf(sql, sizeof(sql), "INSERT INTO reserve_log (session, start_recid, n) VALUES (%d, %lld, %lld)",
				 session, start, n);
		if (run(conn, sql, session) != 0)
			return 1;
		if (guard && i % 5 == 0)
		{
			snprintf(sql, sizeof(sql), "INSERT INTO %s (session, k) SELECT %d, g FROM generate_series(1, 50) g",
					 guard, session);
			if (run(conn, sql, session) != 0)
				return 1;
		}
		if (run(conn, undo ? "ROLLBACK" : "COMMIT", session) != 0)
			return 1;
	}
	PQfinish(conn);
	return 0;
}

static int
loop_session(int tabid)
{
	PGconn	   *conn = connect_or_die("reserve_stress loop");
	unsigned	seed = (unsigned) getpid();
	char		line[256];
	long long	got = 0;

	for (;;)
	{
		long long	n = random_size(&seed);
		long long	start = reserve(conn, tabid, n, -1);

		if (start < 0)
			break;
		snprintf(line, sizeof(line), "%lld,%lld,autocommit,0\n", start, n);
		put_line(line);
		got++;
	}
	fprintf(stderr, "loop: stopped after %lld ranges: %s", got, PQerrorMessage(conn));
	return got > 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	const char *mode;
	int			tabid = -1;
	int			sessions = 8;
	int			total = 10000;
	int			rollback = -1;
	const char *guard = NULL;
	unsigned	seed = 42;
	int			opt;
	int			i;
	int			failed = 0;

	if (argc < 2)
	{
		fprintf(stderr, "usage: reserve_stress stress|loop -t TABID [options]\n");
		return 2;
	}
	mode = argv[1];
	optind = 2;
	while ((opt = getopt(argc, argv, "t:s:n:r:g:S:")) != -1)
	{
		switch (opt)
		{
			case 't': tabid = atoi(optarg); break;
			case 's': sessions = atoi(optarg); break;
			case 'n': total = atoi(optarg); break;
			case 'r': rollback = atoi(optarg); break;
			case 'g': guard = optarg; break;
			case 'S': seed = (unsigned) strtoul(optarg, NULL, 10); break;
			default: return 2;
		}
	}
	if (tabid < 0 || sessions < 1 || total < sessions)
	{
		fprintf(stderr, "reserve_stress: need -t TABID, SESSIONS >= 1, TOTAL >= SESSIONS\n");
		return 2;
	}
	if (rollback < 0)
		rollback = sessions / 2;

	if (strcmp(mode, "loop") == 0)
		return loop_session(tabid);
	if (strcmp(mode, "stress") != 0)
	{
		fprintf(stderr, "reserve_stress: unknown mode %s\n", mode);
		return 2;
	}

	for (i = 0; i < sessions; i++)
	{
		int			count = total / sessions + (i < total % sessions ? 1 : 0);
		pid_t		pid = fork();

		if (pid < 0)
		{
			perror("fork");
			return 1;
		}
		if (pid == 0)
			_exit(stress_session(i, tabid, count, i < rollback, guard, seed + (unsigned) i * 7919u));
	}
	for (i = 0; i < sessions; i++)
	{
		int			status;

		if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
			failed = 1;
	}
	return failed;
}
