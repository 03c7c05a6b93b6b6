/*
 * cmd_transfer.c: "upkit transfer": move the preprocessing state of a test
 * system back to production (transfer.h; docs/transfer.md).  The only
 * place of the transfer that prints: the tables and sequences (--explain,
 * and after a transfer), every validation problem at once, one line per
 * table copied, the DBA's next step.
 *
 * Order: --mark writes the marker and stops.  Otherwise both systems are
 * read and every check made (marker, tables, readiness, sequences) before
 * anything is written; one problem and nothing is changed.  Then the start
 * is recorded, the tables copied (resumable), and the rest done in one
 * transaction (transfer_run.c).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "copy_endpoint.h"
#include "transfer.h"

void
help_transfer(void)
{
	printf("Usage: upkit transfer --from TEST --to PROD [OPTION]...\n"
		   "       upkit transfer --mark --to PROD [--schema S]\n\n"
		   "Move the preprocessing state of a test system, restored from a backup of\n"
		   "production, back to production: the staging tables of a runner plan (the\n"
		   "tables its live and delta jobs write) or the shadow tables of the delta specs\n"
		   "given, the tables named with --table and upkit's state tables\n"
		   "(upkit.delta_state, upkit.delta_run, the validation log, ...; never its\n"
		   "ledgers).  Everything is checked first and every problem reported; one\n"
		   "problem and nothing is changed.  Then the tables\n"
		   "are copied in parallel (one transaction each, resumable), the moved delta\n"
		   "state is marked not ready, and the number sequences named (and the\n"
		   "SYSTEMSEQUENCES rows of the moved tables) are synchronised: production's\n"
		   "next value becomes the larger of both.  Mark production with --mark right\n"
		   "before taking its backup.  docs/transfer.md has it all.\n\n"
		   "Options:\n"
		   "      --from CONNINFO      the test system (PostgreSQL conninfo or URI, or\n"
		   "                           mssql://USER@HOST[:PORT]/DATABASE with the password\n"
		   "                           from UPKIT_FROM_PASSWORD); production's engine\n"
		   "      --to CONNINFO        production, the same way (UPKIT_TO_PASSWORD); needs\n"
		   "                           the upkit extension 0.3, or the T-SQL runtime\n"
		   "      --mark               record the marker on production (before its backup)\n"
		   "  -p, --plan PLAN          a runner plan (file or folder): the tables its live\n"
		   "                           and delta jobs write move, the number sequences its\n"
		   "                           jobs name are synchronised\n"
		   "  -s, --spec FILE          a delta spec whose shadow table moves (repeat)\n"
		   "  -t, --table NAME         a table that moves, [SCHEMA.]NAME (repeat)\n"
		   "      --sequence CO:SEQ    a number sequence to synchronise, company and\n"
		   "                           NUMBERSEQUENCE (repeat)\n"
		   "      --schema S           the AX tables' schema (default public; dbo)\n"
		   "      --replace            overwrite production's older state\n"
		   "      --explain            check, list tables and sequences, change nothing\n"
		   "                           (also --dry-run)\n"
		   "  -j, --jobs N             tables copied at a time (default 2)\n"
		   "  -q, --quiet              no line per table copied\n"
		   "  -h, --help               show this help\n\n"
		   "Exit status: 0 done (or, with --explain, nothing in the way), 1 a problem,\n"
		   "2 wrong usage.\n\n"
		   "Examples:\n"
		   "  upkit transfer --mark --to 'dbname=ax_prod'\n"
		   "  upkit transfer --from 'dbname=ax_test' --to 'dbname=ax_prod' -s upg_cust.json \\\n"
		   "      --sequence dat:CRM_1 --explain\n");
}

struct transfer_args
{
	struct upkit_conn_target test,
				prod;
	struct transfer_options opt;
	int			mark,
				explain,
				jobs,
				quiet;
};

static void
print_tables(const struct transfer *tr, const struct copy_outcome *out)
{
	printf("%-34s %-26s %10s %10s  %s\n", "table", "why", "test rows", "prod rows", out ? "result" : "");
	for (int i = 0; i < tr->ntables; i++)
	{
		const struct transfer_table *t = &tr->tables[i];
		char		name[300];
		const char *result = "";

		snprintf(name, sizeof name, "%s.%s", t->schema, t->name);
		if (out && out[i].error)
			result = "FAILED";
		else if (out && out[i].ranges_done > 0)
			result = "copied, verified";
		else if (out)
			result = "copied before; verified";
		printf("%-34s %-26s %10lld %10lld  %s\n", name, t->why, t->test_rows, t->prod_rows, result);
		if (out && out[i].error)
			printf("%34s error: %s\n", "", out[i].error);
	}
}

static void
fmt_value(char *buf, size_t n, long long v)
{
	if (v < 0)
		snprintf(buf, n, "none");
	else
		snprintf(buf, n, "%lld", v);
}

static void
print_seqs(const struct transfer *tr, int done)
{
	if (tr->nseqs == 0)
		printf("no number sequence to synchronise\n");
	else
		printf("%-34s %12s %12s %12s  %-12s %s\n", "sequence", "at backup", "test", "production",
			   done ? "production" : "will be", "");
	for (int i = 0; i < tr->nseqs; i++)
	{
		const struct transfer_seq *s = &tr->seqs[i];
		char		backup[24] = "-";

		if (s->has_backup)
			snprintf(backup, sizeof backup, "%lld", s->backup);
		printf("%-34s %12s %12lld %12lld  %-12lld %s\n", s->label, backup, s->test, s->prod, s->after,
			   s->after == s->prod ? "unchanged" : done ? "raised" : "to raise");
		if (s->kind == TRANSFER_SEQ_NUMBER && s->test_highest != s->prod_highest)
			printf("%34s HIGHEST: production %lld, test %lld: %s\n", "", s->prod_highest, s->test_highest,
				   done ? "carried over" : "to carry over");
		if (s->kind == TRANSFER_SEQ_NUMBER && s->test_format && s->prod_format &&
			strcmp(s->test_format, s->prod_format) != 0)
			printf("%34s FORMAT differs: production '%s', test '%s' (not changed)\n", "", s->prod_format,
				   s->test_format);
	}
	if (tr->ncounters > 0)
		printf("%-34s %12s %12s %12s  %-12s\n", "upkit counter (last id)", "", "test", "production",
			   done ? "production" : "will be");
	for (int i = 0; i < tr->ncounters; i++)
	{
		const struct transfer_counter *k = &tr->counters[i];
		char		t[24],
					p[24],
					a[24];

		fmt_value(t, sizeof t, k->test);
		fmt_value(p, sizeof p, k->prod);
		fmt_value(a, sizeof a, k->after);
		printf("%-34s %12s %12s %12s  %-12s %s\n", k->name, "", t, p, a,
			   k->after == k->prod ? "unchanged" : done ? "raised" : "to raise");
	}
}

static void
on_range_end(void *arg, const struct copy_table_plan *t, int range,
			 const struct copy_range_result *r, const char *error)
{
	const int  *quiet = arg;

	(void) range;
	if (error)
		fprintf(stderr, "upkit: transfer %s.%s failed: %s\n", t->src_schema, t->map->src->name, error);
	else if (!*quiet)
		fprintf(stderr, "transfer: %s.%s: %s, %lld rows\n", t->src_schema, t->map->src->name,
				r->skipped ? "done already" : "copied", r->rows);
}

static int
run_mark(struct transfer_args *a)
{
	struct strbuf err = STRBUF_INIT;
	struct strbuf id = STRBUF_INIT;
	struct upkit_conn *prod = upkit_conn_open(&a->prod, &err);
	int			rc = EXIT_FAIL;

	if (prod == NULL)
		upkit_error("%s", sb_str(&err));
	else if (transfer_mark(prod, a->opt.ax_schema, &id) != 0)
		upkit_error("cannot mark production (%s): %s", prod->where, sb_str(&prod->error));
	else
	{
		printf("marked production (%s): marker %s\n"
			   "Take the backup for the test system now; the transfer checks that the test system holds this marker.\n",
			   prod->where, sb_str(&id));
		rc = EXIT_OK;
	}
	upkit_conn_close(prod);
	sb_free(&err);
	sb_free(&id);
	return rc;
}

static int
run_transfer(struct transfer_args *a)
{
	struct upkit_diags diags = UPKIT_DIAGS_INIT;
	struct transfer tr = {0};
	struct strbuf err = STRBUF_INIT;
	struct upkit_conn *test,
			   *prod;
	struct copy_outcome *out = NULL;
	int			rc = EXIT_FAIL;
	int			failed;

	test = upkit_conn_open(&a->test, &err);
	if (test == NULL)
		upkit_diag_msg(&diags, "the test system (--from): %s", sb_str(&err));
	sb_free(&err);
	prod = upkit_conn_open(&a->prod, &err);
	if (prod == NULL)
		upkit_diag_msg(&diags, "production (--to): %s", sb_str(&err));
	sb_free(&err);
	if (test && prod &&
		(transfer_check_marker(&tr, test, prod, &diags) < 0 ||
		 transfer_collect(&tr, test, prod, &a->opt, &diags) < 0 ||
		 transfer_check_tables(&tr, test, prod, &a->opt, &diags) < 0 ||
		 transfer_order(&tr, prod, &diags) < 0 ||
		 transfer_read_seqs(&tr, test, prod, &a->opt, &diags) < 0))
		upkit_diag_msg(&diags, "the checks could not finish");
	if (test && prod)
		printf("transfer from %s (test) to %s (production), marker %s%s\n", test->where, prod->where,
			   tr.marker_id ? tr.marker_id : "(none)", tr.resume ? ", resuming a transfer begun before" : "");
	fflush(stdout);
	if (a->explain && test && prod)
	{
		print_tables(&tr, NULL);
		print_seqs(&tr, 0);
		fflush(stdout);
	}
	if (diags.n > 0)
	{
		rc = upkit_report_problems(&diags, 1, "found", "changed");
		goto done;
	}
	if (a->explain)
	{
		rc = EXIT_OK;
		goto done;
	}
	if (transfer_begin(&tr, prod, a->opt.from_label, a->opt.replace) != 0)
	{
		upkit_error("cannot record the transfer's start on production%s%s%s: %s; nothing was changed",
					tr.emptied.len ? " (--replace: " : "", sb_str(&tr.emptied), tr.emptied.len ? ")" : "",
					sb_str(&prod->error));
		goto done;
	}
	if (tr.emptied.len && !a->quiet)
		fprintf(stderr, "transfer: --replace emptied production's copies with %s\n", sb_str(&tr.emptied));
	out = calloc((size_t) tr.ntables + 1, sizeof *out);
	if (out == NULL)
		abort();
	{
		struct copy_events ev = {&a->quiet, on_range_end, NULL};

		failed = transfer_copy(&tr, test, prod, &a->test, &a->prod, a->jobs, &ev, out, &diags);
	}
	if (failed < 0)
	{
		upkit_diags_print(&diags, stderr);
		upkit_error("the copy could not start; run upkit transfer again to resume");
		goto done;
	}
	fflush(stderr);
	print_tables(&tr, out);
	if (failed > 0)
	{
		upkit_error("%d table%s not transferred completely: nothing else was changed;"
					" run upkit transfer again to resume", failed, failed == 1 ? "" : "s");
		goto done;
	}
	if (transfer_after_copy(&tr, prod, a->opt.ax_schema, &err) != 0)
	{
		upkit_error("the tables were copied, but the sequences and the delta state could not be"
					" updated (%s): nothing of that was changed; run upkit transfer again", sb_str(&err));
		goto done;
	}
	print_seqs(&tr, 1);
	printf("The moved delta state is marked not ready: production changed after the backup.\n"
		   "Next: run each delta procedure on production, per company, until it reports 0, 0, 0\n"
		   "(upkit.delta_state shows ready_to_copy for every row); then go on with the upgrade.\n");
	rc = EXIT_OK;
done:
	copy_outcomes_free(out, tr.ntables);
	transfer_free(&tr);
	upkit_conn_close(test);
	upkit_conn_close(prod);
	upkit_diags_free(&diags);
	sb_free(&err);
	return rc;
}

static int
push(const char ***list, int *n, const char *v)
{
	*list = realloc(*list, sizeof(**list) * (*n + 2));
	if (*list == NULL)
		abort();
	(*list)[(*n)++] = v;
	(*list)[*n] = NULL;
	return 0;
}

/*
 * --to and --from as upkit copy takes its sides (copy_endpoint.h): a
 * PostgreSQL conninfo, or mssql://USER@HOST[:PORT]/DATABASE with the
 * password from the side's own variable.  0, EXIT_USAGE or EXIT_FAIL after
 * the message.
 */
