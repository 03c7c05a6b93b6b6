/*
 * copy_run.c: execute a copy plan (see copy_run.h).
 *
 * Work: every range not done of every table to copy, largest tables first
 * (the reference's prioritisation by size), handed to N worker threads.
 * libpq and FreeTDS's db-lib are thread-safe per connection, and no
 * connection is shared: each worker opens its own source and target
 * connections.
 *
 * One range is one transaction on the target: claim its ledger row (row
 * lock, not done), the bulk load (COPY ... FROM STDIN, or bcp), compare
 * the rows the source sent with the rows the target took, mark the row
 * done, COMMIT.  Killed at any point before the COMMIT, the server rolls
 * all of it back: the range is neither half there nor marked; after the
 * COMMIT, it is there and marked.  So a re-run copies exactly the ranges
 * not done (copy_ledger.h).
 *
 * The rows move as chunks of PostgreSQL's binary COPY (PostgreSQL to
 * PostgreSQL) or as rows of values read with db-lib (from SQL Server); the
 * engines' own parts are behind copy_side.h.  A PostgreSQL source reads each
 * range in a REPEATABLE READ transaction that imports the planning
 * session's snapshot, so all ranges and the final count see one state of
 * the source; SQL Server has no such snapshot (copy_source_mssql.c).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "copy_catalog.h"
#include "copy_ledger.h"
#include "copy_run.h"
#include "copy_side.h"
#include "ident.h"

static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double) ts.tv_sec + ts.tv_nsec / 1e9;
}

/* "where: message" of a failed connection into err. */
static void
conn_failure(struct strbuf *err, const char *what, const struct upkit_conn *c)
{
	sb_appendf(err, "%s (%s): %s", what, c->where, sb_str(&c->error));
}

/* The range's rows as chunks of a bulk format both engines speak (PostgreSQL to PostgreSQL). */
static int
stream_chunks(struct upkit_conn *src, struct copy_load *l, const char *sql,
			  struct copy_progress *progress, struct copy_range_result *res, struct strbuf *err)
{
	const struct copy_target_ops *to = copy_target_of(l->dst);
	long long	out_rows = -1;
	const char *chunk;
	int			n;

	if (src->ops->copy_out_begin(src, sql) != 0)
	{
		conn_failure(err, "the source refused the COPY", src);
		return -1;
	}
	while ((n = src->ops->copy_out_next(src, &chunk)) > 0)
	{
		if (to->load_chunk(l, chunk, n, err) != 0)
		{
			/* stop the source, read what it still sends, and give up */
			src->ops->cancel(src);
			while (src->ops->copy_out_next(src, &chunk) > 0)
				;
			src->ops->copy_out_end(src, NULL);
			return -1;
		}
		res->bytes += n;
		if (progress)
		{
			__atomic_add_fetch(&progress->bytes, n, __ATOMIC_RELAXED);
			__atomic_add_fetch(&progress->rows, 1, __ATOMIC_RELAXED);
		}
	}
	if (n < 0 || src->ops->copy_out_end(src, &out_rows) != 0)
	{
		conn_failure(err, "reading the source failed", src);
		return -1;
	}
	res->rows = out_rows;
	return 0;
}

/* The range's rows one by one, each value as the source's reader hands it over. */
static int
stream_cells(struct upkit_conn *src, struct copy_load *l, const char *sql,
			 struct copy_progress *progress, struct copy_range_result *res, struct strbuf *err)
{
	const struct copy_source_ops *so = copy_source_of(src);
	const struct copy_target_ops *to = copy_target_of(l->dst);
	struct copy_cell *cells = calloc((size_t) l->t->ncolumns + 1, sizeof *cells);
	int			rc;

