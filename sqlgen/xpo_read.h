/*
 * xpo_read.h: read an XPO file (the AOT's text export) into an element tree.
 *
 * An export is a header ("Exportfile for AOT version 1.0 or later"), then
 * elements, each opened by "***Element: CODE" (CLS class, DBT table, FRM
 * form, RG report, DBE base enum, MCR macro, JOB job; others are kept by
 * name only) and the file closed by "***Element: END".  Inside an element,
 * blocks open with a keyword (PROPERTIES, METHODS, FIELDS, INDICES, ...) and
 * close with END<keyword>; X++ source sits between "SOURCE #name" and
 * ENDSOURCE, one source line per file line, each prefixed with '#'.
 *
 * The reader keeps what the analyses need, each with its line in the file:
 * classes with their methods and source; tables with their fields, indexes
 * and methods; base enums with their values; macros and jobs with their
 * source; forms and reports as a whole (their trimmed text) with their
 * methods.  A node's text (a field's or an index's export, trimmed line by
 * line) is what the layer comparison compares.
 *
 * Anything malformed (no header, a block or a source that is never closed,
 * a source line without its '#', a truncated file without "***Element:
 * END", a NUL byte) is an error that names the file, the line and what was
 * expected: the reader never guesses, and never reads past its buffer.
 */
#ifndef UPKIT_XPO_READ_H
#define UPKIT_XPO_READ_H

#include <stddef.h>

enum xpo_kind
{
	XPO_CLASS,
	XPO_TABLE,
	XPO_FORM,
	XPO_REPORT,
	XPO_ENUM,
	XPO_MACRO,
	XPO_JOB,
	XPO_OTHER
};

/* One SOURCE block: a method, or a macro's or a job's text. */
struct xpo_source
{
	char	   *name;
	int			line;			/* the "SOURCE #name" line */
	int			first_line;		/* the file line of source line 1 */
	int			nlines;
	char	   *text;			/* X++ without the '#' prefixes, '\n' between lines */
};

/* A field, an index or an enum value: its name and its export, trimmed. */
struct xpo_node
{
	char	   *name;
	int			line;
	char	   *text;
};

struct xpo_element
{
	enum xpo_kind kind;
	char	   *code;			/* the ***Element: code, e.g. "CLS" */
	char	   *name;
	int			line;			/* the "CLASS #name" (...) line */
	struct xpo_source *methods;
	int			nmethods;
	struct xpo_node *fields;
	int			nfields;
	struct xpo_node *indexes;
	int			nindexes;
	struct xpo_node *values;	/* a base enum's elements */
	int			nvalues;
	char	   *text;			/* the whole element, trimmed line by line */
};

struct xpo_file
{
	char	   *path;
	struct xpo_element *elements;
	int			nelements;
};

/*
 * Read text (len bytes, need not be NUL-terminated) exported as path.
 * Returns 0 and fills *out, or -1 with "PATH:LINE: reason" in err.
 */
int			xpo_read_text(const char *path, const char *text, size_t len,
						  struct xpo_file *out, char *err, size_t errlen);
/* Read a file; a file that cannot be read is an error like a malformed one. */
int			xpo_read_file(const char *path, struct xpo_file *out, char *err, size_t errlen);
void		xpo_file_free(struct xpo_file *f);

/* "class", "table", "form", ... */
const char *xpo_kind_name(enum xpo_kind k);

/* The element of that kind and name (case-insensitive, as in the AOT), or NULL. */
const struct xpo_element *xpo_find(const struct xpo_file *f, enum xpo_kind k, const char *name);
/* The method of that name in an element (case-insensitive), or NULL. */
const struct xpo_source *xpo_find_method(const struct xpo_element *e, const char *name);

#endif
