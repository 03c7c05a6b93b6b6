/*
 * cmd_copy.c: "upkit copy": map the source's tables to the target's
 * (copy_map.c, with the mapping file), explain the mapping (--explain,
 * --json) or copy the tables (copy_run.c), then print a summary.  The
 * only place of the copy that prints: progress on a terminal, one line
 * per range otherwise, the summary table on standard output.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "conn.h"
#include "copy_endpoint.h"
#include "copy_mapfile.h"
#include "copy_plan.h"
#include "copy_run.h"
#include "copy_side.h"

void
help_copy(void)
{
	printf("Usage: upkit copy --source DATABASE --target DATABASE [OPTION]...\n\n"
		   "Copy every table of the source database's schema to the target's by AX's\n"
		   "mapping rules: a special mapping from --mapping FILE, the same name, DEL_ +\n"
		   "the name, the same table id (SQLDICTIONARY), else a mapping error; fields by\n"
		   "name unless mapped; field options LTRIM and DONOTCOPY; table exceptions\n"
		   "DONOTCOPY and TRUNCATEONCOPY; affected tables joined with their shadow, and\n"
		   "only when their delta state says ready for copy.  A table with any error is\n"
		   "not copied.  Data moves with COPY (binary) between two PostgreSQL servers,\n"
		   "read with db-lib from SQL Server into COPY (text) or bcp; tables and RECID\n"
		   "ranges in parallel, one transaction per range; a ledger in the target\n"
		   "(upkit.copy_ledger, [dbo].[UPKIT_COPY_LEDGER]) lets a re-run resume.\n"
		   "Afterwards row counts are compared and each table's SYSTEMSEQUENCES NEXTVAL\n"
		   "is raised above its largest RECID where it is not.  docs/copy.md has it all.\n\n"
		   "Options:\n"
		   "      --source DATABASE   the source: a PostgreSQL conninfo or URI, or\n"
		   "                          mssql://USER@HOST[:PORT]/DATABASE (the password from\n"
		   "                          UPKIT_SOURCE_PASSWORD, never the command line)\n"
		   "      --target DATABASE   the target, the same way (UPKIT_TARGET_PASSWORD); it\n"
		   "                          needs the upkit extension 0.3 or the T-SQL runtime\n"
		   "  -m, --mapping FILE      mappings, options, exceptions, affected tables (JSON)\n"
		   "      --explain           print the mapping, table by table and field by field,\n"
		   "                          and copy nothing; exit 1 if a table cannot be copied\n"
		   "      --json              with --explain: the same as JSON\n"
		   "  -j, --jobs N            ranges copied at a time (default 2)\n"
		   "      --split-rows N      cut tables with more rows into RECID ranges of about N\n"
		   "                          rows (default 1000000; 0: never)\n"
		   "  -t, --table NAME        only this source table (repeat for more)\n"
		   "      --batch-size N      SQL Server target: bcp_batch every N rows (default\n"
		   "                          10000; 0: one batch per range)\n"
		   "      --table-lock        SQL Server target: bulk load with the TABLOCK hint\n"
		   "  -q, --quiet             no progress, only the summary and errors\n"
		   "  -h, --help              show this help\n\n"
		   "Exit status: 0 every table copied (or, with --explain, copyable), 1 a table\n"
		   "could not be copied or a check failed, 2 wrong usage.\n\n"
		   "Examples:\n"
		   "  upkit copy --source 'dbname=ax2009' --target 'dbname=ax2012' -m map.json --explain\n"
		   "  upkit copy --source 'dbname=ax2009' --target 'dbname=ax2012' -m map.json -j 4\n"
		   "  UPKIT_SOURCE_PASSWORD=... UPKIT_TARGET_PASSWORD=... upkit copy \\\n"
		   "      --source mssql://sa@sql1/AX2009 --target mssql://sa@sql1/AX2012 -m map.json\n");
}

struct printer
{
	int			tty;
	int			quiet;
	int			width;			/* of the last progress line */
};

