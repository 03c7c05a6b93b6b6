/*
 * layers.c: the layer rule and the walk over a customization layer's units
 * (see layers.h).  Pure: reads element trees, returns verdicts or
 * diagnostics, prints nothing.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "layers.h"
#include "strbuf.h"

static int
same(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

enum layers_verdict
layers_rule(const char *usr, const char *old_sys, const char *new_sys, int have_old_usr,
			const char *old_usr, enum layers_reason *why)
{
	const char *custom = have_old_usr ? old_usr : usr;

	if (old_sys == NULL && new_sys == NULL)
		*why = LAYERS_USR_ONLY;
	else if (new_sys && same(usr, new_sys))
	{
		*why = LAYERS_EQUALS_NEW_SYS;
		return LAYERS_OBSOLETE;
	}
	else if (custom == NULL)
		*why = LAYERS_ADDED_AFTER;
	else if (old_sys && same(custom, old_sys))
		*why = same(usr, old_sys) ? LAYERS_NOT_CUSTOMIZED : LAYERS_NOT_CUSTOMIZED_BEFORE;
	else if (old_sys && new_sys && same(old_sys, new_sys))
		*why = LAYERS_SYS_UNCHANGED;
	else
	{
		*why = new_sys == NULL ? LAYERS_SYS_DELETED : old_sys == NULL ? LAYERS_SYS_ADDED : LAYERS_BOTH_CHANGED;
		return LAYERS_CONFLICT;
	}
	return LAYERS_NONE;
}

const char *
layers_verdict_name(enum layers_verdict v)
{
	return v == LAYERS_CONFLICT ? "conflict" : v == LAYERS_OBSOLETE ? "obsolete" : "none";
}

const char *
layers_reason_text(enum layers_reason r)
{
	switch (r)
	{
		case LAYERS_USR_ONLY:
			return "only USR has it: nothing to upgrade";
		case LAYERS_EQUALS_NEW_SYS:
			return "identical to the new SYS: delete it from USR";
		case LAYERS_ADDED_AFTER:
			return "the old USR lacks it: added on the new SYS, nothing to upgrade";
		case LAYERS_NOT_CUSTOMIZED:
			return "USR's copy equals the old SYS: not customized";
		case LAYERS_NOT_CUSTOMIZED_BEFORE:
			return "the old USR equals the old SYS: customized on the new version only, nothing to upgrade";
		case LAYERS_SYS_UNCHANGED:
			return "SYS did not change it: USR's customization stands";
		case LAYERS_BOTH_CHANGED:
			return "customized in USR and changed in the new SYS: merge by hand";
		case LAYERS_SYS_DELETED:
			return "customized in USR and deleted in the new SYS: keep or drop it by hand";
		case LAYERS_SYS_ADDED:
			return "the new SYS adds one of the same name that USR defined on its own: merge or rename by hand";
	}
	return "?";
}

/* An element of the same kind (and, for the kinds read as a whole, code) and name. */
static const struct xpo_element *
find(const struct layers_layer *l, const struct xpo_element *like, const char **file)
{
	for (int f = 0; f < l->nfiles; f++)
		for (int i = 0; i < l->files[f].nelements; i++)
		{
			const struct xpo_element *e = &l->files[f].elements[i];

			if (e->kind == like->kind && strcasecmp(e->name, like->name) == 0 &&
				(e->kind != XPO_OTHER || strcmp(e->code, like->code) == 0))
			{
				if (file)
					*file = l->files[f].path;
				return e;
			}
		}
	return NULL;
}

/* X++ types: classes, tables and base enums share one name space. */
static int
is_type(enum xpo_kind k)
{
	return k == XPO_CLASS || k == XPO_TABLE || k == XPO_ENUM;
}

static const char *const layer_names[4] = {"old SYS", "new SYS", "USR", "old USR"};

/* An element two files of one layer both export. */
static void
check_layer_twice(const struct layers_layer *l, const char *lname, struct upkit_diags *d)
{
	for (int f = 1; f < l->nfiles; f++)
		for (int i = 0; i < l->files[f].nelements; i++)
		{
			const struct xpo_element *e = &l->files[f].elements[i];
			struct layers_layer before = {l->files, f};
			const char *other;
			const struct xpo_element *o = e->kind == XPO_OTHER && e->name[0] == '\0' ? NULL :
				find(&before, e, &other);

			if (o)
				upkit_diag_msg(d, "%s:%d: %s %s is exported twice in the %s layer (also %s:%d)",
							   l->files[f].path, e->line, xpo_kind_name(e->kind), e->name, lname,
							   other, o->line);
		}
}

