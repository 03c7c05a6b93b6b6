/*
 * batches.h: what ends a T-SQL batch: a line that holds only GO (as SSMS
 * and sqlcmd read it).  Our own templates and runtime files are cut into
 * batches at such lines when they become units (fill.h, units.h); nothing
 * splits generated output.
 */
#ifndef UPKIT_BATCHES_H
#define UPKIT_BATCHES_H

#include <stddef.h>

#include "dialect.h"

/*
 * Is [s, s+n) a GO line: "GO" in any case, optionally followed by a count
 * and by a comment ("--", slash-star), with any white space (ASCII or
 * Unicode, line ends included) around?  The one definition of a batch
 * separator: templates and runtime files are cut at it, and
 * upkit_expr_check refuses an expression that holds such a line.  SSMS and sqlcmd read "GO [count]"
 * with a comment after it the same way.
 */
int			upkit_is_go_line(const char *s, size_t n);

#endif