static void
human(char *buf, size_t n, double bytes)
{
	const char *unit[] = {"B", "kB", "MB", "GB", "TB"};
	int			u = 0;

	while (bytes >= 1024 && u < 4)
	{
		bytes /= 1024;
		u++;
	}
	snprintf(buf, n, u == 0 ? "%.0f %s" : "%.1f %s", bytes, unit[u]);
}

static void
clear_progress(struct printer *pr)
{
	if (pr->width > 0)
		fprintf(stderr, "\r%*s\r", pr->width, "");
	pr->width = 0;
}

static void
on_range_end(void *arg, const struct copy_table_plan *t, int range,
			 const struct copy_range_result *r, const char *error)
{
	struct printer *pr = arg;
	char		b[32];

	if (pr->quiet && error == NULL)
		return;
	human(b, sizeof b, (double) r->bytes);
	flockfile(stderr);
	clear_progress(pr);
	if (error)
		fprintf(stderr, "upkit: copy %s range %d/%d failed: %s\n", t->map->src->name, range + 1,
				t->nranges, error);
	else if (!pr->tty)
		fprintf(stderr, "copy: %s -> %s range %d/%d: %s, %lld rows, %s, %.1f s\n",
				t->map->src->name, t->map->dst->name, range + 1, t->nranges,
				r->skipped ? "done already" : "copied", r->rows, b, r->seconds);
	funlockfile(stderr);
}

/* One line on a terminal: tables done, rows, bytes, the busiest table. */
static void
on_tick(void *arg, const struct copy_plan *plan, const struct copy_outcome *out)
{
	struct printer *pr = arg;
	long long	rows = 0,
				bytes = 0;
	int			done = 0,
				todo = 0;
	char		b[32];
	char		line[256];

	if (!pr->tty || pr->quiet)
		return;
	for (int i = 0; i < plan->ntables; i++)
	{
		const struct copy_table_plan *t = &plan->tables[i];

		if (t->state != COPY_STATE_TODO && t->state != COPY_STATE_PARTLY)
			continue;
		todo++;
		rows += __atomic_load_n(&out[i].progress.rows, __ATOMIC_RELAXED);
		bytes += __atomic_load_n(&out[i].progress.bytes, __ATOMIC_RELAXED);
		done += out[i].ranges_done + out[i].ranges_skipped + out[i].ranges_failed >=
			t->nranges;
	}
	human(b, sizeof b, (double) bytes);
	snprintf(line, sizeof line, "copy: %d/%d tables, %lld rows, %s", done, todo, rows, b);
	flockfile(stderr);
	clear_progress(pr);
	fputs(line, stderr);
	pr->width = (int) strlen(line);
	fflush(stderr);
	funlockfile(stderr);
}

static void
print_summary(const struct copy_plan *plan, const struct copy_outcome *out)
{
	printf("%-28s %-28s %12s %10s %8s  %s\n", "source", "target", "rows", "bytes", "seconds", "result");
	for (int i = 0; i < plan->ntables; i++)
	{
		const struct copy_table_plan *t = &plan->tables[i];
		const struct copy_outcome *o = &out[i];
		char		b[32];
		const char *result;

		human(b, sizeof b, (double) o->bytes);
		if (t->state == COPY_STATE_SKIPPED)
			result = "not copied (DONOTCOPY)";
		else if (t->state == COPY_STATE_REFUSED)
			result = "refused (mapping error; see above)";
		else if (o->error)
			result = "FAILED";
		else if (o->recid_failed)
			result = "copied; RECID safety FAILED";
		else if (t->state == COPY_STATE_DONE)
			result = "copied before; verified";
		else if (o->ranges_done == 0)
			result = "copied by another run; verified";
		else
			result = "copied, verified";
		printf("%-28s %-28s %12lld %10s %8.1f  %s\n", t->map->src->name,
			   t->map->dst ? t->map->dst->name : "-", o->rows, b, o->seconds, result);
		if (o->error)
			printf("%-28s error: %s\n", "", o->error);
		if (o->recid_note)
			printf("%-28s RECID: %s\n", "", o->recid_note);
	}
}

