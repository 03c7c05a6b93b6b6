/*
 * xpp_body.c: the tables a method body uses (see xpp_body.h).
 *
 * Works on tokens, not text, so comments and strings never count; every
 * scan is bounded by the token count.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "strbuf.h"
#include "xpp_body.h"

struct decl
{
	const char *var;
	const char *type;
};

struct decls
{
	struct decl *v;
	int			n;
};

static const char *const keywords[] = {
	"return", "select", "while", "if", "else", "for", "do", "switch", "case", "default", "break",
	"continue", "new", "throw", "try", "catch", "retry", "ttsbegin", "ttscommit", "ttsabort",
	"delete_from", "update_recordset", "insert_recordset", "next", "print", "pause", "window",
	"flush", "changecompany", "super", "this", "void", "static", "public", "private",
	"protected", "server", "client", "final", "display", "edit", "true", "false", "null",
	"join", "exists", "notexists", "outer", "where", "from", "order", "group", "by", "index",
	"hint", "setting", "firstonly", "firstonly1", "firstonly10", "firstonly100",
	"firstonly1000", "firstfast", "forupdate", "nofetch", "crosscompany", "reverse",
	"forcenestedloop", "forceselectorder", "forceplaceholders", "forceliterals",
	"pessimisticlock", "optimisticlock", "repeatableread", "validtimestate", "generateonly",
	"sum", "avg", "count", "minof", "maxof", "asc", "desc", "like", "skipdatamethods",
	NULL
};

static int
is_keyword(const char *s)
{
	for (int k = 0; keywords[k]; k++)
		if (strcasecmp(keywords[k], s) == 0)
			return 1;
	return 0;
}

/* "Type var[, var2] (;|=|,)" at statement starts in [from, to). */
static void
collect_decls(const struct xtoks *t, int from, int to, struct decls *d)
{
	for (int k = from; k + 2 < to; k++)
	{
		if (k > from && !xtok_punct(t, k - 1, ";") && !xtok_punct(t, k - 1, "{") && !xtok_punct(t, k - 1, "}"))
			continue;
		if (t->t[k].kind != XT_IDENT || t->t[k + 1].kind != XT_IDENT || is_keyword(t->t[k].text) ||
			is_keyword(t->t[k + 1].text))
			continue;
		for (int v = k + 1; v < to && t->t[v].kind == XT_IDENT; v += 2)
		{
			if (!(xtok_punct(t, v + 1, ";") || xtok_punct(t, v + 1, ",") || xtok_punct(t, v + 1, "=")))
				break;
			d->v = xrealloc(d->v, sizeof *d->v * (size_t) (d->n + 1));
			d->v[d->n].var = t->t[v].text;
			d->v[d->n++].type = t->t[k].text;
			if (!xtok_punct(t, v + 1, ","))
				break;
		}
	}
}

/* The table a buffer name stands for, or NULL. */
static const char *
resolve(const struct decls *d, const struct xpp_names *tables, const char *var, int statement)
{
	for (int k = d->n - 1; k >= 0; k--)
		if (strcasecmp(d->v[k].var, var) == 0)
			return statement || xpp_names_has(tables, d->v[k].type) ? d->v[k].type : NULL;
	return xpp_names_has(tables, var) ? var : NULL;
}

static void
record(struct xpp_uses *u, const char *table, int line, int access)
{
	if (table == NULL)
		return;
	for (int k = 0; k < u->n; k++)
		if (u->v[k].access == access && strcasecmp(u->v[k].table, table) == 0)
			return;
	u->v = xrealloc(u->v, sizeof *u->v * (size_t) (u->n + 1));
	u->v[u->n].table = xstrdup(table);
	u->v[u->n].line = line;
	u->v[u->n++].access = access;
}

