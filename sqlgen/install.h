/*
 * install.h: install a generated script over a connection (conn.h), all
 * or nothing, and report what was created or replaced.
 *
 * The script is executed as a list of labelled batches (batches.h): today
 * the labels come from the script's own "-- From" / "-- upkit:" markers;
 * once rendering returns units, install will take the unit list and the
 * batches come labelled from the renderer.  Nothing here prints: problems
 * go to the diag list and the report to the caller.
 */
#ifndef UPKIT_INSTALL_H
#define UPKIT_INSTALL_H

#include "batches.h"
#include "conn.h"
#include "diag.h"
#include "spec.h"

/* One line of the report: "created procedure public.x (spec FILE)". */
struct upkit_install_line
{
	char	   *verb;			/* created, replaced, updated, kept */
	char	   *what;			/* "procedure public.x", "extension upkit 0.3" */
	char	   *spec;			/* the spec file, or NULL for the runtime */
};

struct upkit_install_report
{
	struct upkit_install_line *lines;
	int			n;
	int			objects;		/* created, replaced or updated */
};

/*
 * Run the batches on c in one transaction; on the first failure roll back
 * and add "install into WHERE failed in batch I of N (LABEL, script line
 * L): MESSAGE" to diags.  Returns 0 or -1.
 */
int			upkit_run_batches(struct upkit_conn *c, const struct upkit_batches *b,
							  struct upkit_diags *diags);

/*
 * Install script (built from specs, with or without the runtime) on c and
 * fill rep with the objects created or replaced.  Returns 0 or -1.
 */
int			upkit_install_script(struct upkit_conn *c, const char *script, int with_runtime,
								 struct upkit_spec *const *specs, int nspecs,
								 struct upkit_install_report *rep, struct upkit_diags *diags);
void		upkit_install_report_free(struct upkit_install_report *rep);

#endif