	if (cells == NULL)
		abort();
	if (so->rows_begin(src, sql, l->t->ncolumns) != 0)
	{
		conn_failure(err, "the source refused the SELECT", src);
		free(cells);
		return -1;
	}
	while ((rc = so->rows_next(src, cells)) > 0)
	{
		long long	bytes = 0;

		for (int i = 0; i < l->t->ncolumns; i++)
			bytes += cells[i].data ? cells[i].len : 0;
		if (to->load_row(l, cells, err) != 0)
		{
			sb_appendf(err, " (row %lld of the range)", res->rows + 1);
			break;
		}
		res->rows++;
		res->bytes += bytes;
		if (progress)
		{
			__atomic_add_fetch(&progress->bytes, bytes, __ATOMIC_RELAXED);
			__atomic_add_fetch(&progress->rows, 1, __ATOMIC_RELAXED);
		}
	}
	if (rc < 0)
		conn_failure(err, "reading the source failed", src);
	if (so->rows_end(src) != 0 && rc == 0)
	{
		conn_failure(err, "reading the source failed", src);
		rc = -1;
	}
	free(cells);
	return rc == 0 ? 0 : -1;
}

/* Stream the range into dst; the counts of both ends must agree. */
static int
stream(struct upkit_conn *src, struct upkit_conn *dst, const struct copy_table_plan *t, int range,
	   struct copy_progress *progress, struct copy_range_result *res, struct strbuf *err)
{
	const struct copy_target_ops *to = copy_target_of(dst);
	int			cells = copy_source_of(src)->rows_begin != NULL;
	struct copy_load l = {dst, t, -1, STRBUF_INIT, NULL};
	struct strbuf sql = STRBUF_INIT;
	int			rc;

	copy_range_sql(&sql, t, range);
	if (to->load_begin(&l, cells, err) != 0)
	{
		sb_free(&sql);
		return -1;
	}
	rc = cells ? stream_cells(src, &l, sb_str(&sql), progress, res, err)
		: stream_chunks(src, &l, sb_str(&sql), progress, res, err);
	sb_free(&sql);
	if (rc != 0)
	{
		struct strbuf ignore = STRBUF_INIT;

		to->load_end(&l, "upkit copy: the source failed", &ignore);
		sb_free(&ignore);
		return -1;
	}
	if (to->load_end(&l, NULL, err) != 0)
		return -1;
	if (l.rows != res->rows)
	{
		sb_appendf(err, "the source sent %lld rows, the target took %lld", res->rows, l.rows);
		return -1;
	}
	return 0;
}

int
copy_range_run(struct upkit_conn *src, struct upkit_conn *dst, const struct copy_table_plan *t,
			   int range, const char *snapshot, struct copy_progress *progress,
			   struct copy_range_result *res, struct strbuf *err)
{
	const struct copy_source_ops *so = copy_source_of(src);
	const char *nopath = copy_side_no_path(src, dst);
	double		start = now_seconds();
	int			claim;
	int			rc = -1;

	memset(res, 0, sizeof *res);
	if (nopath)
	{
		sb_append(err, nopath);
		return -1;
	}
	if (dst->ops->begin(dst) != 0)
	{
		conn_failure(err, "cannot begin on the target", dst);
		return -1;
	}
	claim = copy_ledger_claim(dst, t, range);
	if (claim < 0)
		conn_failure(err, "cannot claim the range in the copy ledger", dst);
	else if (claim == 0)
	{
		res->skipped = 1;
		rc = 0;
	}
	else if (so->read_begin(src, snapshot) != 0)
		conn_failure(err, "cannot start reading the source", src);
	else
	{
		if (stream(src, dst, t, range, progress, res, err) == 0)
		{
			if (copy_ledger_done(dst, t, range, res->rows, res->bytes) != 0)
				conn_failure(err, "cannot mark the range done", dst);
			else if (dst->ops->commit(dst) != 0)
				conn_failure(err, "the target's COMMIT failed", dst);
			else
				rc = 0;
		}
		so->read_end(src);
	}
	if (rc != 0 || res->skipped)
		dst->ops->rollback(dst);
	if (rc != 0 && progress)
	{
		/* what streamed of a failed range is not there */
		__atomic_sub_fetch(&progress->bytes, res->bytes, __ATOMIC_RELAXED);
		res->rows = res->bytes = 0;
	}
	res->seconds = now_seconds() - start;
	return rc;
}

/* ---- the scheduler ---- */

struct work_item
{
	int			table;
	int			range;
};

