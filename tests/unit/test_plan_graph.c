/*
 * test_plan_graph.c: plan reading (plan_read.c) and the graph
 * (plan_graph.c): the reference's weights on hand-computed values, the
 * three orders, the critical path, cycles, races, missing dependencies
 * and every plan problem docs/runner.md lists.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ledger.h"
#include "plan.h"
#include "strbuf.h"
#include "tap.h"

static char dir[] = "/tmp/upkit_plan_test_XXXXXX";

static void
write_file(const char *name, const char *text)
{
	char		path[256];
	FILE	   *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f == NULL)
		abort();
	fputs(text, f);
	fclose(f);
}

/* Read a plan from text; the diags are left in *d. */
static struct upkit_plan *
plan_from(const char *text, struct upkit_diags *d)
{
	char		path[256];

	write_file("plan.json", text);
	snprintf(path, sizeof path, "%s/plan.json", dir);
	return upkit_plan_read(path, d);
}

static int
job_index(const struct upkit_plan *p, const char *id)
{
	for (int i = 0; i < p->n_jobs; i++)
		if (strcmp(p->jobs[i].id, id) == 0)
			return i;
	return -1;
}

static void
order_text(const struct upkit_plan *p, const int *order, int n, char *out, size_t size)
{
	out[0] = '\0';
	for (int i = 0; i < n; i++)
	{
		strncat(out, i ? " " : "", size - strlen(out) - 1);
		strncat(out, p->jobs[order[i]].id, size - strlen(out) - 1);
	}
}

static long long
table_weight(const struct upkit_graph *g, const char *t)
{
	for (int i = 0; i < g->n_tables; i++)
		if (strcmp(g->tables[i], t) == 0)
			return g->table_weight[i];
	return -1;
}

#define HEAD "{\"name\": \"t\", \"databases\": {\"target\": {\"dialect\": \"pg\"}}, "

/*
 * Sizes A 100, B 10, C 1, D 150.
 *   j1: reads A, creates B          weight1 = 110
 *   j2: after j1; reads B, updates C weight1 = 11
 *   j3: after j1; reads A            weight1 = 100
 *   j4: reads D                      weight1 = 150
 * weight2: j1 = 110 + 11 + 100 = 221, j2 = 11, j3 = 100, j4 = 150.
 * Table weights: A = 221 + 100 = 321, B = 221 + 11 = 232, C = 11, D = 150.
 * Chains: j1 = 110 + max(11, 100) = 210, j2 = 11, j3 = 100, j4 = 150.
 */
static const char *weights_plan = HEAD
	"\"table_sizes\": {\"A\": 100, \"B\": 10, \"C\": 1, \"D\": 150},"
	"\"jobs\": ["
	"{\"id\": \"j1\", \"stage\": \"postsync\", \"sql\": \"x.sql\", \"tables\": {\"A\": \"read\", \"B\": \"create\"}},"
	"{\"id\": \"j2\", \"stage\": \"postsync\", \"sql\": \"x.sql\", \"after\": [\"j1\"], \"tables\": {\"B\": \"read\", \"C\": \"update\"}},"
	"{\"id\": \"j3\", \"stage\": \"postsync\", \"sql\": \"x.sql\", \"after\": [\"j1\"], \"tables\": {\"A\": \"read\"}},"
	"{\"id\": \"j4\", \"stage\": \"postsync\", \"sql\": \"x.sql\", \"tables\": {\"D\": \"read\"}}]}";

static void
test_weights(void)
{
	struct upkit_diags d = UPKIT_DIAGS_INIT;
	struct upkit_plan *p = plan_from(weights_plan, &d);
	struct upkit_graph g;
	char		buf[256];

	ok(p != NULL && d.n == 0, "the weights plan reads without problems");
	if (p == NULL)
	{
		upkit_diags_print(&d, stdout);
		return;
	}
	ok(upkit_graph_build(p, &g, UPKIT_ORDER_WEIGHT, &d) == 0, "its graph builds");
	is_int(g.weight1[job_index(p, "j1")], 110, "weight1 of j1 = A + B = 110");
	is_int(g.weight1[job_index(p, "j2")], 11, "weight1 of j2 = B + C = 11");
	is_int(g.weight2[job_index(p, "j1")], 221, "weight2 of j1 = 110 + its dependants' 11 + 100");
	is_int(g.weight2[job_index(p, "j4")], 150, "weight2 of j4 (no dependants) = its weight1");
	is_int(table_weight(&g, "a"), 321, "table A's weight = weight2 of j1 and j3 = 321");
	is_int(table_weight(&g, "b"), 232, "table B's weight = weight2 of j1 and j2 = 232");
	is_int(table_weight(&g, "c"), 11, "table C's weight = 11");
	is_int(g.chain[job_index(p, "j1")], 210, "j1's chain = 110 + max(11, 100)");
	order_text(p, g.order, g.n, buf, sizeof buf);
	is_str(buf, "j1 j4 j3 j2", "weight order: heaviest weight2 first");
	order_text(p, g.critical, g.n_critical, buf, sizeof buf);
	is_str(buf, "j1 j3", "critical path: j1 -> j3");
	upkit_graph_weigh(p, &g, UPKIT_ORDER_CRITICAL);
	order_text(p, g.order, g.n, buf, sizeof buf);
	is_str(buf, "j1 j4 j3 j2", "critical order: longest chain first (210, 150, 100, 11)");
	upkit_graph_weigh(p, &g, UPKIT_ORDER_FILE);
	order_text(p, g.order, g.n, buf, sizeof buf);
	is_str(buf, "j1 j2 j3 j4", "file order: the plan's");
	/* A catalog size for a table the plan sizes is ignored; an unsized one counts. */
	upkit_graph_set_size(&g, "a", 5);
	upkit_graph_weigh(p, &g, UPKIT_ORDER_WEIGHT);
	is_int(g.weight1[job_index(p, "j1")], 110, "the plan's table_sizes win over the catalog");
	/* A user's weight replaces weight1. */
	p->jobs[job_index(p, "j2")].weight = 500;
	upkit_graph_weigh(p, &g, UPKIT_ORDER_WEIGHT);
	is_int(g.weight2[job_index(p, "j1")], 710, "with j2's weight 500: weight2 of j1 = 110 + 500 + 100");
	order_text(p, g.order, g.n, buf, sizeof buf);
	is_str(buf, "j1 j2 j4 j3", "... and j2 moves up");
	upkit_graph_free(&g);
	upkit_plan_free(p);
	upkit_diags_free(&d);
}

