/*
 * install.h: install units (render.h) over a connection (conn.h), all or
 * nothing, and report what was created or replaced.
 *
 * Every batch of every unit is sent in order in one transaction; an error
 * names the unit's object and the line of the generated script the batch
 * starts on.  The report has one line per unit, from the unit (its kind,
 * object and spec) and the catalog (whether the object was there before).
 * Nothing here prints: problems go to the diag list and the report to the
 * caller.
 */
#ifndef UPKIT_INSTALL_H
#define UPKIT_INSTALL_H

#include "conn.h"
#include "diag.h"
#include "units.h"

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
 * Install units (all of c's dialect) on c in one transaction and fill rep
 * with the objects created or replaced.  On the first failure roll back
 * and add "install into WHERE failed in batch I of N (OBJECT, spec FILE,
 * script line L): MESSAGE" to diags.  Returns 0 or -1.
 */
int			upkit_install_units(struct upkit_conn *c, const struct upkit_units *units,
								struct upkit_install_report *rep, struct upkit_diags *diags);
void		upkit_install_report_free(struct upkit_install_report *rep);

#endif
