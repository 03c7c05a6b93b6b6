/*
 * xpp_scripts.c: upgrade scripts and their attributes (see xpp_scripts.h).
 *
 * A method's source is tokenized once (xpp_lex.h); its attribute list is
 * the bracketed block before the signature, each attribute a name with
 * arguments split at top-level commas.  An argument's value is the last
 * name in it, so tableStr(CustTable), 'CustTable' and CustTable all give
 * CustTable, and ReleaseUpdateScriptStage::PostSync gives PostSync.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "strbuf.h"
#include "xpp_scripts.h"

/* Argument [b, e) of an attribute: its names, without the *Str() wrappers. */
static int
arg_words(const struct xtoks *t, int b, int e, const char **words, int max)
{
	int			n = 0;

	for (int k = b; k < e && n < max; k++)
	{
		if (t->t[k].kind != XT_IDENT && t->t[k].kind != XT_STRING)
			continue;
		if (t->t[k].kind == XT_IDENT && (xtok_punct(t, k + 1, "(") || xtok_punct(t, k + 1, "::")))
			continue;			/* tableStr( ... ), ReleaseUpdateScriptStage:: */
		words[n++] = t->t[k].text;
	}
	return n;
}

static int
flag_value(const struct xtoks *t, int b, int e)
{
	for (int k = b; k < e; k++)
		if (xtok_is(t, k, "true") || xtok_is(t, k, "Yes"))
			return 1;
	return 0;
}

static void
add_dep(struct xpp_method *m, const char *cls, const char *method, int line, int reverse, int cross)
{
	struct xpp_dep *d;

	m->deps = xrealloc(m->deps, sizeof *m->deps * (size_t) (m->ndeps + 1));
	d = &m->deps[m->ndeps++];
	d->cls = xstrdup(cls);
	d->method = xstrdup(method);
	d->line = line;
	d->reverse = reverse;
	d->cross_class = cross;
}

/* Lower-case name without the "Attribute" suffix, into buf. */
static void
attr_key(const char *name, char *buf, size_t n)
{
	size_t		k;

	for (k = 0; name[k] && k + 1 < n; k++)
		buf[k] = (char) tolower((unsigned char) name[k]);
	buf[k] = '\0';
	if (k > 9 && strcmp(buf + k - 9, "attribute") == 0)
		buf[k - 9] = '\0';
}

/* One attribute: name at token a, arguments [a+2, close) split at args[]. */
static void
apply_attribute(struct xpp_method *m, int a, const int *args, int nargs)
{
	const struct xtoks *t = &m->toks;
	char		key[64];
	const char *w[8];
	int			nw;
	int			line = t->t[a].line;

	attr_key(t->t[a].text, key, sizeof key);
	nw = nargs > 0 ? arg_words(t, args[0], args[1], w, 8) : 0;

	if (strcmp(key, "upgradescriptdescription") == 0)
		m->has_desc = m->is_script = 1;
	else if (strcmp(key, "upgradescriptstage") == 0)
	{
		m->has_stage = m->is_script = 1;
		if (nw > 0 && strcasecmp(w[nw - 1], "PreSync") == 0)
			m->stage = XPP_STAGE_PRESYNC;
		else if (nw > 0 && strcasecmp(w[nw - 1], "PostSync") == 0)
			m->stage = XPP_STAGE_POSTSYNC;
		else if (nw > 0 && strncasecmp(w[nw - 1], "Additional", 10) == 0)
			m->stage = XPP_STAGE_ADDITIONAL;
	}
	else if (strcmp(key, "upgradescripttype") == 0)
	{
		m->has_type = m->is_script = 1;
		if (nw > 0 && strncasecmp(w[nw - 1], "Start", 5) == 0)
			m->type = XPP_TYPE_START;
		else if (nw > 0 && strncasecmp(w[nw - 1], "Shared", 6) == 0)
			m->type = XPP_TYPE_SHARED;
		else if (nw > 0 && strncasecmp(w[nw - 1], "Standard", 8) == 0)
			m->type = XPP_TYPE_STANDARD;
		else if (nw > 0 && strncasecmp(w[nw - 1], "Final", 5) == 0)
			m->type = XPP_TYPE_FINAL;
	}
	else if (strcmp(key, "upgradescripttable") == 0)
	{
		struct xpp_table_attr *ta;
		static const int flags[4] = {XPP_CREATE, XPP_READ, XPP_UPDATE, XPP_DELETE};

		m->is_script = 1;
		if (nw == 0)
			return;
		m->tables = xrealloc(m->tables, sizeof *m->tables * (size_t) (m->ntables + 1));
		ta = &m->tables[m->ntables++];
		ta->table = xstrdup(w[nw - 1]);
		ta->line = line;
		ta->access = 0;
		for (int k = 1; k < nargs && k <= 4; k++)
			if (flag_value(t, args[k] + 1, args[k + 1]))
				ta->access |= flags[k - 1];
	}
	else if (strcmp(key, "upgradescriptconfigkey") == 0 || strcmp(key, "upgradeconfigurationkey") == 0 ||
			 strcmp(key, "upgradeconfiguratuionkey") == 0 || strcmp(key, "upgradescriptconfigurationkey") == 0)
	{
		if (nw == 0)
			return;
		m->config_keys = xrealloc(m->config_keys, sizeof *m->config_keys * (size_t) (m->nconfig_keys + 1));
		m->config_keys[m->nconfig_keys].name = xstrdup(w[nw - 1]);
		m->config_keys[m->nconfig_keys++].line = line;
	}
	else if (strcmp(key, "upgradedependsontask") == 0 || strcmp(key, "upgradescriptdependsontask") == 0 ||
			 strcmp(key, "upgradetaskdependsonme") == 0)
	{
		/* methodStr(Class, method) or the method alone: a script of this class */
		int			reverse = strcmp(key, "upgradetaskdependsonme") == 0;

		if (nw >= 2)
			add_dep(m, w[0], w[nw - 1], line, reverse, 0);
		else if (nw == 1)
			add_dep(m, m->cls->name, w[0], line, reverse, 0);
	}
	else if (strcmp(key, "upgradedependsonmodule") == 0 || strcmp(key, "upgradedependsonversion") == 0 ||
			 strcmp(key, "upgrademoduledependsonme") == 0)
	{
		/* (classStr(Class), methodStr(Class, method)[, version]) */
		const char *w2[8];
		int			nw2 = nargs > 1 ? arg_words(t, args[1] + 1, args[2], w2, 8) : 0;
		int			reverse = strcmp(key, "upgrademoduledependsonme") == 0;

		if (nw >= 1 && nw2 >= 1)
			add_dep(m, w[0], w2[nw2 - 1], line, reverse, 1);
		else if (nw >= 2)
			add_dep(m, w[0], w[nw - 1], line, reverse, 1);
	}
}

