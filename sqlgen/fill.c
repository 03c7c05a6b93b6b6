/*
 * fill.c: fill SQL templates (see fill.h).
 */
#include <stdio.h>
#include <string.h>

#include "batches.h"
#include "fill.h"

static const struct upkit_fill_var *
lookup(const struct upkit_fill_var *vars, int n, const char *name, size_t len)
{
	for (int i = 0; i < n; i++)
		if (strlen(vars[i].name) == len && strncmp(vars[i].name, name, len) == 0)
			return &vars[i];
	return NULL;
}

/* Append value, indenting its further lines by indent. */
static void
append_value(struct strbuf *out, const char *value, const char *indent, size_t indent_len)
{
	for (const char *p = value; *p; p++)
	{
		sb_append_len(out, p, 1);
		if (*p == '\n' && p[1] != '\0' && p[1] != '\n')
			sb_append_len(out, indent, indent_len);
	}
}

/*
 * Fill one template line [line, end) (nl: its line end, or NULL) into out.
 * Returns 1 when the line was generated, 0 when it was left out (a note,
 * a flag not met), -1 with a reason in err.
 */
static int
fill_line(struct strbuf *out, const char *line, const char *end, const char *nl,
		  const struct upkit_fill_var *vars, int nvars, int lineno, char *err, size_t errn)
{
	const char *p = line;
	const char *indent;
	size_t		indent_len;

	if (strncmp(line, "--#", 3) == 0)
		return 0;
	if (strncmp(line, "{{?", 3) == 0 || strncmp(line, "{{!", 3) == 0)
	{
		const char *close = strstr(line, "}}");
		const struct upkit_fill_var *v;
		int			set;

		if (close == NULL || close > end)
		{
			snprintf(err, errn, "template line %d: unclosed {{", lineno);
			return -1;
		}
		v = lookup(vars, nvars, line + 3, (size_t) (close - line - 3));
		if (v == NULL)
		{
			snprintf(err, errn, "template line %d: unknown flag %.*s", lineno,
					 (int) (close - line - 3), line + 3);
			return -1;
		}
		set = v->value != NULL && v->value[0] != '\0';
		if (set != (line[2] == '?'))
			return 0;
		p = close + 2;
	}
	indent = p;
	indent_len = strspn(p, " \t");
	while (p < end)
	{
		const char *open = strstr(p, "{{");
		const char *close;
		const struct upkit_fill_var *v;

		if (open == NULL || open >= end)
		{
			sb_append_len(out, p, (size_t) (end - p));
			break;
		}
		sb_append_len(out, p, (size_t) (open - p));
		close = strstr(open, "}}");
		if (close == NULL || close > end)
		{
			snprintf(err, errn, "template line %d: unclosed {{", lineno);
			return -1;
		}
		v = lookup(vars, nvars, open + 2, (size_t) (close - open - 2));
		if (v == NULL)
		{
			snprintf(err, errn, "template line %d: unknown placeholder %.*s", lineno,
					 (int) (close - open - 2), open + 2);
			return -1;
		}
		append_value(out, v->value ? v->value : "", indent, indent_len);
		p = close + 2;
	}
	if (nl)
		sb_append(out, "\n");
	return 1;
}

int
upkit_fill(struct strbuf *out, const char *tmpl, const struct upkit_fill_var *vars,
		   int nvars, char *err, size_t errn)
{
	const char *line = tmpl;

	for (int lineno = 1; *line; lineno++)
	{
		const char *nl = strchr(line, '\n');
		const char *end = nl ? nl : line + strlen(line);

		if (fill_line(out, line, end, nl, vars, nvars, lineno, err, errn) < 0)
			return -1;
		if (!nl)
			break;
		line = nl + 1;
	}
	return 0;
}

/* The target a "--#unit KEY" line names, or NULL. */
static const struct upkit_fill_unit *
unit_directive(const char *line, const char *end, const struct upkit_fill_unit *targets,
			   int ntargets, int *is_directive)
{
	size_t		n = strlen(UPKIT_FILL_UNIT_DIRECTIVE);

	*is_directive = (size_t) (end - line) > n && strncmp(line, UPKIT_FILL_UNIT_DIRECTIVE, n) == 0;
	if (!*is_directive)
		return NULL;
	line += n;
	for (int i = 0; i < ntargets; i++)
		if (strlen(targets[i].key) == (size_t) (end - line) &&
			strncmp(targets[i].key, line, (size_t) (end - line)) == 0)
			return &targets[i];
	return NULL;
}

int
upkit_fill_units(struct upkit_units *us, const struct upkit_fill_unit *targets, int ntargets,
				 const char *tmpl, const struct upkit_fill_var *vars, int nvars,
				 char *err, size_t errn)
{
	const char *line = tmpl;
	struct upkit_unit *u = &us->items[targets[0].unit];
	struct strbuf buf = STRBUF_INIT;
	int			rc = 0;

	for (int lineno = 1; *line; lineno++)
	{
		const char *nl = strchr(line, '\n');
		const char *end = nl ? nl : line + strlen(line);
		size_t		text_n = (size_t) (end - line);
		int			is_directive;
		const struct upkit_fill_unit *t = unit_directive(line, end, targets, ntargets, &is_directive);

		if (text_n > 0 && line[text_n - 1] == '\r')
			text_n--;
		if (is_directive && t == NULL)
		{
			snprintf(err, errn, "template line %d: no unit %.*s", lineno,
					 (int) (end - line), line);
			rc = -1;
			break;
		}
		if (t)
		{
			upkit_unit_end_batch(u);
			u = &us->items[t->unit];
		}
		else if (upkit_is_go_line(line, text_n))
		{
			upkit_unit_end_batch(u);
			upkit_unit_print(u, line, (size_t) (end - line) + (nl ? 1 : 0));
		}
		else
		{
			sb_free(&buf);
			if ((rc = fill_line(&buf, line, end, nl, vars, nvars, lineno, err, errn)) < 0)
				break;
			upkit_unit_append(u, sb_str(&buf), buf.len);
			rc = 0;
		}
		if (!nl)
			break;
		line = nl + 1;
	}
	for (int i = 0; i < ntargets; i++)
		upkit_unit_end_batch(&us->items[targets[i].unit]);
	sb_free(&buf);
	return rc;
}
