/*
 * xpp_lint.c: the upgrade-script checks (see xpp_lint.h).
 *
 * Per method: the attribute rules, the tables its body uses against its
 * table attributes, live scripts registered without their delta script,
 * and Direct SQL comparing two tables' DATAAREAIDs.  The Direct SQL check
 * follows a string variable through "v = ...;" and "v += ...;" statements,
 * rendering what X++ appends: literals as they are, strfmt() with its
 * arguments put in, #AF(T, F) as T.F, fieldNum(T, F) as F, and any other
 * expression as a placeholder "@" (a sqlLiteral() call is a value, not a
 * column).  Then one PCRE2 pattern finds DATAAREAID = x.DATAAREAID.
 * Per class: the version macro.  Over all scripts: the graph (xpp_graph.h).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cJSON.h>

#include "strbuf.h"
#include "xpp_body.h"
#include "xpp_graph.h"
#include "xpp_lint.h"

void
xpp_finding_add(struct xpp_findings *f, const char *file, int line, const char *code, int error,
				const char *cls, const char *method, const char *fmt, ...)
{
	struct xpp_finding *it;
	va_list		ap;
	char		buf[1024];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	f->v = xrealloc(f->v, sizeof *f->v * (size_t) (f->n + 1));
	it = &f->v[f->n++];
	it->file = xstrdup(file);
	it->line = line;
	it->code = xstrdup(code);
	it->error = error;
	it->cls = xstrdup(cls ? cls : "");
	it->method = xstrdup(method ? method : "");
	it->message = xstrdup(buf);
}

static const char *
access_words(int a)
{
	static char buf[64];

	snprintf(buf, sizeof buf, "create=%s read=%s update=%s delete=%s",
			 a & XPP_CREATE ? "yes" : "no", a & XPP_READ ? "yes" : "no",
			 a & XPP_UPDATE ? "yes" : "no", a & XPP_DELETE ? "yes" : "no");
	return buf;
}

static const char *
use_words(int a)
{
	switch (a)
	{
		case XPP_CREATE:
			return "inserted into";
		case XPP_UPDATE:
			return "updated";
		case XPP_DELETE:
			return "deleted from";
		case XPP_REF:
			return "named";
		default:
			return "read";
	}
}

/* Scripts the reference exempts from the table attribute. */
static int
exempt_from_tables(const char *method)
{
	return strcasecmp(method, "deleteDuplicatesUsingIds") == 0 ||
		strcasecmp(method, "deleteDuplicatesUsingNames") == 0 ||
		strcasecmp(method, "indexAllowDup") == 0 || strcasecmp(method, "indexAllowNoDup") == 0;
}

static const struct xpp_method *
class_declaration(const struct xpp_world *w, const struct xpo_element *cls)
{
	for (int k = 0; k < w->nmethods; k++)
		if (w->methods_v[k].cls == cls && strcasecmp(w->methods_v[k].src->name, "classDeclaration") == 0)
			return &w->methods_v[k];
	return NULL;
}

