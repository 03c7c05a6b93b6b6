-- upkit 0.1 -> 0.2: RECID and number-sequence reservation, and the AX
-- kernel's RECID rules for tables that opt in (upkit.recid_guard).
-- CREATE EXTENSION upkit runs upkit--0.1.sql, then this file.
\echo Use "CREATE EXTENSION upkit" or "ALTER EXTENSION upkit UPDATE" to load this file. \quit

CREATE FUNCTION upkit.reserve_recids(tabid int, n bigint)
RETURNS bigint
AS 'MODULE_PATHNAME', 'upkit_reserve_recids'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION upkit.reserve_recids(int, bigint) IS
'Reserves n contiguous RECIDs of table tabid and returns the first: the caller owns [start, start + n - 1]. Advances NEXTVAL of the tabid''s SYSTEMSEQUENCES row (ID = -1; a table without a row starts at 5637144576) in a committed step of its own, so a range is never handed out twice, also after a rollback or a crash (gaps are possible). SYSTEMSEQUENCES is found through search_path (42P01 if none). 22023 for n < 1, 22003 past the bigint range, 22004 for NULL.';

CREATE FUNCTION upkit.reserve_recids_transactional(tabid int, n bigint)
RETURNS bigint
AS 'MODULE_PATHNAME', 'upkit_reserve_recids_transactional'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION upkit.reserve_recids_transactional(int, bigint) IS
'Reserves n contiguous RECIDs of table tabid like reserve_recids, but advances NEXTVAL in the caller''s transaction: the SYSTEMSEQUENCES row stays locked until commit and a rollback gives the range back. Only for RECIDs that are used solely in rows the same transaction inserts (the generated set-based insert procedures); such ranges are not accepted by recid_guard. Same errors as reserve_recids.';

CREATE FUNCTION upkit.reserve_numbers(dataareaid text, numbersequence text, n bigint,
                                      OUT first_number bigint, OUT format text)
AS 'MODULE_PATHNAME', 'upkit_reserve_numbers'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION upkit.reserve_numbers(text, text, bigint) IS
'Reserves n numbers of the number sequence (dataareaid, numbersequence) in the caller''s transaction: returns the first number and the FORMAT, and advances NEXTREC by n. NUMBERSEQUENCETABLE is found through search_path (42P01 if none). P0002 when the sequence does not exist, 22003 past HIGHEST (when HIGHEST > 0) or past bigint, 22023 for n < 1, 22004 for NULL.';

CREATE FUNCTION upkit.suspend_recids(tabid int)
RETURNS void
AS 'MODULE_PATHNAME', 'upkit_suspend_recids'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION upkit.suspend_recids(int) IS
'Suspends RECID allocation for table tabid in this session (until upkit.remove_recid_suspension or the end of the session): upkit.recid_guard then numbers no rows and accepts only RECIDs from ranges this session reserved.';

CREATE FUNCTION upkit.remove_recid_suspension(tabid int)
RETURNS void
AS 'MODULE_PATHNAME', 'upkit_remove_recid_suspension'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION upkit.remove_recid_suspension(int) IS
'Ends this session''s RECID suspension of table tabid; rows without RECID are numbered by the allocator again.';

CREATE FUNCTION upkit.recid_guard()
RETURNS trigger
AS 'MODULE_PATHNAME', 'upkit_recid_guard'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION upkit.recid_guard() IS
'BEFORE INSERT FOR EACH ROW trigger with the table''s TABID as argument: numbers rows without RECID (NULL or 0) from a block this session reserved; refuses them while the table is suspended (55000); refuses a given RECID unless the table is suspended (55000) and the RECID lies in a range this session reserved (23514).';

-- Minimal AX tables, created in the first schema of the caller's search_path
-- that exists and is not upkit's own, when search_path shows none.  Runs
-- with the caller's search_path on purpose; everything else is
-- schema-qualified.
CREATE FUNCTION upkit.create_ax_tables()
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    target name;
BEGIN
    SELECT s INTO target
      FROM pg_catalog.unnest(pg_catalog.current_schemas(false)) WITH ORDINALITY AS t(s, i)
     WHERE s OPERATOR(pg_catalog.<>) 'upkit' AND s::pg_catalog.text OPERATOR(pg_catalog.!~~) 'pg\_temp\_%'
     ORDER BY i LIMIT 1;
    IF target IS NULL THEN
        RAISE EXCEPTION 'no schema to create the AX tables in: search_path "%" names no existing schema but upkit',
            pg_catalog.current_setting('search_path')
            USING ERRCODE = '3F000';
    END IF;
    IF pg_catalog.to_regclass('systemsequences') IS NULL THEN
        EXECUTE pg_catalog.format($ddl$
            CREATE TABLE %I.systemsequences (
                id         integer NOT NULL,
                tabid      integer NOT NULL,
                nextval    bigint  NOT NULL,
                minval     bigint  NOT NULL DEFAULT 1,
                maxval     bigint  NOT NULL DEFAULT 9223372036854775807,
                cycle      integer NOT NULL DEFAULT 0,
                name       varchar(40) NOT NULL DEFAULT 'SEQNO',
                dataareaid varchar(4)  NOT NULL DEFAULT 'dat',
                recversion integer NOT NULL DEFAULT 1,
                PRIMARY KEY (id, tabid)
            )$ddl$, target);
        EXECUTE pg_catalog.format($c$COMMENT ON TABLE %I.systemsequences IS %L$c$, target,
            'AX SYSTEMSEQUENCES, minimal (upkit.create_ax_tables): the row with ID = -1 holds the next RECID of table TABID');
    END IF;
    IF pg_catalog.to_regclass('numbersequencetable') IS NULL THEN
        EXECUTE pg_catalog.format($ddl$
            CREATE TABLE %I.numbersequencetable (
                dataareaid     varchar(4)  NOT NULL,
                numbersequence varchar(20) NOT NULL,
                txt            varchar(60) NOT NULL DEFAULT '',
                lowest         bigint  NOT NULL DEFAULT 1,
                highest        bigint  NOT NULL DEFAULT 0,
                nextrec        bigint  NOT NULL DEFAULT 1,
                format         varchar(40) NOT NULL,
                continuous     integer NOT NULL DEFAULT 0,
                recversion     integer NOT NULL DEFAULT 1,
                recid          bigint,
                PRIMARY KEY (dataareaid, numbersequence)
            )$ddl$, target);
        EXECUTE pg_catalog.format($c$COMMENT ON TABLE %I.numbersequencetable IS %L$c$, target,
            'AX NUMBERSEQUENCETABLE, minimal (upkit.create_ax_tables): NEXTREC is the next number, HIGHEST (when > 0) the largest allowed');
    END IF;
END
$$;

COMMENT ON FUNCTION upkit.create_ax_tables() IS
'Creates minimal AX-compatible SYSTEMSEQUENCES and NUMBERSEQUENCETABLE (lower-case AX column names) in the first schema of search_path that exists and is not upkit, each only when search_path shows no table of that name. Harmless to call twice.';
