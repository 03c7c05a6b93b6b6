/*
 * report.c: read the validation log and print it (see report.h).
 *
 * Three queries (runs, entries, the first details of every entry) read
 * the whole log, which is small by design (one entry per message id and
 * company, details capped); the scripts asked for are picked here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "report.h"

static char *
cell(const struct upkit_rows *r, int row, int col)
{
	return xstrdup_or_null(upkit_rows_get(r, row, col));
}

static int
wanted(const char *script, char *const *scripts, int n)
{
	if (n == 0)
		return 1;
	for (int i = 0; i < n; i++)
		if (strcasecmp(script, scripts[i]) == 0)
			return 1;
	return 0;
}

static int
query(struct upkit_conn *c, const char *sql, int nparams, const char *const *params,
	  struct upkit_rows *rows, struct strbuf *err)
{
	if (c->ops->query(c, sql, nparams, params, rows) == 0)
		return 0;
	sb_appendf(err, "cannot read the validation log in %s (%s at %s): %s", c->database, c->ops->engine,
			   c->where, sb_str(&c->error));
	if (c->dialect == UPKIT_DIALECT_PG)
		sb_append(err, "\n(the log is part of the upkit extension 0.3: CREATE EXTENSION upkit, or ALTER EXTENSION upkit UPDATE)");
	else
		sb_append(err, "\n(the log is part of the runtime: upkit install --dialect mssql --runtime)");
	return -1;
}

static struct upkit_report_entry *
find_entry(struct upkit_report *rep, const char *script, const char *company, const char *id)
{
	for (int i = 0; i < rep->n_entries; i++)
	{
		struct upkit_report_entry *e = &rep->entries[i];

		if (strcmp(e->script, script) == 0 && strcmp(e->dataareaid, company) == 0 &&
			strcmp(e->message_id, id) == 0)
			return e;
	}
	return NULL;
}

int
upkit_report_read(struct upkit_conn *c, char *const *scripts, int n_scripts, int max_details,
				  struct upkit_report *rep, struct strbuf *err)
{
	const struct upkit_report_sql *sql = &upkit_report_sql[c->dialect];
	struct upkit_rows runs = UPKIT_ROWS_INIT,
				entries = UPKIT_ROWS_INIT,
				details = UPKIT_ROWS_INIT;
	char		n[24];
	const char *params[1] = {n};
	int			rc = -1;

	memset(rep, 0, sizeof *rep);
	snprintf(n, sizeof n, "%d", max_details);
	if (query(c, sql->runs, 0, NULL, &runs, err) != 0 ||
		query(c, sql->entries, 0, NULL, &entries, err) != 0 ||
		query(c, sql->details, 1, params, &details, err) != 0)
		goto out;
	for (int i = 0; i < n_scripts; i++)
	{
		int			found = 0;

		for (int r = 0; r < runs.nrows && !found; r++)
			found = strcasecmp(upkit_rows_get(&runs, r, 0), scripts[i]) == 0;
		if (!found)
		{
			sb_appendf(err, "script %s has no run in the validation log of %s", scripts[i], c->database);
			goto out;
		}
	}
	for (int r = 0; r < runs.nrows; r++)
	{
		struct upkit_report_run *run;

		if (!wanted(upkit_rows_get(&runs, r, 0), scripts, n_scripts))
			continue;
		XGROW(rep->runs, rep->n_runs);
		run = &rep->runs[rep->n_runs++];
		memset(run, 0, sizeof *run);
		run->script = cell(&runs, r, 0);
		run->dataareaid = cell(&runs, r, 1);
		run->run_id = cell(&runs, r, 2);
		run->started_at = cell(&runs, r, 3);
		run->started_by = cell(&runs, r, 4);
	}
	for (int r = 0; r < entries.nrows; r++)
	{
		struct upkit_report_entry *e;

		if (!wanted(upkit_rows_get(&entries, r, 0), scripts, n_scripts))
			continue;
		XGROW(rep->entries, rep->n_entries);
		e = &rep->entries[rep->n_entries++];
		memset(e, 0, sizeof *e);
		e->script = cell(&entries, r, 0);
		e->dataareaid = cell(&entries, r, 1);
		e->message_id = cell(&entries, r, 2);
		e->error = strcmp(upkit_rows_get(&entries, r, 3), "error") == 0;
		e->message = cell(&entries, r, 4);
		e->resolution = cell(&entries, r, 5);
		e->count = cell(&entries, r, 6);
		e->stored = cell(&entries, r, 7);
		if (e->error)
			rep->errors++;
		else
			rep->advisories++;
		for (int k = 0; k < rep->n_runs; k++)
			if (strcmp(rep->runs[k].script, e->script) == 0 && strcmp(rep->runs[k].dataareaid, e->dataareaid) == 0)
			{
				if (e->error)
					rep->runs[k].errors++;
				else
					rep->runs[k].advisories++;
			}
	}
	for (int r = 0; r < details.nrows; r++)
	{
		struct upkit_report_entry *e = find_entry(rep, upkit_rows_get(&details, r, 0),
												  upkit_rows_get(&details, r, 1),
												  upkit_rows_get(&details, r, 2));
		struct upkit_report_detail *d;

		if (e == NULL)
			continue;
		XGROW(e->details, e->n_details);
		d = &e->details[e->n_details++];
		d->seq = cell(&details, r, 3);
		d->recid = cell(&details, r, 4);
		d->dataareaid = cell(&details, r, 5);
		d->key = cell(&details, r, 6);
		d->detail = cell(&details, r, 7);
	}
	rc = 0;
out:
	upkit_rows_free(&runs);
	upkit_rows_free(&entries);
	upkit_rows_free(&details);
	return rc;
}

static const char *
company(const char *d)
{
	return d && d[0] ? d : "(all)";
}

static const char *
plural(const char *count)
{
	return strcmp(count, "1") == 0 ? "" : "s";
}

void
upkit_report_text(const struct upkit_report *rep, struct strbuf *out)
{
	int			ws = (int) strlen("script"),
				wc = (int) strlen("company");

	if (rep->n_runs == 0)
	{
		sb_append(out, "The validation log is empty: no readiness check has run.\n");
		return;
	}
	for (int i = 0; i < rep->n_runs; i++)
	{
		int			l = (int) strlen(rep->runs[i].script),
					m = (int) strlen(company(rep->runs[i].dataareaid));

		ws = l > ws ? l : ws;
		wc = m > wc ? m : wc;
	}
	sb_appendf(out, "%-*s  %-*s  %-23s  %6s  %6s  %10s\n", ws, "script", wc, "company", "last run", "run",
			   "errors", "advisories");
	for (int i = 0; i < rep->n_runs; i++)
	{
		const struct upkit_report_run *r = &rep->runs[i];

		sb_appendf(out, "%-*s  %-*s  %-23s  %6s  %6d  %10d\n", ws, r->script, wc, company(r->dataareaid),
				   r->started_at, r->run_id, r->errors, r->advisories);
	}
	for (int i = 0; i < rep->n_entries; i++)
	{
		const struct upkit_report_entry *e = &rep->entries[i];
		const struct upkit_report_entry *prev = i ? &rep->entries[i - 1] : NULL;

		if (!prev || prev->error != e->error || strcmp(prev->message_id, e->message_id) != 0 ||
			strcmp(prev->message, e->message) != 0)
			sb_appendf(out, "\n%s %s: %s\n  resolution: %s\n", e->error ? "ERROR" : "ADVISORY",
					   e->message_id, e->message, e->resolution);
		sb_appendf(out, "  %-*s  %-*s  %s row%s\n", ws, e->script, wc, company(e->dataareaid),
				   e->count, plural(e->count));
		for (int k = 0; k < e->n_details; k++)
		{
			const struct upkit_report_detail *d = &e->details[k];

			sb_append(out, "    ");
			if (d->recid)
				sb_appendf(out, "RECID %s", d->recid);
			if (d->dataareaid)
				sb_appendf(out, " (%s)", d->dataareaid);
			if (d->key)
				sb_appendf(out, " %s", d->key);
			sb_appendf(out, "%s%s\n", d->recid || d->key ? ": " : "", d->detail);
		}
		{
			long long	count = atoll(e->count),
						stored = atoll(e->stored);

			if (count > e->n_details)
				sb_appendf(out, "    ... %lld more (%lld stored in the log)\n", count - e->n_details, stored);
		}
	}
	sb_appendf(out, "\n%d error%s and %d advisor%s", rep->errors, rep->errors == 1 ? "" : "s",
			   rep->advisories, rep->advisories == 1 ? "y" : "ies");
	if (rep->errors)
		sb_append(out, ": the upgrade must not go on until the errors are fixed.\n");
	else
		sb_append(out, ": nothing blocks the upgrade.\n");
}

static cJSON *
str_or_null(const char *s)
{
	return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static cJSON *
number(const char *s)
{
	return s ? cJSON_CreateRaw(s) : cJSON_CreateNull();
}

void
upkit_report_json(const struct upkit_report *rep, struct strbuf *out)
{
	cJSON	   *root = cJSON_CreateObject();
	cJSON	   *runs = cJSON_AddArrayToObject(root, "runs");
	cJSON	   *entries = cJSON_AddArrayToObject(root, "entries");
	char	   *s;

	cJSON_AddNumberToObject(root, "errors", rep->errors);
	cJSON_AddNumberToObject(root, "advisories", rep->advisories);
	for (int i = 0; i < rep->n_runs; i++)
	{
		const struct upkit_report_run *r = &rep->runs[i];
		cJSON	   *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "script", r->script);
		cJSON_AddStringToObject(o, "dataareaid", r->dataareaid);
		cJSON_AddItemToObject(o, "run_id", number(r->run_id));
		cJSON_AddStringToObject(o, "started_at", r->started_at);
		cJSON_AddStringToObject(o, "started_by", r->started_by);
		cJSON_AddNumberToObject(o, "errors", r->errors);
		cJSON_AddNumberToObject(o, "advisories", r->advisories);
		cJSON_AddItemToArray(runs, o);
	}
	for (int i = 0; i < rep->n_entries; i++)
	{
		const struct upkit_report_entry *e = &rep->entries[i];
		cJSON	   *o = cJSON_CreateObject();
		cJSON	   *ds;

		cJSON_AddStringToObject(o, "level", e->error ? "error" : "advisory");
		cJSON_AddStringToObject(o, "script", e->script);
		cJSON_AddStringToObject(o, "dataareaid", e->dataareaid);
		cJSON_AddStringToObject(o, "message_id", e->message_id);
		cJSON_AddStringToObject(o, "message", e->message);
		cJSON_AddStringToObject(o, "resolution", e->resolution);
		cJSON_AddItemToObject(o, "count", number(e->count));
		cJSON_AddItemToObject(o, "stored", number(e->stored));
		ds = cJSON_AddArrayToObject(o, "details");
		for (int k = 0; k < e->n_details; k++)
		{
			const struct upkit_report_detail *d = &e->details[k];
			cJSON	   *x = cJSON_CreateObject();

			cJSON_AddItemToObject(x, "seq", number(d->seq));
			cJSON_AddItemToObject(x, "recid", number(d->recid));
			cJSON_AddItemToObject(x, "dataareaid", str_or_null(d->dataareaid));
			cJSON_AddItemToObject(x, "key", str_or_null(d->key));
			cJSON_AddStringToObject(x, "detail", d->detail);
			cJSON_AddItemToArray(ds, x);
		}
		cJSON_AddItemToArray(entries, o);
	}
	s = cJSON_Print(root);
	if (s == NULL)
		abort();
	sb_append(out, s);
	sb_append(out, "\n");
	free(s);
	cJSON_Delete(root);
}

void
upkit_report_free(struct upkit_report *rep)
{
	for (int i = 0; i < rep->n_runs; i++)
	{
		free(rep->runs[i].script);
		free(rep->runs[i].dataareaid);
		free(rep->runs[i].run_id);
		free(rep->runs[i].started_at);
		free(rep->runs[i].started_by);
	}
	free(rep->runs);
	for (int i = 0; i < rep->n_entries; i++)
	{
		struct upkit_report_entry *e = &rep->entries[i];

		free(e->script);
		free(e->dataareaid);
		free(e->message_id);
		free(e->message);
		free(e->resolution);
		free(e->count);
		free(e->stored);
		for (int k = 0; k < e->n_details; k++)
		{
			free(e->details[k].seq);
			free(e->details[k].recid);
			free(e->details[k].dataareaid);
			free(e->details[k].key);
			free(e->details[k].detail);
		}
		free(e->details);
	}
	free(rep->entries);
	memset(rep, 0, sizeof *rep);
}
