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

-- == reservation core ==
-- Issue 8: the behaviour of the C functions changed (no new objects); their
-- comments say what they promise now.
COMMENT ON FUNCTION upkit.fn_fmt_numbersequence(text, bigint, bigint, int) IS
'AX FN_FMT_NUMBERSEQUENCE: formats value + nextrec into format, each # a digit slot filled from the right, other characters copied; rjustify_length > 0 pads on the left with spaces to that many characters. Never truncates: 22003 when the number is negative or has more digits than slots, 22001 when the result is longer than rjustify_length, 22023 for a format without # or a negative rjustify_length, 54000 when the result would be longer than the 1 GB limit of a value. NULL in, NULL out.';

COMMENT ON FUNCTION upkit.reserve_recids_transactional(int, bigint) IS
'Reserves n contiguous RECIDs of table tabid like reserve_recids, but advances NEXTVAL in the caller''s transaction: the SYSTEMSEQUENCES row stays locked until commit and a rollback gives the range back. A table without a row gets one in the same transaction (starting at 5637144576), so a rollback leaves SYSTEMSEQUENCES exactly as it was. Only for RECIDs that are used solely in rows the same transaction inserts (the generated set-based insert procedures); such ranges are not accepted by recid_guard. Same errors as reserve_recids.';

COMMENT ON FUNCTION upkit.reserve_numbers(text, text, bigint) IS
'Reserves n numbers of the number sequence (dataareaid, numbersequence) in the caller''s transaction: returns the first number and the FORMAT, and advances NEXTREC by n. NUMBERSEQUENCETABLE is found through search_path (42P01 if none). P0002 when the sequence does not exist, 22003 past HIGHEST (when HIGHEST > 0) or past bigint, 22023 for n < 1, 22004 for a NULL argument, NEXTREC or FORMAT.';
-- == end of reservation core ==

-- == runner ledger ==
-- The ledger of "upkit run" (DESIGN.md "Jobs, plans and the runner";
-- docs/runner.md).  One row per run of a plan, one row per job and company
-- of a run.  A job's row says 'done' only in the transaction that did the
-- job's work: the runner locks the row (SELECT ... FOR UPDATE), refuses to
-- run a job whose row says 'done', does the work and sets 'done' before it
-- commits, so a crash of the runner or the server leaves either both or
-- neither, and a resumed run skips exactly the jobs that are done.  The
-- other states ('running', 'failed', 'interrupted', 'skipped') are written
-- in transactions of their own; a 'running' row whose run has gone is
-- taken as interrupted.  runner_runs.paused is the control flag of
-- "upkit pause" / "upkit resume": the runner starts no job while it is set.
-- pg_dump keeps both tables (pg_extension_config_dump).
CREATE TABLE upkit.runner_runs (
    plan        text        NOT NULL,  -- the plan's "name"
    run         integer     NOT NULL,  -- 1, 2, ...: a new run on purpose (upkit run --new-run)
    started_at  timestamptz NOT NULL DEFAULT now(),
    started_by  text        NOT NULL DEFAULT current_user,
    ended_at    timestamptz,           -- the last time a runner finished with it
    state       text        NOT NULL DEFAULT 'running'
                CHECK (state IN ('running', 'done', 'failed', 'interrupted')),
    paused      boolean     NOT NULL DEFAULT false,  -- upkit pause / upkit resume
    PRIMARY KEY (plan, run)
);

CREATE TABLE upkit.runner_jobs (
    plan        text        NOT NULL,
    run         integer     NOT NULL,
    job         text        NOT NULL,  -- the job's "id"
    company     text        NOT NULL,  -- a standard job's company; '' for the others
    state       text        NOT NULL
                CHECK (state IN ('pending', 'running', 'done', 'failed', 'paused', 'interrupted', 'skipped')),
    attempts    integer     NOT NULL DEFAULT 0,  -- times a runner started it
    started_at  timestamptz,
    ended_at    timestamptz,
    rows        bigint,                -- rows the job reported (a generated procedure's count)
    message     text,                  -- the server's error, or its notices
    PRIMARY KEY (plan, run, job, company),
    FOREIGN KEY (plan, run) REFERENCES upkit.runner_runs (plan, run)
);

COMMENT ON TABLE upkit.runner_runs IS
'Runs of upkit run, per plan (docs/runner.md); paused is the flag upkit pause / upkit resume set.';
COMMENT ON TABLE upkit.runner_jobs IS
'The ledger of upkit run: one row per job and company of a run; state done is written in the transaction of the job''s work, so a resumed run never does a job twice (docs/runner.md).';

SELECT pg_catalog.pg_extension_config_dump('upkit.runner_runs', '');
SELECT pg_catalog.pg_extension_config_dump('upkit.runner_jobs', '');
-- == end of runner ledger ==
