/*
 * report.h: read the validation log (DESIGN.md "Readiness checks and the
 * validation log"; docs/readiness.md) through the connection interface
 * and print it: a text table for a person, JSON for a program.
 *
 * The log's SQL is the dialect's (report_sql.c); everything after the
 * rows is shared.  The report is read-only.
 */
#ifndef UPKIT_REPORT_H
#define UPKIT_REPORT_H

#include "conn.h"
#include "strbuf.h"

struct upkit_report_run
{
	char	   *script;
	char	   *dataareaid;		/* "" for a script that runs once for all */
	char	   *run_id;
	char	   *started_at;		/* "2026-11-30 04:10:02 UTC" */
	char	   *started_by;
	int			errors;			/* entries of each level */
	int			advisories;
};

struct upkit_report_detail
{
	char	   *seq;
	char	   *recid;			/* NULL when the check named none */
	char	   *dataareaid;
	char	   *key;
	char	   *detail;
};

struct upkit_report_entry
{
	int			error;			/* 1 error, 0 advisory */
	char	   *script;
	char	   *dataareaid;
	char	   *message_id;
	char	   *message;
	char	   *resolution;
	char	   *count;			/* every detail found */
	char	   *stored;			/* how many the log keeps */
	struct upkit_report_detail *details;	/* the first ones */
	int			n_details;
};

struct upkit_report
{
	struct upkit_report_run *runs;
	int			n_runs;
	struct upkit_report_entry *entries;	/* errors first, then by message id */
	int			n_entries;
	int			errors;			/* entries */
	int			advisories;
};

/*
 * The log's SQL for one dialect: runs, entries, and the first details
 * ($1 / @P1: how many per entry).  Each returns text columns in the order
 * report.c reads them.
 */
struct upkit_report_sql
{
	const char *runs;
	const char *entries;
	const char *details;
};

extern const struct upkit_report_sql upkit_report_sql[];

/*
 * Read the log: the runs and entries of the given scripts (all when
 * n_scripts is 0; names compare without regard to case), with at most
 * max_details details each.  0, or -1 with the reason in err (a script
 * with no run in the log is one).
 */
int			upkit_report_read(struct upkit_conn *c, char *const *scripts, int n_scripts,
							  int max_details, struct upkit_report *rep, struct strbuf *err);
void		upkit_report_text(const struct upkit_report *rep, struct strbuf *out);
void		upkit_report_json(const struct upkit_report *rep, struct strbuf *out);
void		upkit_report_free(struct upkit_report *rep);

#endif
