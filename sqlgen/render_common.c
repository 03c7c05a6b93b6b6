/*
 * render_common.c: pieces several spec kinds' renderers share (see
 * render_common.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "comment.h"
#include "render_common.h"

void
upkit_render_dollar_tag(struct strbuf *sb, const struct upkit_spec *spec)
{
	char	   *all = cJSON_PrintUnformatted(spec->json);
	char		tag[32];

	snprintf(tag, sizeof tag, "$upkit$");
	for (int i = 1; all && strstr(all, tag + 1) != NULL; i++)
		snprintf(tag, sizeof tag, "$upkit_%d$", i);
	sb_append(sb, tag);
	free(all);
}

void
upkit_render_comment_block(struct strbuf *sb, const char *text)
{
	size_t		start = sb->len;

	if (text == NULL || text[0] == '\0')
		return;
	upkit_comment_lines(sb, "", text);
	if (sb->len > start && sb->data[sb->len - 1] == '\n')
		sb->data[--sb->len] = '\0';
}

void
upkit_render_var_sb(struct upkit_render_vars *vs, const char *name, struct strbuf *sb)
{
	if (vs->n >= UPKIT_RENDER_MAX_VARS)
		abort();
	vs->val[vs->n] = *sb;
	*sb = (struct strbuf) STRBUF_INIT;
	vs->v[vs->n].name = name;
	vs->v[vs->n].value = sb_str(&vs->val[vs->n]);
	vs->n++;
}

void
upkit_render_var(struct upkit_render_vars *vs, const char *name, const char *value)
{
	struct strbuf sb = STRBUF_INIT;

	sb_append(&sb, value ? value : "");
	upkit_render_var_sb(vs, name, &sb);
}

void
upkit_render_vars_free(struct upkit_render_vars *vs)
{
	for (int i = 0; i < vs->n; i++)
		sb_free(&vs->val[i]);
	vs->n = 0;
}
