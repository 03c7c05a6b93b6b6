-- upkit 0.2 -> 0.3.  CREATE EXTENSION upkit runs upkit--0.1.sql, then each
-- upgrade script in turn; ALTER EXTENSION upkit UPDATE brings an older
-- version here.  Each topic has its own section.
\echo Use "CREATE EXTENSION upkit" or "ALTER EXTENSION upkit UPDATE" to load this file. \quit

-- == insert runs ==
-- The record of the generated insert procedures' calls (DESIGN.md
-- "Idempotency"; procs/pg/insert.sql.in): one row per procedure and
-- company, upserted by each call in the caller's transaction, so it commits
-- or rolls back with the rows the call inserted.  Its row lock makes a
-- second concurrent call for the same company wait for the first.  A spec
-- without a key ("rerun" mode "record") refuses a second call when its row
-- shows a successful call, unless called with p_force => true.  Deleting a
-- row lets the procedure run again for that company.  pg_dump keeps the rows
-- (pg_extension_config_dump), so a restored database remembers its calls.
CREATE TABLE upkit.insert_runs (
    procedure_schema text        NOT NULL,  -- the procedure, as the catalog names it
    procedure_name   text        NOT NULL,
    dataareaid       text        NOT NULL,  -- the company; '' for a procedure without one
    calls            integer     NOT NULL,  -- successful calls (the first, then each forced one)
    last_rows        bigint      NOT NULL,  -- rows the last successful call inserted
    total_rows       bigint      NOT NULL,  -- rows all of them inserted
    first_call_at    timestamptz NOT NULL DEFAULT now(),
    last_call_at     timestamptz NOT NULL,  -- the start of the last successful call's transaction
    last_call_by     text        NOT NULL,
    PRIMARY KEY (procedure_schema, procedure_name, dataareaid)
);

COMMENT ON TABLE upkit.insert_runs IS
'Successful calls of the generated insert procedures, per procedure and company (DESIGN.md "Idempotency"): a procedure whose spec names no key refuses a second call for a company that has a row here, unless called with p_force => true. Delete a row to let the procedure run again for that company.';

SELECT pg_catalog.pg_extension_config_dump('upkit.insert_runs', '');
-- == end of insert runs ==