static void
print_refusals(const struct copy_plan *plan)
{
	for (int i = 0; i < plan->ntables; i++)
	{
		const struct copy_table_map *m = plan->tables[i].map;

		if (plan->tables[i].state != COPY_STATE_REFUSED)
			continue;
		for (int e = 0; e < m->nerrors; e++)
			upkit_error("%s: not copied: %s", m->src->name, m->errors[e]);
		for (int f = 0; f < m->nfields; f++)
			if (m->fields[f].error)
				upkit_error("%s: not copied: %s", m->src->name, m->fields[f].error);
	}
}

struct copy_args
{
	struct copy_endpoint src,
				dst;
	const char *src_arg,
			   *dst_arg;
	int			bcp_options;	/* --batch-size or --table-lock given */
	const char *mapping;
	int			explain,
				json,
				jobs,
				quiet;
	struct copy_options opt;
};

static int
run_copy(struct copy_args *a)
{
	struct upkit_diags diags = UPKIT_DIAGS_INIT;
	struct copy_plan plan = {0};
	struct strbuf err = STRBUF_INIT;
	struct upkit_conn *src = NULL,
			   *dst = NULL;
	struct copy_outcome *out = NULL;
	int			rc = EXIT_FAIL;
	int			refused;

	if (a->mapping && copy_mapping_read_file(a->mapping, &plan.mapping, &diags) != 0)
	{
		rc = upkit_report_problems(&diags, 1, "in the mapping file", "copied");
		goto done;
	}
	if ((src = upkit_conn_open(&a->src.t, &err)) == NULL ||
		(dst = upkit_conn_open(&a->dst.t, &err)) == NULL)
	{
		upkit_error("%s", sb_str(&err));
		goto done;
	}
	refused = copy_plan_build(&plan, src, dst, &a->opt, &diags);
	if (refused < 0 || diags.n > 0)
	{
		rc = upkit_report_problems(&diags, 1, refused < 0 ? "reading the databases" : "with the mapping",
								   "copied");
		goto done;
	}
	if (a->explain)
	{
		struct strbuf text = STRBUF_INIT;

		if (a->json)
			copy_explain_json(&text, &plan);
		else
			copy_explain_text(&text, &plan);
		rc = upkit_write_output(NULL, text.data ? text.data : "", text.len) != 0 || refused > 0
			? EXIT_FAIL : EXIT_OK;
		sb_free(&text);
		goto done;
	}
	if (!plan.has_ledger)
	{
		const struct copy_ledger_sql *L = copy_target_of(dst)->ledger;

		upkit_error("the target has no %s: %s; nothing was copied", L->name, L->install);
		goto done;
	}
	print_refusals(&plan);
	out = calloc((size_t) plan.ntables + 1, sizeof *out);
	if (out == NULL)
		abort();
	{
		struct printer pr = {isatty(fileno(stderr)), a->quiet, 0};
		struct copy_events ev = {&pr, on_range_end, on_tick};
		int			failed = copy_run(&plan, src, dst, &a->src.t, &a->dst.t, a->jobs, &ev, out, &diags);

		clear_progress(&pr);
		if (failed < 0)
		{
			upkit_diags_print(&diags, stderr);
			goto done;
		}
		print_summary(&plan, out);
		rc = failed > 0 || refused > 0 ? EXIT_FAIL : EXIT_OK;
		if (rc != EXIT_OK)
			upkit_error("%d table%s not copied completely", failed + refused,
						failed + refused == 1 ? "" : "s");
	}
done:
	copy_outcomes_free(out, plan.ntables);
	copy_plan_free(&plan);
	upkit_conn_close(src);
	upkit_conn_close(dst);
	upkit_diags_free(&diags);
	sb_free(&err);
	return rc;
}

static int
parse_count(const char *opt, const char *s, long long min, long long *out)
{
	char	   *end;
	long long	v = strtoll(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < min || v > 1000000000000LL)
		return upkit_usage_error("copy", "%s needs a whole number of at least %lld, not '%s'", opt, min, s);
	*out = v;
	return 0;
}

