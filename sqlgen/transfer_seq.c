/*
 * transfer_seq.c: number sequences and SYSTEMSEQUENCES rows after a
 * transfer (docs/transfer.md, "Number sequences").
 *
 * Preprocessing on the test system consumed numbers (CRM_1 party numbers,
 * CRM_2 location numbers) that the moved state now refers to; production
 * must never hand them out again.  So production's NEXTREC becomes the
 * larger of the two (never lower), HIGHEST is carried over where the test
 * system's differs, and a FORMAT difference is reported.  The same for the
 * SYSTEMSEQUENCES NEXTVAL of each moved table with a table id, through
 * the copy target's raise_floor (upkit.raise_recid_floor, which also drops
 * the block the shared RECID cache holds, extension/recid_realign.c; on
 * SQL Server [dbo].[UPKIT_RAISE_RECID_FLOOR]).  The statements are each
 * engine's (transfer_side.h); on SQL Server the number sync is the
 * runtime's [dbo].[UPKIT_TRANSFER_SYNC_NUMBER], which repeats the overlap
 * check under the row's update lock.
 *
 * For a number sequence this is safe only if at most one side consumed
 * numbers since the backup: the marker (transfer_marker.c) recorded each
 * value at that point, and when both sides moved past it their ranges
 * overlap and no value can fix that: a validation error naming the
 * sequence and both ranges.  Not so for the RECIDs of a moved table: RECIDs
 * are per table, and production's rows of the table are replaced by the
 * test system's (empty before, or --replace), so the RECIDs production
 * handed out for it since the backup are gone with its rows; NEXTVAL
 * becomes the larger of both (the copy has already raised it above the
 * largest RECID copied, copy_recid.c).  The
 * values are applied in the transaction that finishes the transfer, with
 * the rows locked and the check repeated under the lock; numbers are
 * reserved transactionally (upkit.reserve_numbers, and
 * [dbo].[UPKIT_RESERVE_NUMBERS] under the same update lock), so a lock on
 * the row is all a reservation in flight waits for.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "copy_side.h"
#include "ident.h"
#include "transfer.h"
#include "transfer_side.h"

static struct transfer_seq *
new_seq(struct transfer *tr)
{
	tr->seqs = realloc(tr->seqs, sizeof(*tr->seqs) * (tr->nseqs + 1));
	if (tr->seqs == NULL)
		abort();
	memset(&tr->seqs[tr->nseqs], 0, sizeof *tr->seqs);
	return &tr->seqs[tr->nseqs++];
}

/* Read one side's row of s: 1 found, 0 not, -1 error. */
static int
read_side(struct upkit_conn *c, const char *ax_schema, struct transfer_seq *s, long long *value,
		  long long *highest, char **format, int lock)
{
	const struct transfer_side *cs = transfer_side_of(c);
	struct strbuf sql = STRBUF_INIT;
	struct strbuf table = STRBUF_INIT;
	struct upkit_rows r = UPKIT_ROWS_INIT;
	char		tab[24];
	const char *p[2];
	int			rc;

	upkit_quote_catalog_qualified(&table, ax_schema, s->kind == TRANSFER_SEQ_NUMBER ? cs->numbers
								  : cs->systemsequences, c->dialect);
	sb_appendf(&sql, s->kind == TRANSFER_SEQ_NUMBER ? cs->read_number : cs->read_recid, sb_str(&table),
			   lock ? cs->lock_row : "");
	sb_free(&table);
	if (s->kind == TRANSFER_SEQ_NUMBER)
	{
		p[0] = s->company;
		p[1] = s->sequence;
	}
	else
	{
		snprintf(tab, sizeof tab, "%d", s->tabid);
		p[0] = tab;
	}
	rc = c->ops->query(c, sb_str(&sql), s->kind == TRANSFER_SEQ_NUMBER ? 2 : 1, p, &r);
	sb_free(&sql);
	if (rc != 0)
		return -1;
	if (r.nrows == 0)
	{
		upkit_rows_free(&r);
		return 0;
	}
	*value = atoll(upkit_rows_get(&r, 0, 0));
	*highest = atoll(upkit_rows_get(&r, 0, 1));
	if (format)
	{
		free(*format);
		*format = xstrdup(upkit_rows_get(&r, 0, 2) ? upkit_rows_get(&r, 0, 2) : "");
	}
	upkit_rows_free(&r);
	return 1;
}

