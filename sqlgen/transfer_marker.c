/*
 * transfer_marker.c: the marker of "upkit transfer" (upkit.transfer_marker,
 * sql/upkit--0.2--0.3.sql section "transfer"; docs/transfer.md).
 *
 * "--mark" writes a row on production just before its backup is taken; the
 * backup carries it to the test system.  The transfer then knows:
 *   - that the test system was restored from a backup taken after the
 *     latest mark (both sides' latest marker_id agree);
 *   - whether production ran preprocessing of its own since (a delta run
 *     with a run_id above the one recorded, a validation run begun after
 *     the mark);
 *   - what each number sequence and SYSTEMSEQUENCES row held at the backup,
 *     so that numbers consumed on both sides since are found
 *     (transfer_seq.c).
 * The row also records the transfer's start (a re-run resumes) and end (a
 * finished transfer is not repeated from the same marker: a second one
 * would overwrite production's delta progress with the test system's
 * older state).  Numbers consumed between the mark and the backup look, to
 * the transfer, as consumed on both sides: it refuses rather than guess,
 * so the mark is taken right before the backup.
 */
#include <stdlib.h>
#include <string.h>

#include "ident.h"
#include "transfer.h"
#include "transfer_side.h"

/* --mark, per dialect: transfer_mark_pg.c, transfer_mark_mssql.c. */
static const struct
{
	enum upkit_dialect dialect;
	int			(*mark) (struct upkit_conn *prod, const char *ax_schema, struct strbuf *id);
}			marks[] = {
	{UPKIT_DIALECT_PG, transfer_mark_pg},
	{UPKIT_DIALECT_MSSQL, transfer_mark_mssql},
};

int
transfer_mark(struct upkit_conn *prod, const char *ax_schema, struct strbuf *id)
{
	for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
		if (marks[i].dialect == prod->dialect)
			return marks[i].mark(prod, ax_schema, id);
	abort();
}

/* The latest marker of c: 1 (id, started, done filled), 0 none, -1 error. */
static int
latest(struct upkit_conn *c, struct upkit_rows *r)
{
	if (c->ops->query(c, transfer_side_of(c)->marker_latest, 0, NULL, r) != 0)
		return -1;
	return r->nrows > 0;
}

static int
fail(struct upkit_diags *diags, const char *side, const struct upkit_conn *c)
{
	upkit_diag_msg(diags, "cannot read the %s system's marker (%s): %s", side, c->where, sb_str(&c->error));
	return -1;
}

int
transfer_check_marker(struct transfer *tr, struct upkit_conn *test, struct upkit_conn *prod,
					  struct upkit_diags *diags)
{
	struct upkit_rows pr = UPKIT_ROWS_INIT,
				tr_rows = UPKIT_ROWS_INIT;
	struct upkit_rows runs = UPKIT_ROWS_INIT;
	const struct transfer_side *ps = transfer_side_of(prod);
	const struct transfer_side *ts = transfer_side_of(test);
	int			p,
				t;

