/*
 * script.h: the script that generate prints: a header, then the units'
 * texts (render.h) in order.
 */
#ifndef UPKIT_SCRIPT_H
#define UPKIT_SCRIPT_H

#include "dialect.h"
#include "strbuf.h"
#include "units.h"

/* Append the script of units (for d; procedures when nspecs > 0) to out. */
void		upkit_script_print(struct strbuf *out, enum upkit_dialect d, int nspecs,
							   const struct upkit_units *units);

#endif
