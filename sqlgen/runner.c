/*
 * runner.c: execute a plan with N worker threads (runner.h).
 *
 * State machine.  All scheduling state lives in struct upkit_run and one
 * mutex guards it.  A worker takes the most urgent instance that is ready,
 * marks it running, drops the mutex while the database works (its own
 * connection, runner_job.c), then records the outcome under the mutex and
 * wakes the others.  An instance is ready when:
 *   - every instance of an earlier phase is done (or skipped for its keys):
 *     stages in order; start, then shared and standard, then final;
 *   - every job it waits for is done: all copies of it, or only the same
 *     company's copy when both are standard jobs;
 *   - for a job of a stage after readiness: the readiness gate passed
 *     (runner_gate.h; the main thread reads the validation log once every
 *     readiness job is done, and a blocked gate skips these jobs);
 *   - no running instance in the same database holds the same TABID's
 *     SYSTEMSEQUENCES row (the generated inserts lock it for their whole
 *     transaction, so a second one would only wait: the worker takes other
 *     work instead);
 *   - the run is neither paused nor stopping.
 * When something an instance waits for fails, is interrupted or skipped
 * for that reason, the instance is skipped ("not run: ...").  A table's
 * copy job (runner_copy.c) holds the jobs of later stages only through
 * the edges to the jobs that use its table (plan_graph.c), not through the
 * phase barrier: a post-copy job starts as soon as its tables are copied.
 * While the run is paused, a running copy job stops before its next range
 * (pause_asked) and, like a live job the pause stopped, waits as pending
 * for the resume.  A plan whose copy lists no tables is expanded from the
 * source's catalog by the command before it gets here (runner_copy_expand).
 *
 * The main thread watches: every 100 ms it checks for Ctrl-C (a flag set
 * by the signal handler), reads the pause flag from the ledger of the
 * first database every half second, and reports progress; a worker wakes
 * it sooner only when it has something to do then (wake_main).  On Ctrl-C (or
 * --fail-fast's first failure) no instance starts any more and the
 * running statements are cancelled through the connection interface; the
 * workers record them as interrupted.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ledger.h"
#include "runner.h"
#include "runner_copy.h"
#include "runner_gate.h"
#include "runner_job.h"

static volatile sig_atomic_t interrupt_flag = 0;

void
upkit_run_interrupt(void)
{
	interrupt_flag = 1;
}

const char *
upkit_inst_state_name(enum upkit_inst_state s)
{
	static const char *const n[] = {"pending", "running", "done", "failed", "interrupted", "skipped", "paused"};

	return n[s];
}

struct worker
{
	struct run_impl *ri;
	pthread_t	thread;
	struct upkit_conn **conns;	/* one per database, opened on first use */
	struct upkit_conn *busy;	/* the connection working now, for cancel */
	char	  **backend;		/* per database: the session's id (ledger's backend) */
	int			busy_db;		/* the database of busy */
	int			busy_live;		/* busy runs a job that manages its own transactions */
	struct upkit_instance *busy_inst;	/* the instance busy runs */
	int			busy_marked;	/* its ledger row is marked running (mark_running) */
	int			asked_pause;	/* the run's pause asked its live fill to stop */
};

struct run_impl
{
	struct upkit_run *r;
	const struct upkit_run_options *o;
	pthread_mutex_t mu;
	pthread_cond_t cv;			/* the workers wait on it */
	pthread_cond_t main_cv;		/* the main thread waits on it (wake_main) */
	struct timespec t0;
	int			stopping;		/* start nothing more; cancel */
	int			paused;
	int		   *installed;		/* per job: 0 no, 1 yes, -1 failed */
	char	  **install_error;	/* per job: why it failed */
	char	  **scripts;		/* per SQL job: its text */
	pthread_mutex_t install_mu;
	struct worker *workers;
	int			n_workers;
	struct upkit_conn **ctl;	/* one per database: the main thread's */
	enum
	{
		GATE_OPEN, GATE_WAIT, GATE_BLOCKED
	}			gate;			/* the readiness gate for later stages */
	char	   *gate_skip;		/* why a later job is not run */
	int		   *dirty;			/* per database: commits not known to be flushed */
	/* The first instance of each job, and how many. */
	int		   *first;
	int		   *count;
	struct runner_copies *copies;	/* the copy stage's planned copies */
	struct
	{
		pthread_t	thread;
		int			started;	/* the thread runs or has not been joined */
		int			db;
		struct upkit_conn *conn;
		char	   *backend;
		struct strbuf err;
	}			early;			/* the first worker's session (early_start) */
};

static double
now(const struct run_impl *ri)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double) (t.tv_sec - ri->t0.tv_sec) + (double) (t.tv_nsec - ri->t0.tv_nsec) / 1e9;
}

static int
ok_state(const struct upkit_instance *x)
{
	return x->state == UPKIT_INST_DONE || (x->state == UPKIT_INST_SKIPPED && x->disabled);
}

static int
bad_state(const struct upkit_instance *x)
{
	return x->state == UPKIT_INST_FAILED || x->state == UPKIT_INST_INTERRUPTED || x->state == UPKIT_INST_PAUSED
		|| (x->state == UPKIT_INST_SKIPPED && !x->disabled);
}

static void
estimate(struct run_impl *ri)
{
	struct upkit_run *r = ri->r;
	double		done = 0,
				left = 0;

	for (int i = 0; i < r->n_inst; i++)
	{
		const struct upkit_instance *x = &r->inst[i];
		double		w = (double) r->graph->weight1[x->job] + 1;

		if (x->state == UPKIT_INST_DONE && !x->before)
			done += w;
		else if (x->state == UPKIT_INST_PENDING || x->state == UPKIT_INST_RUNNING)
			left += w;
	}
	r->eta = done > 0 ? r->elapsed * left / done : -1;
}