static void
check_script(const struct xpp_world *w, const struct xpp_method *m, struct xpp_findings *f)
{
	const char *file = xpp_method_file(w, m);
	const char *cls = m->cls->name;
	const char *name = m->src->name;
	struct xpp_uses uses;

	if (m->is_static)
		xpp_finding_add(f, file, m->line, "BPErrorMethodIsStatic", 1, cls, name,
						"an upgrade script cannot be a static method; remove the static modifier");
	if (m->has_params)
		xpp_finding_add(f, file, m->line, "BPErrorMethodHasParams", 1, cls, name,
						"an upgrade script cannot accept parameters; remove them");
	if (!m->has_desc)
		xpp_finding_add(f, file, m->line, "BPErrorMissingReqDesc", 1, cls, name,
						"UpgradeScriptDescriptionAttribute is required");
	if (!m->has_type)
		xpp_finding_add(f, file, m->line, "BPErrorMissingReqType", 1, cls, name,
						"UpgradeScriptTypeAttribute is required");
	if (!m->has_stage)
		xpp_finding_add(f, file, m->line, "BPErrorMissingReqStage", 1, cls, name,
						"UpgradeScriptStageAttribute is required");
	for (int k = 0; k < m->ntables; k++)
		if (!xpp_names_has(&w->tables, m->tables[k].table))
			xpp_finding_add(f, file, m->tables[k].line, "BPErrorTableNotFound", 1, cls, name,
							"table %s in UpgradeScriptTableAttribute does not exist; use tableStr(<table>)",
							m->tables[k].table);
	for (int k = 0; k < m->nconfig_keys; k++)
		if (!xpp_names_has(&w->config_keys, m->config_keys[k].name))
			xpp_finding_add(f, file, m->config_keys[k].line, "BPErrorConfigurationKeyNotFound", 1, cls, name,
							"configuration key %s does not exist; use configurationKeyStr(<key>)",
							m->config_keys[k].name);

	xpp_body_uses(m, class_declaration(w, m->cls), &w->tables, &uses);
	if (m->ntables == 0 && uses.n == 0 && !exempt_from_tables(name))
		xpp_finding_add(f, file, m->line, "BPErrorMissingReqTable", 1, cls, name,
						"at least one UpgradeScriptTableAttribute is required");
	for (int k = 0; k < uses.n && !exempt_from_tables(name); k++)
	{
		const struct xpp_use *u = &uses.v[k];
		const struct xpp_table_attr *ta = NULL;

		for (int j = 0; j < m->ntables; j++)
			if (strcasecmp(m->tables[j].table, u->table) == 0)
				ta = &m->tables[j];
		if (ta == NULL)
			xpp_finding_add(f, file, u->line, "BPErrorMissingReqTable", 1, cls, name,
							"table %s is %s here but has no UpgradeScriptTableAttribute: the script may run "
							"before the table's data is copied", u->table, use_words(u->access));
		else if (u->access != XPP_REF && (ta->access & u->access) == 0)
			xpp_finding_add(f, file, u->line, "UpkitTableAccess", 1, cls, name,
							"table %s is %s here but its UpgradeScriptTableAttribute (line %d) declares %s",
							u->table, use_words(u->access), ta->line, access_words(ta->access));
	}
	xpp_uses_free(&uses);
}

/* #define.version(...) in the class declaration of every class with scripts. */
static void
check_version(const struct xpp_world *w, const struct xpo_element *cls, struct xpp_findings *f)
{
	const struct xpp_method *decl = class_declaration(w, cls);
	const char *file = NULL;

	for (int k = 0; k < w->nmethods; k++)
		if (w->methods_v[k].cls == cls)
			file = xpp_method_file(w, &w->methods_v[k]);
	if (decl)
		for (int k = 0; k < decl->toks.n; k++)
		{
			const struct xtok *t = &decl->toks.t[k];
			const char *value = NULL;

			if (t->kind != XT_MACRO || strcasecmp(t->text, "#define.version") != 0)
				continue;
			for (int j = k + 1; j < decl->toks.n && !xtok_punct(&decl->toks, j, ")"); j++)
				if (decl->toks.t[j].kind == XT_IDENT)
					value = decl->toks.t[j].text;
			if (value == NULL || strcasecmp(value, "Unknown") == 0 || strcasecmp(value, "vNext") == 0)
				xpp_finding_add(f, file, t->line, "BPErrorInvalidScriptVersion", 1, cls->name, "",
								"the version macro is %s; define a released version, e.g. "
								"#define.version(sysReleasedVersion::v60)", value ? value : "empty");
			return;
		}
	xpp_finding_add(f, file ? file : "?", decl ? decl->line : cls->line, "BPErrorInvalidScriptVersion", 1,
					cls->name, "", "the class declaration defines no version macro: add "
					"#define.version(sysReleasedVersion::v60)");
}

