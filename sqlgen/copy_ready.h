/*
 * copy_ready.h: an affected table's readiness through the mapping file's
 * ready function, for both engines' catalog readers (copy_ready.c).
 */
#ifndef UPKIT_COPY_READY_H
#define UPKIT_COPY_READY_H

#include "conn.h"
#include "copy_map.h"
#include "strbuf.h"

/*
 * Run sql (the call of fn, with the company as its one parameter when the
 * rule lists companies, else none) once per company: 1 when every answer
 * is true_value, 0 when one is not, -1 on error (c->error).  note says
 * "FN is true for every company" or "FN is false for 'ceu', 'dat'".
 */
int			copy_ready_by_function(struct upkit_conn *c, const char *fn, const char *sql,
								   const struct copy_shadow_rule *sh, const char *true_value,
								   struct strbuf *note);

#endif
