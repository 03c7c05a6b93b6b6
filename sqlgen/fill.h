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
 *   --# at the start of a line: a note on the template, not generated;
 *   --#unit KEY     a note too: the lines after it belong to the unit the
 *                   renderer declared under KEY (upkit_fill_units);
 *   a line that is only GO (T-SQL, upkit_is_go_line): it ends a batch.
 * An unknown name is an error (a bug in the renderer, not in a spec).
 */
#ifndef UPKIT_FILL_H
#define UPKIT_FILL_H

#include <stddef.h>

#include "strbuf.h"
#include "units.h"

struct upkit_fill_var
{
	const char *name;
	const char *value;
};

/* Fill tmpl into out; 0, or -1 with a reason in err. */
int			upkit_fill(struct strbuf *out, const char *tmpl,
					   const struct upkit_fill_var *vars, int nvars,
					   char *err, size_t errn);

/* A unit of a template: the lines after "--#unit KEY" (before the first: targets[0]). */
#define UPKIT_FILL_UNIT_DIRECTIVE "--#unit "
struct upkit_fill_unit
{
	const char *key;			/* as written after --#unit */
	int			unit;			/* index into the unit list */
};

/*
 * Fill tmpl into the units: every generated line is printed and sent as
 * part of its unit's current batch, a GO line is printed and ends the
 * batch, and "--#unit KEY" moves on to KEY's unit (ending the batch).
 * 0, or -1 with a reason in err.
 */
int			upkit_fill_units(struct upkit_units *us, const struct upkit_fill_unit *targets,
							 int ntargets, const char *tmpl,
							 const struct upkit_fill_var *vars, int nvars,
							 char *err, size_t errn);

#endif