/*
 * The copy stage (plan_copy.c, plan_graph.c).  Sizes A 1000, B 10, C 100,
 * D 2000, UPG_C 5000.  The copy of A, B, C expands into copy.A, copy.B,
 * copy.C (each creates its table).
 *   d1 (delta, source): reads C, creates UPG_C   weight1 = 5100
 *   p1 (postsync): reads B, creates D            weight1 = 2010
 *   p2 (postsync): reads B and C                 weight1 = 110
 * Edges: p1 after copy.B; p2 after copy.B and copy.C (the tables they use).
 *   copy.A: weight1 1000, weight2 1000
 *   copy.B: weight1 10,   weight2 10 + 2010 + 110 = 2130
 *   copy.C: weight1 100,  weight2 100 + 110 = 210
 * Table weights (sum of weight2 of the jobs that use the table):
 *   A = 1000; B = 2130 + 2010 + 110 = 4250; C = 5100 + 210 + 110 = 5420.
 * So the copy goes C, B, A: not by size (A, C, B), nor by weight2 (B, A, C).
 */
static const char *copy_plan =
	"{\"name\": \"t\", \"databases\": {\"src\": {\"dialect\": \"pg\"}, \"target\": {\"dialect\": \"pg\"}},"
	"\"table_sizes\": {\"A\": 1000, \"B\": 10, \"C\": 100, \"D\": 2000, \"UPG_C\": 5000},"
	"\"jobs\": ["
	"{\"id\": \"d1\", \"stage\": \"delta\", \"database\": \"src\", \"sql\": \"x.sql\", \"tables\": {\"C\": \"read\", \"UPG_C\": \"create\"}},"
	"{\"id\": \"copy\", \"stage\": \"copy\", \"database\": \"target\", \"copy\": {\"from\": \"src\", \"tables\": [\"A\", \"B\", \"C\"]}},"
	"{\"id\": \"p1\", \"stage\": \"postsync\", \"database\": \"target\", \"sql\": \"x.sql\", \"tables\": {\"B\": \"read\", \"D\": \"create\"}},"
	"{\"id\": \"p2\", \"stage\": \"postsync\", \"database\": \"target\", \"sql\": \"x.sql\", \"tables\": {\"B\": \"read\", \"C\": \"read\"}}]}";

/* text with extra inserted before the first occurrence of at (a static buffer). */
static const char *
with_after(const char *text, const char *at, const char *extra)
{
	static char buf[4096];
	const char *pos = strstr(text, at);

	snprintf(buf, sizeof buf, "%.*s%s%s", (int) (pos - text), text, extra, pos);
	return buf;
}

static void
deps_text(const struct upkit_plan *p, const struct upkit_graph *g, const char *id, char *out, size_t size)
{
	order_text(p, g->deps[job_index(p, id)], g->n_deps[job_index(p, id)], out, size);
}