/* SetLivePreProcessingScript without SetDeltaPreProcessingScript on the same transformation. */
static void
check_live_delta(const struct xpp_world *w, const struct xpp_method *m, struct xpp_findings *f)
{
	const struct xtoks *t = &m->toks;

	for (int k = m->body; k + 3 < t->n; k++)
	{
		const char *recv;
		int			found = 0;

		if (!(t->t[k].kind == XT_IDENT && xtok_punct(t, k + 1, ".") &&
			  xtok_is(t, k + 2, "SetLivePreProcessingScript") && xtok_punct(t, k + 3, "(")))
			continue;
		recv = t->t[k].text;
		/* the same transformation: up to the receiver's next "recv = new" */
		for (int j = m->body; j < t->n; j++)
		{
			if (j > k && xtok_is(t, j, recv) && xtok_punct(t, j + 1, "=") && xtok_is(t, j + 2, "new"))
				break;
			if (xtok_is(t, j, recv) && xtok_punct(t, j + 1, ".") &&
				xtok_is(t, j + 2, "SetDeltaPreProcessingScript"))
			{
				/* a delta registered before a later "recv = new" that precedes k belongs elsewhere */
				int			reset = 0;

				for (int q = j + 1; q < k; q++)
					if (xtok_is(t, q, recv) && xtok_punct(t, q + 1, "=") && xtok_is(t, q + 2, "new"))
						reset = 1;
				if (!reset)
					found = 1;
			}
		}
		if (!found)
			xpp_finding_add(f, xpp_method_file(w, m), t->t[k].line, "UpkitLiveWithoutDelta", 1,
							m->cls->name, m->src->name,
							"%s registers a live preprocessing script without a delta script "
							"(SetDeltaPreProcessingScript): its table never becomes ready to copy", recv);
	}
}

/* ---- Direct SQL ---- */

struct sketch
{
	struct strbuf text;
	int		   *lines;			/* per byte of text: the line it came from */
	size_t		cap;
};

static void
sk_append(struct sketch *s, const char *txt, int line)
{
	size_t		n = strlen(txt);

	if (s->text.len + n + 1 > s->cap)
	{
		s->cap = (s->text.len + n + 1) * 2;
		s->lines = xrealloc(s->lines, sizeof *s->lines * s->cap);
	}
	for (size_t k = 0; k < n; k++)
		s->lines[s->text.len + k] = line;
	sb_append(&s->text, txt);
}

static void render(const struct xtoks *t, int b, int e, struct sketch *out);

/* strfmt(fmt, a1, ...) in [b, e): fmt with %n replaced by the rendered args. */
static void
render_strfmt(const struct xtoks *t, int b, int e, struct sketch *out)
{
	int			cuts[12];
	int			nc = 0;
	int			depth = 0;
	struct sketch fmt = {STRBUF_INIT, NULL, 0};

	cuts[nc++] = b + 1;			/* after '(' */
	for (int k = b + 1; k < e; k++)
	{
		if (xtok_punct(t, k, "(") || xtok_punct(t, k, "["))
			depth++;
		else if (xtok_punct(t, k, ")") || xtok_punct(t, k, "]"))
			depth--;
		else if (depth == 0 && xtok_punct(t, k, ",") && nc < 11)
			cuts[nc++] = k + 1;
	}
	cuts[nc] = e + 1;
	render(t, cuts[0], cuts[1] - 1, &fmt);
	for (const char *p = sb_str(&fmt.text); *p; p++)
	{
		size_t		at = (size_t) (p - sb_str(&fmt.text));
		int			line = fmt.lines ? fmt.lines[at] : t->t[b].line;

		if (*p == '%' && p[1] >= '1' && p[1] <= '9')
		{
			int			n = p[1] - '0';

			if (p[2] >= '0' && p[2] <= '9' && n * 10 + (p[2] - '0') < nc)
			{
				n = n * 10 + (p[2] - '0');
				p++;
			}
			p++;
			if (n < nc)
				render(t, cuts[n], cuts[n + 1] - 1, out);
			continue;
		}
		{
			char		c[2] = {*p, '\0'};

			sk_append(out, c, line);
		}
	}
	sb_free(&fmt.text);
	free(fmt.lines);
}

