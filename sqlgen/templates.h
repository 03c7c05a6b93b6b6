/*
 * templates.h: the SQL files embedded in the upkit command.
 *
 * functions/<dialect>/NAME.sql and procs/<dialect>/NAME.sql are runtime scripts
 * (installed as they are); *.sql.in files are templates the renderers fill in.
 * The table is generated at build time by sqlgen/embed.sh, in path order.
 */
#ifndef UPKIT_TEMPLATES_H
#define UPKIT_TEMPLATES_H

#include <stddef.h>

struct upkit_template
{
	const char *path;			/* repository path, e.g. "functions/mssql/X.sql" */
	const char *text;			/* NUL-terminated contents */
	size_t		len;
};

/* Terminated by an entry whose path is NULL. */
extern const struct upkit_template upkit_templates[];

/* The embedded file at this repository path, or NULL. */
const struct upkit_template *upkit_template_find(const char *path);

#endif
