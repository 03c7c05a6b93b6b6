/*
 * test_xpp_lint.c: every lint rule on the fixtures in tests/fixtures/xpp/.
 *
 * Each planted mistake carries "// expect: CODE" on the line where lint
 * must report it (several codes separated by commas, "warning: CODE" for a
 * warning); the findings must be exactly those, line for line, and the
 * clean fixture must give none.  A few rules are also checked on small
 * sources of their own: the attribute reader, the body's table uses, and
 * that a finding disappears when its cause is fixed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "tap.h"
#include "xpp_body.h"
#include "xpp_graph.h"
#include "xpp_lint.h"

#define DIR "tests/fixtures/xpp/"

/* Read the files (NULL-terminated) and list files into w. */
static void
world(struct xpp_world *w, const char *const *files, const char *tables, const char *methods,
	  const char *keys)
{
	int			n = 0;
	struct xpo_file *f;
	char		err[512];

	while (files[n])
		n++;
	f = calloc((size_t) n, sizeof *f);
	for (int k = 0; k < n; k++)
		if (xpo_read_file(files[k], &f[k], err, sizeof err) != 0)
		{
			printf("Bail out! %s\n", err);
			exit(1);
		}
	xpp_world_init(w, f, n);
	if ((tables && xpp_names_load(&w->tables, tables, err, sizeof err) != 0) ||
		(methods && xpp_names_load(&w->methods, methods, err, sizeof err) != 0) ||
		(keys && xpp_names_load(&w->config_keys, keys, err, sizeof err) != 0))
	{
		printf("Bail out! %s\n", err);
		exit(1);
	}
}

/* The "// expect:" markers of a file as sorted "LINE CODE" lines. */
static void
expected(const char *path, struct strbuf *out)
{
	FILE	   *f = fopen(path, "r");
	char		line[2048];
	int			no = 0;

	while (f && fgets(line, sizeof line, f))
	{
		char	   *m = strstr(line, "// expect: ");

		no++;
		if (m == NULL)
			continue;
		m += 11;
		m[strcspn(m, "\n")] = '\0';
		for (char *tok = strtok(m, ","); tok; tok = strtok(NULL, ","))
		{
			while (*tok == ' ')
				tok++;
			sb_appendf(out, "%d %s\n", no, tok);
		}
	}
	if (f)
		fclose(f);
}

