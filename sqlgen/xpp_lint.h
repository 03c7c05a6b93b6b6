/*
 * xpp_lint.h: the upgrade-script checks and their findings.
 *
 * The reference's best-practice errors keep their BPError codes:
 *   BPErrorMethodIsStatic, BPErrorMethodHasParams, BPErrorMissingReqDesc,
 *   BPErrorMissingReqType, BPErrorMissingReqStage, BPErrorMissingReqTable
 *   (no table attribute, or a table used in the body without one),
 *   BPErrorTableNotFound, BPErrorConfigurationKeyNotFound,
 *   BPErrorClassNameNotFound, BPErrorMethodNameNotFound,
 *   BPErrorInvalidScriptVersion.
 * The run-time mistakes the reference describes but gives no code get
 * upkit's own codes:
 *   UpkitTableAccess          a table used with an access its attribute does not declare
 *   UpkitLiveWithoutDelta     a live preprocessing script without the delta script
 *   UpkitDataAreaIdJoin       Direct SQL comparing DATAAREAID with another table's
 *   UpkitDependsOnNonScript   a dependency on a method that is not an upgrade script
 *   UpkitDependencyCycle      scripts that wait for each other
 *   UpkitRace                 two scripts of one stage writing one table, unordered
 *   UpkitRedundantDependency  (a warning) a dependency implied by others
 */
#ifndef UPKIT_XPP_LINT_H
#define UPKIT_XPP_LINT_H

#include "xpp_scripts.h"

struct xpp_finding
{
	char	   *file;
	int			line;
	char	   *code;
	int			error;			/* 0: a warning */
	char	   *cls;
	char	   *method;			/* "" for a class-level finding */
	char	   *message;
};

struct xpp_findings
{
	struct xpp_finding *v;
	int			n;
};

void		xpp_finding_add(struct xpp_findings *f, const char *file, int line, const char *code,
							int error, const char *cls, const char *method, const char *fmt, ...)
			__attribute__((format(printf, 8, 9)));

/* Every check, on every class method and on the dependency graph. */
void		xpp_lint(const struct xpp_world *w, struct xpp_findings *out);

/* Sort by file, line, code. */
void		xpp_findings_sort(struct xpp_findings *f);
int			xpp_findings_errors(const struct xpp_findings *f);
/* "file:line: CODE: Class.method: message" (warnings: "file:line: warning: CODE: ..."). */
void		xpp_findings_print(const struct xpp_findings *f, FILE *out);
/* {"findings": [...], "errors": n, "warnings": n}; the caller frees. */
char	   *xpp_findings_json(const struct xpp_findings *f);
void		xpp_findings_free(struct xpp_findings *f);

#endif
