/*
 * runner_copy_expand.c: a copy declared without "tables" (plan_copy.c),
 * expanded from the catalogs before "upkit run" schedules it and before
 * "upkit plan --catalog" prints it (runner_copy.h).
 *
 * "Every table" is what "upkit copy" copies without --table: every base
 * table of the source schema that copy_map maps (all but the shadow tables
 * the mapping file names), each to the target AX's rules give it (the
 * mapping file's special mapping, the same name, DEL_ + the name, the same
 * table id).  So the list is read the way copy_plan_build reads it: both
 * catalogs through the sides' operations (copy_side.h), then copy_map.  A
 * table the mapping refuses (no target, a field error) still becomes a job:
 * it fails with the mapping's errors, as upkit copy reports it, rather than
 * being left out without a word; a DONOTCOPY table's job is done with
 * nothing copied.  Each job fills the target the catalog maps its table
 * to, so the plan orders by the real target (a DEL_ table included) and
 * runner_copy.c's check that the target is the planned one holds.
 *
 * The list is read once, here, on connections of its own; the copy's
 * planning (runner_copy.c) later reads the catalogs again for exactly
 * these tables.  A table created in the source after this read is not
 * copied by this run.  Nothing here writes to either database.
 */
#include <stdlib.h>

#include "copy_mapfile.h"
#include "copy_side.h"
#include "runner.h"
#include "runner_copy.h"

/* The declaring job's database: the copy's target. */
static int
target_db(const struct upkit_plan *p, const struct upkit_plan_copy *c)
{
	for (int j = 0; j < p->n_jobs; j++)
		if (p->jobs[j].copy == c)
			return p->jobs[j].db;
	return -1;
}

/* Map c's source schema on src and dst; names and targets get one entry per table.  0 or -1. */
static int
list_tables(const struct upkit_plan_copy *c, struct upkit_conn *src, struct upkit_conn *dst,
			char ***names, char ***targets, int *n, struct upkit_diags *diags)
{
	const struct copy_source_ops *so = copy_source_of(src);
	const struct copy_target_ops *to = copy_target_of(dst);
	struct copy_mapping m = {0};
	struct copy_db_desc sd = {0},
				dd = {0};
	struct copy_map_result map = {0};
	struct upkit_diags scratch = UPKIT_DIAGS_INIT;
	const char *dschema;
	int			rc = -1;

	*n = 0;
	*names = *targets = NULL;
	if (c->mapping_file && copy_mapping_read_file(c->mapping_file, &m, diags) != 0)
		goto out;
	dschema = m.target_schema ? m.target_schema : to->default_schema;
	if (so->catalog(src, c->source_schema, dst->dialect, &sd, diags) != 0
		|| to->catalog(dst, dschema, &dd, diags) != 0)
		goto out;
	/* the mapping's own problems are each table job's to report (runner_copy.c) */
	copy_map(&sd, &dd, &m, &map, &scratch);
	if (map.ntables == 0)
	{
		upkit_diag_msg(diags, "%s: no table in schema %s of the source (%s at %s): nothing to copy",
					   c->path, c->source_schema, src->ops->engine, src->where);
		goto out;
	}
	*names = calloc((size_t) map.ntables + 1, sizeof **names);
	*targets = calloc((size_t) map.ntables + 1, sizeof **targets);
	if (*names == NULL || *targets == NULL)
		abort();
	for (int i = 0; i < map.ntables; i++)
	{
		const struct copy_table_map *t = &map.tables[i];

		(*names)[i] = xstrdup(t->src->name);
		(*targets)[i] = upkit_plan_table_key(dschema, t->dst ? t->dst->name : t->src->name);
	}
	*n = map.ntables;
	rc = 0;
out:
	copy_map_result_free(&map);
	copy_db_desc_free(&sd);
	copy_db_desc_free(&dd);
	copy_mapping_free(&m);
	upkit_diags_free(&scratch);
	return rc;
}

static void
free_list(char **s, int n)
{
	for (int i = 0; i < n; i++)
		free(s[i]);
	free(s);
}

int
runner_copy_expand(struct upkit_plan *p, struct upkit_diags *diags)
{
	for (int i = 0; i < p->n_copies; i++)
	{
		struct upkit_plan_copy *c = p->copies[i];
		struct upkit_conn *src = NULL,
				   *dst = NULL;
		struct strbuf err = STRBUF_INIT;
		char	  **names = NULL,
				  **targets = NULL;
		int			n = 0,
					rc;

		if (c->listed)
			continue;
		if ((src = upkit_plan_connect(p, c->source_db, &err)) == NULL
			|| (dst = upkit_plan_connect(p, target_db(p, c), &err)) == NULL)
		{
			upkit_diag_msg(diags, "%s: cannot read the tables to copy: %s", c->path, sb_str(&err));
			rc = -1;
		}
		else if ((rc = list_tables(c, src, dst, &names, &targets, &n, diags)) == 0
				 && upkit_plan_copy_set_tables(p, c, names, targets, n, diags) != 0)
			rc = -2;
		free_list(names, n);
		free_list(targets, n);
		upkit_conn_close(src);
		upkit_conn_close(dst);
		sb_free(&err);
		if (rc != 0)
			return rc;
	}
	return 0;
}
