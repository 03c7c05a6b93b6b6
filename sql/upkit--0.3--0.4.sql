-- upkit 0.3 -> 0.4.  CREATE EXTENSION upkit runs upkit--0.1.sql, then each
-- upgrade script in turn; ALTER EXTENSION upkit UPDATE brings an older
-- version here.  Each topic has its own section.
\echo Use "CREATE EXTENSION upkit" or "ALTER EXTENSION upkit UPDATE" to load this file. \quit

-- == readiness check aggregate ==
-- upkit.collect(value): array_agg's result (every value of the group, NULLs
-- kept, in input order) from a state that stays small while the group has
-- one value (extension/collect.c): the value itself; array_agg's state is
-- made when a second value arrives.  The generated "unique" check
-- (sqlgen/render_validate_pg.c) uses it to read its table once: each group
-- of the future index's columns with its count and its rows' RECIDs, where
-- a join back to the table would read it twice.  On a million rows of
-- mostly single-row groups the state's size decides how much of the hash
-- table spills; it is declared (SSPACE, about 48 bytes with the allocation
-- header), so the planner hashes the groups as it does for count(*), where
-- for array_agg's undeclared "internal" state it assumes 8 kB and sorts.
-- Not parallel (no combine function); large groups grow as array_agg's do.
CREATE FUNCTION upkit.collect_transfn(internal, anynonarray)
RETURNS internal
AS 'MODULE_PATHNAME', 'upkit_collect_transfn'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION upkit.collect_finalfn(internal, anynonarray)
RETURNS anyarray
AS 'MODULE_PATHNAME', 'upkit_collect_finalfn'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE upkit.collect(anynonarray) (
    SFUNC = upkit.collect_transfn,
    STYPE = internal,
    SSPACE = 48,
    FINALFUNC = upkit.collect_finalfn,
    FINALFUNC_EXTRA
);

COMMENT ON AGGREGATE upkit.collect(anynonarray) IS
'upkit: array_agg''s result from a state that stays small (about 48 bytes, declared) while a group has one value, so the planner can hash-aggregate a million mostly single-row groups; the generated unique readiness check collects each group''s RECIDs with it in one pass.';
-- == end of readiness check aggregate ==