/* A USR type that another layer exports as a different kind of type. */
static void
check_kinds(const struct layers_input *in, struct upkit_diags *d)
{
	const struct layers_layer *others[3] = {&in->old_sys, &in->new_sys, &in->old_usr};
	const char *onames[3] = {layer_names[0], layer_names[1], layer_names[3]};

	for (int f = 0; f < in->usr.nfiles; f++)
		for (int i = 0; i < in->usr.files[f].nelements; i++)
		{
			const struct xpo_element *e = &in->usr.files[f].elements[i];

			if (!is_type(e->kind))
				continue;
			for (int l = 0; l < 3; l++)
				for (int g = 0; g < others[l]->nfiles; g++)
					for (int j = 0; j < others[l]->files[g].nelements; j++)
					{
						const struct xpo_element *o = &others[l]->files[g].elements[j];

						if (is_type(o->kind) && o->kind != e->kind && strcasecmp(o->name, e->name) == 0)
							upkit_diag_msg(d, "%s:%d: %s %s is a %s in the %s layer (%s:%d): "
										   "the exports do not describe the same element",
										   in->usr.files[f].path, e->line, xpo_kind_name(e->kind), e->name,
										   xpo_kind_name(o->kind), onames[l], others[l]->files[g].path,
										   o->line);
					}
		}
}

/* A node's text in e, or NULL (e NULL, or no node of that kind and name). */
static const char *
node_text(const struct xpo_element *e, int kind, const char *name)
{
	if (e == NULL)
		return NULL;
	if (kind == 3)
	{
		const struct xpo_source *m = xpo_find_method(e, name);

		return m ? m->text : NULL;
	}
	{
		const struct xpo_node *v = kind == 0 ? e->fields : kind == 1 ? e->indexes : e->values;
		int			n = kind == 0 ? e->nfields : kind == 1 ? e->nindexes : e->nvalues;

		for (int i = 0; i < n; i++)
			if (strcasecmp(v[i].name, name) == 0)
				return v[i].text;
	}
	return NULL;
}

/* The whole element's text: forms, reports and others as kept; macros and jobs their source. */
static const char *
whole_text(const struct xpo_element *e)
{
	if (e == NULL)
		return NULL;
	if (e->kind == XPO_MACRO || e->kind == XPO_JOB)
		return e->nmethods ? e->methods[0].text : "";
	return e->text ? e->text : "";
}

static void
add_unit(struct layers_result *r, const char *file, int line, const struct xpo_element *e,
		 const char *node_kind, const char *node, const char *u, const char *s0, const char *s1,
		 int have_old_usr, const char *c)
{
	struct layers_unit *x;

	r->units = xrealloc(r->units, sizeof *r->units * (size_t) (r->n + 1));
	x = &r->units[r->n++];
	x->file = file;
	x->line = line;
	x->element_kind = xpo_kind_name(e->kind);
	x->element = e->name;
	x->node_kind = node_kind;
	x->node = node;
	x->verdict = layers_rule(u, s0, s1, have_old_usr, c, &x->reason);
	r->conflicts += x->verdict == LAYERS_CONFLICT;
	r->obsolete += x->verdict == LAYERS_OBSOLETE;
}

int
layers_decide(const struct layers_input *in, struct layers_result *out, struct upkit_diags *d)
{
	const struct layers_layer *all[4] = {&in->old_sys, &in->new_sys, &in->usr, &in->old_usr};
	static const char *const node_kinds[4] = {"field", "index", "value", "method"};
	int			before = d->n;
	int			have_old_usr = in->old_usr.nfiles > 0;

	memset(out, 0, sizeof *out);
	for (int l = 0; l < 4; l++)
		check_layer_twice(all[l], layer_names[l], d);
	check_kinds(in, d);
	if (d->n > before)
		return -1;

	for (int f = 0; f < in->usr.nfiles; f++)
		for (int i = 0; i < in->usr.files[f].nelements; i++)
		{
			const struct xpo_element *e = &in->usr.files[f].elements[i];
			const char *path = in->usr.files[f].path;
			const struct xpo_element *s0 = find(&in->old_sys, e, NULL);
			const struct xpo_element *s1 = find(&in->new_sys, e, NULL);
			const struct xpo_element *c = have_old_usr ? find(&in->old_usr, e, NULL) : NULL;

			out->elements++;
			if (!(is_type(e->kind)))
			{
				add_unit(out, path, e->line, e, NULL, NULL, whole_text(e), whole_text(s0),
						 whole_text(s1), have_old_usr, whole_text(c));
				continue;
			}
			for (int k = 0; k < 4; k++)
			{
				const struct xpo_node *v = k == 0 ? e->fields : k == 1 ? e->indexes : e->values;
				int			n = k == 0 ? e->nfields : k == 1 ? e->nindexes : k == 2 ? e->nvalues : e->nmethods;

				for (int j = 0; j < n; j++)
				{
					const char *name = k < 3 ? v[j].name : e->methods[j].name;
					int			line = k < 3 ? v[j].line : e->methods[j].line;

					add_unit(out, path, line, e, node_kinds[k], name, node_text(e, k, name),
							 node_text(s0, k, name), node_text(s1, k, name), have_old_usr,
							 node_text(c, k, name));
				}
			}
		}
	return 0;
}

void
layers_result_free(struct layers_result *r)
{
	free(r->units);
	memset(r, 0, sizeof *r);
}
