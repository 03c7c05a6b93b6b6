/*
 * spec.h: spec files: JSON documents that describe one generated procedure.
 *
 * A spec file holds one JSON object.  Its "kind" (default "insert") picks
 * the reader that turns the document into a kind-specific struct (the
 * "body"), validating every field for a dialect; every problem goes to a
 * diag list with file, JSON path and reason, and reading goes on after a
 * problem so that all of them are reported at once.
 *
 * The file is read and parsed once (upkit_spec_load_*); its fields are then
 * checked once per dialect the spec is generated for (upkit_spec_check:
 * names, lengths, expression syntax and default schemas are the
 * dialect's), and the checked struct of each dialect stays in the spec, so
 * one spec renders for any dialect.  The kinds are registered in kind.c.
 */
#ifndef UPKIT_SPEC_H
#define UPKIT_SPEC_H

#include <cjson/cJSON.h>

#include "diag.h"
#include "dialect.h"
#include "kind.h"

struct upkit_spec
{
	const struct upkit_kind *kind;	/* from "kind" (default "insert") */
	char	   *file;			/* the path as given */
	cJSON	   *json;			/* the whole document, owned */
	void	   *body[UPKIT_DIALECT_COUNT];	/* the kind's struct per dialect, owned; NULL: not checked */
	int			load_problems;	/* found while loading (NUL characters): no dialect accepts it */
};

/*
 * Read and parse a spec file: JSON, a known kind, NUL characters.  Returns
 * the spec, or NULL after adding the problem to diags; a spec with NUL
 * characters is returned (its problems added) so that checking it reports
 * every other problem too, and never passes upkit_spec_check.
 */
struct upkit_spec *upkit_spec_load_file(const char *path, struct upkit_diags *diags);
/* The same for text already in memory; file is used in messages. */
struct upkit_spec *upkit_spec_load_text(const char *file, const char *text,
										struct upkit_diags *diags);
/*
 * Check the spec for a dialect (once: a second call returns at once).
 * Returns 0, or -1 after adding every problem to diags.
 */
int			upkit_spec_check(struct upkit_spec *s, enum upkit_dialect d, struct upkit_diags *diags);
/* The kind's struct for a dialect the spec was checked for (else NULL). */
const void *upkit_spec_body(const struct upkit_spec *s, enum upkit_dialect d);

/* Load and check for one dialect; NULL after adding every problem to diags. */
struct upkit_spec *upkit_spec_read_file(const char *path, enum upkit_dialect d,
										struct upkit_diags *diags);
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
