/*
 * install.c: install a script over a connection and report it (see
 * install.h).
 *
 * Which objects a script installs comes from the specs (needs.h) and the
 * runtime (runtime.h), not from the script's text; whether each was there
 * before comes from the catalog (check.h), asked before the transaction
 * starts, and its kind (procedure, function) from the catalog inside the
 * transaction, after the batches ran.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ident.h"
#include "install.h"
#include "runtime.h"
#include "strbuf.h"

int
upkit_run_batches(struct upkit_conn *c, const struct upkit_batches *b, struct upkit_diags *diags)
{
	if (c->ops->begin(c) != 0)
	{
		upkit_diag_msg(diags, "cannot start a transaction on %s: %s", c->where, sb_str(&c->error));
		return -1;
	}
	for (int i = 0; i < b->n; i++)
	{
		const struct upkit_batch *it = &b->items[i];

		if (c->ops->exec(c, it->text) == 0)
			continue;
		upkit_diag_msg(diags, "install into %s failed in batch %d of %d (%s, script line %d): %s%s%s%s",
					   c->where, i + 1, b->n, it->origin ? it->origin : "script start",
					   it->first_line, sb_str(&c->error), c->sqlstate[0] ? " [SQLSTATE " : "",
					   c->sqlstate, c->sqlstate[0] ? "]" : "");
		if (c->detail.len)
			upkit_diag_msg(diags, "detail: %s", sb_str(&c->detail));
		c->ops->rollback(c);
		upkit_diag_msg(diags, "nothing was installed (the transaction was rolled back)");
		return -1;
	}
	if (c->ops->commit(c) != 0)
	{
		upkit_diag_msg(diags, "commit on %s failed: %s", c->where, sb_str(&c->error));
		return -1;
	}
	return 0;
}

/* An object of the report: folded names, the spec it comes from. */
struct object
{
	char	   *schema;
	char	   *name;
	const char *spec;
	int			existed;
	struct strbuf kind;
};

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

static struct object *
collect_objects(enum upkit_dialect d, int with_runtime, struct upkit_spec *const *specs,
				int nspecs, int *n)
{
	struct object *o = NULL;
	struct upkit_qname *rt = NULL;
	int			nrt = with_runtime ? upkit_runtime_objects(d, &rt) : 0;

	*n = 0;
	for (int i = 0; i < nrt + nspecs; i++)
	{
		struct upkit_spec_needs needs = UPKIT_SPEC_NEEDS_INIT;
		const struct upkit_qname *q = i < nrt ? &rt[i] : NULL;
		int			nq = 1;

		if (q == NULL)
		{
			upkit_spec_needs(specs[i - nrt], &needs);
			q = needs.objects;
			nq = needs.n_objects;
		}
		for (int j = 0; j < nq; j++)
		{
			o = realloc(o, sizeof *o * (size_t) (*n + 1));
			if (o == NULL)
				abort();
			o[*n] = (struct object) {upkit_ident_fold(q[j].schema, d), upkit_ident_fold(q[j].name, d),
				i < nrt ? NULL : specs[i - nrt]->file, 0, STRBUF_INIT};
			(*n)++;
		}
		upkit_spec_needs_free(&needs);
	}
	for (int i = 0; i < nrt; i++)
		upkit_qname_free(&rt[i]);
	free(rt);
	return o;
}

int
upkit_install_script(struct upkit_conn *c, const char *script, int with_runtime,
					 struct upkit_spec *const *specs, int nspecs,
					 struct upkit_install_report *rep, struct upkit_diags *diags)
{
	const struct upkit_catalog_ops *cat = upkit_catalog_for(c->dialect);
	struct upkit_batches batches;
	struct strbuf rt_before = STRBUF_INIT;
	struct strbuf rt_after = STRBUF_INIT;
	int			had_runtime = 0;
	int			nobj;
	struct object *obj = collect_objects(c->dialect, with_runtime, specs, nspecs, &nobj);
	int			failed = 0;

	if (with_runtime && (had_runtime = cat->runtime_version(c, &rt_before)) < 0)
		failed = 1;
	for (int i = 0; i < nobj && !failed; i++)
	{
		struct strbuf ignored = STRBUF_INIT;

		obj[i].existed = cat->object_kind(c, obj[i].schema, obj[i].name, &ignored);
		failed = obj[i].existed < 0;
		sb_free(&ignored);
	}
	if (failed)
		upkit_diag_msg(diags, "cannot read the catalog of %s: %s", c->where, sb_str(&c->error));

	upkit_split_batches(script, c->dialect, &batches);
	if (!failed && upkit_run_batches(c, &batches, diags) != 0)
		failed = 1;
	upkit_free_batches(&batches);

	/* The report: the runtime's version, then every object, in order. */
	if (!failed && with_runtime && cat->runtime_version(c, &rt_after) == 1)
	{
		struct strbuf what = STRBUF_INIT;

		sb_appendf(&what, "extension upkit %s", sb_str(&rt_after));
		if (had_runtime && strcmp(sb_str(&rt_before), sb_str(&rt_after)) != 0)
			sb_appendf(&what, " (was %s)", sb_str(&rt_before));
		add_line(rep, !had_runtime ? "created" :
				 strcmp(sb_str(&rt_before), sb_str(&rt_after)) != 0 ? "updated" : "kept",
				 sb_str(&what), NULL);
		sb_free(&what);
	}
	for (int i = 0; i < nobj && !failed; i++)
	{
		struct strbuf what = STRBUF_INIT;

		if (cat->object_kind(c, obj[i].schema, obj[i].name, &obj[i].kind) != 1)
			sb_append(&obj[i].kind, "object");
		sb_appendf(&what, "%s ", sb_str(&obj[i].kind));
		upkit_quote_qualified(&what, obj[i].schema, obj[i].name, c->dialect);
		add_line(rep, obj[i].existed ? "replaced" : "created", sb_str(&what), obj[i].spec);
		sb_free(&what);
	}
	for (int i = 0; i < nobj; i++)
	{
		free(obj[i].schema);
		free(obj[i].name);
		sb_free(&obj[i].kind);
	}
	free(obj);
	sb_free(&rt_before);
	sb_free(&rt_after);
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
