/*
 * dataareaid.h: the virtual-company rule for expressions written in specs
 * (DESIGN.md "AX conventions"): a DATAAREAID is compared with a parameter
 * or a literal, never with another DATAAREAID.  With virtual companies two
 * tables keep one company's data under different DATAAREAIDs, so
 * A.DATAAREAID = B.DATAAREAID silently drops (or, with the same id twice,
 * keeps) the wrong rows; and INVENTTRANS.DATAAREAID = INVENTTRANS.DATAAREAID
 * (the reference's own sample) compares a column with itself and filters
 * nothing.  The generated procedures compare each per-company table with
 * its own company parameter instead.
 *
 * The detector reads an expression that upkit_expr_check accepted, as
 * tokens outside literals: a column reference is a chain of names joined
 * by '.', each plain or quoted ("x", and on SQL Server [x]); it names a
 * DATAAREAID when its last name is DATAAREAID in any case.  A comparison
 * (=, <>, !=, <, >, <=, >=, IN, IS [NOT] DISTINCT FROM) with such a
 * reference on both sides is refused, whatever parentheses stand between
 * the reference and the operator, in either order.
 */
#ifndef UPKIT_DATAAREAID_H
#define UPKIT_DATAAREAID_H

#include <stddef.h>

#include "dialect.h"

/*
 * 0 when expr compares no DATAAREAID with another; else -1 and a reason in
 * why that names both references and cites the rule.
 */
int			upkit_dataareaid_check(const char *expr, enum upkit_dialect d, char *why, size_t n);

#endif