static void
emit(struct run_impl *ri, enum upkit_run_event ev, const struct upkit_instance *x)
{
	ri->r->elapsed = now(ri);
	estimate(ri);
	if (ri->o->event)
		ri->o->event(ri->r, ev, x, ri->o->arg);
}

static void
skip(struct run_impl *ri, struct upkit_instance *x, const char *fmt, const char *what)
{
	struct strbuf m = STRBUF_INIT;

	sb_appendf(&m, fmt, what);
	x->state = UPKIT_INST_SKIPPED;
	free(x->message);
	x->message = m.data;
	ri->r->n_skipped++;
	emit(ri, UPKIT_EV_SKIPPED, x);
}

/* Does x wait for instance y (an explicit dependency)? */
static int
waits_for(const struct upkit_plan *p, const struct upkit_instance *x, const struct upkit_instance *y)
{
	return !(p->jobs[x->job].type == UPKIT_JOB_STANDARD && p->jobs[y->job].type == UPKIT_JOB_STANDARD
			 && strcmp(x->company, y->company) != 0);
}

/*
 * The phase barrier, from every instance's state: the lowest phase with an
 * instance that did not finish well (bad), and the lowest phase with one
 * that is not finished yet (open).  An instance of a later phase than bad
 * can never run; one of a later phase than open must wait.
 */
struct barrier
{
	int			bad;
	int			bad_job;
	int			open;
	/* The same without the copy's table jobs: for the later stages. */
	int			bad_nc;
	int			bad_job_nc;
	int			open_nc;
};

static void
barrier_of(const struct upkit_run *r, struct barrier *b)
{
	b->bad = b->open = b->bad_nc = b->open_nc = 1 << 30;
	b->bad_job = b->bad_job_nc = -1;
	for (int i = 0; i < r->n_inst; i++)
	{
		const struct upkit_instance *y = &r->inst[i];
		int			ph = r->graph->phase[y->job];
		int			copy = r->plan->jobs[y->job].copy != NULL;

		if (bad_state(y) && ph < b->bad)
		{
			b->bad = ph;
			b->bad_job = y->job;
		}
		if (bad_state(y) && !copy && ph < b->bad_nc)
		{
			b->bad_nc = ph;
			b->bad_job_nc = y->job;
		}
		if (!ok_state(y) && ph < b->open)
			b->open = ph;
		if (!ok_state(y) && !copy && ph < b->open_nc)
			b->open_nc = ph;
	}
}

/*
 * Is x ready to run now (apart from TABID and pause)?  Skips x, and sets
 * *changed, when something it waits for can no longer finish.
 */
static int
blocked_or_ready(struct run_impl *ri, struct upkit_instance *x, const struct barrier *b, int *changed)
{
	struct upkit_run *r = ri->r;
	const struct upkit_graph *g = r->graph;
	int			ph = g->phase[x->job];
	int			later = r->plan->jobs[x->job].stage > UPKIT_STAGE_COPY;
	int			bad = later ? b->bad_nc : b->bad,
				bad_job = later ? b->bad_job_nc : b->bad_job;
	int			ready = (later ? b->open_nc : b->open) >= ph;

	if (bad < ph)
	{
		skip(ri, x, "not run: job %s of an earlier phase did not finish", r->plan->jobs[bad_job].id);
		*changed = 1;
		return 0;
	}
	if (r->plan->jobs[x->job].stage > UPKIT_STAGE_READINESS && ri->gate != GATE_OPEN)
	{
		if (ri->gate == GATE_BLOCKED)
		{
			skip(ri, x, "%s", ri->gate_skip);
			*changed = 1;
			return 0;
		}
		ready = 0;
	}
	for (int d = 0; d < g->n_deps[x->job]; d++)
	{
		int			k = g->deps[x->job][d];

		for (int i = ri->first[k]; i < ri->first[k] + ri->count[k]; i++)
		{
			struct upkit_instance *y = &r->inst[i];

			if (!waits_for(r->plan, x, y))
				continue;
			if (bad_state(y))
			{
				skip(ri, x, "not run: job %s did not finish", r->plan->jobs[k].id);
				*changed = 1;
				return 0;
			}
			if (!ok_state(y))
				ready = 0;
		}
	}
	return ready;
}

/* Do two jobs' procedures lock a SYSTEMSEQUENCES row in common (units.h)? */
static int
share_tabid(const struct upkit_plan_job *a, const struct upkit_plan_job *b)
{
	for (int i = 0; i < a->n_tabids; i++)
		for (int k = 0; k < b->n_tabids; k++)
			if (a->tabids[i] == b->tabids[k])
				return 1;
	return 0;
}

static int
tabid_busy(const struct run_impl *ri, const struct upkit_instance *x)
{
	const struct upkit_plan *p = ri->r->plan;
	const struct upkit_plan_job *j = &p->jobs[x->job];

	if (j->n_tabids == 0)
		return 0;
	for (int i = 0; i < ri->r->n_inst; i++)
	{
		const struct upkit_instance *y = &ri->r->inst[i];

		if (y->state == UPKIT_INST_RUNNING && p->jobs[y->job].db == j->db
			&& share_tabid(&p->jobs[y->job], j))
			return 1;
	}
	return 0;
}

/* The most urgent ready instance, or NULL; under the mutex. */
static struct upkit_instance *
pick(struct run_impl *ri)
{
	struct upkit_run *r = ri->r;
	int			changed;

	do
	{
		struct barrier b;

		changed = 0;
		barrier_of(r, &b);
		for (int o = 0; o < r->graph->n; o++)
		{
			int			k = r->graph->order[o];

			for (int i = ri->first[k]; i < ri->first[k] + ri->count[k]; i++)
			{
				struct upkit_instance *x = &r->inst[i];

				if (x->state != UPKIT_INST_PENDING)
					continue;
				if (blocked_or_ready(ri, x, &b, &changed) && !ri->stopping && !ri->paused
					&& !interrupt_flag && !tabid_busy(ri, x))
					return x;
			}
		}
	} while (changed);
	return NULL;
}