struct run_state
{
	struct copy_plan *plan;
	const struct upkit_conn_target *srct,
			   *dstt;
	const struct copy_events *ev;
	struct copy_outcome *out;
	struct work_item *items;
	int			nitems;
	int			next;			/* the next item to take */
	int			running;		/* workers still running */
	pthread_mutex_t lock;
};

static void
set_error(struct copy_outcome *o, const char *msg)
{
	if (o->error == NULL)
		o->error = xstrdup(msg);
}

static void
fail_rest(struct run_state *st, const char *why)
{
	pthread_mutex_lock(&st->lock);
	while (st->next < st->nitems)
	{
		struct copy_outcome *o = &st->out[st->items[st->next++].table];

		o->ranges_failed++;
		set_error(o, why);
	}
	pthread_mutex_unlock(&st->lock);
}

static void *
worker(void *arg)
{
	struct run_state *st = arg;
	struct strbuf err = STRBUF_INIT;
	struct upkit_conn *src = upkit_conn_open(st->srct, &err);
	struct upkit_conn *dst = src ? upkit_conn_open(st->dstt, &err) : NULL;

	if (dst == NULL)
		fail_rest(st, sb_str(&err));
	while (dst)
	{
		struct work_item it;
		struct copy_range_result res;
		struct copy_table_plan *t;
		struct copy_outcome *o;
		int			rc;

		pthread_mutex_lock(&st->lock);
		if (st->next >= st->nitems)
		{
			pthread_mutex_unlock(&st->lock);
			break;
		}
		it = st->items[st->next++];
		pthread_mutex_unlock(&st->lock);
		t = &st->plan->tables[it.table];
		o = &st->out[it.table];
		sb_free(&err);
		rc = copy_range_run(src, dst, t, it.range, st->plan->snapshot, &o->progress, &res, &err);
		pthread_mutex_lock(&st->lock);
		if (rc != 0)
		{
			o->ranges_failed++;
			set_error(o, sb_str(&err));
		}
		else if (res.skipped)
			o->ranges_skipped++;
		else
		{
			o->ranges_done++;
			o->rows += res.rows;
			o->bytes += res.bytes;
		}
		o->seconds += res.seconds;
		pthread_mutex_unlock(&st->lock);
		if (st->ev && st->ev->range_end)
			st->ev->range_end(st->ev->arg, t, it.range, &res, rc != 0 ? sb_str(&err) : NULL);
	}
	upkit_conn_close(src);
	upkit_conn_close(dst);
	sb_free(&err);
	pthread_mutex_lock(&st->lock);
	st->running--;
	pthread_mutex_unlock(&st->lock);
	return NULL;
}

static struct copy_plan *sort_plan;

/* Largest tables first; ranges in order. */
static int
by_size(const void *a, const void *b)
{
	const struct work_item *x = a,
			   *y = b;
	long long	sx = sort_plan->tables[x->table].source_rows,
				sy = sort_plan->tables[y->table].source_rows;

	if (sx != sy)
		return sx > sy ? -1 : 1;
	if (x->table != y->table)
		return x->table - y->table;
	return x->range - y->range;
}

/* Write the ledger rows of tables not begun; collect the ranges not done. */
static int
prepare(struct run_state *st, struct upkit_conn *dst, struct upkit_diags *diags)
{
	struct copy_plan *plan = st->plan;
	int			n = 0;

	for (int i = 0; i < plan->ntables; i++)
		n += plan->tables[i].nranges;
	st->items = calloc((size_t) n + 1, sizeof *st->items);
	if (st->items == NULL)
		abort();
	for (int i = 0; i < plan->ntables; i++)
	{
		struct copy_table_plan *t = &plan->tables[i];

		if (t->state == COPY_STATE_TODO &&
			copy_ledger_plan(dst, t, t->map->rule && t->map->rule->exception == COPY_EXC_TRUNCATEONCOPY) != 0)
		{
			upkit_diag_msg(diags, "cannot write the ledger rows of %s (%s): %s",
						   t->map->dst->name, dst->where, sb_str(&dst->error));
			return -1;
		}
		if (t->state != COPY_STATE_TODO && t->state != COPY_STATE_PARTLY)
			continue;
		for (int r = 0; r < t->nranges; r++)
			if (!t->ranges[r].done)
				st->items[st->nitems++] = (struct work_item) {i, r};
	}
	sort_plan = plan;
	qsort(st->items, (size_t) st->nitems, sizeof *st->items, by_size);
	return 0;
}

