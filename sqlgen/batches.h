/*
 * batches.h: split a generated script into the batches that are sent to the
 * server one at a time.
 *
 * SQL Server: a batch ends at a line that holds only GO (as SSMS and sqlcmd
 * read it).  PostgreSQL: a batch ends before a line "-- From ..." or
 * "-- upkit: ...", the markers every generated part starts with.  Each batch
 * keeps the line it starts on and the latest marker, so an error can say
 * which object failed.
 */
#ifndef UPKIT_BATCHES_H
#define UPKIT_BATCHES_H

#include <stddef.h>

#include "dialect.h"

struct upkit_batch
{
	char	   *text;			/* NUL-terminated, owned */
	int			first_line;		/* 1-based line of the script */
	char	   *origin;			/* the latest marker's text, or NULL; owned */
};

struct upkit_batches
{
	struct upkit_batch *items;
	int			n;
};

/*
 * Is [s, s+n) a GO line: "GO" in any case, optionally followed by a count
 * and by a comment ("--", slash-star), with any white space (ASCII or
 * Unicode, line ends included) around?  The one definition of a batch
 * separator: the splitter below uses it, and upkit_expr_check refuses an
 * expression that holds such a line.  SSMS and sqlcmd read "GO [count]"
 * with a comment after it the same way.
 */
int			upkit_is_go_line(const char *s, size_t n);

/* Split script; batches holding only blanks and comments are dropped. */
void		upkit_split_batches(const char *script, enum upkit_dialect d,
								struct upkit_batches *out);
void		upkit_free_batches(struct upkit_batches *b);

#endif
