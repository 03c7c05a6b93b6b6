/*
 * comment.h: text that ends up in "--" comments of generated SQL
 * (descriptions, X++ lines, DATAAREAIDs, spec file names, names) and in
 * messages on the terminal.
 *
 * A "--" comment ends at a line end, and what follows runs: PostgreSQL's
 * and psql's lexers end it at LF or CR, T-SQL's at LF or CR, and editors
 * (SSMS among them) also break lines at NEL (U+0085), LINE SEPARATOR
 * (U+2028) and PARAGRAPH SEPARATOR (U+2029); psql runs a backslash command
 * that starts a line, SSMS and sqlcmd split batches at a line "GO".  So
 * every character that ends a line, and every other control character
 * (C0 but tab, DEL, C1), is decided here, in one place:
 *
 *   - text the spec's author writes (descriptions, X++, DATAAREAIDs, names)
 *     is checked by upkit_text_check and refused with a clear reason;
 *   - upkit_comment_lines writes multi-line text as "-- | line" lines, a
 *     line per line end of any kind;
 *   - upkit_comment_escape writes text that is not the author's to check (a
 *     spec file's name) on one line, with every line end and control
 *     character escaped (\n, \r, \t, \xNN, \u2028).
 *
 * The writers hold even for text no check has seen: nothing they write can
 * end a comment early.
 */
#ifndef UPKIT_COMMENT_H
#define UPKIT_COMMENT_H

#include <stddef.h>

#include "strbuf.h"

/*
 * Find the first character text may not hold: invalid UTF-8, a control
 * character or a line end.  With lines set, LF and CR LF (line ends) and
 * tab pass.  Returns 0 when there is none; else 1 with *off its byte offset
 * and what its name ("U+000D, carriage return"), or -1 for invalid UTF-8.
 */
int			upkit_text_find_bad(const char *text, int lines, size_t *off,
								char *what, size_t whatn);

/*
 * 0 when text may become comment lines (lines set: tab and line feeds
 * allowed) or one comment line (lines not set: no tab or line end); else
 * -1 and a reason in why.
 */
int			upkit_text_check(const char *text, int lines, char *why, size_t n);

/*
 * Append text as comment lines "<indent>-- | line", a line for each line
 * end of any kind (LF, CR LF, CR, U+0085, U+2028, U+2029), trailing blanks
 * cut, other control characters escaped; so no line of it can act as code,
 * a GO line, a psql command or a batch marker.
 */
void		upkit_comment_lines(struct strbuf *sb, const char *indent, const char *text);

/* Append text for one comment line (or a message), every control character escaped. */
void		upkit_comment_escape(struct strbuf *sb, const char *text);
/* The same, as a malloc'd string. */
char	   *upkit_comment_escaped(const char *text);

#endif