/* Counts of source (in the snapshot), target and ledger must agree (copy_run.h). */
void
copy_table_verify(struct upkit_conn *src, struct upkit_conn *dst, const struct copy_table_plan *t,
	   struct copy_outcome *o)
{
	struct strbuf msg = STRBUF_INIT;
	long long	ledger_rows = 0;
	int			pending = 0;

	if (copy_ledger_totals(dst, t, &ledger_rows, &pending) != 0)
	{
		conn_failure(&msg, "cannot read the copy ledger", dst);
		set_error(o, sb_str(&msg));
	}
	else if (pending > 0)
	{
		sb_appendf(&msg, "%d range%s not copied; run upkit copy again to resume", pending,
				   pending == 1 ? "" : "s");
		set_error(o, sb_str(&msg));
	}
	else
	{
		o->source_count = copy_side_count_from(src, t->from_sql);
		o->target_count = copy_side_count_table(dst, t->dst_schema, t->map->dst->name);
		if (o->source_count < 0 || o->target_count < 0)
			conn_failure(&msg, "cannot count the rows", o->source_count < 0 ? src : dst);
		else if (o->source_count != o->target_count || o->target_count != ledger_rows)
			sb_appendf(&msg, "row counts differ: the source has %lld, the target %lld, the ledger records %lld",
					   o->source_count, o->target_count, ledger_rows);
		else
			o->verified = 1;
		if (!o->verified)
			set_error(o, sb_str(&msg));
	}
	sb_free(&msg);
}

int
copy_run(struct copy_plan *plan, struct upkit_conn *src, struct upkit_conn *dst,
		 const struct upkit_conn_target *srct, const struct upkit_conn_target *dstt,
		 int jobs, const struct copy_events *ev, struct copy_outcome *out,
		 struct upkit_diags *diags)
{
	struct run_state st = {0};
	pthread_t  *threads;
	int			nthreads;
	int			failed = 0;

	st.plan = plan;
	st.srct = srct;
	st.dstt = dstt;
	st.ev = ev;
	st.out = out;
	pthread_mutex_init(&st.lock, NULL);
	if (prepare(&st, dst, diags) != 0)
	{
		free(st.items);
		return -1;
	}
	nthreads = jobs < st.nitems ? jobs : st.nitems;
	threads = calloc((size_t) nthreads + 1, sizeof *threads);
	if (threads == NULL)
		abort();
	st.running = nthreads;
	for (int i = 0; i < nthreads; i++)
		if (pthread_create(&threads[i], NULL, worker, &st) != 0)
			abort();
	for (;;)
	{
		int			running;

		pthread_mutex_lock(&st.lock);
		running = st.running;
		pthread_mutex_unlock(&st.lock);
		if (running == 0)
			break;
		if (ev && ev->tick)
			ev->tick(ev->arg, plan, out);
		usleep(200000);
	}
	for (int i = 0; i < nthreads; i++)
		pthread_join(threads[i], NULL);
	free(threads);
	free(st.items);
	pthread_mutex_destroy(&st.lock);

	for (int i = 0; i < plan->ntables; i++)
	{
		struct copy_table_plan *t = &plan->tables[i];
		struct copy_outcome *o = &out[i];
		struct strbuf note = STRBUF_INIT;

		if (t->state == COPY_STATE_SKIPPED || t->state == COPY_STATE_REFUSED)
			continue;
		if (o->error == NULL)
			copy_table_verify(src, dst, t, o);
		if (o->verified)
		{
			o->recid_failed = copy_recid_make_safe(dst, plan, t, &note) != 0;
			o->recid_note = xstrdup(sb_str(&note));
		}
		sb_free(&note);
		failed += o->error != NULL || o->recid_failed;
	}
	return failed;
}

void
copy_outcomes_free(struct copy_outcome *out, int n)
{
	if (out == NULL)
		return;
	for (int i = 0; i < n; i++)
	{
		free(out[i].error);
		free(out[i].recid_note);
	}
	free(out);
}
