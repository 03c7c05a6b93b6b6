/*
 * transfer_side.h: what "upkit transfer" asks of one system, per engine:
 * the statements of its checks, its marker, its foreign keys and its
 * sequence sync (transfer_side_pg.c: the upkit extension's tables and
 * PostgreSQL's catalog; transfer_side_mssql.c: the T-SQL runtime's
 * [dbo].[UPKIT_*] tables and sys.*).  The transfer's shared code
 * (transfer_*.c) takes the statements of a connection's engine
 * (transfer_side_of) and never asks which engine it talks to.
 *
 * Every value is a parameter ($1.. on PostgreSQL, @P1.. on SQL Server,
 * conn.h); the only names in SQL text are the runtime's own and, where a
 * statement has a %s, a catalog name quoted for its engine.  A yes/no
 * answer is one row whose first cell is "t" or "1".
 */
#ifndef UPKIT_TRANSFER_SIDE_H
#define UPKIT_TRANSFER_SIDE_H

#include "conn.h"
#include "dialect.h"

struct transfer;				/* transfer.h */

struct transfer_side
{
	enum upkit_dialect dialect;
	const char *install;		/* how a system gets upkit's state tables */
	/* upkit's tables, quoted and qualified (for statements and messages) */
	const char *marker,
			   *delta_state,
			   *live_state,
			   *delta_run,
			   *validation_run,
			   *copy_ledger;
	const char *delta_state_key;	/* the same as schema.name, as the catalog spells them */
	/* the AX tables' names as the catalog spells them */
	const char *dictionary,
			   *numbers,
			   *systemsequences;

	/* 1: the relation $1 (qualified) exists */
	const char *exists;
	/* the catalog's spelling of table $2 (any case) in schema $1 */
	const char *resolve;
	/* a table's columns in order: name, type, then any type details; $1 schema, $2 table */
	const char *columns;
	/*
	 * The columns of table $1.$2 whose values the copy into this
	 * engine cannot keep, and why (NULL: none such).
	 */
	const char *uncopyable_columns;
	/* SQLDICTIONARY's table id of the table named $1 (any case); %s: SQLDICTIONARY */
	const char *table_id;
	/*
	 * upkit's tables and counters on a system: schema, name, 1 when a
	 * counter, the counter's last value (-1: none).  The ledgers among them
	 * (of one system, never moved) match a pattern of ledgers ("X*": a
	 * prefix); names compare without regard to case.
	 */
	const char *state_tables;
	const char *const *ledgers;
	/* a counter's last value (-1: none); $1 its quoted name */
	const char *counter_value;
	/* the foreign keys between two different tables: child schema, name, parent schema, name */
	const char *foreign_keys;

	/* the latest marker: id, 1 when a transfer began, its end (NULL: none), last delta run, marked at */
	const char *marker_latest;
	/* delta runs since the mark: count, the latest (text); $1 the marker's last delta run */
	const char *delta_runs_since;
	/* validation runs begun since the mark: count, the latest; $1 the marker id */
	const char *validation_runs_since;
	/* the marker row $1, locked, not finished: 1 when its transfer began */
	const char *marker_lock;
	/* forget the copy ledger's rows of table $1.$2 */
	const char *ledger_forget;
	/* record the start ($2: --from as given) and the end of marker $1 */
	const char *marker_start,
			   *marker_done;
	/* the marker $1's value of number sequence $2 (COMPANY:SEQUENCE), of RECID table id $2 */
	const char *backup_number,
			   *backup_recid;

	/* test's delta not complete: shadow, company, new, updated, deleted */
	const char *delta_not_ready;
	/* test's live fills not done: shadow, company, status */
	const char *live_not_done;
	/* delta_state rows of shadow $1 (schema.table): a count */
	const char *delta_state_rows;
	/* production's moved delta state marked not ready */
	const char *clear_ready;

	/* NEXTREC, HIGHEST, FORMAT of company $1 sequence $2; %s: NUMBERSEQUENCETABLE, %s: the lock */
	const char *read_number;
	/* NEXTVAL (then 0, '') of table id $1 in SYSTEMSEQUENCES (ID = -1); %s: the table, %s: the lock */
	const char *read_recid;
	const char *lock_row;		/* what read_* append to lock the row */

	/*
	 * In production's open transaction: production's NEXTREC of company
	 * $1 sequence $2 to the larger of it and $4 (never lower), HIGHEST
	 * to $5; $3 the value at the backup (both moved past it: refused).
	 * %s: NUMBERSEQUENCETABLE.
	 */
	const char *sync_number;
	/* the only AX schema sync_number works in (NULL: any) */
	const char *sync_schema;

	/* the moved tables' own counters (serials) past their largest value; NULL: none to move */
	int			(*sync_serials) (struct upkit_conn *prod, const char *schema, const char *table);
	/* a state counter $1 raised to $2 (never lowered); NULL: the engine has none */
	const char *raise_counter;

	/*
	 * --replace, in production's open transaction (transfer_begin): empty
	 * the moved tables, the engine's way; how gets which way it took (for
	 * the progress line).  Both fall back on, or use, transfer_delete_rows
	 * (transfer_order.c: a DELETE per table, children first).
	 */
	int			(*empty) (const struct transfer *tr, struct upkit_conn *prod, struct strbuf *how);
};

extern const struct transfer_side transfer_side_pg;
extern const struct transfer_side transfer_side_mssql;

const struct transfer_side *transfer_side_of(const struct upkit_conn *c);

/* A yes/no statement's answer: 1, 0, -1 (c->error). */
int			transfer_side_yes(struct upkit_conn *c, const char *sql, int nparams, const char *const *params);

/* Is name one of the side's ledgers (a pattern "X*" matches a prefix)? */
int			transfer_side_is_ledger(const struct transfer_side *s, const char *name);

#endif