static void
test_copy_weights(void)
{
	struct upkit_diags d = UPKIT_DIAGS_INIT;
	struct upkit_plan *p = plan_from(copy_plan, &d);
	struct upkit_graph g;
	char		buf[256];

	ok(p != NULL && d.n == 0, "the copy plan reads without problems");
	if (p == NULL)
	{
		upkit_diags_print(&d, stdout);
		return;
	}
	is_int(p->n_jobs, 6, "the copy expands into one job per table");
	ok(job_index(p, "copy.B") >= 0 && p->jobs[job_index(p, "copy.B")].stage == UPKIT_STAGE_COPY
	   && strcmp(p->jobs[job_index(p, "copy.B")].copy_table, "B") == 0, "copy.B: stage copy, copies B");
	ok(upkit_graph_build(p, &g, UPKIT_ORDER_WEIGHT, &d) == 0, "its graph builds");
	deps_text(p, &g, "p2", buf, sizeof buf);
	is_str(buf, "copy.B copy.C", "p2 waits for the copies of B and C, the tables it reads");
	deps_text(p, &g, "p1", buf, sizeof buf);
	is_str(buf, "copy.B", "p1 waits for copy.B only");
	is_int(g.weight2[job_index(p, "copy.B")], 2130, "weight2 of copy.B = 10 + 2010 + 110");
	is_int(table_weight(&g, "b"), 4250, "table B's weight = 2130 + 2010 + 110");
	is_int(table_weight(&g, "c"), 5420, "table C's weight = 5100 + 210 + 110");
	is_int(g.copy_weight[job_index(p, "copy.A")], 1000, "copy.A's order key: table A's weight 1000");
	is_int(g.copy_weight[job_index(p, "p1")], -1, "a job that copies nothing has no copy weight");
	order_text(p, g.order, g.n, buf, sizeof buf);
	is_str(buf, "d1 copy.C copy.B copy.A p1 p2", "the copy stage by table weight: C 5420, B 4250, A 1000");
	upkit_graph_weigh(p, &g, UPKIT_ORDER_FILE);
	order_text(p, g.order, g.n, buf, sizeof buf);
	is_str(buf, "d1 copy.A copy.B copy.C p1 p2", "file order keeps the plan's (the copy's list)");
	upkit_graph_free(&g);
	upkit_plan_free(p);
	upkit_diags_free(&d);

	/* B's ranges shared by two part jobs: copy.B waits for them; the weights stay. */
	{
		char	   *text = xstrdup(copy_plan);
		char	   *at = strstr(text, "\"B\", \"C\"]");
		struct strbuf sb = STRBUF_INIT;

		*at = '\0';
		sb_appendf(&sb, "%s{\"table\": \"B\", \"jobs\": 2}, \"C\"]%s", text, at + strlen("\"B\", \"C\"]"));
		p = plan_from(sb_str(&sb), &d);
		free(text);
		sb_free(&sb);
	}
	ok(p != NULL && upkit_graph_build(p, &g, UPKIT_ORDER_WEIGHT, &d) == 0, "a table with \"jobs\": 2 reads and builds");
	if (p == NULL)
	{
		upkit_diags_print(&d, stdout);
		return;
	}
	deps_text(p, &g, "copy.B", buf, sizeof buf);
	is_str(buf, "copy.B.1 copy.B.2", "copy.B waits for its two parts");
	is_int(p->jobs[job_index(p, "copy.B.2")].copy_part, 2, "copy.B.2 is part 2");
	is_int(p->jobs[job_index(p, "copy.B.1")].n_tables, 0, "a part names no table (the parts never race)");
	is_int(g.copy_weight[job_index(p, "copy.B.1")], 4250, "a part goes by its table's weight");
	deps_text(p, &g, "p1", buf, sizeof buf);
	is_str(buf, "copy.B", "p1 still waits for copy.B only");
	upkit_graph_free(&g);
	upkit_plan_free(p);
	upkit_diags_free(&d);

	/* "after": ["copy"]: every table's job of the copy (not the parts). */
	p = plan_from(with_after(copy_plan, "\"tables\": {\"B\": \"read\", \"D\"", "\"after\": [\"copy\"], "), &d);
	ok(p != NULL && upkit_graph_build(p, &g, UPKIT_ORDER_WEIGHT, &d) == 0, "\"after\": [\"copy\"] resolves");
	if (p == NULL)
	{
		upkit_diags_print(&d, stdout);
		return;
	}
	deps_text(p, &g, "p1", buf, sizeof buf);
	is_str(buf, "copy.A copy.B copy.C", "p1 with \"after\": [\"copy\"] waits for every table of the copy");
	upkit_graph_free(&g);
	upkit_plan_free(p);
	upkit_diags_free(&d);
	/* ... and a job of an earlier stage cannot. */
	p = plan_from(with_after(copy_plan, "\"tables\": {\"C\": \"read\", \"UPG_C\"", "\"after\": [\"copy\"], "), &d);
	ok(p != NULL && upkit_graph_build(p, &g, UPKIT_ORDER_WEIGHT, &d) != 0
	   && upkit_diags_has(&d, "$.jobs[0].after[0]", "the copy \"copy\" runs in a later stage than this job"),
	   "a delta job waiting for the copy: refused, naming the copy");
	upkit_plan_free(p);
	upkit_diags_free(&d);
}

/* Build a plan's graph and return the problems found. */
static int
problems(const char *text, const char *path, const char *want, const char *name)
{
	struct upkit_diags d = UPKIT_DIAGS_INIT;
	struct upkit_plan *p = plan_from(text, &d);
	struct upkit_graph g;
	int			found;

	if (p && upkit_graph_build(p, &g, UPKIT_ORDER_WEIGHT, &d) == 0)
		upkit_graph_free(&g);
	found = want ? upkit_diags_has(&d, path, want) : d.n == 0;
	if (!ok(found, name))
		upkit_diags_print(&d, stdout);
	upkit_plan_free(p);
	upkit_diags_free(&d);
	return found;
}

