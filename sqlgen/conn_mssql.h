/*
 * conn_mssql.h: what the copy needs of a SQL Server connection beyond
 * conn.h: its db-lib DBPROCESS, for the row reader (dbsqlexec, dbresults,
 * dbnextrow, dbdata) and the bulk copy (bcp_init ... bcp_done) in
 * copy_source_mssql.c and copy_target_mssql.c.  Server messages and
 * db-lib errors on it still land in the connection's error (conn.h).
 * Every SQL Server login upkit makes has bulk copy enabled (BCP_SETL).
 */
#ifndef UPKIT_CONN_MSSQL_H
#define UPKIT_CONN_MSSQL_H

#include <sybfront.h>
#include <sybdb.h>

#include "conn.h"

/* The DBPROCESS of a SQL Server connection (c->dialect must be mssql). */
DBPROCESS  *upkit_conn_mssql_dbproc(struct upkit_conn *c);

/* Start a call on c: forget the last error; 0.  (The error handlers fill it.) */
void		upkit_conn_mssql_start(struct upkit_conn *c);

/* Did an error come since upkit_conn_mssql_start?  Then c->error says what. */
int			upkit_conn_mssql_failed(struct upkit_conn *c);

#endif