static int
cmp_lines(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/* Sort the lines of a buffer in place (so that order within a line does not matter). */
static void
sort_lines(struct strbuf *sb)
{
	char	   *v[512];
	int			n = 0;
	struct strbuf out = STRBUF_INIT;
	char	   *copy = xstrdup(sb_str(sb));

	for (char *l = strtok(copy, "\n"); l && n < 512; l = strtok(NULL, "\n"))
		v[n++] = l;
	qsort(v, (size_t) n, sizeof *v, cmp_lines);
	for (int k = 0; k < n; k++)
		sb_appendf(&out, "%s\n", v[k]);
	free(copy);
	sb_free(sb);
	*sb = out;
}

static void
check_fixture(const char *fixture, const char *const *files, const char *tables, const char *methods,
			  const char *keys, int nwant)
{
	struct xpp_world w;
	struct xpp_findings f = {NULL, 0};
	struct strbuf got = STRBUF_INIT;
	struct strbuf want = STRBUF_INIT;
	char		name[256];

	world(&w, files, tables, methods, keys);
	xpp_lint(&w, &f);
	for (int k = 0; k < f.n; k++)
		if (strcmp(f.v[k].file, fixture) == 0)
			sb_appendf(&got, "%d %s%s\n", f.v[k].line, f.v[k].error ? "" : "warning: ", f.v[k].code);
		else
			sb_appendf(&got, "%s:%d %s (outside the fixture)\n", f.v[k].file, f.v[k].line, f.v[k].code);
	expected(fixture, &want);
	sort_lines(&got);
	sort_lines(&want);
	snprintf(name, sizeof name, "%s: the findings are exactly its %d expect: markers", fixture, nwant);
	is_str(sb_str(&got), sb_str(&want), name);
	{
		int			n = 0;

		for (const char *p = sb_str(&want); *p; p++)
			n += *p == '\n';
		snprintf(name, sizeof name, "%s: %d markers planted", fixture, nwant);
		is_int(n, nwant, name);
	}
	sb_free(&got);
	sb_free(&want);
	xpp_findings_free(&f);
	xpp_world_free(&w);
}

/* Lint one class whose methods are given as X++ sources (one file, tables.xpo beside it). */
static int
lint_source(const char *methods_xpo, const char *code)
{
	FILE	   *f = fopen("build/tests/unit/one.xpo", "w");
	const char *files[] = {DIR "tables.xpo", "build/tests/unit/one.xpo", NULL};
	struct xpp_world w;
	struct xpp_findings fs = {NULL, 0};
	int			n = 0;

	fprintf(f, "Exportfile for AOT version 1.0 or later\n***Element: CLS\n  CLASS #ReleaseUpdateDB60_One\n"
			"    METHODS\n      SOURCE #classDeclaration\n        #class ReleaseUpdateDB60_One\n"
			"        #{ #define.version(sysReleasedVersion::v60) }\n      ENDSOURCE\n%s"
			"    ENDMETHODS\n  ENDCLASS\n***Element: END\n", methods_xpo);
	fclose(f);
	world(&w, files, NULL, NULL, NULL);
	xpp_lint(&w, &fs);
	for (int k = 0; k < fs.n; k++)
		n += strcmp(fs.v[k].code, code) == 0;
	xpp_findings_free(&fs);
	xpp_world_free(&w);
	return n;
}

#define SCRIPT(attrs, body) \
	"      SOURCE #s\n        #[UpgradeScriptDescriptionAttribute('d'),\n" \
	"        # UpgradeScriptStageAttribute(ReleaseUpdateScriptStage::PostSync),\n" \
	"        # UpgradeScriptTypeAttribute(ReleaseUpdateScriptType::StandardScript)" attrs "]\n" \
	"        #public void s()\n        #{\n" body "        #}\n      ENDSOURCE\n"

int
main(void)
{
	static const char *const clean[] = {DIR "tables.xpo", DIR "clean.xpo", NULL};
	static const char *const errors[] = {DIR "tables.xpo", DIR "errors.xpo", NULL};
	static const char *const pre[] = {DIR "tables.xpo", DIR "preprocess.xpo", NULL};
	static const char *const graph[] = {DIR "graph.xpo", NULL};

	plan(22);

	check_fixture(DIR "clean.xpo", clean, NULL, NULL, DIR "configkeys.txt", 0);
	check_fixture(DIR "errors.xpo", errors, NULL, NULL, DIR "configkeys.txt", 16);
	check_fixture(DIR "preprocess.xpo", pre, NULL, NULL, NULL, 4);
	check_fixture(DIR "graph.xpo", graph, DIR "graph-tables.txt", DIR "graph-methods.txt", NULL, 3);

	/* Each rule goes away when its cause is fixed. */
	is_int(lint_source(SCRIPT(",\n        # UpgradeScriptTableAttribute(tableStr(CustTable), false, true, false, false)",
							  "        #    CustTable c;\n        #    delete_from c;\n"), "UpkitTableAccess"), 1,
		   "delete_from on a table declared read-only: UpkitTableAccess");
	is_int(lint_source(SCRIPT(",\n        # UpgradeScriptTableAttribute(tableStr(CustTable), false, true, false, true)",
							  "        #    CustTable c;\n        #    delete_from c;\n"), "UpkitTableAccess"), 0,
		   "... declared with delete: none");
	is_int(lint_source(SCRIPT(",\n        # UpgradeScriptTableAttribute(tableStr(CustTable), true, false, false, false)",
							  "        #    CustTable c;\n        #    c.AccountNum = '1';\n        #    c.insert();\n"),
					   "UpkitTableAccess"), 0, "insert() on a table declared with create: none");
	is_int(lint_source(SCRIPT(",\n        # UpgradeScriptTableAttribute(tableStr(CustTable), false, true, false, false)",
							  "        #    CustTable c;\n        #    CustGroup g;\n"
							  "        #    select c join g where g.CustGroup == c.CustGroup;\n"),
					   "BPErrorMissingReqTable"), 1, "a joined table without its attribute: BPErrorMissingReqTable");
	is_int(lint_source(SCRIPT(",\n        # UpgradeScriptTableAttribute(tableStr(CustTable), false, true, false, false)",
							  "        #    CustTable c;\n        #    // select g;\n        #    select c;\n"),
					   "BPErrorMissingReqTable"), 0, "... a table in a comment does not count");
	is_int(lint_source(SCRIPT(",\n        # UpgradeScriptTableAttribute(tableStr(CustTable), false, true, false, false)",
							  "        #    str s = 'WHERE A.DATAAREAID = N\\'dmo\\'';\n"), "UpkitDataAreaIdJoin"), 0,
		   "DATAAREAID compared with a literal: none");
	is_int(lint_source(SCRIPT(",\n        # UpgradeScriptTableAttribute(tableStr(CustTable), false, true, false, false)",
							  "        #    str s = 'WHERE A.DATAAREAID = B.DATAAREAID';\n"), "UpkitDataAreaIdJoin"), 1,
		   "... with another table's: UpkitDataAreaIdJoin");
	is_int(lint_source(SCRIPT(",\n        # UpgradeScriptTableAttribute(tableStr(CustTable), false, true, false, false)", ""),
					   "BPErrorMissingReqDesc"), 0, "a complete script: no missing attribute");
	is_int(lint_source("      SOURCE #s\n        #[UpgradeScriptDescriptionAttribute('d'),\n"
					   "        # UpgradeScriptStageAttribute(ReleaseUpdateScriptStage::PostSync),\n"
					   "        # UpgradeScriptTypeAttribute(ReleaseUpdateScriptType::StandardScript),\n"
					   "        # UpgradeScriptTableAttribute(tableStr(CustTable), false, true, false, false)]\n"
					   "        #private static server void s(int _x = 0)\n        #{\n        #}\n      ENDSOURCE\n",
					   "BPErrorMethodIsStatic"), 1, "static among other modifiers: BPErrorMethodIsStatic");
	is_int(lint_source("      SOURCE #helper\n        #private void helper(int _x)\n        #{\n        #}\n      ENDSOURCE\n",
					   "BPErrorMethodHasParams"), 0, "a method without upgrade attributes is not a script");

	/* JSON */
	{
		struct xpp_world w;
		struct xpp_findings f = {NULL, 0};
		char	   *j;

		world(&w, pre, NULL, NULL, NULL);
		xpp_lint(&w, &f);
		j = xpp_findings_json(&f);
		ok(strstr(j, "\"code\":\t\"UpkitLiveWithoutDelta\"") && strstr(j, "\"line\":\t36") &&
		   strstr(j, "\"errors\":\t4") && strstr(j, "\"warnings\":\t0"), "JSON: codes, lines and counts");
		free(j);
		xpp_findings_free(&f);
		xpp_world_free(&w);
	}
	/* The graph: edges, reverse dependencies, the external script. */
	{
		struct xpp_world w;
		struct xpp_graph g;
		int			rev = 0,
					ext = 0;

		world(&w, graph, DIR "graph-tables.txt", DIR "graph-methods.txt", NULL);
		xpp_graph_build(&w, &g, NULL);
		for (int e = 0; e < g.ne; e++)
		{
			if (strcmp(g.nodes[g.edges[e].from].name, "ReleaseUpdateDB60_Sales.reverse") == 0 &&
				strcmp(g.nodes[g.edges[e].to].name, "ReleaseUpdateDB60_Sales.reverseAfter") == 0)
				rev++;
			if (g.nodes[g.edges[e].from].m == NULL &&
				strcmp(g.nodes[g.edges[e].from].name, "ReleaseUpdateDB60_Ledger.updateLedgerTrans") == 0)
				ext++;
		}
		is_int(rev, 1, "UpgradeTaskDependsOnMe: the script runs before the one it names");
		is_int(ext, 1, "a script known from --methods is an external node");
		{
			struct xpp_weights wt;
			double		w1[64] = {0},
						w2[64] = {0};
			int			first = -1,
						second = -1,
						third = -1;

			wt.w1 = w1;
			wt.w2 = w2;
			for (int k = 0; k < g.n && k < 64; k++)
			{
				w1[k] = 10 * (k + 1);
				if (strcmp(g.nodes[k].name, "ReleaseUpdateDB60_Sales.first") == 0)
					first = k;
				if (strcmp(g.nodes[k].name, "ReleaseUpdateDB60_Sales.second") == 0)
					second = k;
				if (strcmp(g.nodes[k].name, "ReleaseUpdateDB60_Sales.third") == 0)
					third = k;
			}
			xpp_graph_weights2(&g, &wt);
			ok(first >= 0 && w2[first] == w1[first] + w1[second] + w1[third],
			   "weight2 = weight1 + the weight1 of each immediate dependant");
		}
		xpp_graph_free(&g);
		xpp_world_free(&w);
	}
	return done();
}
