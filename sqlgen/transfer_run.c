/*
 * transfer_run.c: the copy of a transfer and what follows it on
 * production (see transfer.h, docs/transfer.md "How it copies").
 *
 * The copy is upkit copy's (copy_plan.h, copy_run.h) with a mapping made
 * here: the moved tables of one schema and one foreign-key level
 * (transfer_order.c), each to the table of its name on production, split
 * into no ranges, so one table is one transaction on production, claimed
 * and marked done in upkit.copy_ledger (a re-run after a kill copies
 * exactly the tables not done).  Levels run one after the other, parents
 * first, so a child's rows find their parents committed; when a table of
 * a level fails, the levels after it are not begun (their rows would not
 * find their parents) and a re-run resumes.  With --replace production's
 * older copies were emptied when the transfer began (transfer_begin: one
 * TRUNCATE, or a DELETE per table, children first).  Row counts are verified and the SYSTEMSEQUENCES
 * NEXTVAL raised above the largest RECID by copy_run.
 *
 * Then one transaction on production does the rest, so that it happens
 * once or not at all: the moved delta state is marked not ready (production
 * changed after the backup: its delta runs must catch up), the sequences
 * of the moved tables' serial columns are set past their largest value (a
 * moved upkit.delta_run must not collide with production's next run), the
 * extension's counters (the run ids of the delta and validation logs)
 * raised to the test system's where it is higher, the
 * number sequences and SYSTEMSEQUENCES rows are synchronised
 * (transfer_seq.c), and the marker records the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "copy_plan.h"
#include "ident.h"
#include "transfer.h"
#include "transfer_side.h"

static int
copy_schema(struct transfer *tr, const char *schema, int level, struct upkit_conn *test,
			struct upkit_conn *prod, const struct upkit_conn_target *testt,
			const struct upkit_conn_target *prodt, int jobs, const struct copy_events *ev,
			struct copy_outcome *out, struct upkit_diags *diags)
{
	struct copy_plan plan = {0};
	struct copy_options opt = {0};
	const char **only = calloc((size_t) tr->ntables + 1, sizeof *only);
	struct copy_outcome *pout = NULL;
	int			n = 0;
	int			failed = 0;

	if (only == NULL)
		abort();
	plan.mapping.source_schema = xstrdup(schema);
	plan.mapping.target_schema = xstrdup(schema);
	plan.mapping.tables = calloc((size_t) tr->ntables + 1, sizeof *plan.mapping.tables);
	if (plan.mapping.tables == NULL)
		abort();
	for (int i = 0; i < tr->ntables; i++)
	{
		struct copy_table_rule *r;

		if (strcmp(tr->tables[i].schema, schema) != 0 || tr->tables[i].level != level)
			continue;
		only[n++] = tr->tables[i].name;
		r = &plan.mapping.tables[plan.mapping.ntables++];
		r->table = xstrdup(tr->tables[i].name);
		r->target = xstrdup(tr->tables[i].name);
		r->exception = COPY_EXC_NONE;
		r->path = xstrdup("$");
	}
	opt.only = only;
	opt.split_rows = 0;
	if (copy_plan_build(&plan, test, prod, &opt, diags) != 0 || diags->n > 0)
	{
		for (int i = 0; i < plan.ntables; i++)
			for (int e = 0; e < plan.tables[i].map->nerrors; e++)
				upkit_diag_msg(diags, "%s.%s: %s", schema, plan.tables[i].map->src->name,
							   plan.tables[i].map->errors[e]);
		if (diags->n == 0)
			upkit_diag_msg(diags, "the copy of schema %s cannot be planned", schema);
		failed = -1;
		goto done;
	}
	pout = calloc((size_t) plan.ntables + 1, sizeof *pout);
	if (pout == NULL)
		abort();
	failed = copy_run(&plan, test, prod, testt, prodt, jobs, ev, pout, diags);
	/* hand the outcomes over to the transfer's tables, by name */
	for (int i = 0; failed >= 0 && i < plan.ntables; i++)
		for (int j = 0; j < tr->ntables; j++)
			if (strcmp(tr->tables[j].schema, schema) == 0 && tr->tables[j].level == level &&
				strcmp(tr->tables[j].name, plan.tables[i].map->src->name) == 0)
			{
				out[j] = pout[i];
				if (plan.tables[i].state == COPY_STATE_DONE)
					out[j].ranges_skipped = plan.tables[i].nranges;
				memset(&pout[i], 0, sizeof pout[i]);
			}
	test->ops->rollback(test);	/* the planning snapshot's transaction */
