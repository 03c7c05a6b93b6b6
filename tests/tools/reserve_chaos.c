/*
 * reserve_chaos: every reservation path of upkit at once, for a fixed time,
 * under savepoints, rollbacks to savepoints, rollbacks, pg_cancel_backend
 * and pg_terminate_backend (tests/reserve/chaos.t).
 *
 *   reserve_chaos -d SECONDS [-s SESSIONS] [-S SEED]
 *
 * SESSIONS processes (default 6) run transactions until SECONDS have passed.
 * Each transaction makes 1 to 4 steps; before a step a SAVEPOINT is taken
 * half of the time, and a third of those are rolled back to afterwards;
 * four transactions in five commit, the others roll back.  A step is one of
 *   R  upkit.reserve_recids(t, n)                  printed "R,t,start,n"
 *   T  INSERT INTO tx_log SELECT t, upkit.reserve_recids_transactional(t, n), n
 *   N  INSERT INTO num_log SELECT first_number, n FROM upkit.reserve_numbers('dat', 'CHAOS', n)
 *   G  n rows without RECID into guarded (upkit.recid_guard(930))
 * with t one of 930, 931 or a fresh TABID 950..979 (first rows are made on
 * every path), n mostly small, sometimes large enough to bypass the cache.
 * One more process cancels or terminates a random session every 50-300 ms;
 * a terminated session connects again.
 *
 * Every session runs with statement_timeout = 30s, the bound on any wait:
 * a statement that times out is a failure, and so is any error other than
 * a cancel, a termination or a deadlock the detector broke (40P01).
 * stdout: the R lines (ranges handed out, whatever became of their
 * transaction), one write(2) each.  stderr: the last line is
 * "steps=... savepoint_rollbacks=... cancels=... terminations=... deadlocks=... failures=...".
 * Exit status 0 when there was no failure.
 */
#include <errno.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "libpq-fe.h"
#include "tool_io.h"

#define APP "reserve_chaos"

typedef struct Counts
{
	long		steps;
	long		savepoint_rollbacks;
	long		cancels;
	long		terminations;
	long		deadlocks;
	long		failures;
} Counts;

static Counts *shared_counts;	/* in a shared mapping, one per session + killer */

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static PGconn *
connect_session(const char *app)
{
	char		conninfo[64];
	PGconn	   *conn;

	snprintf(conninfo, sizeof(conninfo), "application_name=%s", app);
	conn = PQconnectdb(conninfo);
	if (PQstatus(conn) != CONNECTION_OK)
	{
		PQfinish(conn);
		return NULL;
	}
	PQclear(PQexec(conn, "SET statement_timeout = '30s'"));
	return conn;
}

/*
 * Run one statement.  0: ok.  1: an expected interruption (cancel, deadlock,
 * lost connection: the caller rolls back or reconnects).  -1: a failure,
 * reported on stderr.
 */
static int
exec_step(PGconn *conn, const char *sql, int session, Counts *c, PGresult **out)
{
	PGresult   *res = PQexec(conn, sql);
	ExecStatusType st = PQresultStatus(res);
	const char *state;
	const char *msg;

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
	{
		if (out)
			*out = res;
		else
			PQclear(res);
		return 0;
	}
	state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	msg = PQerrorMessage(conn);
	if (PQstatus(conn) != CONNECTION_OK || state == NULL ||
		strcmp(state, "57P01") == 0 || strcmp(state, "08006") == 0)
	{
		PQclear(res);
		return 1;				/* terminated */
	}
	if (strcmp(state, "40P01") == 0)
	{
		c->deadlocks++;
		PQclear(res);
		return 1;
	}
	if (strcmp(state, "57014") == 0 && strstr(msg, "statement timeout") == NULL)
	{
		PQclear(res);
		return 1;				/* pg_cancel_backend */
	}
	fprintf(stderr, "session %d: FAILURE %s: %s: %s", session, state, sql, msg);
	c->failures++;
	PQclear(res);
	return -1;
}

static int
pick_tabid(unsigned *seed)
{
	int			r = rand_r(seed) % 10;

	if (r < 4)
		return 930;
	if (r < 8)
		return 931;
	return 950 + rand_r(seed) % 30;
}

static long
pick_n(unsigned *seed)
{
	int			r = rand_r(seed) % 50;

	if (r == 0)
		return 5000 + rand_r(seed) % 5000;	/* past a quarter of a block */
	return 1 + rand_r(seed) % 20;
}

/* One step; 0 ok, 1 interrupted, -1 failure. */
static int
step(PGconn *conn, int session, unsigned *seed, Counts *c)
{
	char		sql[512];
	int			kind = rand_r(seed) % 4;
	int			t = pick_tabid(seed);
	long		n = pick_n(seed);
	PGresult   *res = NULL;
	int			rc;

	switch (kind)
	{
		case 0:
			snprintf(sql, sizeof(sql), "SELECT upkit.reserve_recids(%d, %ld)", t, n);
			rc = exec_step(conn, sql, session, c, &res);
			if (rc == 0)
			{
				char		line[128];

				snprintf(line, sizeof(line), "R,%d,%s,%ld\n", t, PQgetvalue(res, 0, 0), n);
				put_line(line);
				PQclear(res);
			}
			return rc;
		case 1:
			snprintf(sql, sizeof(sql),
					 "INSERT INTO tx_log SELECT %d, upkit.reserve_recids_transactional(%d, %ld), %ld", t, t, n, n);
			return exec_step(conn, sql, session, c, NULL);
		case 2:
			snprintf(sql, sizeof(sql),
					 "INSERT INTO num_log SELECT first_number, %ld FROM upkit.reserve_numbers('dat', 'CHAOS', %ld)", n, n);
			return exec_step(conn, sql, session, c, NULL);
		default:
			snprintf(sql, sizeof(sql),
					 "INSERT INTO guarded (k) SELECT g FROM generate_series(1, %ld) g", n % 200 + 1);
			return exec_step(conn, sql, session, c, NULL);
	}
}