static int
n_pending(const struct upkit_run *r)
{
	int			n = 0;

	for (int i = 0; i < r->n_inst; i++)
		n += r->inst[i].state == UPKIT_INST_PENDING;
	return n;
}

static struct run_impl *stop_ri;	/* for stopping(): fail-fast stops too */

static int
stopping_cb(void)
{
	return interrupt_flag != 0 || (stop_ri && stop_ri->stopping);
}

/*
 * The first worker's session, opened in a thread of its own while the main
 * thread opens its control connections and the run (both wait mostly on
 * the server starting a session): on the database of the plan's first
 * job.  Worker 0 takes it when it first needs that database; a run that
 * ends before closes it.
 */
static void *
early_main(void *arg)
{
	struct run_impl *ri = arg;

	ri->early.conn = runner_session_open(ri->r->plan, ri->early.db, &ri->early.backend, &ri->early.err);
	return NULL;
}

static void
early_start(struct run_impl *ri)
{
	sigset_t	block,
				old;

	if (ri->r->plan->n_jobs == 0)
		return;
	ri->early.db = ri->r->plan->jobs[0].db;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	ri->early.started = pthread_create(&ri->early.thread, NULL, early_main, ri) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/* The early session, waited for; NULL when it was not opened (taken once). */
static struct upkit_conn *
early_take(struct run_impl *ri, char **backend)
{
	struct upkit_conn *c;

	*backend = NULL;
	if (!ri->early.started)
		return NULL;
	pthread_join(ri->early.thread, NULL);
	ri->early.started = 0;
	sb_free(&ri->early.err);	/* a failure: the worker connects again and says why */
	c = ri->early.conn;
	*backend = ri->early.backend;
	ri->early.conn = NULL;
	ri->early.backend = NULL;
	return c;
}

static struct upkit_conn *
worker_conn(struct worker *w, int db, struct strbuf *err)
{
	struct upkit_conn *c = w->conns[db];

	if (c != NULL)
		return c;
	if (w == &w->ri->workers[0] && db == w->ri->early.db)
		c = early_take(w->ri, &w->backend[db]);
	if (c == NULL)
		c = runner_session_open(w->ri->r->plan, db, &w->backend[db], err);
	return w->conns[db] = c;
}

/* Install the job's procedure once, before its first instance runs. */
static int
install_once(struct run_impl *ri, struct upkit_conn *c, int job, struct strbuf *message)
{
	int			rc;

	pthread_mutex_lock(&ri->install_mu);
	if (ri->installed[job] == 0)
	{
		struct upkit_diags d = UPKIT_DIAGS_INIT;

		struct strbuf why = STRBUF_INIT;

		ri->installed[job] = runner_install_job(c, &ri->r->plan->jobs[job], &d) == 0 ? 1 : -1;
		upkit_diags_text(&d, &why);
		ri->install_error[job] = why.data;
		upkit_diags_free(&d);
	}
	if (ri->installed[job] < 0)
		sb_appendf(message, "its procedure could not be installed: %s",
				   ri->install_error[job] ? ri->install_error[job] : "");
	rc = ri->installed[job];
	pthread_mutex_unlock(&ri->install_mu);
	return rc;
}

/*
 * Before a job in database db: flush every other database with commits
 * not known to be on disk (runner_job.c, "Durability": a job here may
 * build on them, and that server's WAL does not order this one's).
 */
static void
flush_others(struct worker *w, int db)
{
	struct run_impl *ri = w->ri;

	for (int e = 0; e < ri->r->plan->n_dbs; e++)
	{
		struct strbuf err = STRBUF_INIT;
		struct upkit_conn *c;
		const char *flush;
		int			dirty;

		pthread_mutex_lock(&ri->mu);
		dirty = e != db && ri->dirty[e];
		if (dirty)
			ri->dirty[e] = 0;
		pthread_mutex_unlock(&ri->mu);
		if (!dirty || (c = worker_conn(w, e, &err)) == NULL)
		{
			sb_free(&err);
			continue;
		}
		if ((flush = upkit_ledger_for(c->dialect)->flush) && c->ops->exec(c, flush) != 0)
			upkit_conn_clear_error(c);
	}
}

/* The job's work failed: cancel_all leaves the worker alone from now on. */
static void
work_ended(void *arg)
{
	struct worker *w = arg;

	pthread_mutex_lock(&w->ri->mu);
	w->busy = NULL;
	pthread_mutex_unlock(&w->ri->mu);
}

/*
 * A copy job's question between two ranges (runner_copy.h): is the run
 * paused?  Then the job stops there and, like a live job the pause
 * stopped, waits as pending for 'upkit resume'.
 */
static int
pause_asked(void *arg)
{
	struct worker *w = arg;
	int			paused;

	pthread_mutex_lock(&w->ri->mu);
	paused = w->ri->paused && !w->ri->stopping;
	w->asked_pause |= paused;
	pthread_mutex_unlock(&w->ri->mu);
	return paused;
}

static void
run_one(struct worker *w, struct upkit_instance *x, enum runner_outcome *out, long long *rows,
		struct strbuf *message)
{
	struct run_impl *ri = w->ri;
	const struct upkit_plan_job *j = &ri->r->plan->jobs[x->job];
	struct runner_job_call jc = {ri->r->plan->name, ri->r->run, j, x->company, ri->scripts[x->job], NULL, NULL,
	work_ended, w};
	struct runner_copy_call cc = {ri->copies, j, NULL, stopping_cb, pause_asked, w};
	struct upkit_conn *c = worker_conn(w, j->db, message);

	*out = RUNNER_FAILED;
	if (c == NULL)
		return;
	flush_others(w, j->db);
	if (j->copy)
	{
		if ((cc.src = worker_conn(w, j->copy->source_db, message)) == NULL)
		{
			runner_job_fail(c, &jc, sb_str(message));
			return;
		}
		jc.work = runner_copy_work;
		jc.work_arg = &cc;
	}
	if (j->spec && install_once(ri, c, x->job, message) < 0)
	{
		runner_job_fail(c, &jc, sb_str(message));
		return;
	}
	pthread_mutex_lock(&ri->mu);
	w->busy = c;
	w->busy_db = j->db;
	w->busy_live = !j->transaction;
	w->busy_inst = x;
	w->busy_marked = w->busy_live;	/* job_start writes their 'running' (a copy's too) */
	w->asked_pause = 0;
	pthread_mutex_unlock(&ri->mu);
	*out = runner_job_run(c, &jc, stopping_cb, rows, message);
	pthread_mutex_lock(&ri->mu);
	w->busy = NULL;
	w->busy_live = 0;
	w->busy_inst = NULL;
	pthread_mutex_unlock(&ri->mu);
}

/*
 * Wake the main thread (under the mutex) when it has something to do
 * before its next 100 ms tick: the readiness gate may open, the run stops
 * (--fail-fast), or a worker has ended.  Not after every job: a wake-up
 * per job costs a context switch and the mutex, which on a loaded machine
 * is the runner's own overhead.
 */
static void
wake_main(struct run_impl *ri, int worker_ended)
{
	if (worker_ended || ri->gate == GATE_WAIT || ri->stopping)
		pthread_cond_signal(&ri->main_cv);
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct run_impl *ri = w->ri;
	struct upkit_run *r = ri->r;

	pthread_mutex_lock(&ri->mu);
	for (;;)
	{
		struct upkit_instance *x;
		enum runner_outcome out;
		long long	rows = -1;
		struct strbuf message = STRBUF_INIT;

		if ((x = pick(ri)) == NULL)
		{
			if (r->n_running == 0 && (n_pending(r) == 0 || ri->stopping || interrupt_flag))
				break;
			pthread_cond_wait(&ri->cv, &ri->mu);
			continue;
		}
		x->state = UPKIT_INST_RUNNING;
		x->started = now(ri);
		r->n_running++;
		emit(ri, UPKIT_EV_STARTED, x);
		pthread_mutex_unlock(&ri->mu);

		run_one(w, x, &out, &rows, &message);

		pthread_mutex_lock(&ri->mu);
		r->n_running--;
		x->ended = now(ri);
		x->rows = rows;
		free(x->message);
		x->message = message.len ? xstrdup(sb_str(&message)) : NULL;
		sb_free(&message);
		switch (out)
		{
			case RUNNER_DONE:
			case RUNNER_DONE_BEFORE:
				x->state = UPKIT_INST_DONE;
				x->before = out == RUNNER_DONE_BEFORE;
				ri->dirty[r->plan->jobs[x->job].db] |= !x->before;
				r->n_done++;
				emit(ri, UPKIT_EV_DONE, x);
				break;
			case RUNNER_PAUSED:
				emit(ri, UPKIT_EV_LIVE_PAUSED, x);
				if (ri->paused || w->asked_pause)
				{
					/* the run's pause: it waits for 'upkit resume', then goes on */
					x->state = UPKIT_INST_PENDING;
					x->started = x->ended = -1;
				}
				else
					x->state = UPKIT_INST_PAUSED;
				break;
			case RUNNER_INTERRUPTED:
				x->state = UPKIT_INST_INTERRUPTED;
				r->n_interrupted++;
				emit(ri, UPKIT_EV_INTERRUPTED, x);
				break;
			case RUNNER_FAILED:
				x->state = UPKIT_INST_FAILED;
				r->n_failed++;
				emit(ri, UPKIT_EV_FAILED, x);
				if (ri->o->fail_fast && !ri->stopping)
				{
					ri->stopping = 1;
					r->stopped_fail_fast = 1;
				}
				break;
		}
		pthread_cond_broadcast(&ri->cv);
		wake_main(ri, 0);
	}
	pthread_cond_broadcast(&ri->cv);
	wake_main(ri, 1);
	pthread_mutex_unlock(&ri->mu);
	return NULL;
}

/* Cancel the statements running now; under the mutex. */
static void
cancel_all(struct run_impl *ri)
{
	for (int i = 0; i < ri->n_workers; i++)
		if (ri->workers[i].busy)
			ri->workers[i].busy->ops->cancel(ri->workers[i].busy);
}

/*
 * While the run is paused: ask the live fills the busy workers' sessions
 * run to stop after their batch (again at every poll: a fill that starts
 * its state row after the first request resets the control word).  Main
 * thread, under the mutex.
 */
static void
pause_live(struct run_impl *ri)
{
	for (int i = 0; i < ri->n_workers; i++)
	{
		struct worker *w = &ri->workers[i];
		struct upkit_conn *c;
		const char *q;
		const char *pid;

		if (!w->busy || !w->busy_live || !w->backend[w->busy_db] || (c = ri->ctl[w->busy_db]) == NULL)
			continue;
		if ((q = upkit_ledger_for(c->dialect)->live_pause) == NULL)
			continue;
		pid = w->backend[w->busy_db];
		if (c->ops->query(c, q, 1, &pid, NULL) != 0)
			upkit_conn_clear_error(c);
		w->asked_pause = 1;
	}
}

/* A ledger statement on (plan, run, ...) on connection c. */
static int
run_query(struct upkit_conn *c, const char *sql, const struct upkit_run *r, const char *p3,
		  struct strbuf *value)
{
	char		run[16];
	const char *params[3] = {r->plan->name, run, p3};

	snprintf(run, sizeof run, "%d", r->run);
	if (value)
		return upkit_query_value(c, sql, p3 ? 3 : 2, params, value);
	return c->ops->query(c, sql, p3 ? 3 : 2, params, NULL);
}

/* Is every instance of the readiness stage done (or off by its keys)? */
static int
readiness_done(const struct upkit_run *r)
{
	for (int i = 0; i < r->n_inst; i++)
		if (r->plan->jobs[r->inst[i].job].stage == UPKIT_STAGE_READINESS && !ok_state(&r->inst[i]))
			return 0;
	return 1;
}

/*
 * Record the gate's outcome on the readiness instances, in their ledger
 * rows (the ledger's job_note) or, when it blocked, set them back to
 * pending (job_recheck) so that the next run runs the checks again and
 * reads the log afresh.  Main thread, without the mutex.
 */
static void
gate_record(struct run_impl *ri, int recheck, const char *message)
{
	struct upkit_run *r = ri->r;

	for (int i = 0; i < r->n_inst; i++)
	{
		const struct upkit_instance *x = &r->inst[i];
		const struct upkit_plan_job *j = &r->plan->jobs[x->job];
		struct runner_job_call jc = {r->plan->name, r->run, j, x->company, NULL, NULL, NULL, NULL, NULL};
		struct upkit_conn *c = ri->ctl[j->db];

		if (j->stage != UPKIT_STAGE_READINESS || x->disabled || c == NULL)
			continue;
		if (runner_job_note(c, &jc, recheck, message) != 0)
			upkit_conn_clear_error(c);
	}
}

/*
 * The readiness gate (runner_gate.h), once every readiness job is done:
 * read the log, then open the later stages or block them.  Under the
 * mutex, which it drops while it talks to the databases; nothing changes
 * meanwhile, since every later job waits for the gate.
 */
static void
gate_check(struct run_impl *ri)
{
	struct upkit_run *r = ri->r;
	struct runner_gate g;
	struct strbuf note = STRBUF_INIT;
	int			bad;

	if (ri->gate != GATE_WAIT || ri->stopping || interrupt_flag || !readiness_done(r))
		return;
	pthread_mutex_unlock(&ri->mu);
	runner_gate_read(r, ri->ctl, &g);
	bad = g.errors > 0 || g.unreadable;
	if (bad && ri->o->ignore_readiness_errors)
		sb_appendf(&note, "readiness errors logged (%s); ignored: --ignore-readiness-errors", sb_str(&g.what));
	else if (bad)
		sb_appendf(&note, "readiness errors logged (%s): the checks run again on the next run", sb_str(&g.what));
	if (bad)
		gate_record(ri, !ri->o->ignore_readiness_errors, sb_str(&note));
	pthread_mutex_lock(&ri->mu);
	r->readiness_read = 1;
	r->readiness_errors = g.errors;
	r->readiness_advisories = g.advisories;
	r->readiness_what = xstrdup(sb_str(&g.what));
	r->readiness_ignored = bad && ri->o->ignore_readiness_errors;
	r->readiness_blocked = bad && !ri->o->ignore_readiness_errors;
	for (int i = 0; bad && i < r->n_inst; i++)
		if (r->plan->jobs[r->inst[i].job].stage == UPKIT_STAGE_READINESS && !r->inst[i].disabled)
		{
			free(r->inst[i].message);
			r->inst[i].message = xstrdup(sb_str(&note));
		}
	if (r->readiness_blocked)
	{
		struct strbuf why = STRBUF_INIT;

		sb_appendf(&why, "not run: readiness errors logged (%s); fix them or pass --ignore-readiness-errors",
				   sb_str(&g.what));
		ri->gate_skip = why.data;
		ri->gate = GATE_BLOCKED;
	}
	else
		ri->gate = GATE_OPEN;
	emit(ri, UPKIT_EV_READINESS, NULL);
	pthread_cond_broadcast(&ri->cv);
	sb_free(&note);
	runner_gate_free(&g);
}

/*
 * A job the runner wraps commits nothing before its transaction
 * (runner_job.c, "The 'running' row"): once it has run for RUNNING_MARK
 * seconds, its row is marked 'running' from the main thread's own
 * connection to its database, so that 'upkit status' and the ledger show
 * it, and a crash leaves it so.  Main thread, under the mutex (dropped
 * while the statement runs: it may wait for the job's own commit).
 */
#define RUNNING_MARK 1.0

static void
mark_running(struct run_impl *ri, double t)
{
	for (int i = 0; i < ri->n_workers; i++)
	{
		struct worker *w = &ri->workers[i];
		struct upkit_instance *x = w->busy_inst;
		const struct upkit_plan_job *j;
		struct runner_job_call jc;
		struct upkit_conn *c;
		char	   *session;
		double		secs;

		if (x == NULL || w->busy_marked || t - x->started < RUNNING_MARK
			|| w->backend[w->busy_db] == NULL || (c = ri->ctl[w->busy_db]) == NULL)
			continue;
		j = &ri->r->plan->jobs[x->job];
		jc = (struct runner_job_call) {ri->r->plan->name, ri->r->run, j, x->company, NULL, NULL, NULL, NULL, NULL};
		session = xstrdup(w->backend[w->busy_db]);
		secs = t - x->started;
		w->busy_marked = 1;
		pthread_mutex_unlock(&ri->mu);
		if (runner_job_mark(c, &jc, session, secs) != 0)
			upkit_conn_clear_error(c);	/* only what status shows meanwhile */
		free(session);
		pthread_mutex_lock(&ri->mu);
	}
}

static void
watch(struct run_impl *ri, struct upkit_conn *control)
{
	struct upkit_run *r = ri->r;
	const struct upkit_ledger_sql *L = upkit_ledger_for(control->dialect);
	double		last_poll = 0,
				last_progress = 0;

	pthread_mutex_lock(&ri->mu);
	for (;;)
	{
		struct timespec until;
		double		t;

		if (r->n_running == 0 && (n_pending(r) == 0 || ri->stopping || interrupt_flag))
			break;
		gate_check(ri);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 100 * 1000 * 1000;
		if (until.tv_nsec >= 1000000000L)
		{
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&ri->main_cv, &ri->mu, &until);
		if (interrupt_flag && !r->interrupted)
		{
			r->interrupted = 1;
			ri->stopping = 1;
		}
		if (ri->stopping)
		{
			cancel_all(ri);
			pthread_cond_broadcast(&ri->cv);
		}
		t = now(ri);
		if (t - last_poll >= 0.5 && !ri->stopping)
		{
			struct strbuf v = STRBUF_INIT;
			int			paused;

			last_poll = t;
			pthread_mutex_unlock(&ri->mu);
			paused = run_query(control, L->paused, r, NULL, &v) == 1 && strcmp(sb_str(&v), "1") == 0;
			upkit_conn_clear_error(control);
			pthread_mutex_lock(&ri->mu);
			sb_free(&v);
			if (paused)
				pause_live(ri);
			if (paused != ri->paused)
			{
				ri->paused = paused;
				emit(ri, paused ? UPKIT_EV_PAUSED : UPKIT_EV_RESUMED, NULL);
				pthread_cond_broadcast(&ri->cv);
			}
		}
		if (!ri->stopping)
			mark_running(ri, t);
		if (ri->o->progress_every > 0 && t - last_progress >= ri->o->progress_every)
		{
			last_progress = t;
			emit(ri, UPKIT_EV_PROGRESS, NULL);
		}
	}
	pthread_mutex_unlock(&ri->mu);
}

/* Companies: the plan's, or DATAAREA's that are not virtual. */
static int
companies(const struct upkit_plan *p, struct upkit_conn **ctl, char ***out, int *n,
		  struct upkit_diags *diags)
{
	struct upkit_rows rows = UPKIT_ROWS_INIT;
	struct upkit_conn *c;

	*out = NULL;
	*n = 0;
	if (!p->companies_from_dataarea)
	{
		*out = p->companies;
		*n = p->n_companies;
		return 0;
	}
	c = ctl[p->companies_db];
	if (c->ops->query(c, upkit_ledger_for(c->dialect)->companies, 0, NULL, &rows) != 0)
	{
		upkit_diag_msg(diags, "cannot read the companies from DATAAREA in %s: %s", c->where, sb_str(&c->error));
		return -1;
	}
	*out = calloc((size_t) rows.nrows + 1, sizeof **out);
	if (*out == NULL)
		abort();
	for (int i = 0; i < rows.nrows; i++)
		(*out)[i] = xstrdup(upkit_rows_get(&rows, i, 0) ? upkit_rows_get(&rows, i, 0) : "");
	*n = rows.nrows;
	upkit_rows_free(&rows);
	return 0;
}

void
upkit_plan_catalog_sizes(const struct upkit_plan *p, struct upkit_graph *g, struct upkit_conn **ctl,
						 enum upkit_order order)
{
	runner_copy_sizes(p, g, ctl);	/* the copied tables: the source's sizes */
	for (int j = 0; j < p->n_jobs; j++)
		for (int t = 0; t < p->jobs[j].n_tables; t++)
		{
			struct upkit_conn *c = ctl[p->jobs[j].db];
			struct strbuf v = STRBUF_INIT;
			const char *name = p->jobs[j].tables[t].name;

			if (c == NULL)
				continue;
			if (upkit_query_value(c, upkit_ledger_for(c->dialect)->table_size, 1, &name, &v) == 1
				&& sb_str(&v)[0] != '\0')
				upkit_graph_set_size(g, name, strtoll(sb_str(&v), NULL, 10));
			upkit_conn_clear_error(c);
			sb_free(&v);
		}
	upkit_graph_weigh(p, g, order);
}

static int
read_script(const char *file, char **out, struct upkit_diags *diags)
{
	struct strbuf sb = STRBUF_INIT;

	if (upkit_read_text_file(file, "a SQL script is UTF-8 text", &sb, diags) != 0)
	{
		sb_free(&sb);
		return -1;
	}
	*out = sb.data ? sb.data : xstrdup("");
	return 0;
}

static int
run_query_rows(struct upkit_conn *c, const char *sql, const struct upkit_run *r, struct upkit_rows *rows)
{
	char		run[16];
	const char *params[2] = {r->plan->name, run};

	snprintf(run, sizeof run, "%d", r->run);
	return c->ops->query(c, sql, 2, params, rows);
}

/*
 * The run number, the run row in every database, and, when the run is
 * resumed, the ledger's states (its jobs done before are not run again).
 * A new run number has no job rows to read: a runner that took the same
 * number at the same time is caught by each job's own lock and check
 * (runner_job.c: the second waits, then finds 'done'), not by this read, which was a snapshot anyway; so the read is left out (one round
 * trip fewer before the first job).
 */
static int
open_run(struct upkit_run *r, struct upkit_conn **ctl, int new_run, struct upkit_diags *diags)
{
	const struct upkit_plan *p = r->plan;
	struct upkit_conn *c0 = ctl[0];
	const struct upkit_ledger_sql *L0 = upkit_ledger_for(c0->dialect);
	struct strbuf v = STRBUF_INIT;
	const char *name = p->name;
	int			last;

	if (upkit_query_value(c0, L0->last_run, 1, &name, &v) < 0)
	{
		upkit_diag_msg(diags, "cannot read the ledger in %s: %s", c0->where, sb_str(&c0->error));
		sb_free(&v);
		return -1;
	}
	last = sb_str(&v)[0] ? atoi(sb_str(&v)) : 0;
	sb_free(&v);
	r->run = (last == 0 || new_run) ? last + 1 : last;
	r->resumed = !(last == 0 || new_run);
	for (int d = 0; d < p->n_dbs; d++)
	{
		const struct upkit_ledger_sql *L;
		struct upkit_rows rows = UPKIT_ROWS_INIT;

		if (ctl[d] == NULL)
			continue;
		L = upkit_ledger_for(ctl[d]->dialect);
		if (run_query(ctl[d], L->add_run, r, NULL, NULL) != 0
			|| (r->resumed && run_query_rows(ctl[d], L->job_states, r, &rows) != 0))
		{
			upkit_diag_msg(diags, "cannot write the ledger in %s: %s", ctl[d]->where, sb_str(&ctl[d]->error));
			upkit_rows_free(&rows);
			return -1;
		}
		for (int i = 0; i < r->n_inst; i++)
		{
			struct upkit_instance *x = &r->inst[i];

			if (p->jobs[x->job].db != d)
				continue;
			for (int k = 0; k < rows.nrows; k++)
				if (strcmp(upkit_rows_get(&rows, k, 0), p->jobs[x->job].id) == 0
					&& strcmp(upkit_rows_get(&rows, k, 1), x->company) == 0
					&& strcmp(upkit_rows_get(&rows, k, 2), "done") == 0
					&& x->state == UPKIT_INST_PENDING)
				{
					x->state = UPKIT_INST_DONE;
					x->before = 1;
					r->n_done++;
				}
		}
		upkit_rows_free(&rows);
	}
	return 0;
}

static void
ledger_skip(struct upkit_run *r, struct upkit_conn **ctl, const struct upkit_instance *x)
{
	const struct upkit_plan_job *j = &r->plan->jobs[x->job];
	struct runner_job_call jc = {r->plan->name, r->run, j, x->company, NULL, NULL, NULL, NULL, NULL};

	if (runner_job_skip(ctl[j->db], &jc, x->message ? x->message : "") != 0)
		upkit_conn_clear_error(ctl[j->db]);
}

static void
make_instances(struct upkit_run *r, struct run_impl *ri, const struct upkit_run_options *o,
			   char **comp, int n_comp)
{
	const struct upkit_plan *p = r->plan;

	r->inst = calloc((size_t) p->n_jobs * (size_t) (n_comp + 1) + 1, sizeof *r->inst);
	if (r->inst == NULL)
		abort();
	for (int k = 0; k < p->n_jobs; k++)
	{
		const struct upkit_plan_job *j = &p->jobs[k];
		int			copies = j->type == UPKIT_JOB_STANDARD ? n_comp : 1;
		int			enabled = upkit_plan_job_enabled(p, j, o->keys, o->n_keys);

		ri->first[k] = r->n_inst;
		ri->count[k] = copies;
		for (int c = 0; c < copies; c++)
		{
			struct upkit_instance *x = &r->inst[r->n_inst++];

			x->job = k;
			x->company = xstrdup(j->type == UPKIT_JOB_STANDARD ? comp[c] : "");
			x->started = x->ended = -1;
			x->rows = -1;
			if (!enabled)
			{
				struct strbuf m = STRBUF_INIT;

				sb_append(&m, "configuration key not enabled:");
				for (int i = 0; i < j->n_config_keys; i++)
					sb_appendf(&m, " %s", j->config_keys[i]);
				x->state = UPKIT_INST_SKIPPED;
				x->disabled = 1;
				x->message = m.data;
			}
		}
	}
}

/* Connect to every database the plan uses and check its ledger. */
static int
open_control(const struct upkit_plan *p, struct upkit_conn **ctl, struct upkit_diags *diags)
{
	for (int d = 0; d < p->n_dbs; d++)
	{
		int			used = d == 0 || (p->companies_from_dataarea && p->companies_db == d);
		struct strbuf err = STRBUF_INIT;
		struct strbuf v = STRBUF_INIT;

		for (int j = 0; j < p->n_jobs; j++)
			used |= p->jobs[j].db == d;
		if (!used)
			continue;
		if ((ctl[d] = upkit_plan_connect(p, d, &err)) == NULL)
			upkit_diag_msg(diags, "%s", sb_str(&err));
		else if (upkit_query_value(ctl[d], upkit_ledger_for(ctl[d]->dialect)->ready, 0, NULL, &v) != 1
				 || strcmp(sb_str(&v), "1") != 0)
			upkit_diag_msg(diags, "database \"%s\" (%s at %s) %s", p->dbs[d].name, ctl[d]->ops->engine,
						   ctl[d]->where, ctl[d]->error.len ? sb_str(&ctl[d]->error)
						   : upkit_ledger_for(ctl[d]->dialect)->missing);
		sb_free(&err);
		sb_free(&v);
	}
	return diags->n > 0 ? -1 : 0;
}

static int
start_workers(struct run_impl *ri, int n)
{
	sigset_t	block,
				old;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	ri->workers = calloc((size_t) n, sizeof *ri->workers);
	if (ri->workers == NULL)
		abort();
	for (int i = 0; i < n; i++)
	{
		struct worker *w = &ri->workers[i];

		w->ri = ri;
		w->conns = calloc((size_t) ri->r->plan->n_dbs, sizeof *w->conns);
		w->backend = calloc((size_t) ri->r->plan->n_dbs, sizeof *w->backend);
		if (w->conns == NULL || w->backend == NULL || pthread_create(&w->thread, NULL, worker_main, w) != 0)
			abort();
		ri->n_workers++;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return 0;
}

int
upkit_run_plan(const struct upkit_plan *p, struct upkit_graph *g, const struct upkit_run_options *o,
			   struct upkit_run *r, struct upkit_diags *diags)
{
	struct run_impl *ri = calloc(1, sizeof *ri);
	struct upkit_conn **ctl = calloc((size_t) p->n_dbs, sizeof *ctl);
	char	  **comp = NULL;
	int			n_comp = 0,
				standard = 0,
				rc = 1;

	if (ri == NULL || ctl == NULL)
		abort();
	memset(r, 0, sizeof *r);
	if (upkit_plan_copy_pending(p))
	{
		/* the command expands such a copy first (runner_copy_expand) */
		upkit_diag_msg(diags, "the plan has a copy whose tables are not read from its source yet");
		free(ri);
		free(ctl);
		return 1;
	}
	r->plan = p;
	r->graph = g;
	r->eta = -1;
	r->impl = ri;
	ri->r = r;
	ri->o = o;
	pthread_mutex_init(&ri->mu, NULL);
	pthread_mutex_init(&ri->install_mu, NULL);
	pthread_cond_init(&ri->cv, NULL);
	pthread_cond_init(&ri->main_cv, NULL);
	clock_gettime(CLOCK_MONOTONIC, &ri->t0);
	ri->first = calloc((size_t) p->n_jobs + 1, sizeof *ri->first);
	ri->count = calloc((size_t) p->n_jobs + 1, sizeof *ri->count);
	ri->installed = calloc((size_t) p->n_jobs + 1, sizeof *ri->installed);
	ri->scripts = calloc((size_t) p->n_jobs + 1, sizeof *ri->scripts);
	ri->install_error = calloc((size_t) p->n_jobs + 1, sizeof *ri->install_error);
	ri->dirty = calloc((size_t) p->n_dbs + 1, sizeof *ri->dirty);
	if (!ri->dirty || !ri->first || !ri->count || !ri->installed || !ri->scripts || !ri->install_error)
		abort();
	for (int j = 0; j < p->n_jobs; j++)
		standard |= p->jobs[j].type == UPKIT_JOB_STANDARD
			&& upkit_plan_job_enabled(p, &p->jobs[j], o->keys, o->n_keys);
	for (int j = 0; j < p->n_jobs; j++)
		if (p->jobs[j].sql_file && read_script(p->jobs[j].sql_file, &ri->scripts[j], diags) != 0)
			goto out;
	early_start(ri);
	if (open_control(p, ctl, diags) != 0)
		goto out;
	if (standard && companies(p, ctl, &comp, &n_comp, diags) != 0)
		goto out;
	if (standard && n_comp == 0)
	{
		upkit_diag_msg(diags, "the plan has standard jobs (once per company) but no company: %s",
					   p->companies_from_dataarea ? "DATAAREA has no company that is not virtual"
					   : "give \"companies\"");
		goto out;
	}
	upkit_plan_catalog_sizes(p, g, ctl, o->order);
	make_instances(r, ri, o, comp, n_comp);
	ri->ctl = ctl;
	ri->gate = runner_gate_needed(r) ? GATE_WAIT : GATE_OPEN;
	if (open_run(r, ctl, o->new_run, diags) != 0)
		goto out;
	for (int i = 0; i < r->n_inst; i++)
		if (r->inst[i].disabled)
		{
			r->n_skipped++;
			ledger_skip(r, ctl, &r->inst[i]);
		}
	stop_ri = ri;
	ri->copies = runner_copies_new(p);
	start_workers(ri, o->jobs < 1 ? 1 : o->jobs);
	watch(ri, ctl[0]);
	for (int i = 0; i < ri->n_workers; i++)
		pthread_join(ri->workers[i].thread, NULL);
	stop_ri = NULL;
	r->elapsed = now(ri);
	for (int i = 0; i < r->n_inst; i++)
		if (r->inst[i].state == UPKIT_INST_SKIPPED && !r->inst[i].disabled)
			ledger_skip(r, ctl, &r->inst[i]);
	rc = (n_pending(r) || r->interrupted) ? 1 : 0;
	for (int i = 0; i < r->n_inst; i++)
		if (bad_state(&r->inst[i]))
			rc = 1;
	for (int d = 0; d < p->n_dbs; d++)
		if (ctl[d])
		{
			const char *state = r->interrupted ? "interrupted" : rc ? "failed" : "done";

			const char *flush = upkit_ledger_for(ctl[d]->dialect)->flush;

			/*
			 * The last barrier: everything the run committed is on disk
			 * before it reports.  end_run's commit is one (ledger.h); when
			 * it fails, the flush on its own.
			 */
			if (run_query(ctl[d], upkit_ledger_for(ctl[d]->dialect)->end_run, r, state, NULL) != 0)
			{
				upkit_conn_clear_error(ctl[d]);
				if (flush && ctl[d]->ops->exec(ctl[d], flush) != 0)
					upkit_conn_clear_error(ctl[d]);
			}
		}
out:
	{
		char	   *backend;

		upkit_conn_close(early_take(ri, &backend));
		free(backend);
	}
	for (int i = 0; i < ri->n_workers; i++)
	{
		for (int d = 0; d < p->n_dbs; d++)
		{
			upkit_conn_close(ri->workers[i].conns[d]);
			free(ri->workers[i].backend[d]);
		}
		free(ri->workers[i].conns);
		free(ri->workers[i].backend);
	}
	runner_copies_free(ri->copies);
	ri->copies = NULL;
	for (int d = 0; d < p->n_dbs; d++)
		upkit_conn_close(ctl[d]);
	free(ctl);
	if (comp != p->companies)
	{
		for (int i = 0; i < n_comp; i++)
			free(comp[i]);
		free(comp);
	}
	return rc;
}

void
upkit_run_free(struct upkit_run *r)
{
	struct run_impl *ri = r->impl;

	for (int i = 0; i < r->n_inst; i++)
	{
		free(r->inst[i].company);
		free(r->inst[i].message);
	}
	free(r->inst);
	free(r->readiness_what);
	if (ri)
	{
		free(ri->gate_skip);
		free(ri->dirty);
		for (int j = 0; j < r->plan->n_jobs; j++)
		{
			free(ri->scripts[j]);
			free(ri->install_error[j]);
		}
		free(ri->install_error);
		free(ri->scripts);
		free(ri->first);
		free(ri->count);
		free(ri->installed);
		free(ri->workers);
		pthread_mutex_destroy(&ri->mu);
		pthread_mutex_destroy(&ri->install_mu);
		pthread_cond_destroy(&ri->cv);
		pthread_cond_destroy(&ri->main_cv);
		free(ri);
	}
	memset(r, 0, sizeof *r);
}
