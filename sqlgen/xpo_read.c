/*
 * xpo_read.c: the XPO reader (see xpo_read.h).
 *
 * A hand-written scanner over trimmed lines: XPO is line-structured (one
 * keyword or one '#'-prefixed source line per line), so each block is read
 * by a function that knows which keywords may appear in it and what closes
 * it.  Every loop stops at the end of the line array and every error is
 * reported with the line it was found on; the text is copied once and split
 * in place, so nothing reads past the caller's buffer.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "strbuf.h"
#include "xpo_read.h"

struct rd
{
	const char *path;
	char	   *buf;
	char	  **lt;				/* each line, trimmed at both ends */
	int			n;
	int			i;				/* the next line to read (0-based) */
	char	   *err;
	size_t		errlen;
};

static int
fail(struct rd *r, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int
fail(struct rd *r, int line, const char *fmt, ...)
{
	va_list		ap;
	int			k;

	k = snprintf(r->err, r->errlen, "%s:%d: ", r->path, line);
	if (k < 0 || (size_t) k >= r->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(r->err + k, r->errlen - k, fmt, ap);
	va_end(ap);
	return -1;
}

/* A line for a message: at most 60 bytes, control bytes shown as '?'. */
static const char *
shown(const char *t)
{
	static char out[64];
	size_t		k;

	for (k = 0; t[k] && k < 60; k++)
		out[k] = ((unsigned char) t[k] < 0x20 || t[k] == 0x7f) ? '?' : t[k];
	out[k] = '\0';
	if (t[k])
		strcpy(out + (k > 57 ? 57 : k), "...");
	return out;
}

static int
is_element_line(const char *t)
{
	return strncmp(t, "***Element:", 11) == 0;
}

/* "KW #name": sets *name to the text after '#'. */
static int
kw_name(const char *t, const char *kw, const char **name)
{
	size_t		k = strlen(kw);

	if (strncmp(t, kw, k) != 0 || (t[k] != ' ' && t[k] != '\t'))
		return 0;
	t += k;
	while (*t == ' ' || *t == '\t')
		t++;
	if (*t != '#' || t[1] == '\0')
		return 0;
	*name = t + 1;
	return 1;
}

/* "END" + kw */
static int
is_end(const char *t, const char *kw)
{
	return strncmp(t, "END", 3) == 0 && strcmp(t + 3, kw) == 0;
}

/* "TABLEVERSION 1" and the like. */
static int
is_version_line(const char *t)
{
	const char *v = strstr(t, "VERSION ");

	if (v == NULL || v == t)
		return 0;
	for (const char *p = t; p < v; p++)
		if (!isupper((unsigned char) *p))
			return 0;
	for (v += 8; *v; v++)
		if (!isdigit((unsigned char) *v))
			return 0;
	return 1;
}

static void *
grow(void *arr, int n, size_t size)
{
	return xrealloc(arr, size * (size_t) (n + 1));
}

static struct xpo_source *
add_method(struct xpo_element *e, const char *name, int line)
{
	struct xpo_source *m;

	e->methods = grow(e->methods, e->nmethods, sizeof *e->methods);
	m = &e->methods[e->nmethods++];
	memset(m, 0, sizeof *m);
	m->name = xstrdup(name);
	m->line = line;
	return m;
}

static struct xpo_node *
add_node(struct xpo_node **arr, int *n, const char *name, int line)
{
	struct xpo_node *nd;

	*arr = grow(*arr, *n, sizeof **arr);
	nd = &(*arr)[(*n)++];
	nd->name = xstrdup(name);
	nd->line = line;
	nd->text = NULL;
	return nd;
}

/*
 * After "SOURCE #name" (line open): the source lines up to ENDSOURCE, which
 * is consumed.  m may be NULL (the source is only checked); collect, when
 * given, receives the lines as exported.
 */
static int
read_source(struct rd *r, const char *name, int open, struct xpo_source *m, struct strbuf *collect)
{
	struct strbuf text = STRBUF_INIT;
	int			nlines = 0;

	for (;;)
	{
		const char *t;

		if (r->i >= r->n)
		{
			sb_free(&text);
			return fail(r, r->n, "SOURCE #%s opened at line %d is not closed: the file ends before ENDSOURCE",
						shown(name), open);
		}
		t = r->lt[r->i];
		if (collect)
		{
			sb_append(collect, t);
			sb_append(collect, "\n");
		}
		if (strcmp(t, "ENDSOURCE") == 0)
			break;
		if (t[0] != '#' && t[0] != '\0')
		{
			sb_free(&text);
			return fail(r, r->i + 1, "in SOURCE #%s (opened at line %d): expected a '#' source line or ENDSOURCE, found '%s'",
						name, open, shown(t));
		}
		if (nlines++ > 0)
			sb_append(&text, "\n");
		if (t[0] == '#')
			sb_append(&text, t + 1);
		r->i++;
	}
	r->i++;						/* ENDSOURCE */
	if (m)
	{
		m->first_line = open + 1;
		m->nlines = nlines;
		m->text = xstrdup(sb_str(&text));
	}
	sb_free(&text);
	return 0;
}

/*
 * After the line that opened block kw (at line open): everything up to
 * END<kw>, consumed.  SOURCE blocks inside are read as sources (and added
 * to e's methods when e is given); collect receives the trimmed lines.
 */
static int
skip_block(struct rd *r, const char *kw, int open, struct xpo_element *e, struct strbuf *collect)
{
	for (;;)
	{
		const char *t;
		const char *name;

		if (r->i >= r->n || is_element_line(r->lt[r->i]))
			return fail(r, r->i >= r->n ? r->n : r->i + 1,
						"%s opened at line %d is not closed: expected END%s, found %s", kw, open, kw,
						r->i >= r->n ? "the end of the file" : "the next ***Element");
		t = r->lt[r->i];
		if (is_end(t, kw))
		{
			if (collect)
			{
				sb_append(collect, t);
				sb_append(collect, "\n");
			}
			r->i++;
			return 0;
		}
		if (kw_name(t, "SOURCE", &name))
		{
			int			line = r->i + 1;
			struct xpo_source *m = e ? add_method(e, name, line) : NULL;

			if (collect)
			{
				sb_append(collect, t);
				sb_append(collect, "\n");
			}
			r->i++;
			if (read_source(r, name, line, m, collect) != 0)
				return -1;
			continue;
		}
		if (collect && t[0])
		{
			sb_append(collect, t);
			sb_append(collect, "\n");
		}
		r->i++;
	}
}

/* Blocks nested in a field, an index or an enum value. */
static int
is_nested_block(const char *t)
{
	return strcmp(t, "PROPERTIES") == 0 || strcmp(t, "INDEXFIELDS") == 0 ||
		strcmp(t, "GROUPFIELDS") == 0 || strcmp(t, "FIELDREFERENCES") == 0;
}

/*
 * After the line opening block (FIELDS, INDICES, TYPEELEMENTS): its items,
 * each opened by "ITEM #name" (item_kw given) or "#name", up to END<block>.
 */
static int
read_nodes(struct rd *r, const char *block, int open, const char *item_kw,
		   struct xpo_node **arr, int *n)
{
	struct strbuf text = STRBUF_INIT;
	struct xpo_node *cur = NULL;
	int			rc = 0;

	for (;;)
	{
		const char *t;
		const char *name = NULL;

		if (r->i >= r->n || is_element_line(r->lt[r->i]))
		{
			rc = fail(r, r->i >= r->n ? r->n : r->i + 1,
					  "%s opened at line %d is not closed: expected END%s, found %s", block, open, block,
					  r->i >= r->n ? "the end of the file" : "the next ***Element");
			break;
		}
		t = r->lt[r->i];
		if (t[0] == '\0')
		{
			r->i++;
			continue;
		}
		if (is_end(t, block) ||
			(item_kw ? kw_name(t, item_kw, &name) : (t[0] == '#' && t[1] != '\0' && (name = t + 1))))
		{
			if (cur)
				cur->text = xstrdup(sb_str(&text));
			sb_free(&text);
			r->i++;
			if (name == NULL)
				break;
			cur = add_node(arr, n, name, r->i);
			sb_append(&text, t);
			sb_append(&text, "\n");
			continue;
		}
		if (cur == NULL)
		{
			rc = fail(r, r->i + 1, "in %s (opened at line %d): expected %s#name, found '%s'",
					  block, open, item_kw ? item_kw : "", shown(t));
			break;
		}
		sb_append(&text, t);
		sb_append(&text, "\n");
		r->i++;
		if (is_nested_block(t) && skip_block(r, t, r->i, NULL, &text) != 0)
		{
			rc = -1;
			break;
		}
	}
	sb_free(&text);
	return rc;
}

/* After METHODS: SOURCE blocks up to ENDMETHODS. */
static int
read_methods(struct rd *r, int open, struct xpo_element *e)
{
	for (;;)
	{
		const char *t;
		const char *name;

		if (r->i >= r->n || is_element_line(r->lt[r->i]))
			return fail(r, r->i >= r->n ? r->n : r->i + 1,
						"METHODS opened at line %d is not closed: expected ENDMETHODS, found %s", open,
						r->i >= r->n ? "the end of the file" : "the next ***Element");
		t = r->lt[r->i];
		if (t[0] == '\0' || strncmp(t, "Version:", 8) == 0)
		{
			r->i++;
			continue;
		}
		if (strcmp(t, "ENDMETHODS") == 0)
		{
			r->i++;
			return 0;
		}
		if (!kw_name(t, "SOURCE", &name))
			return fail(r, r->i + 1, "in METHODS (opened at line %d): expected SOURCE #name or ENDMETHODS, found '%s'",
						open, shown(t));
		{
			int			line = r->i + 1;
			struct xpo_source *m = add_method(e, name, line);

			r->i++;
			if (read_source(r, name, line, m, NULL) != 0)
				return -1;
		}
	}
}

/* The body of a class, a table or a base enum, up to END<kw>. */
static int
read_structured(struct rd *r, const char *kw, struct xpo_element *e)
{
	for (;;)
	{
		const char *t;
		int			open;

		if (r->i >= r->n || is_element_line(r->lt[r->i]))
			return fail(r, r->i >= r->n ? r->n : r->i + 1,
						"%s #%s opened at line %d is not closed: expected END%s, found %s",
						kw, e->name, e->line, kw, r->i >= r->n ? "the end of the file" : "the next ***Element");
		t = r->lt[r->i];
		open = ++r->i;
		if (t[0] == '\0')
			continue;
		if (is_end(t, kw))
			return 0;
		if (strcmp(t, "METHODS") == 0 && e->kind != XPO_ENUM)
		{
			if (read_methods(r, open, e) != 0)
				return -1;
		}
		else if (strcmp(t, "FIELDS") == 0 && e->kind == XPO_TABLE)
		{
			if (read_nodes(r, "FIELDS", open, "FIELD", &e->fields, &e->nfields) != 0)
				return -1;
		}
		else if (strcmp(t, "INDICES") == 0 && e->kind == XPO_TABLE)
		{
			if (read_nodes(r, "INDICES", open, NULL, &e->indexes, &e->nindexes) != 0)
				return -1;
		}
		else if (strcmp(t, "TYPEELEMENTS") == 0 && e->kind == XPO_ENUM)
		{
			if (read_nodes(r, "TYPEELEMENTS", open, NULL, &e->values, &e->nvalues) != 0)
				return -1;
		}
		else if (strncmp(t, "END", 3) == 0)
			return fail(r, open, "unexpected '%s' in %s #%s (opened at line %d)", shown(t), kw, e->name, e->line);
		else if (strchr(t, ' ') == NULL && strchr(t, '#') == NULL)
		{
			/* PROPERTIES, GROUPS, REFERENCES, DELETEACTIONS, ...: kept as a whole */
			for (const char *p = t; *p; p++)
				if (!isupper((unsigned char) *p))
					return fail(r, open, "unexpected '%s' in %s #%s (opened at line %d)", shown(t), kw,
								e->name, e->line);
			if (skip_block(r, t, open, NULL, NULL) != 0)
				return -1;
		}
		/* else a one-line setting such as "EnforceFKRelation 1" */
	}
}

struct named
{
	const char *name;
	int			line;
};

/* A node of one kind exported twice in one element (case-insensitive, as in the AOT). */
static int
names_once(struct rd *r, const struct xpo_element *e, const char *what, const struct named *v, int n)
{
	for (int a = 1; a < n; a++)
		for (int b = 0; b < a; b++)
			if (strcasecmp(v[a].name, v[b].name) == 0)
				return fail(r, v[a].line, "%s %s of %s %s is exported twice (also at line %d)", what,
							v[a].name, xpo_kind_name(e->kind), e->name, v[b].line);
	return 0;
}

/* Fields, indexes, enum values and methods are named once per element. */
static int
check_twice(struct rd *r, const struct xpo_element *e)
{
	const char *what[4] = {"field", "index", "value", "method"};
	const struct xpo_node *nodes[3] = {e->fields, e->indexes, e->values};
	int			counts[4] = {e->nfields, e->nindexes, e->nvalues, e->nmethods};
	int			rc = 0;

	for (int k = 0; k < 4 && rc == 0; k++)
	{
		struct named *v = xrealloc(NULL, sizeof *v * (size_t) (counts[k] + 1));

		for (int i = 0; i < counts[k]; i++)
		{
			v[i].name = k < 3 ? nodes[k][i].name : e->methods[i].name;
			v[i].line = k < 3 ? nodes[k][i].line : e->methods[i].line;
		}
		rc = names_once(r, e, what[k], v, counts[k]);
		free(v);
	}
	return rc;
}

static const struct
{
	const char *code;
	enum xpo_kind kind;
	const char *kw;
}			element_kinds[] = {
	{"CLS", XPO_CLASS, "CLASS"},
	{"DBT", XPO_TABLE, "TABLE"},
	{"FRM", XPO_FORM, "FORM"},
	{"RG", XPO_REPORT, "REPORT"},
	{"DBE", XPO_ENUM, "ENUMTYPE"},
	{"MCR", XPO_MACRO, "SOURCE"},
	{"JOB", XPO_JOB, "SOURCE"},
};

static int
read_element(struct rd *r, const char *code, int open, struct xpo_element *e)
{
	const char *kw = NULL;
	const char *name;
	const char *t;

	e->kind = XPO_OTHER;
	for (size_t k = 0; k < sizeof element_kinds / sizeof element_kinds[0]; k++)
		if (strcmp(code, element_kinds[k].code) == 0)
		{
			e->kind = element_kinds[k].kind;
			kw = element_kinds[k].kw;
		}
	while (r->i < r->n && (r->lt[r->i][0] == '\0' || r->lt[r->i][0] == ';' || is_version_line(r->lt[r->i])))
		r->i++;

	if (e->kind == XPO_OTHER)
	{
		/*
		 * Kept by name and as a whole: the first "KEYWORD #name" line names
		 * it; its text is every non-empty line up to the next element.
		 */
		struct strbuf text = STRBUF_INIT;

		for (; r->i < r->n && !is_element_line(r->lt[r->i]); r->i++)
		{
			const char *h = strchr(r->lt[r->i], '#');

			if (e->name == NULL && h && h > r->lt[r->i] && h[-1] == ' ' && h[1])
			{
				e->name = xstrdup(h + 1);
				e->line = r->i + 1;
			}
			if (e->name && r->lt[r->i][0])
			{
				sb_append(&text, r->lt[r->i]);
				sb_append(&text, "\n");
			}
		}
		if (e->name == NULL)
			e->name = xstrdup("");
		e->text = xstrdup(sb_str(&text));
		sb_free(&text);
		return 0;
	}

	if (r->i >= r->n || is_element_line(r->lt[r->i]))
		return fail(r, r->i >= r->n ? r->n : r->i + 1, "***Element: %s at line %d has no '%s #name' line",
					code, open, kw);
	t = r->lt[r->i];
	if (!kw_name(t, kw, &name))
		return fail(r, r->i + 1, "expected '%s #name' for ***Element: %s, found '%s'", kw, code, shown(t));
	e->name = xstrdup(name);
	e->line = ++r->i;

	switch (e->kind)
	{
		case XPO_MACRO:
		case XPO_JOB:
			if (read_source(r, name, e->line, add_method(e, name, e->line), NULL) != 0)
				return -1;
			/* A job's PROPERTIES follow its source. */
			while (r->i < r->n && !is_element_line(r->lt[r->i]))
			{
				t = r->lt[r->i++];
				if (t[0] == '\0')
					continue;
				if (strcmp(t, "PROPERTIES") != 0)
					return fail(r, r->i, "unexpected '%s' after the source of %s #%s", shown(t), code, e->name);
				if (skip_block(r, "PROPERTIES", r->i, NULL, NULL) != 0)
					return -1;
			}
			return 0;
		case XPO_FORM:
		case XPO_REPORT:
			{
				struct strbuf text = STRBUF_INIT;
				int			rc;

				sb_append(&text, t);
				sb_append(&text, "\n");
				rc = skip_block(r, kw, e->line, e, &text);
				e->text = xstrdup(sb_str(&text));
				sb_free(&text);
				return rc;
			}
		default:
			if (read_structured(r, kw, e) != 0)
				return -1;
			return check_twice(r, e);
	}
}

static void
element_free(struct xpo_element *e)
{
	for (int k = 0; k < e->nmethods; k++)
	{
		free(e->methods[k].name);
		free(e->methods[k].text);
	}
	free(e->methods);
	for (int k = 0; k < e->nfields; k++)
	{
		free(e->fields[k].name);
		free(e->fields[k].text);
	}
	free(e->fields);
	for (int k = 0; k < e->nindexes; k++)
	{
		free(e->indexes[k].name);
		free(e->indexes[k].text);
	}
	free(e->indexes);
	for (int k = 0; k < e->nvalues; k++)
	{
		free(e->values[k].name);
		free(e->values[k].text);
	}
	free(e->values);
	free(e->code);
	free(e->name);
	free(e->text);
}

static int
read_all(struct rd *r, struct xpo_file *out)
{
	while (r->i < r->n && r->lt[r->i][0] == '\0')
		r->i++;
	if (r->i >= r->n)
		return fail(r, 1, "empty file: not an XPO export (expected 'Exportfile for AOT version 1.0 or later')");
	if (strncmp(r->lt[r->i], "Exportfile for AOT version", 26) != 0)
		return fail(r, r->i + 1, "not an XPO export: expected 'Exportfile for AOT version 1.0 or later', found '%s'",
					shown(r->lt[r->i]));
	r->i++;
	for (;;)
	{
		const char *t;
		const char *code;
		struct xpo_element *e;
		int			open;

		while (r->i < r->n && (r->lt[r->i][0] == '\0' || r->lt[r->i][0] == ';' ||
							   strncmp(r->lt[r->i], "Formatversion:", 14) == 0))
			r->i++;
		if (r->i >= r->n)
			return fail(r, r->n, "truncated export: the file ends without '***Element: END'");
		t = r->lt[r->i];
		if (!is_element_line(t))
			return fail(r, r->i + 1, "expected '***Element: CODE', found '%s'", shown(t));
		code = t + 11;
		while (*code == ' ')
			code++;
		open = ++r->i;
		if (strcmp(code, "END") == 0)
			return 0;
		if (*code == '\0')
			return fail(r, open, "***Element: without a code");
		out->elements = grow(out->elements, out->nelements, sizeof *out->elements);
		e = &out->elements[out->nelements++];
		memset(e, 0, sizeof *e);
		e->code = xstrdup(code);
		if (read_element(r, code, open, e) != 0)
			return -1;
		for (int k = 0; k < out->nelements - 1; k++)
			if (out->elements[k].kind == e->kind && e->kind != XPO_OTHER &&
				strcasecmp(out->elements[k].name, e->name) == 0)
				return fail(r, e->line, "%s %s is exported twice (also at line %d)",
							xpo_kind_name(e->kind), e->name, out->elements[k].line);
	}
}

int
xpo_read_text(const char *path, const char *text, size_t len, struct xpo_file *out,
			  char *err, size_t errlen)
{
	struct rd	r;
	const char *nul = memchr(text, '\0', len);
	int			rc;
	char	   *p;

	memset(out, 0, sizeof *out);
	memset(&r, 0, sizeof r);
	r.path = path;
	r.err = err;
	r.errlen = errlen;
	if (errlen)
		err[0] = '\0';
	if (nul)
	{
		int			line = 1;

		for (const char *q = text; q < nul; q++)
			line += *q == '\n';
		return fail(&r, line, "a NUL byte: this is not a text export");
	}
	r.buf = xrealloc(NULL, len + 1);
	memcpy(r.buf, text, len);
	r.buf[len] = '\0';
	for (p = r.buf;;)
	{
		char	   *nl = strchr(p, '\n');
		char	   *s = p;
		size_t		k;

		if (nl)
			*nl = '\0';
		while (*s == ' ' || *s == '\t')
			s++;
		k = strlen(s);
		while (k > 0 && (s[k - 1] == '\r' || s[k - 1] == ' ' || s[k - 1] == '\t'))
			s[--k] = '\0';
		/* A UTF-8 byte-order mark before the header. */
		if (r.n == 0 && strncmp(s, "\xEF\xBB\xBF", 3) == 0)
			s += 3;
		r.lt = grow(r.lt, r.n, sizeof *r.lt);
		r.lt[r.n++] = s;
		if (!nl)
			break;
		p = nl + 1;
	}
	/* the newline that ends the last line does not start another */
	if (r.n > 1 && len > 0 && text[len - 1] == '\n')
		r.n--;
	out->path = xstrdup(path);
	rc = read_all(&r, out);
	free(r.lt);
	free(r.buf);
	if (rc != 0)
		xpo_file_free(out);
	return rc;
}

int
xpo_read_file(const char *path, struct xpo_file *out, char *err, size_t errlen)
{
	FILE	   *f = fopen(path, "rb");
	struct strbuf text = STRBUF_INIT;
	char		chunk[65536];
	size_t		k;
	int			rc;

	memset(out, 0, sizeof *out);
	if (f == NULL)
	{
		snprintf(err, errlen, "%s: cannot read: %m", path);
		return -1;
	}
	while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
		sb_append_len(&text, chunk, k);
	if (ferror(f))
	{
		snprintf(err, errlen, "%s: cannot read: %m", path);
		fclose(f);
		sb_free(&text);
		return -1;
	}
	fclose(f);
	rc = xpo_read_text(path, sb_str(&text), text.len, out, err, errlen);
	sb_free(&text);
	return rc;
}

void
xpo_file_free(struct xpo_file *f)
{
	for (int k = 0; k < f->nelements; k++)
		element_free(&f->elements[k]);
	free(f->elements);
	free(f->path);
	memset(f, 0, sizeof *f);
}

const char *
xpo_kind_name(enum xpo_kind k)
{
	switch (k)
	{
		case XPO_CLASS:
			return "class";
		case XPO_TABLE:
			return "table";
		case XPO_FORM:
			return "form";
		case XPO_REPORT:
			return "report";
		case XPO_ENUM:
			return "base enum";
		case XPO_MACRO:
			return "macro";
		case XPO_JOB:
			return "job";
		default:
			return "element";
	}
}

const struct xpo_element *
xpo_find(const struct xpo_file *f, enum xpo_kind k, const char *name)
{
	for (int i = 0; i < f->nelements; i++)
		if (f->elements[i].kind == k && strcasecmp(f->elements[i].name, name) == 0)
			return &f->elements[i];
	return NULL;
}

const struct xpo_source *
xpo_find_method(const struct xpo_element *e, const char *name)
{
	for (int i = 0; i < e->nmethods; i++)
		if (strcasecmp(e->methods[i].name, name) == 0)
			return &e->methods[i];
	return NULL;
}
