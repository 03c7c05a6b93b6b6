/*
 * cmd_xpp.c: "upkit xpp lint" and "upkit xpp graph": the X++ upgrade
 * scripts of XPO exports, checked and drawn.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "xpp_graph.h"
#include "xpp_lint.h"

void
help_xpp(void)
{
	printf("Usage: upkit xpp lint  [OPTION]... FILE.xpo...\n"
		   "       upkit xpp graph [OPTION]... FILE.xpo...\n\n"
		   "Read the upgrade scripts (class methods with UpgradeScript... attributes) of\n"
		   "AOT exports.\n\n"
		   "lint   reports every best-practice error with its BPError code, and the\n"
		   "       mistakes that show only at run time: a table used without its\n"
		   "       UpgradeScriptTableAttribute or with an access it does not declare, a\n"
		   "       live preprocessing script without its delta script, Direct SQL that\n"
		   "       compares two tables' DATAAREAIDs, dependency cycles, dependencies on\n"
		   "       scripts that do not exist, redundant dependencies (warnings) and races\n"
		   "       (two unordered scripts of one stage writing one table).  Output:\n"
		   "       FILE:LINE: CODE: Class.method: message\n"
		   "graph  prints the dependency graph by stage and type, as text or DOT; with\n"
		   "       --db, each script's weight1 (the sizes of the tables it uses) and\n"
		   "       weight2 (weight1 plus its immediate dependants' weight1).\n\n"
		   "Names a script may use are those the XPO files define, plus list files (one\n"
		   "name a line, '#' starts a comment):\n"
		   "      --tables FILE       table names\n"
		   "      --classes FILE      class names\n"
		   "      --methods FILE      methods as Class.method (scripts defined elsewhere)\n"
		   "      --config-keys FILE  configuration key names\n\n"
		   "Options:\n"
		   "      --json              lint: the findings as JSON\n"
		   "      --dot               graph: Graphviz DOT instead of text\n"
		   "      --db CONNINFO       graph: a PostgreSQL database for the weights\n"
		   "  -h, --help              show this help\n\n"
		   "Exit status: 0 no errors (warnings allowed), 1 errors found (or the database\n"
		   "failed), 2 wrong usage or an XPO file that cannot be read.\n\n"
		   "Examples:\n"
		   "  upkit xpp lint sql/demo/xpp/*.xpo\n"
		   "  upkit xpp graph --dot sql/demo/xpp/*.xpo | dot -Tsvg > scripts.svg\n");
}

struct xpp_opts
{
	int			json;
	int			dot;
	const char *db;
};

/* Options, lists and files into w; EXIT_OK or the exit status. */
static int
load(const char *sub, int argc, char **argv, struct xpp_opts *o, struct xpp_world *w)
{
	static const struct option opts[] = {
		{"tables", required_argument, NULL, 't'},
		{"classes", required_argument, NULL, 'c'},
		{"methods", required_argument, NULL, 'm'},
		{"config-keys", required_argument, NULL, 'k'},
		{"json", no_argument, NULL, 'j'},
		{"dot", no_argument, NULL, 'D'},
		{"db", required_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	const char *lists[4][16];
	int			nlists[4] = {0, 0, 0, 0};
	struct xpo_file *files;
	char		err[1024];
	int			c;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1)
	{
		int			li = -1;

		switch (c)
		{
			case 't':
				li = 0;
				break;
			case 'c':
				li = 1;
				break;
			case 'm':
				li = 2;
				break;
			case 'k':
				li = 3;
				break;
			case 'j':
				if (strcmp(sub, "lint") != 0)
					return upkit_usage_error("xpp", "--json is an option of xpp lint");
				o->json = 1;
				break;
			case 'D':
				if (strcmp(sub, "graph") != 0)
					return upkit_usage_error("xpp", "--dot is an option of xpp graph");
				o->dot = 1;
				break;
			case 'd':
				if (strcmp(sub, "graph") != 0)
					return upkit_usage_error("xpp", "--db is an option of xpp graph");
				o->db = optarg;
				break;
			case 'h':
				help_xpp();
				return -1;
			case ':':
				return upkit_usage_error("xpp", "option '%s' needs a value", argv[optind - 1]);
			default:
				return upkit_usage_error("xpp", "unknown option '%s'", argv[optind - 1]);
		}
		if (li >= 0)
		{
			if (nlists[li] == 16)
				return upkit_usage_error("xpp", "at most 16 files for '%s'", argv[optind - 2]);
			lists[li][nlists[li]++] = optarg;
		}
	}
	if (optind >= argc)
		return upkit_usage_error("xpp", "no XPO file given");

	files = calloc((size_t) (argc - optind), sizeof *files);
	if (files == NULL)
		abort();
	for (int k = optind; k < argc; k++)
		if (xpo_read_file(argv[k], &files[k - optind], err, sizeof err) != 0)
		{
			upkit_error("%s", err);
			for (int j = optind; j < k; j++)
				xpo_file_free(&files[j - optind]);
			free(files);
			return EXIT_USAGE;
		}
	xpp_world_init(w, files, argc - optind);
	for (int li = 0; li < 4; li++)
		for (int k = 0; k < nlists[li]; k++)
		{
			struct xpp_names *dst[4] = {&w->tables, &w->classes, &w->methods, &w->config_keys};

			if (xpp_names_load(dst[li], lists[li][k], err, sizeof err) != 0)
			{
				upkit_error("%s", err);
				xpp_world_free(w);
				return EXIT_USAGE;
			}
			/* a method listed as Class.method makes its class known too */
			if (li == 2)
				for (int n = 0; n < w->methods.n; n++)
				{
					char	   *dot = strchr(w->methods.v[n], '.');

					if (dot)
					{
						*dot = '\0';
						xpp_names_add(&w->classes, w->methods.v[n]);
						*dot = '.';
					}
				}
		}
	return EXIT_OK;
}

static int
run_lint(int argc, char **argv)
{
	struct xpp_opts o = {0, 0, NULL};
	struct xpp_world w;
	struct xpp_findings f = {NULL, 0};
	int			rc = load("lint", argc, argv, &o, &w);
	int			errors;

	if (rc != EXIT_OK)
		return rc < 0 ? EXIT_OK : rc;
	xpp_lint(&w, &f);
	errors = xpp_findings_errors(&f);
	if (o.json)
	{
		char	   *s = xpp_findings_json(&f);

		printf("%s\n", s);
		free(s);
	}
	else
	{
		int			scripts = 0;

		for (int k = 0; k < w.nmethods; k++)
			scripts += w.methods_v[k].is_script;
		xpp_findings_print(&f, stdout);
		fflush(stdout);
		fprintf(stderr, "upkit: %d error%s, %d warning%s in %d upgrade script%s\n", errors,
				errors == 1 ? "" : "s", f.n - errors, f.n - errors == 1 ? "" : "s",
				scripts, scripts == 1 ? "" : "s");
	}
	xpp_findings_free(&f);
	xpp_world_free(&w);
	return errors ? EXIT_FAIL : EXIT_OK;
}

/* The weights from the database at conninfo; 0, or -1 after printing why. */
static int
weights(const char *conninfo, const struct xpp_graph *g, struct xpp_weights *wt)
{
	struct upkit_conn_target t = {0};
	struct upkit_diags d = UPKIT_DIAGS_INIT;
	struct strbuf err = STRBUF_INIT;
	struct upkit_conn *conn;
	int			rc = -1;

	t.dialect = UPKIT_DIALECT_PG;
	t.conninfo = conninfo;
	if ((conn = upkit_conn_open(&t, &err)) == NULL)
		upkit_error("%s", sb_str(&err));
	else
		rc = xpp_weights_from_catalog(conn, g, wt, &d);
	upkit_diags_print(&d, stderr);
	upkit_diags_free(&d);
	upkit_conn_close(conn);
	sb_free(&err);
	return rc;
}

static int
run_graph(int argc, char **argv)
{
	struct xpp_opts o = {0, 0, NULL};
	struct xpp_world w;
	struct xpp_graph g;
	struct xpp_weights wt = {NULL, NULL};
	int			rc = load("graph", argc, argv, &o, &w);

	if (rc != EXIT_OK)
		return rc < 0 ? EXIT_OK : rc;
	xpp_graph_build(&w, &g, NULL);
	if (o.db && weights(o.db, &g, &wt) != 0)
		rc = EXIT_FAIL;
	else if (o.dot)
		xpp_graph_print_dot(&g, o.db ? &wt : NULL, stdout);
	else
		xpp_graph_print_text(&g, o.db ? &wt : NULL, stdout);
	free(wt.w1);
	free(wt.w2);
	xpp_graph_free(&g);
	xpp_world_free(&w);
	return rc;
}

int
cmd_xpp(int argc, char **argv)
{
	if (argc < 2)
		return upkit_usage_error("xpp", "say what to do: lint or graph");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
	{
		help_xpp();
		return EXIT_OK;
	}
	if (strcmp(argv[1], "lint") == 0)
		return run_lint(argc - 1, argv + 1);
	if (strcmp(argv[1], "graph") == 0)
		return run_graph(argc - 1, argv + 1);
	return upkit_usage_error("xpp", "unknown xpp command '%s' (use lint or graph)", argv[1]);
}