/* The attribute list starting at '[' (token k); returns the token after ']'. */
static int
read_attributes(struct xpp_method *m, int k)
{
	const struct xtoks *t = &m->toks;

	k++;						/* '[' */
	while (k < t->n && !xtok_punct(t, k, "]"))
	{
		int			a = k;
		int			args[8];
		int			nargs = 0;

		if (t->t[k].kind != XT_IDENT)
		{
			k++;
			continue;
		}
		k++;
		if (xtok_punct(t, k, "("))
		{
			int			depth = 0;

			/* args[i] is the token before argument i ('(' or ','); args[nargs] the ')' */
			args[nargs++] = k;
			for (; k < t->n; k++)
			{
				if (xtok_punct(t, k, "(") || xtok_punct(t, k, "["))
					depth++;
				else if (xtok_punct(t, k, ")") || xtok_punct(t, k, "]"))
				{
					if (--depth == 0)
						break;
				}
				else if (depth == 1 && xtok_punct(t, k, ",") && nargs < 7)
					args[nargs++] = k;
			}
			args[nargs] = k;
			/* the first argument starts after '(' */
			args[0] = args[0] + 1;
			{
				/* apply_attribute wants [args[0], args[1]) for the first, (args[i], args[i+1]) after */
				apply_attribute(m, a, args, nargs);
			}
			k++;				/* ')' */
		}
		else
		{
			args[0] = k;
			args[1] = k;
			apply_attribute(m, a, args, 0);
		}
		if (xtok_punct(t, k, ","))
			k++;
	}
	return k < t->n ? k + 1 : k;
}

void
xpp_method_read(const struct xpo_element *cls, const struct xpo_source *src, struct xpp_method *m)
{
	struct xtoks *t = &m->toks;
	int			k = 0;
	int			name = -1;

	memset(m, 0, sizeof *m);
	m->cls = cls;
	m->src = src;
	m->line = src->first_line;
	xpp_lex(src->text ? src->text : "", src->first_line, t);

	while (k < t->n && xtok_punct(t, k, "["))
		k = read_attributes(m, k);

	/* The signature: modifiers, type, name, then '(' parameters ')'. */
	for (; k < t->n && !xtok_punct(t, k, "(") && !xtok_punct(t, k, "{"); k++)
	{
		if (xtok_is(t, k, "static"))
			m->is_static = 1;
		if (t->t[k].kind == XT_IDENT)
			name = k;
	}
	if (name >= 0)
		m->line = t->t[name].line;
	if (xtok_punct(t, k, "("))
	{
		int			depth = 0;

		for (; k < t->n; k++)
		{
			if (xtok_punct(t, k, "("))
				depth++;
			else if (xtok_punct(t, k, ")") && --depth == 0)
				break;
			else if (depth == 1 && !xtok_is(t, k, "void"))
				m->has_params = 1;
		}
	}
	while (k < t->n && !xtok_punct(t, k, "{"))
		k++;
	m->body = k;
}