/* Render the expression [b, e) as the SQL text it builds. */
static void
render(const struct xtoks *t, int b, int e, struct sketch *out)
{
	int			depth = 0;
	int			cb = b;

	for (int k = b; k <= e; k++)
	{
		if (k < e && (xtok_punct(t, k, "(") || xtok_punct(t, k, "[")))
			depth++;
		else if (k < e && (xtok_punct(t, k, ")") || xtok_punct(t, k, "]")))
			depth--;
		if (k < e && !(depth == 0 && xtok_punct(t, k, "+")))
			continue;
		/* the chunk [cb, k) */
		if (k - cb == 1 && t->t[cb].kind == XT_STRING)
			sk_append(out, t->t[cb].text, t->t[cb].line);
		else if (k > cb && xtok_is(t, cb, "strfmt") && xtok_punct(t, cb + 1, "("))
			render_strfmt(t, cb + 1, k - 1, out);
		else if (k > cb)
		{
			const char *tab = NULL;
			const char *fld = NULL;
			int			qualified = 0;

			for (int j = cb; j + 3 < k && !fld; j++)
			{
				int			mac = t->t[j].kind == XT_MACRO;

				if ((mac && (strcasecmp(t->t[j].text, "#AF") == 0 || strcasecmp(t->t[j].text, "#F") == 0)) ||
					xtok_is(t, j, "fieldNum") || xtok_is(t, j, "fieldStr"))
				{
					tab = t->t[j + 2].text;
					fld = t->t[j + 4 < k ? j + 4 : j + 2].text;
					qualified = mac && strcasecmp(t->t[j].text, "#AF") == 0;
				}
				else if (mac && (strcasecmp(t->t[j].text, "#T") == 0 || strcasecmp(t->t[j].text, "#A") == 0))
					tab = t->t[j + 2].text;
			}
			if (fld && qualified)
			{
				sk_append(out, tab, t->t[cb].line);
				sk_append(out, ".", t->t[cb].line);
				sk_append(out, fld, t->t[cb].line);
			}
			else
				sk_append(out, fld ? fld : tab ? tab : "@", t->t[cb].line);
		}
		cb = k + 1;
	}
}

static pcre2_code *
dataareaid_pattern(void)
{
	static pcre2_code *re;
	int			errcode;
	PCRE2_SIZE	erroff;

	if (re == NULL)
		re = pcre2_compile((PCRE2_SPTR)
						   "(?i)(?:[\\w\\]\"]+\\s*\\.\\s*)?\\[?\\bDATAAREAID\\b\\]?\\s*(?:=|<>|!=)\\s*"
						   "(?:[\\w@\\[\\]\"]+\\s*\\.\\s*)?\\[?DATAAREAID\\b",
						   PCRE2_ZERO_TERMINATED, 0, &errcode, &erroff, NULL);
	return re;
}

/* Report matches of the pattern in s that end at or after offset from. */
static void
match_sketch(const struct xpp_world *w, const struct xpp_method *m, const struct sketch *s, size_t from,
			 struct xpp_findings *f)
{
	pcre2_code *re = dataareaid_pattern();
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
	PCRE2_SIZE	start = 0;
	const char *subj = sb_str(&s->text);

	while (start < s->text.len &&
		   pcre2_match(re, (PCRE2_SPTR) subj, s->text.len, start, 0, md, NULL) > 0)
	{
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);

		if (ov[1] > from)
			xpp_finding_add(f, xpp_method_file(w, m), s->lines[ov[1] - 1], "UpkitDataAreaIdJoin", 1,
							m->cls->name, m->src->name,
							"Direct SQL compares DATAAREAID with a column ('%.*s'): with virtual companies "
							"two tables may hold one company under different ids; compare with a literal "
							"or a placeholder", (int) (ov[1] - ov[0]), subj + ov[0]);
		start = ov[1] > start ? ov[1] : start + 1;
	}
	pcre2_match_data_free(md);
}

static void
check_direct_sql(const struct xpp_world *w, const struct xpp_method *m, struct xpp_findings *f)
{
	const struct xtoks *t = &m->toks;
	struct
	{
		const char *var;
		struct sketch sk;
	}		   *vars = NULL;
	int			nvars = 0;
	int			st = m->body + 1;

	for (int k = st; k < t->n; k++)
	{
		int			op;

		if (!xtok_punct(t, k, ";") && !xtok_punct(t, k, "{") && !xtok_punct(t, k, "}"))
			continue;
		/* the statement [st, k) */
		op = st + 1;
		if (k - st >= 3 && t->t[st].kind == XT_IDENT && (xtok_punct(t, op, "=") || xtok_punct(t, op, "+=")))
		{
			int			v;
			size_t		before;

			for (v = 0; v < nvars; v++)
				if (strcasecmp(vars[v].var, t->t[st].text) == 0)
					break;
			if (v == nvars)
			{
				vars = xrealloc(vars, sizeof *vars * (size_t) (nvars + 1));
				vars[nvars].var = t->t[st].text;
				memset(&vars[nvars].sk, 0, sizeof vars[nvars].sk);
				nvars++;
			}
			if (xtok_punct(t, op, "="))
				vars[v].sk.text.len = 0;
			before = vars[v].sk.text.len;
			render(t, op + 1, k, &vars[v].sk);
			if (vars[v].sk.text.len > before)
				match_sketch(w, m, &vars[v].sk, before, f);
		}
		else
			for (int j = st; j < k; j++)
				if (t->t[j].kind == XT_STRING)
				{
					struct sketch one = {STRBUF_INIT, NULL, 0};

					sk_append(&one, t->t[j].text, t->t[j].line);
					match_sketch(w, m, &one, 0, f);
					sb_free(&one.text);
					free(one.lines);
				}
		st = k + 1;
	}
	for (int v = 0; v < nvars; v++)
	{
		sb_free(&vars[v].sk.text);
		free(vars[v].sk.lines);
	}
	free(vars);
}

