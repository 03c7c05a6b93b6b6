/*
 * plan_copy.h: a plan's bulk copy, read and expanded (plan_copy.c), and the
 * helpers of plan_read.c it shares.  Only plan_read.c and plan_copy.c
 * include it.
 */
#ifndef UPKIT_PLAN_COPY_H
#define UPKIT_PLAN_COPY_H

#include "plan.h"
#include "specread.h"

/* Read job j's "copy" object (and the keys a copy job may have). */
void		plan_copy_read(struct upkit_spec_reader *r, struct upkit_plan *p, const cJSON *job,
						   struct upkit_plan_job *j);
/* Replace every copy declaration by one job per table; after all jobs are read. */
void		plan_copy_expand(struct upkit_spec_reader *r, struct upkit_plan *p);
void		plan_copy_free(struct upkit_plan_copy *c);

/* ---- plan_read.c's ---- */

/* file relative to dir (the plan's folder) */
char	   *upkit_plan_resolve(const char *dir, const char *file);
int			upkit_plan_find_db(const struct upkit_plan *p, const char *name);
char	  **upkit_plan_read_strings(struct upkit_spec_reader *r, const cJSON *obj, const char *path,
									const char *key, int ids, int *n);

#endif
