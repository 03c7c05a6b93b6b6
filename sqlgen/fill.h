/*
 * fill.h: the tiny placeholder engine for the SQL templates in procs/.
 *
 * A template is readable SQL with:
 *   {{NAME}}        replaced by the variable's value; when the value has
 *                   several lines, each further line gets the indentation
 *                   of the placeholder's line;
 *   {{?FLAG}} at the start of a line: the rest of the line is kept only
 *                   when FLAG has a non-empty value;
 *   {{!FLAG}} at the start of a line: kept only when FLAG is empty;
 *   --# at the start of a line: a note on the template, not generated.
 * An unknown name is an error (a bug in the renderer, not in a spec).
 */
#ifndef UPKIT_FILL_H
#define UPKIT_FILL_H

#include <stddef.h>

#include "strbuf.h"

struct upkit_fill_var
{
	const char *name;
	const char *value;
};

/* Fill tmpl into out; 0, or -1 with a reason in err. */
int			upkit_fill(struct strbuf *out, const char *tmpl,
					   const struct upkit_fill_var *vars, int nvars,
					   char *err, size_t errn);

#endif
