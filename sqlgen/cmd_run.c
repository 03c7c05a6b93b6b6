/*
 * cmd_run.c: "upkit run": execute a plan (runner.h) and show it to the
 * person at the terminal: one progress line on a terminal, one line per
 * event otherwise; a summary table at the end.  Ctrl-C (SIGINT) and
 * SIGTERM stop starting jobs, cancel the running statements and record
 * them as interrupted.  Exit 0 all done, 1 a job failed, was interrupted
 * or paused, readiness errors stopped the later stages (or a database could
 * not be used), 2 usage or plan error.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmd_plan_common.h"
#include "runner.h"

void
help_run(void)
{
	printf("Usage: upkit run [OPTION]... PLAN\n\n"
		   "Run a plan's jobs (docs/runner.md): stages in order; in each, start jobs,\n"
		   "then shared jobs and standard jobs (once per company) in parallel, then\n"
		   "final jobs; dependencies first, the heaviest ready job first.  A job's\n"
		   "generated procedure is installed just before it first runs.  Each job\n"
		   "runs in its own transaction and is recorded in the ledger of its\n"
		   "database in that transaction, so it is done exactly once.  A failed job\n"
		   "stops the jobs that wait for it; the others go on.  Errors the readiness\n"
		   "stage's checks log in the validation log stop the later stages.\n\n"
		   "Running the same plan again resumes its last run: done jobs are skipped,\n"
		   "failed and interrupted ones run again.  'upkit pause PLAN' in another\n"
		   "terminal holds the run between jobs (a running live fill stops after its\n"
		   "batch); 'upkit resume PLAN' lets it go on.\n"
		   "Ctrl-C cancels the running statements and records them as interrupted.\n\n"
		   "Options:\n"
		   "  -j, --jobs N           parallel connections (default 4)\n"
		   "      --fail-fast        the first failure stops the run\n"
		   "      --new-run          start a new run instead of resuming the last one\n"
		   "      --ignore-readiness-errors  run the later stages although the readiness\n"
		   "                         checks logged errors (recorded in the ledger)\n"
		   "      --order ORDER      weight (the default), critical or file\n"
		   "  -k, --key KEY          enable a configuration key (repeatable)\n"
		   "      --db NAME=CONNINFO a PostgreSQL database of the plan: connect here\n"
		   "  -h, --help             show this help\n\n"
		   "Exit status: 0 every job done, 1 a job failed, was interrupted or paused,\n"
		   "or readiness errors stopped the later stages, 2 usage or plan error.\n\n"
		   "Example:\n"
		   "  upkit run --jobs 4 sql/demo/plan/plan.json\n");
}

struct view
{
	int			tty;			/* stdout is a terminal: one progress line */
	int			line_shown;		/* the progress line is on the screen */
};

static void
on_signal(int sig)
{
	(void) sig;
	upkit_run_interrupt();
}

static void
label(char *buf, size_t n, const struct upkit_run *r, const struct upkit_instance *x)
{
	if (x->company[0])
		snprintf(buf, n, "%s[%s]", r->plan->jobs[x->job].id, x->company);
	else
		snprintf(buf, n, "%s", r->plan->jobs[x->job].id);
}