	if (transfer_side_yes(prod, ps->exists, 1, &ps->marker) != 1)
	{
		upkit_diag_msg(diags, "production (%s) has no %s: %s, run upkit transfer --mark on it, and restore"
					   " the test system from a backup taken after that", prod->where, ps->marker, ps->install);
		return 0;
	}
	if ((p = latest(prod, &pr)) < 0)
		return fail(diags, "production", prod);
	if (p == 0)
	{
		upkit_diag_msg(diags, "production (%s) was never marked: run upkit transfer --mark --to PROD right"
					   " before taking the backup that the test system is restored from", prod->where);
		upkit_rows_free(&pr);
		return 0;
	}
	tr->marker_id = xstrdup(upkit_rows_get(&pr, 0, 0));
	tr->resume = strcmp(upkit_rows_get(&pr, 0, 1), "t") == 0 || strcmp(upkit_rows_get(&pr, 0, 1), "1") == 0;
	if (transfer_side_yes(test, ts->exists, 1, &ts->marker) != 1 || (t = latest(test, &tr_rows)) == 0)
		upkit_diag_msg(diags, "the test system (%s) has no transfer marker: it was not restored from a backup"
					   " taken after production's mark %s", test->where, tr->marker_id);
	else if (t < 0)
		return fail(diags, "test", test);
	else if (strcmp(upkit_rows_get(&tr_rows, 0, 0), tr->marker_id) != 0)
		upkit_diag_msg(diags, "the test system's latest marker is %s (%s), production's is %s (%s): the test"
					   " system was not restored from the backup taken after production's latest mark",
					   upkit_rows_get(&tr_rows, 0, 0), upkit_rows_get(&tr_rows, 0, 4), tr->marker_id,
					   upkit_rows_get(&pr, 0, 4));
	if (upkit_rows_get(&pr, 0, 2))
		upkit_diag_msg(diags, "a transfer from marker %s finished on production at %s: production has moved on"
					   " since; mark it again and restore the test system from a new backup to transfer again",
					   tr->marker_id, upkit_rows_get(&pr, 0, 2));
	else if (!tr->resume)
	{
		const char *q[] = {upkit_rows_get(&pr, 0, 3)};

		/* preprocessing on production since the mark: its own delta runs */
		if (prod->ops->query(prod, ps->delta_runs_since, 1, q, &runs) != 0)
			return fail(diags, "production", prod);
		if (strcmp(upkit_rows_get(&runs, 0, 0), "0") != 0)
			upkit_diag_msg(diags, "production ran %s delta run%s since the mark %s (the latest: %s): its state"
						   " is no longer the backup's; mark it again and restore the test system from a new backup",
						   upkit_rows_get(&runs, 0, 0), strcmp(upkit_rows_get(&runs, 0, 0), "1") ? "s" : "",
						   tr->marker_id, upkit_rows_get(&runs, 0, 1));
		upkit_rows_free(&runs);
		/* ... and its own readiness checks: the moved validation log would hide them */
		if (transfer_side_yes(prod, ps->exists, 1, &ps->validation_run) == 1 &&
			prod->ops->query(prod, ps->validation_runs_since, 1, (const char *[]) {tr->marker_id}, &runs) != 0)
			return fail(diags, "production", prod);
		if (runs.nrows > 0 && strcmp(upkit_rows_get(&runs, 0, 0), "0") != 0)
			upkit_diag_msg(diags, "production ran %s validation run%s since the mark %s (the latest: %s): the"
						   " transfer would replace its log with the test system's; run the checks on the test"
						   " system instead, or mark production again and restore the test system from a new backup",
						   upkit_rows_get(&runs, 0, 0), strcmp(upkit_rows_get(&runs, 0, 0), "1") ? "s" : "",
						   tr->marker_id, upkit_rows_get(&runs, 0, 1));
	}
	upkit_rows_free(&pr);
	upkit_rows_free(&tr_rows);
	upkit_rows_free(&runs);
	return 0;
}

/*
 * Production: record the start under the marker row's lock.  A new
 * transfer first forgets the copy ledger's rows of the tables it moves (of
 * an earlier transfer or copy) and, with --replace, empties them (the
 * engine's way, transfer_side.h: one TRUNCATE or a DELETE per table,
 * children first), in the same transaction, so a start that fails leaves
 * production's copies as they were; a resumed one keeps
 * the ledger rows, so only what is not done is copied, and empties nothing:
 * a table not done holds no copied row (one transaction per table) and was
 * emptied when the transfer began.
 */
int
transfer_begin(struct transfer *tr, struct upkit_conn *prod, const char *from, int replace)
{
	const struct transfer_side *ps = transfer_side_of(prod);
	const char *p[] = {tr->marker_id, from};
	struct strbuf v = STRBUF_INIT;
	int			rc = prod->ops->begin(prod);

	if (rc == 0)
		rc = upkit_query_value(prod, ps->marker_lock, 1, p, &v) == 1 ? 0 : -1;
	if (rc == 0 && (strcmp(sb_str(&v), "f") == 0 || strcmp(sb_str(&v), "0") == 0))
	{
		for (int i = 0; rc == 0 && i < tr->ntables; i++)
		{
			const char *q[] = {tr->tables[i].schema, tr->tables[i].name};

			rc = prod->ops->query(prod, ps->ledger_forget, 2, q, NULL);
		}
		if (rc == 0 && replace)
			rc = ps->empty(tr, prod, &tr->emptied);
		if (rc == 0)
			rc = prod->ops->query(prod, ps->marker_start, 2, p, NULL);
	}
	sb_free(&v);
	return upkit_conn_finish(prod, rc);
}

int
transfer_finish(struct transfer *tr, struct upkit_conn *prod)
{
	const char *p[] = {tr->marker_id};

	return prod->ops->query(prod, transfer_side_of(prod)->marker_done, 1, p, NULL);
}
