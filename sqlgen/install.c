/*
 * install.c: install units over a connection and report them (see
 * install.h).
 *
 * Which objects are installed comes from the units, not from the script's
 * text; whether each was there before comes from the catalog (check.h),
 * asked before the transaction starts.  The extension (PostgreSQL) is
 * reported by its version, before and after.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ident.h"
#include "install.h"
#include "script.h"
#include "strbuf.h"

static int
is_extension(const struct upkit_unit *u)
{
	return strcmp(u->kind, "extension") == 0;
}

/* "procedure public.x" */
static void
object_words(struct strbuf *sb, const struct upkit_unit *u)
{
	sb_appendf(sb, "%s ", u->kind);
	if (u->object.schema)
		upkit_quote_qualified(sb, u->object.schema, u->object.name, u->dialect);
	else
		upkit_quote_ident(sb, u->object.name, u->dialect);
}

static void
add_line(struct upkit_install_report *rep, const char *verb, const char *what, const char *spec)
{
	struct upkit_install_line *l;

	rep->lines = realloc(rep->lines, sizeof *rep->lines * (size_t) (rep->n + 1));
	if (rep->lines == NULL)
		abort();
	l = &rep->lines[rep->n++];
	l->verb = xstrdup(verb);
	l->what = xstrdup(what);
	l->spec = spec ? xstrdup(spec) : NULL;
	if (strcmp(verb, "kept") != 0)
		rep->objects++;
}

/* Send every batch in one transaction; -1 after rolling back. */
static int
run_units(struct upkit_conn *c, const struct upkit_units *us, struct upkit_diags *diags)
{
	struct strbuf header = STRBUF_INIT;
	struct upkit_units none = UPKIT_UNITS_INIT;
	int			total = 0,
				sent = 0,
				line = 1;

	/* Script lines as generate prints them: the header, then the units. */
	upkit_script_print(&header, c->dialect, 0, &none);
	for (size_t i = 0; i < header.len; i++)
		line += header.data[i] == '\n';
	sb_free(&header);
	for (int i = 0; i < us->n; i++)
		total += us->items[i].n_batches;
	if (c->ops->begin(c) != 0)
	{
		upkit_diag_msg(diags, "cannot start a transaction on %s: %s", c->where, sb_str(&c->error));
		return -1;
	}
	for (int i = 0; i < us->n; i++)
	{
		const struct upkit_unit *u = &us->items[i];

		for (int j = 0; j < u->n_batches; j++)
		{
			struct strbuf what = STRBUF_INIT;

			sent++;
			if (c->ops->exec(c, u->batches[j]) == 0)
				continue;
			object_words(&what, u);
			upkit_diag_msg(diags, "install into %s failed in batch %d of %d (%s, %s %s, script line %d): %s%s%s%s",
						   c->where, sent, total, sb_str(&what), u->spec ? "spec" : "from",
						   u->spec ? u->spec : u->source, line + u->batch_lines[j] - 1,
						   sb_str(&c->error), c->sqlstate[0] ? " [SQLSTATE " : "",
						   c->sqlstate, c->sqlstate[0] ? "]" : "");
			sb_free(&what);
			if (c->detail.len)
				upkit_diag_msg(diags, "detail: %s", sb_str(&c->detail));
			c->ops->rollback(c);
			upkit_diag_msg(diags, "nothing was installed (the transaction was rolled back)");
			return -1;
		}
		line += u->text_lines;
	}
	if (c->ops->commit(c) != 0)
	{
		upkit_diag_msg(diags, "commit on %s failed: %s", c->where, sb_str(&c->error));
		return -1;
	}
	return 0;
}

int
upkit_install_units(struct upkit_conn *c, const struct upkit_units *us,
					struct upkit_install_report *rep, struct upkit_diags *diags)
{
	const struct upkit_catalog_ops *cat = upkit_catalog_for(c->dialect);
	int		   *existed = calloc((size_t) us->n + 1, sizeof *existed);
	struct strbuf *version = calloc((size_t) us->n + 1, sizeof *version);
	int			failed = 0;

	if (existed == NULL || version == NULL)
		abort();
	for (int i = 0; i < us->n && !failed; i++)
	{
		const struct upkit_unit *u = &us->items[i];
		struct strbuf ignored = STRBUF_INIT;

		existed[i] = is_extension(u) ? cat->runtime_version(c, &version[i])
			: cat->object_kind(c, u->object.schema, u->object.name, &ignored);
		failed = existed[i] < 0;
		sb_free(&ignored);
	}
	if (failed)
		upkit_diag_msg(diags, "cannot read the catalog of %s: %s", c->where, sb_str(&c->error));
	if (!failed && run_units(c, us, diags) != 0)
		failed = 1;

	/* The report: every unit, in order. */
	for (int i = 0; i < us->n && !failed; i++)
	{
		const struct upkit_unit *u = &us->items[i];
		struct strbuf what = STRBUF_INIT;
		struct strbuf after = STRBUF_INIT;

		if (is_extension(u))
		{
			int			changed;

			if (cat->runtime_version(c, &after) != 1)
			{
				sb_free(&after);
				continue;
			}
			changed = existed[i] && strcmp(sb_str(&version[i]), sb_str(&after)) != 0;
			sb_appendf(&what, "extension %s %s", u->object.name, sb_str(&after));
			if (changed)
				sb_appendf(&what, " (was %s)", sb_str(&version[i]));
			add_line(rep, !existed[i] ? "created" : changed ? "updated" : "kept", sb_str(&what), NULL);
		}
		else
		{
			object_words(&what, u);
			add_line(rep, !existed[i] ? "created" : u->replace == UPKIT_UNIT_KEEPS ? "kept" : "replaced",
					 sb_str(&what), u->spec);
		}
		sb_free(&what);
		sb_free(&after);
	}
	for (int i = 0; i < us->n; i++)
		sb_free(&version[i]);
	free(version);
	free(existed);
	return failed ? -1 : 0;
}

void
upkit_install_report_free(struct upkit_install_report *rep)
{
	for (int i = 0; i < rep->n; i++)
	{
		free(rep->lines[i].verb);
		free(rep->lines[i].what);
		free(rep->lines[i].spec);
	}
	free(rep->lines);
	rep->lines = NULL;
	rep->n = rep->objects = 0;
}
