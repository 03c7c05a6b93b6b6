/*-------------------------------------------------------------------------
 *
 * collect.c
 *	  upkit.collect(value): array_agg's result (every value of the group,
 *	  NULLs kept, in input order) from a state that stays small while the
 *	  group has one value.
 *
 * The generated "unique" readiness check (sqlgen/render_validate_pg.c)
 * reads its table once: one hash aggregate over the future index's
 * columns gives each group's count and, through this aggregate, its rows'
 * RECIDs; the groups of more than one row are unnested into their rows.
 * On a million rows almost every group has one row, so what a group's
 * state costs decides how much of the hash table spills to disk.
 * array_agg's state is an ArrayBuildState with room for 8 values, about
 * 200 bytes with its allocation headers, and the planner assumes 8 kB for
 * it (an "internal" state without a declared size), so it sorts the table
 * instead.  Here a group with one value holds just that value (a small
 * struct); the ArrayBuildState is made when a second value arrives, from
 * then on exactly array_agg's.  The aggregate declares the small size
 * (SSPACE), so the planner hashes, as it does for the bare count.
 *
 * Memory: everything lives in the aggregate's context (AggCheckCallContext),
 * as array_agg's state does; a value that is not passed by value is copied
 * there.  Not parallel (no combine function); safe in any query.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/array.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"

/* A group's state: its first value, then (from the second on) all of them. */
typedef struct CollectState
{
	Datum		first;
	bool		first_null;
	ArrayBuildState *all;		/* NULL while the group has one value */
} CollectState;

/* The element type's properties, looked up once per query (fn_extra). */
typedef struct CollectType
{
	Oid			type;
	int16		typlen;
	bool		typbyval;
	char		typalign;
} CollectType;

static const CollectType *
collect_type(FunctionCallInfo fcinfo)
{
	CollectType *t = (CollectType *) fcinfo->flinfo->fn_extra;

	if (t == NULL)
	{
		Oid			type = get_fn_expr_argtype(fcinfo->flinfo, 1);

		if (!OidIsValid(type))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("upkit.collect: could not determine the input data type")));
		t = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(CollectType));
		t->type = type;
		get_typlenbyvalalign(type, &t->typlen, &t->typbyval, &t->typalign);
		fcinfo->flinfo->fn_extra = t;
	}
	return t;
}

PG_FUNCTION_INFO_V1(upkit_collect_transfn);
PG_FUNCTION_INFO_V1(upkit_collect_finalfn);

Datum
upkit_collect_transfn(PG_FUNCTION_ARGS)
{
	const CollectType *t = collect_type(fcinfo);
	MemoryContext aggcontext;
	CollectState *st;
	bool		isnull = PG_ARGISNULL(1);
	Datum		value = isnull ? (Datum) 0 : PG_GETARG_DATUM(1);

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "upkit_collect_transfn called in non-aggregate context");

	if (PG_ARGISNULL(0))
	{
		MemoryContext old = MemoryContextSwitchTo(aggcontext);

		st = palloc(sizeof(CollectState));
		st->first_null = isnull;
		/* As accumArrayResult does: a varlena detoasted, anything else copied. */
		if (isnull || t->typbyval)
			st->first = value;
		else if (t->typlen == -1)
			st->first = PointerGetDatum(PG_DETOAST_DATUM_COPY(value));
		else
			st->first = datumCopy(value, t->typbyval, t->typlen);
		st->all = NULL;
		MemoryContextSwitchTo(old);
		PG_RETURN_POINTER(st);
	}
	st = (CollectState *) PG_GETARG_POINTER(0);
	if (st->all == NULL)
	{
		/* The second value: from here on array_agg's own state. */
		st->all = initArrayResult(t->type, aggcontext, false);
		accumArrayResult(st->all, st->first, st->first_null, t->type, aggcontext);
		if (!st->first_null && !t->typbyval)
			pfree(DatumGetPointer(st->first));
		st->first = (Datum) 0;
	}
	accumArrayResult(st->all, value, isnull, t->type, aggcontext);
	PG_RETURN_POINTER(st);
}

Datum
upkit_collect_finalfn(PG_FUNCTION_ARGS)
{
	const CollectType *t = collect_type(fcinfo);
	CollectState *st;
	int			dims[1];
	int			lbs[1] = {1};

	/* Not callable directly: its first argument is internal. */
	Assert(AggCheckCallContext(fcinfo, NULL));
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();		/* no rows */
	st = (CollectState *) PG_GETARG_POINTER(0);
	if (st->all != NULL)
	{
		dims[0] = st->all->nelems;
		/* release = false: the state may be finalized again (a window) */
		PG_RETURN_DATUM(makeMdArrayResult(st->all, 1, dims, lbs, CurrentMemoryContext, false));
	}
	dims[0] = 1;
	PG_RETURN_ARRAYTYPE_P(construct_md_array(&st->first, &st->first_null, 1, dims, lbs,
											 t->type, t->typlen, t->typbyval, t->typalign));
}
