/*
 * layers.h: layer conflict analysis for a code upgrade: which of a
 * customization layer's units need a person, which are obsolete.
 *
 * The unit is a node for tables (a field, an index, a method), classes (a
 * method) and base enums (a value), and the whole element for forms,
 * reports, macros, jobs and every element kind the XPO reader keeps only as
 * a whole (menus, menu items, extended data types, queries, ...).  For
 * each unit the customization layer (USR, as carried into the new
 * version) holds, with U its text there, S0 and S1 its text in the old and
 * the new lower layer (SYS) and C its text in the old USR (U when the old
 * USR is not given):
 *
 *   S0 and S1 both lack it            no upgrade (only USR has it)
 *   U = S1                            obsolete: delete it from USR
 *   the old USR lacks it (given)      no upgrade (added on the new SYS)
 *   C = S0                            no upgrade (not customized)
 *   S0 = S1                           no upgrade (SYS did not change it)
 *   otherwise                         conflict: in the upgrade project
 *
 * "Otherwise" covers a node SYS changed, one SYS deleted (S1 lacks it)
 * and one the new SYS adds under a name USR already used (S0 lacks it):
 * each is customized work that the new lower layer moved under, and a
 * person decides.  Units only the lower layers have are not USR's and
 * need nothing.  Elements match by kind and name (case-insensitive, as in
 * the AOT), nodes by their kind and name within the element; texts compare
 * exactly, line by line trimmed as the reader keeps them.
 *
 * Mismatched exports are errors, before any verdict: a class, table or
 * base enum whose name another layer uses for one of the other two kinds
 * (X++ types share one name space, so the layers disagree about what the
 * element is), and an element exported twice within one layer's files.
 */
#ifndef UPKIT_LAYERS_H
#define UPKIT_LAYERS_H

#include <stdio.h>

#include "diag.h"
#include "xpo_read.h"

enum layers_verdict
{
	LAYERS_NONE,				/* no upgrade needed */
	LAYERS_OBSOLETE,			/* equals the new lower layer: delete it */
	LAYERS_CONFLICT				/* in the upgrade project */
};

enum layers_reason
{
	LAYERS_USR_ONLY,
	LAYERS_EQUALS_NEW_SYS,
	LAYERS_ADDED_AFTER,
	LAYERS_NOT_CUSTOMIZED,
	LAYERS_NOT_CUSTOMIZED_BEFORE,	/* the old USR equals the old SYS */
	LAYERS_SYS_UNCHANGED,
	LAYERS_BOTH_CHANGED,
	LAYERS_SYS_DELETED,
	LAYERS_SYS_ADDED
};

/* One layer: the XPO files it was exported as (any number). */
struct layers_layer
{
	const struct xpo_file *files;
	int			nfiles;
};

struct layers_input
{
	struct layers_layer old_sys;
	struct layers_layer new_sys;
	struct layers_layer usr;
	struct layers_layer old_usr;	/* nfiles 0: not given */
};

struct layers_unit
{
	const char *file;			/* the USR file and line of the unit */
	int			line;
	const char *element_kind;	/* "table", "form", ... */
	const char *element;
	const char *node_kind;		/* "field", "index", "method", "value"; NULL: the whole element */
	const char *node;
	enum layers_verdict verdict;
	enum layers_reason reason;
};

struct layers_result
{
	struct layers_unit *units;
	int			n;
	int			conflicts;
	int			obsolete;
	int			elements;		/* USR elements looked at */
};

/*
 * The rule for one unit: its text in USR (never NULL), the old and the new
 * lower layer and the old USR (NULL where the layer lacks it);
 * have_old_usr says whether the old USR was given at all.
 */
enum layers_verdict layers_rule(const char *usr, const char *old_sys, const char *new_sys,
								int have_old_usr, const char *old_usr, enum layers_reason *why);

/*
 * Every unit of in->usr, in export order.  Returns 0, or -1 with every
 * mismatch in d (each naming the element, its file and line) and no result.
 */
int			layers_decide(const struct layers_input *in, struct layers_result *out,
						  struct upkit_diags *d);
void		layers_result_free(struct layers_result *r);

const char *layers_verdict_name(enum layers_verdict v);	/* "conflict", "obsolete", "none" */
const char *layers_reason_text(enum layers_reason r);

/* Text, one line a unit: "FILE:LINE: VERDICT: ELEMENT[, NODE]: reason"; all: the "none" units too. */
void		layers_print_text(const struct layers_result *r, int all, FILE *out);
/* JSON: counts and every unit (a string the caller frees). */
char	   *layers_json(const struct layers_result *r);

#endif