#define JOB(id, extra) "{\"id\": \"" id "\", \"stage\": \"postsync\", \"sql\": \"x.sql\"" extra "}"

static void
test_graph_problems(void)
{
	problems(HEAD "\"jobs\": [" JOB("a", ", \"after\": [\"b\"]") "," JOB("b", ", \"after\": [\"a\"]") "]}",
			 "$.jobs[0]", "dependency cycle: a -> b -> a", "a cycle is a plan error that names it");
	problems(HEAD "\"jobs\": [" JOB("a", ", \"after\": [\"c\"]") "," JOB("b", ", \"after\": [\"a\"]") ","
			 JOB("c", ", \"after\": [\"b\"]") "]}",
			 "$.jobs[0]", "dependency cycle: a -> b -> c -> a", "a cycle of three is named in order");
	problems(HEAD "\"jobs\": [" JOB("a", ", \"after\": [\"nope\"]") "]}",
			 "$.jobs[0].after[0]", "no job \"nope\" in the plan", "a missing dependency is a plan error");
	problems(HEAD "\"jobs\": [" JOB("a", ", \"after\": [\"a\"]") "]}",
			 "$.jobs[0].after[0]", "cannot wait for itself", "a job waiting for itself");
	problems(HEAD "\"jobs\": [" JOB("a", ", \"after_tables\": [\"T\"]") "]}",
			 "$.jobs[0].after_tables[0]", "no job of this phase or before writes table t",
			 "a table dependency nobody satisfies");
	problems(HEAD "\"jobs\": [" JOB("a", ", \"tables\": {\"T\": \"update\"}") ","
			 JOB("b", ", \"tables\": {\"T\": \"read\"}") "]}",
			 "$.jobs[1]", "races with job \"a\" on table t (a writes it, this job reads it)",
			 "one writes what another reads, unordered: a race");
	problems(HEAD "\"jobs\": [" JOB("a", ", \"tables\": {\"dbo.T\": \"create\"}") ","
			 JOB("b", ", \"tables\": {\"t\": \"delete\"}") "]}",
			 "$.jobs[1]", "races with job \"a\" on table t (a writes it, this job writes it)",
			 "two writers of one table (names compared without case and default schema): a race");
	problems(HEAD "\"jobs\": [" JOB("a", ", \"tables\": {\"T\": \"update\"}") ","
			 JOB("b", ", \"tables\": {\"T\": \"read\"}, \"after\": [\"a\"]") "]}",
			 NULL, NULL, "... ordered by after: no race");
	problems(HEAD "\"jobs\": [" JOB("a", ", \"tables\": {\"T\": \"update\"}") ","
			 JOB("b", ", \"tables\": {\"T\": \"read\"}, \"after_tables\": [\"T\"]") "]}",
			 NULL, NULL, "... ordered by after_tables: no race");
	problems(HEAD "\"jobs\": [" JOB("a", ", \"tables\": {\"T\": \"read\"}") ","
			 JOB("b", ", \"tables\": {\"T\": \"read\"}") "]}",
			 NULL, NULL, "two readers never race");
	problems(HEAD "\"jobs\": [" JOB("a", ", \"type\": \"start\", \"tables\": {\"T\": \"create\"}") ","
			 JOB("b", ", \"tables\": {\"T\": \"update\"}") "," JOB("c", ", \"type\": \"final\", \"tables\": {\"T\": \"delete\"}") "]}",
			 NULL, NULL, "start, main and final phases are ordered: no race between them");
	problems(HEAD "\"companies\": [\"dat\", \"usmf\"], \"jobs\": ["
			 JOB("a", ", \"type\": \"standard\", \"tables\": {\"T\": [\"create\", \"update\"]}") "]}",
			 NULL, NULL, "the per-company copies of one standard job are not a race");
	problems(HEAD "\"jobs\": [" JOB("a", ", \"after\": [\"f\"]") "," JOB("f", ", \"type\": \"final\"") "]}",
			 "$.jobs[0].after[0]", "runs in a later phase (postsync, final) than this job (postsync, shared/standard)",
			 "waiting for a job of a later phase is a plan error");
	problems(HEAD "\"jobs\": [{\"id\": \"a\", \"stage\": \"copy\", \"sql\": \"x.sql\", \"after\": [\"b\"]},"
			 "{\"id\": \"b\", \"stage\": \"presync\", \"sql\": \"x.sql\"}]}",
			 NULL, NULL, "waiting for a job of an earlier stage is fine");
}

