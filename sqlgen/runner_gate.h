/*
 * runner_gate.h: the readiness gate of the runner (docs/readiness.md,
 * "Readiness and the runner"; DESIGN.md "Readiness checks and the
 * validation log").  When every job of the readiness stage is done, the
 * runner reads the validation log of those jobs (upkit_report_read, the
 * reader 'upkit report' uses) in each database that ran them; an entry of
 * level error blocks every job of a later stage, unless the DBA passed
 * --ignore-readiness-errors.  Advisories never block.
 *
 * Which entries are the plan's: those of a readiness job's script and
 * company.  A generated procedure's script is its "schema.name" as the
 * dialect stores it (what the validate template logs); a SQL job's is its
 * job id (a hand-written readiness script logs under
 * current_setting('upkit_run.job')); the company is the instance's ('' for
 * a shared job).
 */
#ifndef UPKIT_RUNNER_GATE_H
#define UPKIT_RUNNER_GATE_H

#include "conn.h"
#include "runner.h"

struct runner_gate
{
	int			errors;			/* error entries of the plan's readiness scripts */
	int			advisories;
	int			unreadable;		/* a log could not be read: counts as blocking */
	struct strbuf what;			/* "2 errors in rdy.validate_items dat: A, B; ..." or the read failure */
};

/* Does the plan run a readiness job (one not switched off by its keys)? */
int			runner_gate_needed(const struct upkit_run *r);

/*
 * Read the logs through ctl (one connection per database, NULL where the
 * plan uses none) into g.  Call without holding the runner's mutex: it
 * only reads r's plan and instances, which do not change during the gate.
 */
void		runner_gate_read(const struct upkit_run *r, struct upkit_conn **ctl, struct runner_gate *g);
void		runner_gate_free(struct runner_gate *g);

#endif