/* The marker's value of s: 1, 0 (not recorded), -1. */
static int
read_backup(struct upkit_conn *prod, const char *marker, struct transfer_seq *s)
{
	char		key[256];
	const char *p[] = {marker, key};
	struct strbuf v = STRBUF_INIT;
	int			rc;

	if (s->kind == TRANSFER_SEQ_NUMBER)
		snprintf(key, sizeof key, "%s:%s", s->company, s->sequence);
	else
		snprintf(key, sizeof key, "%d", s->tabid);
	rc = upkit_query_value(prod, s->kind == TRANSFER_SEQ_NUMBER ? transfer_side_of(prod)->backup_number
						   : transfer_side_of(prod)->backup_recid, 2, p, &v);
	if (rc == 1 && sb_str(&v)[0] == '\0')
		rc = 0;
	if (rc == 1)
		s->backup = atoll(sb_str(&v));
	sb_free(&v);
	return rc;
}

/* Both consumed since the backup?  Then say so. */
static int
overlap(const struct transfer_seq *s, struct strbuf *msg)
{
	if (s->kind != TRANSFER_SEQ_NUMBER || !s->has_backup || !s->has_test || !s->has_prod ||
		s->test <= s->backup || s->prod <= s->backup)
		return 0;
	sb_appendf(msg, "%s: both systems consumed numbers since the backup (it was at %lld): the test system"
			   " %lld..%lld, production %lld..%lld; no value fixes overlapping ranges",
			   s->label, s->backup, s->backup, s->test - 1, s->backup, s->prod - 1);
	return 1;
}

static void
decide(struct transfer_seq *s)
{
	s->after = s->test > s->prod ? s->test : s->prod;
	s->highest_after = s->kind == TRANSFER_SEQ_NUMBER ? s->test_highest : s->prod_highest;
}

static int
check_one(struct transfer_seq *s, struct upkit_conn *test, struct upkit_conn *prod,
		  const char *ax_schema, const char *marker, struct upkit_diags *diags)
{
	struct strbuf msg = STRBUF_INIT;
	int			t = read_side(test, ax_schema, s, &s->test, &s->test_highest, &s->test_format, 0);
	int			p = t < 0 ? -1 : read_side(prod, ax_schema, s, &s->prod, &s->prod_highest, &s->prod_format, 0);
	int			b = p < 0 ? -1 : marker ? read_backup(prod, marker, s) : 0;

	if (b < 0)
	{
		upkit_diag_msg(diags, "%s: cannot read it: %s", s->label,
					   sb_str(&test->error)[0] ? sb_str(&test->error) : sb_str(&prod->error));
		return -1;
	}
	s->has_test = t;
	s->has_prod = p;
	s->has_backup = b;
	if (s->kind == TRANSFER_SEQ_NUMBER && (!t || !p))
		upkit_diag_msg(diags, "%s: no such number sequence in %s.numbersequencetable of %s", s->label,
					   ax_schema, !t && !p ? "either system" : !t ? "the test system" : "production");
	else if (s->kind == TRANSFER_SEQ_NUMBER && marker && !b)
		upkit_diag_msg(diags, "%s: the marker %s did not record it (it was made after the mark):"
					   " whether both systems consumed numbers cannot be told", s->label, marker);
	else if (overlap(s, &msg))
		upkit_diag_msg(diags, "%s", sb_str(&msg));
	decide(s);
	sb_free(&msg);
	return 0;
}

/* A number sequence "COMPANY:SEQUENCE" (once, however often it is named). */
static int
add_number(struct transfer *tr, const char *label, struct upkit_conn *test, struct upkit_conn *prod,
		   const char *ax_schema, struct upkit_diags *diags)
{
	const char *colon = strchr(label, ':');
	struct transfer_seq *s;

	for (int i = 0; i < tr->nseqs; i++)
		if (strcmp(tr->seqs[i].label, label) == 0)
			return 0;
	s = new_seq(tr);
	s->kind = TRANSFER_SEQ_NUMBER;
	s->company = strndup(label, (size_t) (colon - label));
	s->sequence = xstrdup(colon + 1);
	s->label = xstrdup(label);
	return check_one(s, test, prod, ax_schema, tr->marker_id, diags);
}