static void
test_read_problems(void)
{
	problems("{\"name\": \"t\", \"jobs\": []}", "$.databases", "is required", "databases are required");
	problems(HEAD "\"jobs\": []}", "$.jobs", "at least one job", "a plan needs a job");
	problems(HEAD "\"jobz\": 1, \"jobs\": [" JOB("a", "") "]}", "$.jobz", "unknown key", "an unknown key");
	problems("{\"name\": \"t\", \"databases\": {\"target\": {\"dialect\": \"pg\", \"conninfo\": \"dbname=x password=y\"}}, \"jobs\": [" JOB("a", "") "]}",
			 "$.databases.target.conninfo", "holds a password", "a password in a conninfo is refused");
	problems("{\"name\": \"t\", \"databases\": {\"target\": {\"dialect\": \"pg\", \"conninfo\": \"postgresql://u:secret@h/db\"}}, \"jobs\": [" JOB("a", "") "]}",
			 "$.databases.target.conninfo", "holds a password", "... also in a URI");
	problems("{\"name\": \"t\", \"databases\": {\"target\": {\"dialect\": \"oracle\"}}, \"jobs\": [" JOB("a", "") "]}",
			 "$.databases.target.dialect", "unknown dialect \"oracle\"", "an unknown dialect");
	problems("{\"name\": \"t\", \"databases\": {\"target\": {\"dialect\": \"mssql\", \"server\": \"h:99999\", \"database\": \"d\", \"user\": \"u\"}}, \"jobs\": [" JOB("a", "") "]}",
			 "$.databases.target.server", "not HOST or HOST:PORT", "a bad SQL Server port");
	problems(HEAD "\"jobs\": [{\"id\": \"a\", \"stage\": \"later\", \"sql\": \"x.sql\"}]}",
			 "$.jobs[0].stage", "unknown stage \"later\" (known: readiness, live, delta, single-user, presync, copy, postsync, additional)",
			 "an unknown stage lists the stages");
	problems(HEAD "\"jobs\": [" JOB("a", ", \"type\": \"often\"") "]}",
			 "$.jobs[0].type", "unknown type \"often\"", "an unknown type");
	problems(HEAD "\"jobs\": [" JOB("a", "") "," JOB("a", "") "]}",
			 "$.jobs[1].id", "job \"a\" is already defined at $.jobs[0]", "a duplicate id");
	problems(HEAD "\"jobs\": [{\"id\": \"a b\", \"stage\": \"postsync\", \"sql\": \"x.sql\"}]}",
			 "$.jobs[0].id", "not a plain name", "an id with a blank");
	problems(HEAD "\"jobs\": [{\"id\": \"a\", \"stage\": \"postsync\"}]}",
			 "$.jobs[0]", "give exactly one", "a job without spec or sql");
	problems(HEAD "\"jobs\": [{\"id\": \"a\", \"stage\": \"postsync\", \"sql\": \"x.sql\", \"spec\": \"s.json\"}]}",
			 "$.jobs[0]", "give exactly one", "a job with both");
	problems(HEAD "\"jobs\": [{\"id\": \"a\", \"stage\": \"postsync\", \"sql\": \"missing.sql\"}]}",
			 "$.jobs[0].sql", "no SQL script at", "a missing SQL file");
	problems(HEAD "\"jobs\": [{\"id\": \"a\", \"stage\": \"postsync\", \"spec\": \"missing.json\"}]}",
			 "$", "cannot open", "a missing spec file");
	problems(HEAD "\"jobs\": [" JOB("a", ", \"tables\": {\"T\": \"write\"}") "]}",
			 "$.jobs[0].tables.T", "must be \"create\", \"read\", \"update\" or \"delete\"", "an unknown access");
	problems(HEAD "\"jobs\": [" JOB("a", ", \"database\": \"source\"") "]}",
			 "$.jobs[0].database", "no database \"source\"", "an unknown database");
	problems("{\"name\": \"t\", \"databases\": {\"a\": {\"dialect\": \"pg\"}, \"b\": {\"dialect\": \"pg\"}}, \"jobs\": [" JOB("a", "") "]}",
			 "$.jobs[0]", "say which one the job runs in", "two databases: a job names its own");
	problems(HEAD "\"jobs\": [" JOB("a", ", \"weight\": -1") "]}",
			 "$.jobs[0].weight", "", "a negative weight");
	problems(HEAD "\"jobs\": [" JOB("a", ", \"params\": {\"numbersequence\": \"X\"}") "]}",
			 "$.jobs[0].params", "only a generated procedure", "parameters for a SQL job");
	problems(HEAD "\"companies\": [], \"jobs\": [" JOB("a", "") "]}",
			 "$.companies", "an empty list", "an empty company list");
	problems(HEAD "\"table_sizes\": {\"T\": -5}, \"jobs\": [" JOB("a", "") "]}",
			 "$.table_sizes.T", "whole number of rows", "a negative table size");
	write_file("shared.json", "{\"kind\": \"insert\", \"procedure\": {\"name\": \"P\"},"
			   "\"source\": {\"table\": \"S\"}, \"target\": {\"table\": \"T\", \"tabid\": 7},"
			   "\"per_company\": false, \"sequence\": {\"column\": \"N\"},"
			   "\"mapping\": [{\"column\": \"X\", \"expr\": \"S.X\"}], \"xpp\": \"// x\"}");
	problems(HEAD "\"jobs\": [{\"id\": \"a\", \"stage\": \"postsync\", \"spec\": \"shared.json\", \"type\": \"standard\"}]}",
			 "$.jobs[0].type", "cannot be \"standard\"", "a spec that does not work per company is not standard");
	problems(HEAD "\"jobs\": [{\"id\": \"a\", \"stage\": \"postsync\", \"spec\": \"shared.json\"}]}",
			 "$.jobs[0]", "give \"params\": {\"numbersequence\"", "a business number needs its number sequence");
	problems(HEAD "\"jobs\": [{\"id\": \"a\", \"stage\": \"postsync\", \"spec\": \"shared.json\", \"transaction\": false,"
			 " \"params\": {\"numbersequence\": \"Q\"}}]}",
			 "$.jobs[0].transaction", "runs in the runner's transaction", "a generated procedure is always wrapped");
	problems(HEAD "\"jobs\": [{\"id\": \"a\", \"stage\": \"postsync\", \"spec\": \"shared.json\","
			 " \"params\": {\"numbersequence\": \"Q\", \"rjustify\": \"X\"}}]}",
			 "$.jobs[0].params.rjustify", "must be \"Y\" or \"N\"", "a parameter's value is one of its kind's choices");
	problems(HEAD "\"jobs\": [{\"id\": \"a\", \"stage\": \"postsync\", \"spec\": \"shared.json\","
			 " \"params\": {\"numbersequence\": \"Q\", \"company\": \"dat\"}}]}",
			 "$.jobs[0].params.company", "takes no parameter \"company\" (it takes \"numbersequence\", \"rjustify\")",
			 "a parameter the kind does not list");
	write_file("percompany.json", "{\"kind\": \"insert\", \"procedure\": {\"name\": \"P2\"},"
			   "\"source\": {\"table\": \"S\"}, \"target\": {\"table\": \"T2\", \"tabid\": 8},"
			   "\"mapping\": [{\"column\": \"X\", \"expr\": \"S.X\"}], \"xpp\": \"// x\"}");
	problems(HEAD "\"jobs\": [{\"id\": \"a\", \"stage\": \"postsync\", \"spec\": \"percompany.json\","
			 " \"params\": {\"numbersequence\": \"Q\"}}]}",
			 "$.jobs[0].params.numbersequence", "takes no parameter \"numbersequence\" (it takes none)",
			 "a spec without a business number takes no number sequence");
}