static void
clock_text(char *buf, size_t n, double s)
{
	int			t = (int) (s + 0.5);

	snprintf(buf, n, "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60);
}

static void
progress(struct view *v, const struct upkit_run *r)
{
	char		el[16],
				eta[24] = "?";
	struct strbuf running = STRBUF_INIT;

	clock_text(el, sizeof el, r->elapsed);
	if (r->eta >= 0)
		clock_text(eta, sizeof eta, r->eta);
	for (int i = 0; i < r->n_inst; i++)
		if (r->inst[i].state == UPKIT_INST_RUNNING)
		{
			char		l[200];

			label(l, sizeof l, r, &r->inst[i]);
			sb_appendf(&running, "%s%s", running.len ? " " : "", l);
		}
	printf("\r\033[Kdone %d, running %d, failed %d of %d | %s elapsed, ~%s left | %.60s",
		   r->n_done, r->n_running, r->n_failed + r->n_interrupted, r->n_inst, el, eta, sb_str(&running));
	fflush(stdout);
	v->line_shown = 1;
	sb_free(&running);
}

/* What the readiness gate read, in one line. */
static void
readiness_line(const struct upkit_run *r)
{
	printf("readiness: %d error%s, %d advisor%s logged", r->readiness_errors, r->readiness_errors == 1 ? "" : "s",
		   r->readiness_advisories, r->readiness_advisories == 1 ? "y" : "ies");
	if (r->readiness_blocked)
		printf(" (%s): the later stages are not run\n", r->readiness_what);
	else if (r->readiness_ignored)
		printf(" (%s): ignored (--ignore-readiness-errors)\n", r->readiness_what);
	else
		printf(": the later stages go on\n");
}

static void
on_event(const struct upkit_run *r, enum upkit_run_event ev, const struct upkit_instance *x, void *arg)
{
	struct view *v = arg;
	char		l[200] = "";

	if (ev == UPKIT_EV_PROGRESS)
	{
		if (v->tty)
			progress(v, r);
		return;
	}
	if (v->tty && ev == UPKIT_EV_STARTED)
		return;
	if (v->line_shown)
	{
		printf("\r\033[K");
		v->line_shown = 0;
	}
	if (x)
		label(l, sizeof l, r, x);
	printf("[%8.2fs] ", r->elapsed);
	switch (ev)
	{
		case UPKIT_EV_STARTED:
			printf("started     %s\n", l);
			break;
		case UPKIT_EV_DONE:
			if (x->before)
				printf("done before %s (the ledger says done: not run again)\n", l);
			else if (x->rows >= 0)
				printf("done        %s (%lld rows, %.2fs)\n", l, x->rows, x->ended - x->started);
			else
				printf("done        %s (%.2fs)\n", l, x->ended - x->started);
			break;
		case UPKIT_EV_FAILED:
			printf("failed      %s: %s\n", l, x->message ? x->message : "");
			break;
		case UPKIT_EV_INTERRUPTED:
			printf("interrupted %s\n", l);
			break;
		case UPKIT_EV_SKIPPED:
			printf("skipped     %s: %s\n", l, x->message ? x->message : "");
			break;
		case UPKIT_EV_PAUSED:
			printf("paused: no job starts until 'upkit resume %s'; running jobs finish\n", r->plan->file);
			break;
		case UPKIT_EV_RESUMED:
			printf("resumed\n");
			break;
		case UPKIT_EV_LIVE_PAUSED:
			printf("paused      %s: %s\n", l, x->message ? x->message : "");
			break;
		case UPKIT_EV_READINESS:
			readiness_line(r);
			break;
		case UPKIT_EV_PROGRESS:
			break;
	}
	if (v->tty)
		progress(v, r);
	fflush(stdout);
}

static void
summary(struct view *v, const struct upkit_run *r)
{
	if (v->line_shown)
		printf("\r\033[K");
	printf("\n%-24s %-10s %-12s %10s %9s  %s\n", "job", "company", "state", "rows", "seconds", "message");
	for (int i = 0; i < r->n_inst; i++)
	{
		const struct upkit_instance *x = &r->inst[i];
		char		rows[24] = "",
					secs[24] = "";
		const char *state = x->before ? "done before" : upkit_inst_state_name(x->state);
		char	   *msg = x->message ? strndup(x->message, 70) : NULL;

		if (msg && strchr(msg, '\n'))
			*strchr(msg, '\n') = '\0';
		if (x->rows >= 0)
			snprintf(rows, sizeof rows, "%lld", x->rows);
		if (x->started >= 0 && x->ended >= 0)
			snprintf(secs, sizeof secs, "%.2f", x->ended - x->started);
		printf("%-24s %-10s %-12s %10s %9s  %s\n", r->plan->jobs[x->job].id, x->company, state, rows, secs,
			   msg ? msg : "");
		free(msg);
	}
	printf("\nrun %d of plan %s%s: %d done, %d failed, %d interrupted, %d skipped, %d not started of %d in %.2fs\n",
		   r->run, r->plan->name, r->resumed ? " (resumed)" : "", r->n_done, r->n_failed, r->n_interrupted,
		   r->n_skipped, r->n_inst - r->n_done - r->n_failed - r->n_interrupted - r->n_skipped,
		   r->n_inst, r->elapsed);
	if (r->readiness_read)
		readiness_line(r);
}

static int
run(struct plan_cli *pc, const char *path, struct upkit_run_options *o)
{
	struct upkit_plan *p;
	struct upkit_graph g;
	struct upkit_run r;
	struct upkit_diags diags = UPKIT_DIAGS_INIT;
	struct view v = {isatty(STDOUT_FILENO), 0};
	struct sigaction sa;
	int			rc = plan_cli_load(pc, path, "run", &p, &g);

	if (rc != EXIT_OK)
		return rc;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	o->event = on_event;
	o->arg = &v;
	o->progress_every = v.tty ? 0.5 : 0;
	o->keys = pc->keys;
	o->n_keys = pc->n_keys;
	o->order = pc->order;
	rc = upkit_run_plan(p, &g, o, &r, &diags);
	if (diags.n > 0)
	{
		upkit_diags_print(&diags, stderr);
		rc = EXIT_FAIL;
	}
	else
	{
		summary(&v, &r);
		fflush(stdout);
		if (r.interrupted)
			upkit_error("interrupted: 'upkit run %s' resumes (done jobs are skipped)", path);
		else if (r.readiness_blocked)
			upkit_error("readiness errors are logged: fix them ('upkit report' lists them) and run 'upkit run %s' "
						"again (the checks run again), or pass --ignore-readiness-errors", path);
		else if (rc != 0)
			upkit_error("not every job is done: fix the cause and run 'upkit run %s' again to resume", path);
	}
	upkit_run_free(&r);
	upkit_diags_free(&diags);
	upkit_graph_free(&g);
	upkit_plan_free(p);
	return rc == 0 ? EXIT_OK : EXIT_FAIL;
}

int
cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{"jobs", required_argument, NULL, 'j'},
		{"fail-fast", no_argument, NULL, 'F'},
		{"new-run", no_argument, NULL, 'N'},
		{"ignore-readiness-errors", no_argument, NULL, 'R'},
		{"order", required_argument, NULL, 'o'},
		{"key", required_argument, NULL, 'k'},
		{"db", required_argument, NULL, 'c'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	struct plan_cli pc = {"run", NULL, 0, NULL, 0, UPKIT_ORDER_WEIGHT, 1};
	struct upkit_run_options o = {4, 0, 0, UPKIT_ORDER_WEIGHT, NULL, 0, 0, NULL, NULL, 0};
	int			c,
				rc;
	char	   *end;

	if ((rc = upkit_check_long_options("run", argc, argv, opts)) != 0)
		return rc;
	opterr = 0;
	optind = 1;
	while (rc == EXIT_OK && (c = getopt_long(argc, argv, ":j:k:h", opts, NULL)) != -1)
	{
		switch (c)
		{
			case 'j':
				o.jobs = (int) strtol(optarg, &end, 10);
				if (*end || o.jobs < 1 || o.jobs > 64)
					rc = upkit_usage_error("run", "--jobs '%s' is not a number from 1 to 64", optarg);
				break;
			case 'F':
				o.fail_fast = 1;
				break;
			case 'N':
				o.new_run = 1;
				break;
			case 'R':
				o.ignore_readiness_errors = 1;
				break;
			case 'h':
				help_run();
				plan_cli_free(&pc);
				return EXIT_OK;
			default:
				rc = plan_cli_option(&pc, c, argv);
				break;
		}
	}
	if (rc == EXIT_OK)
		rc = plan_cli_one_plan(&pc, argc);
	if (rc == EXIT_OK)
		rc = run(&pc, argv[optind], &o);
	plan_cli_free(&pc);
	return rc;
}