int
transfer_read_seqs(struct transfer *tr, struct upkit_conn *test, struct upkit_conn *prod,
				   const struct transfer_options *opt, struct upkit_diags *diags)
{
	const struct transfer_side *ps = transfer_side_of(prod);
	struct strbuf ss = STRBUF_INIT;
	const char *ssp[1];
	int			has_ss;

	if (ps->sync_schema && strcmp(opt->ax_schema, ps->sync_schema) != 0 &&
		(tr->from_plan.nsequences > 0 || (opt->sequences && opt->sequences[0])))
		upkit_diag_msg(diags, "the number sequences of %s (%s) are synchronised in schema %s only, not in"
					   " --schema %s", prod->ops->engine, prod->where, ps->sync_schema, opt->ax_schema);

	for (int i = 0; i < tr->from_plan.nsequences; i++)
		if (add_number(tr, tr->from_plan.sequences[i], test, prod, opt->ax_schema, diags) != 0)
			return -1;
	for (const char *const *q = opt->sequences; q && *q; q++)
		if (add_number(tr, *q, test, prod, opt->ax_schema, diags) != 0)
			return -1;
	upkit_quote_catalog_qualified(&ss, opt->ax_schema, ps->systemsequences, prod->dialect);
	ssp[0] = sb_str(&ss);
	has_ss = transfer_side_yes(prod, ps->exists, 1, ssp) == 1 &&
		transfer_side_yes(test, transfer_side_of(test)->exists, 1, ssp) == 1;
	sb_free(&ss);
	for (int i = 0; has_ss && i < tr->ntables; i++)
	{
		struct transfer_seq *s;
		char		label[300];

		if (tr->tables[i].tabid < 0)
			continue;
		s = new_seq(tr);
		s->kind = TRANSFER_SEQ_RECID;
		s->tabid = tr->tables[i].tabid;
		snprintf(label, sizeof label, "RECID %s (table id %d)", tr->tables[i].name, s->tabid);
		s->label = xstrdup(label);
		if (check_one(s, test, prod, opt->ax_schema, tr->marker_id, diags) != 0)
			return -1;
		if (!s->has_test)		/* the test system handed out no RECID of it: nothing to carry */
			tr->nseqs--, free(s->label), free(s->test_format), free(s->prod_format);
	}
	return 0;
}

int
transfer_apply_seqs(struct transfer *tr, struct upkit_conn *prod, const char *ax_schema,
					struct strbuf *err)
{
	for (int i = 0; i < tr->nseqs; i++)
	{
		struct transfer_seq *s = &tr->seqs[i];
		struct strbuf sql = STRBUF_INIT;
		char		a[24],
					h[24];
		int			rc;

		/* again under the row lock: production may have moved since the check */
		rc = read_side(prod, ax_schema, s, &s->prod, &s->prod_highest, NULL, 1);
		if (rc < 0)
		{
			sb_appendf(err, "%s: %s", s->label, sb_str(&prod->error));
			return -1;
		}
		s->has_prod = rc;
		if (overlap(s, err))
			return -1;
		decide(s);
		snprintf(a, sizeof a, "%lld", s->after);
		snprintf(h, sizeof h, "%lld", s->highest_after);
		if (s->kind == TRANSFER_SEQ_NUMBER)
		{
			const struct transfer_side *ps = transfer_side_of(prod);
			struct strbuf table = STRBUF_INIT;
			char		b[24];
			const char *p[] = {s->company, s->sequence, b, a, h};

			snprintf(b, sizeof b, "%lld", s->backup);
			upkit_quote_catalog_qualified(&table, ax_schema, ps->numbers, prod->dialect);
			sb_appendf(&sql, ps->sync_number, sb_str(&table));
			sb_free(&table);
			rc = prod->ops->query(prod, sb_str(&sql), 5, p, NULL);
		}
		else
			rc = copy_target_of(prod)->raise_floor(prod, ax_schema, s->tabid, s->after, NULL);
		sb_free(&sql);
		if (rc != 0)
		{
			sb_appendf(err, "%s: %s", s->label, sb_str(&prod->error));
			return -1;
		}
		s->applied = 1;
	}
	return 0;
}