static void
test_spec_job(void)
{
	struct upkit_diags d = UPKIT_DIAGS_INIT;
	struct upkit_plan *p = plan_from(HEAD "\"jobs\": [{\"id\": \"a\", \"stage\": \"postsync\", \"spec\": \"shared.json\","
									 " \"params\": {\"numbersequence\": \"Q\"}}]}", &d);
	char		acc[5] = "";

	ok(p != NULL, "a spec job reads");
	if (p == NULL)
	{
		upkit_diags_print(&d, stdout);
		return;
	}
	is_int(p->jobs[0].type, UPKIT_JOB_SHARED, "a spec without per_company makes a shared job");
	ok(p->jobs[0].n_tabids == 1 && p->jobs[0].tabids[0] == 7, "an insert spec's TABID is the job's lock (from its units)");
	is_str(p->jobs[0].tables[1].name, "t", "its target table comes from the spec");
	upkit_access_letters(p->jobs[0].tables[1].access, acc);
	is_str(acc, "c---", "... with create access");
	upkit_access_letters(p->jobs[0].tables[0].access, acc);
	is_str(acc, "-r--", "the source with read access");
	is_int(p->jobs[0].n_tables, 2, "the runtime's bookkeeping tables (SYSTEMSEQUENCES, runs) are not the job's");
	{
		struct strbuf sql = STRBUF_INIT;
		const char *v[UPKIT_CALL_MAX_PARAMS];
		int			n = upkit_ledger_pg.call(&sql, &p->jobs[0], "", v);

		is_str(sb_str(&sql), "CALL public.p($1, $2)", "pg calls by position, in the kind's order");
		ok(n == 2 && strcmp(v[0], "Q") == 0 && strcmp(v[1], "N") == 0,
		   "the number sequence from params, rjustify's fallback");
		sb_free(&sql);
		sql = (struct strbuf) STRBUF_INIT;
		upkit_ledger_mssql.call(&sql, &p->jobs[0], "", v);
		is_str(sb_str(&sql), "EXEC [public].[P] @NUMBERSEQUENCE = @P1, @RJUSTIFY = @P2;",
			   "mssql calls by the names the kind gives (the schema is the pg body's)");
		sb_free(&sql);
	}
	upkit_plan_free(p);
	upkit_diags_free(&d);
}


/* ---- the copy's sides, and a copy of every table ---- */