static int
sides(struct transfer_args *a, const char *from, const char *to, struct copy_endpoint *from_e,
	  struct copy_endpoint *to_e)
{
	struct strbuf err = STRBUF_INIT;
	int			rc = copy_endpoint_parse("--to", to, "UPKIT_TO_PASSWORD", to_e, &err);

	if (rc == 0 && from)
		rc = copy_endpoint_parse("--from", from, "UPKIT_FROM_PASSWORD", from_e, &err);
	a->prod = to_e->t;
	a->test = from_e->t;
	rc = copy_endpoint_exit("transfer", rc, &err);
	sb_free(&err);
	return rc;
}

int
cmd_transfer(int argc, char **argv)
{
	static const struct option opts[] = {
		{"from", required_argument, NULL, 'F'},
		{"to", required_argument, NULL, 'T'},
		{"mark", no_argument, NULL, 'M'},
		{"plan", required_argument, NULL, 'p'},
		{"spec", required_argument, NULL, 's'},
		{"table", required_argument, NULL, 't'},
		{"sequence", required_argument, NULL, 'Q'},
		{"schema", required_argument, NULL, 'S'},
		{"replace", no_argument, NULL, 'R'},
		{"explain", no_argument, NULL, 'e'},
		{"dry-run", no_argument, NULL, 'e'},
		{"jobs", required_argument, NULL, 'j'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	struct transfer_args a = {0};
	struct copy_endpoint from_e = {0},
				to_e = {0};
	const char *from = NULL,
			   *to = NULL;
	const char **specs = NULL,
			  **tables = NULL,
			  **seqs = NULL;
	int			nspecs = 0,
				ntables = 0,
				nseqs = 0;
	int			c;
	int			rc;
	char	   *end;

	a.jobs = 2;
	if ((rc = upkit_check_long_options("transfer", argc, argv, opts)) != 0)
		return rc;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":p:s:t:j:qh", opts, NULL)) != -1)
	{
		switch (c)
		{
			case 'F':
				from = optarg;
				break;
			case 'T':
				to = optarg;
				break;
			case 'M':
				a.mark = 1;
				break;
			case 'p':
				if (a.opt.plan)
				{
					rc = upkit_usage_error("transfer", "--plan is given once");
					goto out;
				}
				a.opt.plan = optarg;
				break;
			case 's':
				push(&specs, &nspecs, optarg);
				break;
			case 't':
				push(&tables, &ntables, optarg);
				break;
			case 'Q':
				if (strchr(optarg, ':') == NULL || optarg[0] == ':' || strchr(optarg, ':')[1] == '\0')
				{
					rc = upkit_usage_error("transfer", "--sequence needs COMPANY:NUMBERSEQUENCE, not '%s'", optarg);
					goto out;
				}
				push(&seqs, &nseqs, optarg);
				break;
			case 'S':
				a.opt.ax_schema = optarg;
				break;
			case 'R':
				a.opt.replace = 1;
				break;
			case 'e':
				a.explain = 1;
				break;
			case 'j':
				a.jobs = (int) strtol(optarg, &end, 10);
				if (*optarg == '\0' || *end != '\0' || a.jobs < 1 || a.jobs > 64)
				{
					rc = upkit_usage_error("transfer", "--jobs needs a whole number from 1 to 64, not '%s'", optarg);
					goto out;
				}
				break;
			case 'q':
				a.quiet = 1;
				break;
			case 'h':
				help_transfer();
				rc = EXIT_OK;
				goto out;
			case ':':
				rc = upkit_usage_error("transfer", "option '%s' needs a value", argv[optind - 1]);
				goto out;
			default:
				rc = upkit_usage_error("transfer", "unknown option '%s'", argv[optind - 1]);
				goto out;
		}
	}
	a.opt.specs = specs;
	a.opt.tables = tables;
	a.opt.sequences = seqs;
	a.opt.from_label = from;
	if (optind < argc)
		rc = upkit_usage_error("transfer", "unexpected argument '%s'", argv[optind]);
	else if (a.mark && (from || a.opt.plan || nspecs || ntables || nseqs || a.explain || a.opt.replace))
		rc = upkit_usage_error("transfer", "--mark goes with --to (and --schema) only");
	else if (a.mark && to == NULL)
		rc = upkit_usage_error("transfer", "--mark needs --to");
	else if (!a.mark && (from == NULL || to == NULL))
		rc = upkit_usage_error("transfer", "--from and --to are both required");
	else if ((rc = sides(&a, from, to, &from_e, &to_e)) == 0)
	{
		if (a.opt.ax_schema == NULL)
			a.opt.ax_schema = a.prod.dialect == UPKIT_DIALECT_MSSQL ? "dbo" : "public";
		if (a.mark)
			rc = run_mark(&a);
		else if (a.test.dialect != a.prod.dialect)
		{
			/*
			 * The test system is restored from production's backup (the
			 * marker checks it): one engine on both sides, whose state
			 * tables have one layout.  docs/transfer.md, "SQL Server".
			 */
			rc = upkit_usage_error("transfer", "--from is %s and --to is %s: the test system is a restored"
								   " backup of production, so both are the same engine",
								   a.test.dialect == UPKIT_DIALECT_MSSQL ? "SQL Server" : "PostgreSQL",
								   a.prod.dialect == UPKIT_DIALECT_MSSQL ? "SQL Server" : "PostgreSQL");
		}
		else
			rc = run_transfer(&a);
	}
out:
	copy_endpoint_free(&from_e);
	copy_endpoint_free(&to_e);
	free(specs);
	free(tables);
	free(seqs);
	return rc;
}
