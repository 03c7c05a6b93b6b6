/*
 * runtime_pg.c: the PostgreSQL runtime (see runtime.h): the upkit
 * extension, created when missing and brought up to this upkit's version,
 * then any functions/pg/ and procs/pg/ scripts (none today).
 */
#include "runtime.h"

static void
pg_prelude(struct upkit_units *out)
{
	static const char sql[] = "CREATE EXTENSION IF NOT EXISTS upkit;\nALTER EXTENSION upkit UPDATE;\n";
	struct upkit_unit *u = upkit_unit_add(out, UPKIT_DIALECT_PG, "extension", NULL,
													  "upkit", NULL, "extension/upkit.control");

	u->replace = UPKIT_UNIT_KEEPS;
	upkit_unit_print(u, "\n", 1);
	upkit_unit_append(u, sql, sizeof sql - 1);
	upkit_unit_end_batch(u);
}

const struct upkit_runtime upkit_runtime_pg = {
	.dirs = {"functions/pg/", "procs/pg/", NULL},
	.files = NULL,
	.n_files = 0,
	.prelude = pg_prelude,
};