#define MS "{\"dialect\": \"mssql\", \"server\": \"sql1\", \"database\": \"AX\", \"user\": \"u\"}"
#define PG "{\"dialect\": \"pg\"}"
#define SIDES(src, dst, extra) "{\"name\": \"t\", \"databases\": {\"src\": " src ", \"target\": " dst "}," \
	"\"jobs\": [{\"id\": \"copy\", \"stage\": \"copy\", \"database\": \"target\"," \
	"\"copy\": {\"from\": \"src\", " extra "\"tables\": [\"A\"]}}]}"

static void
test_copy_sides(void)
{
	struct upkit_diags d = UPKIT_DIAGS_INIT;
	struct upkit_plan *p;

	problems(SIDES(PG, PG, ""), NULL, NULL, "a copy from PostgreSQL into PostgreSQL is accepted");
	problems(SIDES(MS, PG, ""), NULL, NULL, "a copy from SQL Server into PostgreSQL is accepted");
	problems(SIDES(MS, MS, ""), NULL, NULL, "a copy from SQL Server into SQL Server is accepted");
	problems(SIDES(MS, MS, "\"batch_size\": 500, \"table_lock\": true, "), NULL, NULL,
			 "batch_size and table_lock for a SQL Server target are accepted");
	problems(SIDES(PG, MS, ""), "$.jobs[0].copy.from",
			 "\"src\" (pg) into \"target\" (mssql): no bulk copy from PostgreSQL to SQL Server",
			 "a copy from PostgreSQL into SQL Server is refused, as upkit copy refuses it");
	problems(SIDES(PG, PG, "\"batch_size\": 500, "), "$.jobs[0].copy.batch_size",
			 "batch_size and table_lock are for a SQL Server target (its bulk copy); \"target\" is pg",
			 "batch_size for a PostgreSQL target is refused");
	problems(SIDES(MS, PG, "\"table_lock\": true, "), "$.jobs[0].copy.table_lock",
			 "batch_size and table_lock are for a SQL Server target", "table_lock for a PostgreSQL target is refused");
	problems(SIDES(MS, MS, "\"table_lock\": \"yes\", "), "$.jobs[0].copy.table_lock", "true or false",
			 "table_lock is true or false");
	problems(SIDES(MS, MS, "\"batch_size\": -1, "), "$.jobs[0].copy.batch_size", "must be an integer",
			 "batch_size is a count");
	problems(HEAD "\"jobs\": [{\"id\": \"c\", \"stage\": \"copy\", \"copy\": {\"from\": \"nowhere\", \"tables\": []}}]}",
			 "$.jobs[0].copy.tables", "an empty list: name the source tables to copy, or leave \"tables\" out to copy every table",
			 "an empty table list says how to copy every table");
	p = plan_from(SIDES(MS, PG, ""), &d);
	ok(p != NULL && strcmp(p->copies[0]->source_schema, "dbo") == 0 && p->copies[0]->batch_size == 10000,
	   "a SQL Server source's tables are in dbo unless the mapping file says otherwise; bcp batches of 10000 by default");
	upkit_plan_free(p);
	upkit_diags_free(&d);
}

/* copy_plan without its list of tables: every table of the source. */
static char *
every_table_plan(const char *extra_job)
{
	struct strbuf sb = STRBUF_INIT;
	const char *cut = strstr(copy_plan, ", \"tables\": [\"A\", \"B\", \"C\"]");
	const char *jobs = strstr(copy_plan, "\"jobs\": [") + strlen("\"jobs\": [");

	sb_appendf(&sb, "%.*s%s%.*s%s", (int) (jobs - copy_plan), copy_plan, extra_job, (int) (cut - jobs), jobs,
			   cut + strlen(", \"tables\": [\"A\", \"B\", \"C\"]"));
	return sb.data;
}

static void
set_abc(struct upkit_plan *p, struct upkit_diags *d, int *rc)
{
	char	   *names[] = {"A", "B", "C"};
	char	   *targets[3];

	for (int i = 0; i < 3; i++)
		targets[i] = upkit_plan_table_key("public", names[i]);
	*rc = upkit_plan_copy_set_tables(p, p->copies[0], names, targets, 3, d);
	for (int i = 0; i < 3; i++)
		free(targets[i]);
}

