/*
 * render_common.h: small pieces that the renderers of several spec kinds
 * share (render_delta.c, render_updel.c), kept in one place.
 */
#ifndef UPKIT_RENDER_COMMON_H
#define UPKIT_RENDER_COMMON_H

#include "spec.h"
#include "strbuf.h"

/*
 * Append a PostgreSQL dollar-quote tag ("$upkit$", else "$upkit_N$") that
 * no text of the spec contains, so nothing from the spec can end the body.
 */
void		upkit_render_dollar_tag(struct strbuf *sb, const struct upkit_spec *spec);

/*
 * Append text as comment lines (upkit_comment_lines) without the last line
 * end: the template puts the placeholder on a line of its own.  Nothing for
 * NULL or empty text.
 */
void		upkit_render_comment_block(struct strbuf *sb, const char *text);

#endif
