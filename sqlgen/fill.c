/*
 * fill.c: fill SQL templates (see fill.h).
 */
#include <stdio.h>
#include <string.h>

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

int
upkit_fill(struct strbuf *out, const char *tmpl, const struct upkit_fill_var *vars,
		   int nvars, char *err, size_t errn)
{
	const char *line = tmpl;
	int			lineno = 1;

	while (*line)
	{
		const char *nl = strchr(line, '\n');
		const char *end = nl ? nl : line + strlen(line);
		const char *p = line;
		const char *indent;
		size_t		indent_len;

		if (strncmp(line, "--#", 3) == 0)
			goto next;
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
				goto next;
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
next:
		if (!nl)
			break;
		line = nl + 1;
		lineno++;
	}
	return 0;
}