static void
test_copy_every(void)
{
	struct upkit_diags d = UPKIT_DIAGS_INIT;
	char	   *text = every_table_plan("");
	struct upkit_plan *p = plan_from(text, &d);
	struct upkit_graph g;
	char		buf[256];
	int			rc;

	ok(p != NULL && d.n == 0, "a copy without \"tables\" reads without problems");
	if (p == NULL)
	{
		upkit_diags_print(&d, stdout);
		return;
	}
	is_int(p->n_jobs, 4, "before its tables are read, the copy is one pending job");
	ok(upkit_plan_copy_pending(p) && p->jobs[1].copy && p->jobs[1].copy_table == NULL && p->copies[0]->every_table,
	   "the pending job is the declaration itself; the plan says a copy is pending");
	ok(upkit_graph_build(p, &g, UPKIT_ORDER_WEIGHT, &d) == 0, "the pending plan's graph builds");
	deps_text(p, &g, "p2", buf, sizeof buf);
	is_str(buf, "copy", "a later job that names tables waits for the pending copy");
	is_int(g.copy_weight[1], -1, "the pending copy has no table weight yet");
	upkit_graph_free(&g);
	set_abc(p, &d, &rc);
	ok(rc == 0 && d.n == 0 && !upkit_plan_copy_pending(p), "the catalog's tables expand the copy");
	is_int(p->n_jobs, 6, "one job per table");
	is_str(p->jobs[job_index(p, "copy.B")].path, "$.jobs[1].copy", "a table's job names the declaration");
	ok(upkit_graph_build(p, &g, UPKIT_ORDER_WEIGHT, &d) == 0, "the expanded plan's graph builds");
	deps_text(p, &g, "p2", buf, sizeof buf);
	is_str(buf, "copy.B copy.C", "expanded: p2 waits for the copies of B and C only");
	order_text(p, g.order, g.n, buf, sizeof buf);
	is_str(buf, "d1 copy.C copy.B copy.A p1 p2", "expanded: the copy stage by table weight, as a listed copy");
	upkit_graph_free(&g);
	upkit_plan_free(p);
	free(text);

	/* "after": ["copy"] waits for the pending job, then for every table's job */
	text = every_table_plan("");
	{
		char	   *with = xstrdup(with_after(text, "\"tables\": {\"B\": \"read\", \"D\"", "\"after\": [\"copy\"], "));

		p = plan_from(with, &d);
		free(with);
	}
	ok(p && upkit_graph_build(p, &g, UPKIT_ORDER_WEIGHT, &d) == 0, "\"after\": [\"copy\"] on a pending copy resolves");
	upkit_graph_free(&g);
	set_abc(p, &d, &rc);
	ok(rc == 0 && upkit_graph_build(p, &g, UPKIT_ORDER_WEIGHT, &d) == 0, "... and after the expansion");
	deps_text(p, &g, "p1", buf, sizeof buf);
	is_str(buf, "copy.A copy.B copy.C", "\"after\": [\"copy\"] then waits for every table's job");
	upkit_graph_free(&g);
	upkit_plan_free(p);
	free(text);

	/* "after": ["copy.B"] names a table's job the pending copy does not have yet */
	text = every_table_plan("");
	{
		char	   *with = xstrdup(with_after(text, "\"tables\": {\"B\": \"read\", \"D\"", "\"after\": [\"copy.C\"], "));

		free(text);
		text = with;
	}
	p = plan_from(text, &d);
	ok(p && upkit_graph_build(p, &g, UPKIT_ORDER_WEIGHT, &d) == 0, "\"after\": [\"copy.C\"] on a pending copy: it waits for the pending job");
	upkit_graph_free(&g);
	set_abc(p, &d, &rc);
	ok(rc == 0 && upkit_graph_build(p, &g, UPKIT_ORDER_WEIGHT, &d) == 0, "... and after the expansion");
	deps_text(p, &g, "p1", buf, sizeof buf);
	is_str(buf, "copy.C copy.B", "then p1 waits for copy.C (its \"after\") and copy.B (its table)");
	upkit_graph_free(&g);
	upkit_plan_free(p);
	p = plan_from(text, &d);
	{
		char	   *names[] = {"A", "B"};
		char	   *targets[] = {"a", "b"};

		upkit_graph_build(p, &g, UPKIT_ORDER_WEIGHT, &d);
		upkit_graph_free(&g);
		ok(upkit_plan_copy_set_tables(p, p->copies[0], names, targets, 2, &d) == 0
		   && upkit_graph_build(p, &g, UPKIT_ORDER_WEIGHT, &d) != 0
		   && upkit_diags_has(&d, "$.jobs[2].after[0]", "no job \"copy.C\" in the plan"),
		   "a source without C: \"after\": [\"copy.C\"] is a missing job once the tables are read");
		upkit_graph_free(&g);
	}
	upkit_plan_free(p);
	upkit_diags_free(&d);
	free(text);

	/* a table's job id that another job has: found when the tables are known */
	text = every_table_plan("{\"id\": \"copy.B\", \"stage\": \"postsync\", \"database\": \"target\", \"sql\": \"x.sql\"},");
	p = plan_from(text, &d);
	ok(p != NULL && d.n == 0, "a job named like a table's job of a pending copy: no problem yet");
	set_abc(p, &d, &rc);
	ok(rc == -1 && upkit_diags_has(&d, "$.jobs[2].copy", "the copy's job for this table is \"copy.B\", and $.jobs[0] already has that id"),
	   "once the tables are read, the clash is a plan problem naming both");
	upkit_plan_free(p);
	upkit_diags_free(&d);
	free(text);
}

int
main(void)
{
	char		cmd[300];

	if (mkdtemp(dir) == NULL)
		return 1;
	write_file("x.sql", "SELECT 1;\n");
	plan(123);
	test_weights();
	test_copy_weights();
	test_copy_sides();
	test_copy_every();
	test_graph_problems();
	test_read_problems();
	test_spec_job();
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 1;
	return done();
}
