/*-------------------------------------------------------------------------
 *
 * upkit.c
 *	  Module entry point of the upkit extension.
 *
 * The SQL-callable functions live one concern per file
 * (fmt_numbersequence.c, ...); this file only carries the module magic.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"

PG_MODULE_MAGIC;
