/*
 * spec.h: spec files: JSON documents that describe one generated procedure.
 *
 * A spec file holds one JSON object.  Its "kind" (default "insert") picks
 * the reader that turns the document into a kind-specific struct (the
 * "body"), validating every field for the dialect being generated; every
 * problem goes to a diag list with file, JSON path and reason, and reading
 * goes on after a problem so that all of them are reported at once.
 *
 * Adding a kind: write NAME_read/NAME_free (using the reader helpers in
 * specread.h), add an entry to the kinds table in spec.c, and a renderer
 * case in render.c.
 */
#ifndef UPKIT_SPEC_H
#define UPKIT_SPEC_H

#include <cjson/cJSON.h>

#include "diag.h"
#include "dialect.h"

enum upkit_spec_kind
{
	UPKIT_SPEC_INSERT = 1,		/* set-based insert (spec_insert.h) */
	UPKIT_SPEC_DELTA			/* delta detection */
};

struct upkit_spec
{
	enum upkit_spec_kind kind;
	const char *kind_name;		/* "insert", ... */
	char	   *file;			/* the path as given */
	enum upkit_dialect dialect; /* the dialect names were checked for */
	cJSON	   *json;			/* the whole document, owned */
	void	   *body;			/* the kind's struct, owned */
};

/*
 * Read and validate a spec file for a dialect.  Returns the spec, or NULL
 * after adding every problem found to diags.
 */
struct upkit_spec *upkit_spec_read_file(const char *path, enum upkit_dialect d,
										struct upkit_diags *diags);
/* The same for text already in memory; file is used in messages. */
struct upkit_spec *upkit_spec_read_text(const char *file, const char *text,
										enum upkit_dialect d, struct upkit_diags *diags);
void		upkit_spec_free(struct upkit_spec *s);

struct upkit_spec_reader;
struct strbuf;

/*
 * For every text file upkit reads (specs, plans, SQL scripts): read path
 * into out (0), or add "cannot open/read" or "file contains a NUL byte;
 * NUL_REASON" and return -1.
 */
int			upkit_read_text_file(const char *path, const char *nul_reason, struct strbuf *out,
								 struct upkit_diags *diags);
/* Parse text as a JSON object ("WHAT must be a JSON object"); NULL after a problem. */
cJSON	   *upkit_json_parse(struct upkit_spec_reader *r, const char *text, const char *what);

#endif
