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
