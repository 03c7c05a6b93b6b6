/*
 * runner.h: execute a plan (DESIGN.md "Jobs, plans and the runner";
 * docs/runner.md): N worker threads, each with its own connection to each
 * database it needs, take the most urgent ready job (plan_graph.c's order)
 * until none is left.
 *
 * A job instance is a job, or one company's copy of a standard job.  Its
 * life: pending -> running -> done | failed | interrupted; or skipped (its
 * configuration keys are not enabled, or something it waits for did not
 * finish).  Every state is recorded in the ledger of the job's database
 * (ledger.h); 'done' in the job's own transaction.
 *
 * A live job (one that manages its own transactions and calls a generated
 * live procedure) that stops after a batch is recorded paused in the
 * ledger.  When the run's pause asked it to, it waits as pending for
 * 'upkit resume' and then runs again, from its checkpoint; when it paused
 * on its own (upkit.live_control from elsewhere) it counts as not finished:
 * the next 'upkit run' continues it.
 *
 * Nothing here prints: events go to a callback (the command prints them).
 */
#ifndef UPKIT_RUNNER_H
#define UPKIT_RUNNER_H

#include "diag.h"
#include "plan.h"

enum upkit_inst_state
{
	UPKIT_INST_PENDING = 0, UPKIT_INST_RUNNING, UPKIT_INST_DONE, UPKIT_INST_FAILED,
	UPKIT_INST_INTERRUPTED, UPKIT_INST_SKIPPED,
	UPKIT_INST_PAUSED			/* a live job stopped after a batch without a pause of the run */
};

struct upkit_instance
{
	int			job;			/* index into the plan's jobs */
	char	   *company;		/* "" unless a standard job's copy */
	enum upkit_inst_state state;
	int			before;			/* done by an earlier runner (resume) */
	int			disabled;		/* skipped: its configuration keys are off */
	double		started;		/* seconds since the run began; -1: not started */
	double		ended;
	long long	rows;			/* -1: none reported */
	char	   *message;
};

enum upkit_run_event
{
	UPKIT_EV_STARTED, UPKIT_EV_DONE, UPKIT_EV_FAILED, UPKIT_EV_INTERRUPTED, UPKIT_EV_SKIPPED,
	UPKIT_EV_PAUSED, UPKIT_EV_RESUMED, UPKIT_EV_PROGRESS,
	UPKIT_EV_LIVE_PAUSED,		/* a live job stopped after its batch (inst) */
	UPKIT_EV_READINESS			/* the readiness gate read the log (the readiness_ fields) */
};

struct upkit_run;

struct upkit_run_options
{
	int			jobs;			/* parallel connections */
	int			fail_fast;		/* the first failure stops the run */
	int			new_run;		/* start a new run instead of resuming */
	enum upkit_order order;
	char	  **keys;			/* configuration keys enabled on the command line */
	int			n_keys;
	/* Errors logged by the readiness stage do not block the later stages. */
	int			ignore_readiness_errors;
	/* Called for each event (inst NULL for pause, resume, progress); serialised. */
	void		(*event) (const struct upkit_run *r, enum upkit_run_event ev,
						  const struct upkit_instance *inst, void *arg);
	void	   *arg;
	double		progress_every; /* seconds between UPKIT_EV_PROGRESS; 0: none */
};

/* What the command may read while events come and after the run. */
struct upkit_run
{
	const struct upkit_plan *plan;
	struct upkit_graph *graph;
	int			run;			/* the run number in the ledger */
	int			resumed;		/* an existing run was continued */
	struct upkit_instance *inst;
	int			n_inst;
	int			n_running,
				n_done,
				n_failed,
				n_interrupted,
				n_skipped;
	double		elapsed;
	double		eta;			/* seconds left, from the weights; -1: unknown */
	int			interrupted;	/* Ctrl-C (or SIGTERM) stopped it */
	int			stopped_fail_fast;
	/* The readiness gate (runner_gate.h): what the log held after the stage. */
	int			readiness_read;	/* the gate read the log */
	int			readiness_errors;
	int			readiness_advisories;
	int			readiness_blocked;	/* the later stages were not run */
	int			readiness_ignored;	/* --ignore-readiness-errors let them run */
	char	   *readiness_what;
	void	   *impl;
};

/*
 * Run the plan.  Returns 0 when every job is done (or skipped for its
 * keys), 1 when a job failed or was interrupted or the databases could not
 * be used (the reason in diags); r stays readable until upkit_run_free.
 */
int			upkit_run_plan(const struct upkit_plan *p, struct upkit_graph *g,
						   const struct upkit_run_options *o, struct upkit_run *r,
						   struct upkit_diags *diags);
void		upkit_run_free(struct upkit_run *r);

/* Ask a running upkit_run_plan to stop (from a signal handler: only sets a flag). */
void		upkit_run_interrupt(void);

const char *upkit_inst_state_name(enum upkit_inst_state s);

/*
 * Connect to database d of the plan (the SQL Server password from its
 * variable).  NULL with the reason in err.
 */
struct upkit_conn *upkit_plan_connect(const struct upkit_plan *p, int d, struct strbuf *err);

/*
 * A worker's session on database d: connected and set up (the ledger's
 * session statement), its server-side id in *backend (NULL when the
 * ledger has no such query).  NULL with the reason in err.
 */
struct upkit_conn *runner_session_open(const struct upkit_plan *p, int d, char **backend, struct strbuf *err);

/*
 * The catalog's sizes (statistics) for the tables the plan gives no size
 * for, on conns[job's database] (NULL: skipped); then the weights again.
 */
void		upkit_plan_catalog_sizes(const struct upkit_plan *p, struct upkit_graph *g,
									 struct upkit_conn **conns, enum upkit_order order);

/*
 * Install job j's generated procedure on c: the install-time checks, then
 * its units (rendered for its database's dialect when the plan was read),
 * as "upkit install --no-runtime SPEC" does.  0, or -1 with the problems in
 * diags.  The one place that turns a job into installed objects.
 */
int			runner_install_job(struct upkit_conn *c, const struct upkit_plan_job *j,
							   struct upkit_diags *diags);

#endif