static int
is_stop(const struct xtoks *t, int k)
{
	return xtok_punct(t, k, ";") || xtok_punct(t, k, "{") || xtok_is(t, k, "where") ||
		xtok_is(t, k, "join") || xtok_is(t, k, "order") || xtok_is(t, k, "group") ||
		xtok_is(t, k, "index") || xtok_is(t, k, "exists") || xtok_is(t, k, "notexists") ||
		xtok_is(t, k, "outer") || xtok_is(t, k, "setting");
}

/*
 * The buffer of a select or a join whose options start at k: the name
 * after "from", else the last plain name before the clause ends.  Sets
 * *forupdate; returns the buffer's token or -1.
 */
static int
buffer_of(const struct xtoks *t, int k, int end, int *forupdate)
{
	int			cand = -1;

	for (; k < end && !is_stop(t, k); k++)
	{
		if (xtok_is(t, k, "forupdate"))
			*forupdate = 1;
		else if (xtok_is(t, k, "from"))
			return t->t[k + 1].kind == XT_IDENT ? k + 1 : -1;
		else if (t->t[k].kind == XT_IDENT && !is_keyword(t->t[k].text) && !xtok_punct(t, k + 1, "(") &&
				 !xtok_punct(t, k - 1, "."))
			cand = k;
	}
	return cand;
}

void
xpp_body_uses(const struct xpp_method *m, const struct xpp_method *decl,
			  const struct xpp_names *tables, struct xpp_uses *out)
{
	const struct xtoks *t = &m->toks;
	struct decls d = {NULL, 0};

	out->v = NULL;
	out->n = 0;
	if (decl)
		collect_decls(&decl->toks, decl->body + 1, decl->toks.n, &d);
	collect_decls(t, m->body + 1, t->n, &d);

	for (int k = m->body; k < t->n; k++)
	{
		int			fu = 0;
		int			b;

		if (xtok_is(t, k, "select") || xtok_is(t, k, "join"))
		{
			b = buffer_of(t, k + 1, t->n, &fu);
			if (b >= 0)
				record(out, resolve(&d, tables, t->t[b].text, 1), t->t[b].line,
					   fu && xtok_is(t, k, "select") ? XPP_UPDATE : XPP_READ);
		}
		else if ((xtok_is(t, k, "update_recordset") || xtok_is(t, k, "delete_from") ||
				  xtok_is(t, k, "insert_recordset")) && k + 1 < t->n && t->t[k + 1].kind == XT_IDENT)
		{
			int			acc = xtok_is(t, k, "update_recordset") ? XPP_UPDATE :
				xtok_is(t, k, "delete_from") ? XPP_DELETE : XPP_CREATE;

			record(out, resolve(&d, tables, t->t[k + 1].text, 1), t->t[k + 1].line, acc);
		}
		else if (t->t[k].kind == XT_IDENT && xtok_punct(t, k + 1, ".") && xtok_punct(t, k + 3, "(") &&
				 k + 2 < t->n && t->t[k + 2].kind == XT_IDENT)
		{
			const char *op = t->t[k + 2].text;
			int			acc = 0;

			if (strcasecmp(op, "insert") == 0 || strcasecmp(op, "doInsert") == 0)
				acc = XPP_CREATE;
			else if (strcasecmp(op, "update") == 0 || strcasecmp(op, "doUpdate") == 0)
				acc = XPP_UPDATE;
			else if (strcasecmp(op, "delete") == 0 || strcasecmp(op, "doDelete") == 0)
				acc = XPP_DELETE;
			if (acc)
				record(out, resolve(&d, tables, t->t[k].text, 0), t->t[k].line, acc);
		}
		else if ((xtok_is(t, k, "tableNum") || xtok_is(t, k, "tableStr")) && xtok_punct(t, k + 1, "(") &&
				 k + 2 < t->n && t->t[k + 2].kind == XT_IDENT)
			record(out, t->t[k + 2].text, t->t[k + 2].line, XPP_REF);
	}
	free(d.v);
}

void
xpp_uses_free(struct xpp_uses *u)
{
	for (int k = 0; k < u->n; k++)
		free(u->v[k].table);
	free(u->v);
	u->v = NULL;
	u->n = 0;
}
