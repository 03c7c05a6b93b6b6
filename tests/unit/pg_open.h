/*
 * pg_open.h: for the unit tests that talk to the test cluster (PGHOST set
 * by tests/harness/with-cluster.sh): open a PostgreSQL connection through
 * conn.h, printing why as a TAP comment when it fails.
 */
#ifndef UPKIT_TEST_PG_OPEN_H
#define UPKIT_TEST_PG_OPEN_H

#include <stdio.h>

#include "conn.h"

static inline struct upkit_conn *
open_pg(const char *conninfo)
{
	struct upkit_conn_target t = {0};
	struct strbuf err = STRBUF_INIT;
	struct upkit_conn *c;

	t.dialect = UPKIT_DIALECT_PG;
	t.conninfo = conninfo;
	c = upkit_conn_open(&t, &err);
	if (c == NULL)
		printf("# %s\n", sb_str(&err));
	sb_free(&err);
	return c;
}

#endif