void
xpp_lint(const struct xpp_world *w, struct xpp_findings *out)
{
	struct xpp_graph g;

	for (int k = 0; k < w->nmethods; k++)
	{
		const struct xpp_method *m = &w->methods_v[k];

		if (m->is_script)
			check_script(w, m, out);
		check_live_delta(w, m, out);
		check_direct_sql(w, m, out);
	}
	for (int k = 0; k < w->nmethods; k++)
	{
		const struct xpp_method *m = &w->methods_v[k];
		int			first = 1;

		if (!m->is_script)
			continue;
		for (int j = 0; j < k; j++)
			if (w->methods_v[j].cls == m->cls && w->methods_v[j].is_script)
				first = 0;
		if (first)
			check_version(w, m->cls, out);
	}
	xpp_graph_build(w, &g, out);
	xpp_graph_check(w, &g, out);
	xpp_graph_free(&g);
	xpp_findings_sort(out);
}

static int
cmp_finding(const void *a, const void *b)
{
	const struct xpp_finding *x = a;
	const struct xpp_finding *y = b;
	int			c = strcmp(x->file, y->file);

	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	c = strcmp(x->code, y->code);
	return c ? c : strcmp(x->message, y->message);
}

void
xpp_findings_sort(struct xpp_findings *f)
{
	if (f->n > 1)
		qsort(f->v, (size_t) f->n, sizeof *f->v, cmp_finding);
}

int
xpp_findings_errors(const struct xpp_findings *f)
{
	int			n = 0;

	for (int k = 0; k < f->n; k++)
		n += f->v[k].error;
	return n;
}

void
xpp_findings_print(const struct xpp_findings *f, FILE *out)
{
	for (int k = 0; k < f->n; k++)
	{
		const struct xpp_finding *it = &f->v[k];

		fprintf(out, "%s:%d: %s%s: %s%s%s: %s\n", it->file, it->line, it->error ? "" : "warning: ",
				it->code, it->cls, *it->method ? "." : "", it->method, it->message);
	}
}

char *
xpp_findings_json(const struct xpp_findings *f)
{
	cJSON	   *root = cJSON_CreateObject();
	cJSON	   *arr = cJSON_AddArrayToObject(root, "findings");
	char	   *s;
	int			errors = xpp_findings_errors(f);

	for (int k = 0; k < f->n; k++)
	{
		const struct xpp_finding *it = &f->v[k];
		cJSON	   *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "file", it->file);
		cJSON_AddNumberToObject(o, "line", it->line);
		cJSON_AddStringToObject(o, "code", it->code);
		cJSON_AddStringToObject(o, "severity", it->error ? "error" : "warning");
		cJSON_AddStringToObject(o, "class", it->cls);
		cJSON_AddStringToObject(o, "method", it->method);
		cJSON_AddStringToObject(o, "message", it->message);
		cJSON_AddItemToArray(arr, o);
	}
	cJSON_AddNumberToObject(root, "errors", errors);
	cJSON_AddNumberToObject(root, "warnings", f->n - errors);
	s = cJSON_Print(root);
	cJSON_Delete(root);
	return s;
}

void
xpp_findings_free(struct xpp_findings *f)
{
	for (int k = 0; k < f->n; k++)
	{
		free(f->v[k].file);
		free(f->v[k].code);
		free(f->v[k].cls);
		free(f->v[k].method);
		free(f->v[k].message);
	}
	free(f->v);
	f->v = NULL;
	f->n = 0;
}
