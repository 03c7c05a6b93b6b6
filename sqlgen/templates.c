/*
 * templates.c: look-ups in the embedded SQL files (see templates.h).
 */
#include <string.h>

#include "templates.h"

const struct upkit_template *
upkit_template_find(const char *path)
{
	const struct upkit_template *t;

	for (t = upkit_templates; t->path != NULL; t++)
		if (strcmp(t->path, path) == 0)
			return t;
	return NULL;
}
