-- upkit 0.3 -> 0.4.  CREATE EXTENSION upkit runs upkit--0.1.sql, then each
-- upgrade script in turn; ALTER EXTENSION upkit UPDATE brings an older
-- version here.  Each topic has its own section.
\echo Use "CREATE EXTENSION upkit" or "ALTER EXTENSION upkit UPDATE" to load this file. \quit

-- == readiness check aggregate ==
-- upkit.collect(value): array_agg (the same C functions, the same result)
-- with the size of its state declared.  PostgreSQL assumes 8 kB per group
-- for an aggregate whose state is "internal" and so plans array_agg over a
-- million mostly unique groups as a sort; array_agg's state for a small
-- group is about 200 bytes (the build state, room for 8 values and their
-- null flags, their allocation headers), and with that figure the planner
-- picks the hash aggregate it picks for count(*).  The generated "unique"
-- check (sqlgen/render_validate.c) uses it to read its table once: each
-- group of the future index's columns with its count and its rows' RECIDs,
-- where a join back to the table would read it twice.  Not parallel (no
-- combine function in PostgreSQL 15); large groups grow as array_agg's do.
CREATE AGGREGATE upkit.collect(anynonarray) (
    SFUNC = pg_catalog.array_agg_transfn,
    STYPE = internal,
    SSPACE = 200,
    FINALFUNC = pg_catalog.array_agg_finalfn,
    FINALFUNC_EXTRA
);

COMMENT ON AGGREGATE upkit.collect(anynonarray) IS
'upkit: array_agg with the size of its state declared (about 200 bytes for a small group), so the planner can hash-aggregate many groups; the generated unique readiness check collects each group''s RECIDs with it in one pass.';
-- == end of readiness check aggregate ==