static int
session_main(int session, double deadline, unsigned seed)
{
	Counts	   *c = &shared_counts[session];
	PGconn	   *conn = NULL;
	char		app[32];

	snprintf(app, sizeof(app), "%s", APP);
	while (now() < deadline)
	{
		int			steps = 1 + rand_r(&seed) % 4;
		int			i;
		int			rc = 0;

		if (conn == NULL || PQstatus(conn) != CONNECTION_OK)
		{
			if (conn)
			{
				PQfinish(conn);
				c->terminations++;
			}
			conn = connect_session(app);
			if (conn == NULL)
			{
				usleep(100000);
				continue;
			}
		}
		if (exec_step(conn, "BEGIN", session, c, NULL) != 0)
			continue;
		for (i = 0; i < steps && rc == 0; i++)
		{
			char		sp[64];
			bool		savepoint = rand_r(&seed) % 2 == 0;

			snprintf(sp, sizeof(sp), "SAVEPOINT s%d", i);
			if (savepoint && (rc = exec_step(conn, sp, session, c, NULL)) != 0)
				break;
			rc = step(conn, session, &seed, c);
			c->steps++;
			if (rc == 0 && savepoint && rand_r(&seed) % 3 == 0)
			{
				snprintf(sp, sizeof(sp), "ROLLBACK TO SAVEPOINT s%d", i);
				rc = exec_step(conn, sp, session, c, NULL);
				if (rc == 0)
					c->savepoint_rollbacks++;
			}
		}
		if (rc < 0)
		{
			PQclear(PQexec(conn, "ROLLBACK"));
			continue;
		}
		if (rc == 0)
			(void) exec_step(conn, rand_r(&seed) % 5 == 0 ? "ROLLBACK" : "COMMIT", session, c, NULL);
		else if (PQstatus(conn) == CONNECTION_OK)
			PQclear(PQexec(conn, "ROLLBACK"));
	}
	if (conn)
		PQfinish(conn);
	return 0;
}

static int
killer_main(int slot, double deadline, unsigned seed)
{
	Counts	   *c = &shared_counts[slot];
	PGconn	   *conn = connect_session("reserve_chaos_killer");

	if (conn == NULL)
		return 1;
	while (now() < deadline - 2)
	{
		bool		terminate = rand_r(&seed) % 3 == 0;
		char		sql[256];
		PGresult   *res;

		usleep(50000 + rand_r(&seed) % 250000);
		snprintf(sql, sizeof(sql),
				 "SELECT %s(pid) FROM pg_stat_activity WHERE application_name = '%s'"
				 " AND state = 'active' ORDER BY random() LIMIT 1",
				 terminate ? "pg_terminate_backend" : "pg_cancel_backend", APP);
		res = PQexec(conn, sql);
		if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 &&
			strcmp(PQgetvalue(res, 0, 0), "t") == 0)
		{
			if (terminate)
				c->terminations++;
			else
				c->cancels++;
		}
		PQclear(res);
	}
	PQfinish(conn);
	return 0;
}

int
main(int argc, char **argv)
{
	int			seconds = 60;
	int			sessions = 6;
	unsigned	seed = 42;
	int			opt;
	int			i;
	double		deadline;
	Counts		total;

	while ((opt = getopt(argc, argv, "d:s:S:")) != -1)
	{
		switch (opt)
		{
			case 'd': seconds = atoi(optarg); break;
			case 's': sessions = atoi(optarg); break;
			case 'S': seed = (unsigned) strtoul(optarg, NULL, 10); break;
			default:
				fprintf(stderr, "usage: reserve_chaos -d SECONDS [-s SESSIONS] [-S SEED]\n");
				return 2;
		}
	}
	if (seconds < 1 || sessions < 1)
		return 2;
	shared_counts = mmap(NULL, sizeof(Counts) * (sessions + 1), PROT_READ | PROT_WRITE,
						 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared_counts == MAP_FAILED)
		return 1;
	memset(shared_counts, 0, sizeof(Counts) * (sessions + 1));
	deadline = now() + seconds;
	for (i = 0; i <= sessions; i++)
	{
		pid_t		pid = fork();

		if (pid < 0)
			return 1;
		if (pid == 0)
			_exit(i < sessions ? session_main(i, deadline, seed + (unsigned) i * 7919u)
				  : killer_main(i, deadline, seed + 1u));
	}
	for (i = 0; i <= sessions; i++)
		(void) wait(NULL);

	memset(&total, 0, sizeof(total));
	for (i = 0; i <= sessions; i++)
	{
		total.steps += shared_counts[i].steps;
		total.savepoint_rollbacks += shared_counts[i].savepoint_rollbacks;
		total.cancels += shared_counts[i].cancels;
		/* (a session counts its lost connections, the killer its kills) */
		if (i == sessions)
			total.terminations += shared_counts[i].terminations;
		total.deadlocks += shared_counts[i].deadlocks;
		total.failures += shared_counts[i].failures;
	}
	fprintf(stderr, "steps=%ld savepoint_rollbacks=%ld cancels=%ld terminations=%ld deadlocks=%ld failures=%ld\n",
			total.steps, total.savepoint_rollbacks, total.cancels, total.terminations,
			total.deadlocks, total.failures);
	return total.failures == 0 ? 0 : 1;
}
