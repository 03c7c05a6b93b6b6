/*
 * plan.h: an upgrade's plan: its databases, its jobs and their attributes
 * (DESIGN.md "Jobs, plans and the runner"; the format is docs/runner.md).
 *
 * plan_read.c reads and validates a plan file (every problem with file,
 * JSON path and reason, like a spec); plan_graph.c computes, without any
 * database, the dependency graph, its cycles and races, the reference's
 * weights, the critical path and the order the scheduler prefers.  The
 * runner (runner.h) executes a plan; the ledger (ledger.h) records it.
 */
#ifndef UPKIT_PLAN_H
#define UPKIT_PLAN_H

#include "conn.h"
#include "diag.h"
#include "spec.h"

/* The upgrade's stages, in the order they run (DESIGN.md). */
enum upkit_stage
{
	UPKIT_STAGE_READINESS = 0, UPKIT_STAGE_LIVE, UPKIT_STAGE_DELTA, UPKIT_STAGE_SINGLE_USER,
	UPKIT_STAGE_PRESYNC, UPKIT_STAGE_COPY, UPKIT_STAGE_POSTSYNC, UPKIT_STAGE_ADDITIONAL,
	UPKIT_N_STAGES
};

/* The reference's script types: how often a job runs within its stage. */
enum upkit_job_type
{
	UPKIT_JOB_START = 0,		/* once, before the stage's other jobs */
	UPKIT_JOB_SHARED,			/* once, beside the standard jobs */
	UPKIT_JOB_STANDARD,			/* once per company, beside the shared jobs */
	UPKIT_JOB_FINAL				/* once, after the stage's other jobs */
};

/* How a job touches a table (the reference's UpgradeScriptTableAttribute). */
#define UPKIT_ACCESS_CREATE 1	/* inserts rows (or creates the table) */
#define UPKIT_ACCESS_READ	2
#define UPKIT_ACCESS_UPDATE 4
#define UPKIT_ACCESS_DELETE 8
#define UPKIT_ACCESS_WRITE	(UPKIT_ACCESS_CREATE | UPKIT_ACCESS_UPDATE | UPKIT_ACCESS_DELETE)

struct upkit_plan_table
{
	char	   *name;			/* "schema.table" as written, folded for comparison */
	int			access;			/* UPKIT_ACCESS_* bits */
};

struct upkit_plan_db
{
	char	   *name;			/* "source", "target", ... */
	struct upkit_conn_target target;
	char	   *password_env;	/* SQL Server: the variable holding the password */
};

/*
 * A plan's bulk copy (a job with "copy": {...}, plan_copy.c): the runner's
 * copy stage, expanded when the plan is read into one job per table.
 */
struct upkit_plan_copy
{
	char	   *path;			/* "$.jobs[3].copy", for messages */
	char	   *id;				/* the declaring job's id: "after" it waits for every table */
	int			source_db;		/* index into databases; the job's "database" is the target */
	char	   *mapping_file;	/* resolved path, or NULL: no mapping file */
	char	   *source_schema;	/* the mapping file's, else the source's default (public, dbo) */
	long long	split_rows;		/* RECID ranges of about this many rows; 0: never */
	long long	batch_size;		/* a SQL Server target: rows per bcp batch (0: one per range) */
	int			table_lock;		/* ... bulk load with TABLOCK */
	/*
	 * No "tables": every table of the source schema that "upkit copy" would
	 * copy with the same mapping.  The tables then come from the source's
	 * catalog (upkit_plan_copy_set_tables, called by runner_copy_expand for
	 * "upkit run" and "upkit plan --catalog"); until then the declaring job
	 * stays in the plan as one pending job (copy set, copy_table NULL).
	 */
	int			every_table;
	int			listed;			/* the tables are known (given, or read from the catalog) */
	char	  **tables;			/* the source tables, as written (or as the catalog has them) */
	char	  **targets;		/* ... the table each fills, as the plan orders by it:
								 * the mapping file's special mapping, else the same name */
	int		   *parts;			/* ... how many jobs share its ranges (1: its own job only) */
	int			n_tables;
};

struct upkit_plan_job
{
	char	   *id;
	char	   *path;			/* "$.jobs[3]", for messages */
	char	   *description;
	enum upkit_stage stage;
	enum upkit_job_type type;
	int			db;				/* index into databases */
	char	   *spec_file;		/* a generated procedure: its spec (resolved path) */
	struct upkit_spec *spec;	/* ... read for the database's dialect */
	struct upkit_call call;		/* ... how it is called (its kind's call hook) */
	char	   *args[UPKIT_CALL_MAX_PARAMS];	/* ... the values "params" gives, per call.params; NULL: none */
	struct upkit_units units;	/* ... its objects, rendered for the database's dialect */
	char	   *sql_file;		/* or a SQL script (resolved path) */
	int			transaction;	/* the runner wraps it in a transaction (default 1) */
	char	  **config_keys;	/* runs when one of them is enabled; none: always */
	int			n_config_keys;
	struct upkit_plan_table *tables;
	int			n_tables;
	char	  **after;			/* jobs it depends on, by id */
	int			n_after;
	char	  **after_tables;	/* tables that must be ready: every writer first */
	int			n_after_tables;
	long long	weight;			/* the user's weight1, or -1 */
	long long  *tabids;			/* the SYSTEMSEQUENCES rows its procedure locks (units.h) */
	int			n_tabids;
	const struct upkit_plan_copy *copy;	/* a table's copy job: the copy it belongs to */
	char	   *copy_table;		/* ... the source table it copies (tables[0]: its target);
								 * NULL: the declaration itself, pending its expansion
								 * from the source's catalog (every_table) */
	int			copy_index;		/* ... its index in copy->tables */
	int			copy_part;		/* 0: the table's job (its last ranges, the checks);
								 * k >= 1: part k of copy->parts[copy_index], which
								 * copies the ranges r with r % parts == k - 1 */
};