done:
	copy_outcomes_free(pout, plan.ntables);
	copy_plan_free(&plan);
	free(only);
	return failed;
}

int
transfer_copy(struct transfer *tr, struct upkit_conn *test, struct upkit_conn *prod,
			  const struct upkit_conn_target *testt, const struct upkit_conn_target *prodt,
			  int jobs, const struct copy_events *ev, struct copy_outcome *out,
			  struct upkit_diags *diags)
{
	int			failed = 0;
	int			last = 0;

	for (int i = 0; i < tr->ntables; i++)
		last = tr->tables[i].level > last ? tr->tables[i].level : last;
	for (int level = 0; level <= last; level++)
	{
		if (failed > 0)
		{
			/* a table of an earlier level failed: the later levels wait for the re-run */
			for (int i = 0; i < tr->ntables; i++)
				if (tr->tables[i].level == level)
				{
					out[i].error = xstrdup("not begun: a table of an earlier foreign-key level was not transferred");
					failed++;
				}
			continue;
		}
		for (int i = 0; i < tr->ntables; i++)
		{
			int			seen = tr->tables[i].level != level;
			int			rc;

			for (int j = 0; j < i && !seen; j++)
				seen = tr->tables[j].level == level && strcmp(tr->tables[j].schema, tr->tables[i].schema) == 0;
			if (seen)
				continue;
			rc = copy_schema(tr, tr->tables[i].schema, level, test, prod, testt, prodt, jobs, ev, out, diags);
			if (rc < 0)
				return -1;
			failed += rc;
		}
	}
	return failed;
}

/*
 * A state counter raised to the test system's where that is higher (setval
 * is not rolled back with the transaction: GREATEST keeps a re-run
 * harmless, and it never lowers the counter).
 */
static int
sync_counter(struct upkit_conn *prod, const struct transfer_counter *k)
{
	char		v[24];
	const char *p[] = {k->quoted, v};

	if (k->test < 1)
		return 0;				/* the test system handed out none */
	snprintf(v, sizeof v, "%lld", k->test);
	return upkit_query_value(prod, transfer_side_of(prod)->raise_counter, 2, p, NULL) == 1 ? 0 : -1;
}

int
transfer_after_copy(struct transfer *tr, struct upkit_conn *prod, const char *ax_schema,
					struct strbuf *err)
{
	const struct transfer_side *ps = transfer_side_of(prod);
	int			rc = prod->ops->begin(prod);

	for (int i = 0; rc == 0 && i < tr->ntables; i++)
	{
		const struct transfer_table *t = &tr->tables[i];
		struct strbuf name = STRBUF_INIT;

		sb_appendf(&name, "%s.%s", t->schema, t->name);
		if (ps->sync_serials)
			rc = ps->sync_serials(prod, t->schema, t->name);
		if (rc == 0 && t->state && strcmp(sb_str(&name), ps->delta_state_key) == 0)
			rc = prod->ops->exec(prod, ps->clear_ready);
		sb_free(&name);
		if (rc != 0)
			sb_appendf(err, "%s.%s: %s", t->schema, t->name, sb_str(&prod->error));
	}
	for (int i = 0; rc == 0 && i < tr->ncounters; i++)
		if ((rc = sync_counter(prod, &tr->counters[i])) != 0)
			sb_appendf(err, "%s: %s", tr->counters[i].name, sb_str(&prod->error));
	if (rc == 0)
		rc = transfer_apply_seqs(tr, prod, ax_schema, err);
	if (rc == 0 && (rc = transfer_finish(tr, prod)) != 0)
		sb_appendf(err, "cannot record the end in %s: %s", ps->marker, sb_str(&prod->error));
	rc = upkit_conn_finish(prod, rc);
	if (rc != 0 && sb_str(err)[0] == '\0')
		sb_appendf(err, "the final COMMIT failed: %s", sb_str(&prod->error));
	if (rc != 0)
		for (int i = 0; i < tr->nseqs; i++)
			tr->seqs[i].applied = 0;
	return rc;
}
