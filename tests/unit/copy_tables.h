/*
 * copy_tables.h: table descriptions by hand, for the copy's unit tests
 * (test_copy_map.c, test_copy_mssql.c).
 */
#ifndef UPKIT_TEST_COPY_TABLES_H
#define UPKIT_TEST_COPY_TABLES_H

#include <stdlib.h>
#include <string.h>

#include "copy_map.h"

/* Build a table from "name:type;name:type;..."; a '!' before the name: NOT NULL without default. */
static void
add_table(struct copy_db_desc *db, const char *name, int tabid, const char *cols)
{
	struct copy_table_desc *t = copy_db_add_table(db, name);
	char	   *list = xstrdup(cols);
	char	   *save = NULL;

	t->tabid = tabid;
	for (char *c = strtok_r(list, ";", &save); c; c = strtok_r(NULL, ";", &save))
	{
		char	   *colon = strchr(c, ':');

		*colon = '\0';
		copy_table_add_column(t, c + (c[0] == '!'), colon + 1)->notnull = c[0] == '!';
	}
	free(list);
}

#endif