void
xpp_method_free(struct xpp_method *m)
{
	for (int k = 0; k < m->ntables; k++)
		free(m->tables[k].table);
	free(m->tables);
	for (int k = 0; k < m->nconfig_keys; k++)
		free(m->config_keys[k].name);
	free(m->config_keys);
	for (int k = 0; k < m->ndeps; k++)
	{
		free(m->deps[k].cls);
		free(m->deps[k].method);
	}
	free(m->deps);
	xpp_toks_free(&m->toks);
}

void
xpp_names_add(struct xpp_names *names, const char *name)
{
	if (xpp_names_has(names, name))
		return;
	names->v = xrealloc(names->v, sizeof *names->v * (size_t) (names->n + 1));
	names->v[names->n++] = xstrdup(name);
}

int
xpp_names_has(const struct xpp_names *names, const char *name)
{
	for (int k = 0; k < names->n; k++)
		if (strcasecmp(names->v[k], name) == 0)
			return 1;
	return 0;
}

int
xpp_names_load(struct xpp_names *names, const char *path, char *err, size_t errlen)
{
	FILE	   *f = fopen(path, "r");
	char		line[1024];
	int			lineno = 0;

	if (f == NULL)
	{
		snprintf(err, errlen, "%s: cannot read: %m", path);
		return -1;
	}
	while (fgets(line, sizeof line, f))
	{
		char	   *s = line;
		char	   *h = strchr(s, '#');
		size_t		n;

		lineno++;
		if (h)
			*h = '\0';
		while (isspace((unsigned char) *s))
			s++;
		n = strlen(s);
		while (n > 0 && isspace((unsigned char) s[n - 1]))
			s[--n] = '\0';
		if (n == 0)
			continue;
		for (char *p = s; *p; p++)
			if (!(isalnum((unsigned char) *p) || *p == '_' || *p == '.'))
			{
				snprintf(err, errlen, "%s:%d: not a name: '%s' (one name a line, '#' starts a comment)",
						 path, lineno, s);
				fclose(f);
				return -1;
			}
		xpp_names_add(names, s);
	}
	fclose(f);
	return 0;
}

void
xpp_world_init(struct xpp_world *w, struct xpo_file *files, int nfiles)
{
	memset(w, 0, sizeof *w);
	w->files = files;
	w->nfiles = nfiles;
	for (int f = 0; f < nfiles; f++)
		for (int e = 0; e < files[f].nelements; e++)
		{
			const struct xpo_element *el = &files[f].elements[e];

			if (el->kind == XPO_TABLE)
				xpp_names_add(&w->tables, el->name);
			if (el->kind != XPO_CLASS)
				continue;
			xpp_names_add(&w->classes, el->name);
			for (int k = 0; k < el->nmethods; k++)
			{
				char		buf[512];

				snprintf(buf, sizeof buf, "%s.%s", el->name, el->methods[k].name);
				xpp_names_add(&w->methods, buf);
				w->methods_v = xrealloc(w->methods_v, sizeof *w->methods_v * (size_t) (w->nmethods + 1));
				xpp_method_read(el, &el->methods[k], &w->methods_v[w->nmethods++]);
			}
		}
}

static void
names_free(struct xpp_names *n)
{
	for (int k = 0; k < n->n; k++)
		free(n->v[k]);
	free(n->v);
	n->v = NULL;
	n->n = 0;
}

void
xpp_world_free(struct xpp_world *w)
{
	for (int k = 0; k < w->nmethods; k++)
		xpp_method_free(&w->methods_v[k]);
	free(w->methods_v);
	names_free(&w->tables);
	names_free(&w->classes);
	names_free(&w->methods);
	names_free(&w->config_keys);
	for (int f = 0; f < w->nfiles; f++)
		xpo_file_free(&w->files[f]);
	free(w->files);
	memset(w, 0, sizeof *w);
}

const char *
xpp_method_file(const struct xpp_world *w, const struct xpp_method *m)
{
	for (int f = 0; f < w->nfiles; f++)
		if (m->cls >= w->files[f].elements && m->cls < w->files[f].elements + w->files[f].nelements)
			return w->files[f].path;
	return "?";
}

const struct xpp_method *
xpp_find_script(const struct xpp_world *w, const char *cls, const char *method)
{
	for (int k = 0; k < w->nmethods; k++)
		if (w->methods_v[k].is_script && strcasecmp(w->methods_v[k].cls->name, cls) == 0 &&
			strcasecmp(w->methods_v[k].src->name, method) == 0)
			return &w->methods_v[k];
	return NULL;
}

const char *
xpp_stage_name(enum xpp_stage s)
{
	static const char *const n[] = {"(no stage)", "PreSync", "PostSync", "Additional"};

	return n[s];
}

const char *
xpp_type_name(enum xpp_type t)
{
	static const char *const n[] = {"(no type)", "Start", "Shared", "Standard", "Final"};

	return n[t];
}