/* Both sides from their values; a refusal names the option (exit 2, or 1: no password). */
static int
endpoints(struct copy_args *a)
{
	struct strbuf err = STRBUF_INIT;
	int			rc = copy_endpoint_parse("--source", a->src_arg, "UPKIT_SOURCE_PASSWORD", &a->src, &err);
	const char *nopath;

	if (rc == 0)
		rc = copy_endpoint_parse("--target", a->dst_arg, "UPKIT_TARGET_PASSWORD", &a->dst, &err);
	if (rc == 0 && (nopath = copy_side_no_path_for(a->src.t.dialect, a->dst.t.dialect)) != NULL)
	{
		sb_append(&err, nopath);
		rc = COPY_ENDPOINT_BAD;
	}
	if (rc == 0 && a->dst.t.dialect != UPKIT_DIALECT_MSSQL && a->bcp_options)
	{
		sb_append(&err, "--batch-size and --table-lock are for a SQL Server target (its bulk copy)");
		rc = COPY_ENDPOINT_BAD;
	}
	rc = copy_endpoint_exit("copy", rc, &err);
	sb_free(&err);
	return rc;
}

int
cmd_copy(int argc, char **argv)
{
	static const struct option opts[] = {
		{"source", required_argument, NULL, 's'},
		{"target", required_argument, NULL, 'T'},
		{"mapping", required_argument, NULL, 'm'},
		{"explain", no_argument, NULL, 'e'},
		{"json", no_argument, NULL, 'J'},
		{"jobs", required_argument, NULL, 'j'},
		{"split-rows", required_argument, NULL, 'S'},
		{"table", required_argument, NULL, 't'},
		{"batch-size", required_argument, NULL, 'B'},
		{"table-lock", no_argument, NULL, 'L'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	struct copy_args a = {0};
	const char **only = calloc((size_t) argc + 1, sizeof *only);
	int			nonly = 0;
	long long	v;
	int			c;
	int			rc;

	if (only == NULL)
		abort();
	a.jobs = 2;
	a.opt.batch_size = 10000;
	a.opt.split_rows = 1000000;
	if ((rc = upkit_check_long_options("copy", argc, argv, opts)) != 0)
		goto out;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":m:j:t:qh", opts, NULL)) != -1)
	{
		switch (c)
		{
			case 's':
				a.src_arg = optarg;
				break;
			case 'T':
				a.dst_arg = optarg;
				break;
			case 'B':
				if ((rc = parse_count("--batch-size", optarg, 0, &v)) != 0)
					goto out;
				a.opt.batch_size = v;
				a.bcp_options = 1;
				break;
			case 'L':
				a.opt.table_lock = 1;
				a.bcp_options = 1;
				break;
			case 'm':
				a.mapping = optarg;
				break;
			case 'e':
				a.explain = 1;
				break;
			case 'J':
				a.json = 1;
				break;
			case 'j':
				if ((rc = parse_count("--jobs", optarg, 1, &v)) != 0)
					goto out;
				a.jobs = v > 64 ? 64 : (int) v;
				break;
			case 'S':
				if ((rc = parse_count("--split-rows", optarg, 0, &v)) != 0)
					goto out;
				a.opt.split_rows = v;
				break;
			case 't':
				only[nonly++] = optarg;
				break;
			case 'q':
				a.quiet = 1;
				break;
			case 'h':
				help_copy();
				rc = EXIT_OK;
				goto out;
			case ':':
				rc = upkit_usage_error("copy", "option '%s' needs a value", argv[optind - 1]);
				goto out;
			default:
				rc = upkit_usage_error("copy", "unknown option '%s'", argv[optind - 1]);
				goto out;
		}
	}
	if (optind < argc)
		rc = upkit_usage_error("copy", "unexpected argument '%s'", argv[optind]);
	else if (a.src_arg == NULL || a.dst_arg == NULL)
		rc = upkit_usage_error("copy", "--source and --target are both required");
	else if (a.json && !a.explain)
		rc = upkit_usage_error("copy", "--json goes with --explain");
	else if ((rc = endpoints(&a)) == 0)
	{
		a.opt.only = nonly > 0 ? only : NULL;
		rc = run_copy(&a);
	}
out:
	copy_endpoint_free(&a.src);
	copy_endpoint_free(&a.dst);
	free(only);
	return rc;
}
