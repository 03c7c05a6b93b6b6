/*
 * render_common.h: small pieces that the renderers of several spec kinds
 * share (render_delta.c, render_updel.c, render_validate.c), kept in one
 * place.
 */
#ifndef UPKIT_RENDER_COMMON_H
#define UPKIT_RENDER_COMMON_H

#include "fill.h"
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

/*
 * A template's placeholder values (fill.h), owned by the list: a renderer
 * adds them one by one, hands v and n to upkit_fill_units and frees them
 * together.  More than UPKIT_RENDER_MAX_VARS is a renderer's bug: abort.
 */
#define UPKIT_RENDER_MAX_VARS 64
struct upkit_render_vars
{
	struct upkit_fill_var v[UPKIT_RENDER_MAX_VARS];
	struct strbuf val[UPKIT_RENDER_MAX_VARS];
	int			n;
};

/* Add NAME with a copy of value (NULL: empty). */
void		upkit_render_var(struct upkit_render_vars *vs, const char *name, const char *value);
/* Add NAME with sb's text, moved into the list: sb is left empty. */
void		upkit_render_var_sb(struct upkit_render_vars *vs, const char *name, struct strbuf *sb);
void		upkit_render_vars_free(struct upkit_render_vars *vs);

#endif