struct upkit_plan
{
	char	   *file;			/* the plan file as given */
	char	   *dir;			/* its folder: job paths are relative to it */
	char	   *name;			/* the plan's name: the ledger's key */
	struct upkit_plan_db *dbs;
	int			n_dbs;
	char	  **companies;		/* given companies, or NULL */
	int			n_companies;
	int			companies_from_dataarea;	/* read DATAAREA (ISVIRTUAL = 0) */
	int			companies_db;	/* ... of this database */
	char	  **config_keys;	/* enabled keys */
	int			n_config_keys;
	struct upkit_plan_table *sizes;	/* "table_sizes": access holds nothing, size below */
	long long  *size_values;
	int			n_sizes;
	struct upkit_plan_job *jobs;
	int			n_jobs;
	struct upkit_plan_copy **copies;	/* the copies the plan declares */
	int			n_copies;
};

const char *upkit_stage_name(enum upkit_stage s);
const char *upkit_job_type_name(enum upkit_job_type t);
/* "cr--", "-r-d": the access bits as four letters. */
void		upkit_access_letters(int access, char out[5]);

/*
 * Read and validate a plan file (or a folder holding plan.json), its spec
 * files included.  Returns the plan, or NULL with every problem in diags.
 */
struct upkit_plan *upkit_plan_read(const char *path, struct upkit_diags *diags);
void		upkit_plan_free(struct upkit_plan *p);
/* A table's name as a plan compares it: lower case, without public. / dbo. */
char	   *upkit_plan_table_key(const char *schema, const char *name);
char	   *upkit_plan_table_key_text(const char *text);	/* "schema.table" or "table" */
/*
 * A copy declared without "tables" (every_table), its tables now known:
 * names[i] the source tables, targets[i] the table each fills ("schema.table"
 * or "table"), both as the catalog has them.  Replaces the pending job by
 * one job per table, as a listed copy has them.  0, or -1 with the problems
 * (an expanded id that another job has) in diags.
 */
int			upkit_plan_copy_set_tables(struct upkit_plan *p, struct upkit_plan_copy *c,
									   char *const *names, char *const *targets, int n,
									   struct upkit_diags *diags);
/* Does the plan hold a copy whose tables are not known yet? */
int			upkit_plan_copy_pending(const struct upkit_plan *p);

/* Is the job enabled by the plan's keys plus extra (the command line's)? */
int			upkit_plan_job_enabled(const struct upkit_plan *p, const struct upkit_plan_job *j,
								   char *const *extra, int n_extra);

/* ---- the graph (plan_graph.c): pure computation, no database ---- */

enum upkit_order
{
	UPKIT_ORDER_WEIGHT = 0,		/* the reference's: weight2, then weight1 */
	UPKIT_ORDER_CRITICAL,		/* longest remaining chain of weight1 */
	UPKIT_ORDER_FILE			/* the plan's order */
};

struct upkit_graph
{
	int			n;				/* jobs */
	int		  **deps;			/* deps[i]: the jobs i waits for */
	int		   *n_deps;
	int		  **children;		/* children[i]: the jobs waiting for i */
	int		   *n_children;
	long long  *weight1;		/* sum of the sizes of the tables a job uses, or the override */
	long long  *weight2;		/* weight1 + weight1 of its immediate dependants */
	long long  *chain;			/* weight1 along the longest chain from here to the end */
	int		   *phase;			/* stage * 3 + (start 0, shared/standard 1, final 2) */
	int		   *order;			/* the jobs, most urgent first (for the chosen order) */
	int		   *critical;		/* the critical path, first job first */
	int			n_critical;
	long long  *copy_weight;	/* a copy job: its table's weight (orders the copy stage); else -1 */
	/* Tables and their weight: sum of weight2 of the jobs that use them. */
	char	  **tables;
	long long  *table_size;
	long long  *table_weight;
	int			n_tables;
};

/*
 * Build the graph of p: resolve "after" and "after_tables", refuse a
 * missing job, a cycle, a dependency on a later phase and a race; sizes[t]
 * for each table name (NULL: the plan's table_sizes only).  Returns 0, or
 * -1 with every problem in diags (file: the plan; path: the job's).
 */
int			upkit_graph_build(const struct upkit_plan *p, struct upkit_graph *g,
							  enum upkit_order order, struct upkit_diags *diags);
/* Size of a table for the weights: the plan's table_sizes, else the catalog's. */
void		upkit_graph_set_size(struct upkit_graph *g, const char *table, long long size);
/* Recompute weights, chains and order after sizes changed. */
void		upkit_graph_weigh(const struct upkit_plan *p, struct upkit_graph *g, enum upkit_order order);
void		upkit_graph_free(struct upkit_graph *g);

#endif
