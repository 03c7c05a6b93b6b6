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

-- == delta state ==
--
-- The state the generated delta procedures keep (docs/delta.md, "State"):
--   upkit.delta_state  one row per shadow table and company (for a shared
--                      spec, its list of companies): the latest run, whether
--                      it found nothing to do (ready_to_copy), and the
--                      counts of the latest run that changed something;
--   upkit.delta_run    one row per completed run, clean runs included.
-- Both are extension members, so DROP EXTENSION upkit drops them with
-- their rows, and configuration tables (pg_extension_config_dump), so
-- pg_dump keeps their rows.
--
-- Up to 0.2 the generated delta script itself created upkit.delta_state
-- (CREATE TABLE IF NOT EXISTS), outside the extension.  A database that has
-- it keeps it and its rows: the table joins the extension here and gets the
-- new columns; elsewhere it is created with the 0.2 columns and then gets
-- the same new columns, so both paths end with one definition.  The 0.2
-- flag meant "the shadow matched the source after the last run that wrote
-- the state"; the 0.3 flag means "the latest run found nothing to do", which
-- no 0.2 row can vouch for, so upgraded rows start not ready (one clean run
-- sets them again).
DO $delta_state$
BEGIN
    IF pg_catalog.to_regclass('upkit.delta_state') IS NULL THEN
        CREATE TABLE upkit.delta_state (
            shadow_table  text        NOT NULL,
            dataareaid    text        NOT NULL,
            source_table  text        NOT NULL,
            new_rows      bigint      NOT NULL,
            updated_rows  bigint      NOT NULL,
            deleted_rows  bigint      NOT NULL,
            changed_at    timestamptz NOT NULL,
            ready_to_copy boolean     NOT NULL,
            PRIMARY KEY (shadow_table, dataareaid));
    ELSE
        ALTER EXTENSION upkit ADD TABLE upkit.delta_state;
    END IF;
END
$delta_state$;

ALTER TABLE upkit.delta_state
    ADD COLUMN IF NOT EXISTS last_run_at timestamptz,
    ADD COLUMN IF NOT EXISTS last_run_id bigint;
UPDATE upkit.delta_state
   SET last_run_at = changed_at, ready_to_copy = false
 WHERE last_run_at IS NULL;
ALTER TABLE upkit.delta_state ALTER COLUMN last_run_at SET NOT NULL;

COMMENT ON TABLE upkit.delta_state IS
'upkit delta state, one row per shadow table and company (a shared spec: its list of companies, ''dat,ceu''), written by every completed run of a generated delta procedure. ready_to_copy: the latest run (last_run_at, upkit.delta_run.run_id = last_run_id) found nothing to do, 0 new, 0 updated, 0 deleted; it says nothing about changes after that run: NAME_ready() also re-checks the source. new_rows, updated_rows, deleted_rows, changed_at: the latest run that changed something (0, 0, 0 and the first run''s start when none did). An extension configuration table: pg_dump keeps its rows, DROP EXTENSION upkit drops it.';
COMMENT ON COLUMN upkit.delta_state.shadow_table IS 'schema.table of the shadow table';
COMMENT ON COLUMN upkit.delta_state.dataareaid IS 'the company, or a shared spec''s list of companies (''dat,ceu'')';
COMMENT ON COLUMN upkit.delta_state.source_table IS 'schema.table of the source table';
COMMENT ON COLUMN upkit.delta_state.changed_at IS 'start of the latest run that changed something (of the first run when none did)';
COMMENT ON COLUMN upkit.delta_state.ready_to_copy IS 'true exactly when the latest run found 0 new, 0 updated, 0 deleted rows';
COMMENT ON COLUMN upkit.delta_state.last_run_at IS 'start of the latest completed run';
COMMENT ON COLUMN upkit.delta_state.last_run_id IS 'upkit.delta_run.run_id of the latest completed run (NULL for rows from upkit 0.2)';

CREATE TABLE upkit.delta_run (
    run_id        bigserial   PRIMARY KEY,
    shadow_table  text        NOT NULL,
    dataareaid    text        NOT NULL,
    source_table  text        NOT NULL,
    started_at    timestamptz NOT NULL,
    finished_at   timestamptz NOT NULL,
    new_rows      bigint      NOT NULL,
    updated_rows  bigint      NOT NULL,
    deleted_rows  bigint      NOT NULL,
    outcome       text        NOT NULL CHECK (outcome IN ('clean', 'changed')));
CREATE INDEX delta_run_shadow_idx ON upkit.delta_run (shadow_table, dataareaid, run_id);

COMMENT ON TABLE upkit.delta_run IS
'upkit delta run log: one row per completed run of a generated delta procedure, written in the run''s transaction (a run that fails or is rolled back leaves none). outcome clean: the run found 0 new, 0 updated, 0 deleted rows and wrote nothing to the shadow; changed: it brought the shadow up to date. started_at: when the procedure was called (before it waited for the run lock), finished_at: when it had done its work. Rows are never deleted by upkit: delete old ones when you like. An extension configuration table: pg_dump keeps its rows.';

SELECT pg_catalog.pg_extension_config_dump('upkit.delta_state', '');
SELECT pg_catalog.pg_extension_config_dump('upkit.delta_run', '');
SELECT pg_catalog.pg_extension_config_dump('upkit.delta_run_run_id_seq', '');

-- The one place of the NULL-key error (issue: a source row without RECID, or
-- without DATAAREAID, can be neither mapped nor reported; counting it as new
-- would make every run report a change that it never makes).  The generated
-- run and report both call it with the counts their classification found.
CREATE FUNCTION upkit.delta_check_keys(source_table text, scope text,
                                       null_recids bigint, null_dataareaids bigint)
RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF null_recids > 0 OR null_dataareaids > 0 THEN
        RAISE EXCEPTION 'upkit delta: % has % with a NULL RECID in % and % with a NULL DATAAREAID',
            source_table,
            CASE WHEN null_recids = 1 THEN '1 row' ELSE null_recids || ' rows' END, scope,
            CASE WHEN null_dataareaids = 1 THEN '1 row' ELSE null_dataareaids || ' rows' END
            USING ERRCODE = '23502',
                  DETAIL = 'A delta run can neither map nor report a source row without its key; nothing was changed and the shadow is not ready to copy.',
                  HINT = 'Give the rows their RECID and DATAAREAID (or delete them), then run again.';
    END IF;
END
$$;

COMMENT ON FUNCTION upkit.delta_check_keys(text, text, bigint, bigint) IS
'Used by the generated delta procedures and reports: raises 23502 naming the source table, the scope (company) and both counts when a source row in scope has a NULL RECID or a source row has a NULL DATAAREAID.';
-- == end of delta state ==

-- == copy ==
-- The ledger of "upkit copy" in the target database (docs/copy.md,
-- "Resume"): one row per target table and RECID range.  The copier writes a
-- table's rows (after its TRUNCATE, for the exception truncate_on_copy) in
-- one transaction before it copies the first range, then, in the
-- transaction that copies a range, locks the range's row, checks it is not
-- done, copies, and marks it done: a copier killed mid-range leaves neither
-- rows nor a done mark, so a re-run copies exactly the ranges not done.
-- mapping_hash is the fingerprint of the SELECT and the target columns; a
-- re-run with another mapping refuses the table instead of mixing rows of
-- two mappings.  Delete a table's rows (and empty it) to copy it afresh.
-- pg_dump keeps the rows (pg_extension_config_dump).
CREATE TABLE upkit.copy_ledger (
    target_schema text        NOT NULL,  -- as the catalog spells it
    target_table  text        NOT NULL,
    range_no      integer     NOT NULL,  -- 0 .. nranges - 1
    nranges       integer     NOT NULL,
    source_table  text        NOT NULL,  -- schema.table in the source
    range_lo      bigint,                -- RECID >= range_lo; NULL: no lower bound
    range_hi      bigint,                -- RECID <  range_hi; NULL: no upper bound
    mapping_hash  text        NOT NULL,
    done          boolean     NOT NULL DEFAULT false,
    rows          bigint,                -- rows the range's COPY wrote
    bytes         bigint,                -- bytes streamed for it
    planned_at    timestamptz NOT NULL DEFAULT now(),
    copied_at     timestamptz,
    PRIMARY KEY (target_schema, target_table, range_no)
);

COMMENT ON TABLE upkit.copy_ledger IS
'The ledger of upkit copy: one row per target table and RECID range, marked done in the transaction that copied the range, so that a re-run copies only what is not done. Delete a table''s rows (and empty the table) to copy it again.';

SELECT pg_catalog.pg_extension_config_dump('upkit.copy_ledger', '');

-- RECID safety after a copy (extension/recid_realign.c): raise NEXTVAL of
-- tabid to floor where it is lower (make the row where there is none) in the
-- caller's transaction, and drop what the shared cache holds for the table,
-- so that nothing below floor is handed out afterwards.  Returns NEXTVAL.
CREATE FUNCTION upkit.raise_recid_floor(tabid integer, floor bigint)
RETURNS bigint
AS 'MODULE_PATHNAME', 'upkit_raise_recid_floor'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION upkit.raise_recid_floor(integer, bigint) IS
'Makes SYSTEMSEQUENCES (found through search_path) hand out no RECID of table tabid below floor: raises NEXTVAL to floor where it is lower (NEXTVAL never goes down; a table without a row gets one), in the caller''s transaction, and drops the blocks the shared RECID cache holds for the table (with upkit preloaded a plain UPDATE would leave them in use). Returns NEXTVAL. Used by upkit copy after copying a table; 22023 for floor < 1.';
-- == end of copy ==

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

-- == live state ==
-- The state of the generated live procedures (docs/delta.md, "Live
-- preprocessing"; procs/pg/delta.sql.in, unit LIVE): one row per shadow
-- table and company (a shared spec: its list of companies), written by the
-- procedure in every batch's own transaction, so it always shows the last
-- committed batch: the checkpoint (the last source key read, in the order
-- DATAAREAID, RECID), the progress, and the control word the DBA sets.
-- Rows are kept after a fill (status done), so the history stays readable;
-- the next call starts a new fill from the beginning, which the not-exists
-- test makes cheap and harmless.  An extension configuration table:
-- pg_dump keeps its rows.
CREATE TABLE upkit.live_state (
    shadow_table          text        NOT NULL,
    dataareaid            text        NOT NULL,
    source_table          text        NOT NULL,
    status                text        NOT NULL
                          CHECK (status IN ('running', 'paused', 'done')),
    control               text        NOT NULL DEFAULT 'run'
                          CHECK (control IN ('run', 'pause')),
    pid                   integer,
    checkpoint_dataareaid text,
    checkpoint_recid      bigint,
    rows_done             bigint      NOT NULL DEFAULT 0,
    rows_estimated        bigint      NOT NULL DEFAULT 0,
    rows_left             bigint      GENERATED ALWAYS AS (greatest(rows_estimated - rows_done, 0)) STORED,
    batches               bigint      NOT NULL DEFAULT 0,
    batch_size            integer     NOT NULL,
    rows_per_second       numeric,
    last_batch_ms         numeric,
    last_batch_at         timestamptz,
    started_at            timestamptz NOT NULL,
    finished_at           timestamptz,
    PRIMARY KEY (shadow_table, dataareaid));

COMMENT ON TABLE upkit.live_state IS
'upkit live fill state, one row per shadow table and company (a shared spec: its list of companies), written by the generated NAME_live procedures in each batch''s transaction. status running / paused / done; control run or pause (upkit.live_control): pause ends the fill after the current batch, with its checkpoint kept. checkpoint_dataareaid, checkpoint_recid: the last source key of the last committed batch; a new call resumes after it. rows_done, batches: since the fill started (pauses and resumes included); rows_estimated: rows_done plus the source rows without a shadow row when the latest call started; rows_left: what is still to do, the new count of NAME_report when the source has not changed since. An extension configuration table: pg_dump keeps its rows.';
COMMENT ON COLUMN upkit.live_state.pid IS 'backend of the call that is running (or was, until it ended or was killed)';
COMMENT ON COLUMN upkit.live_state.batch_size IS 'the batch size now: the one asked for, or as adapted to the target duration';
COMMENT ON COLUMN upkit.live_state.rows_per_second IS 'rows inserted per second by the current call, pauses between batches included';
COMMENT ON COLUMN upkit.live_state.last_batch_ms IS 'how long the last batch took, in milliseconds (its transaction, without the pause)';

SELECT pg_catalog.pg_extension_config_dump('upkit.live_state', '');

CREATE FUNCTION upkit.live_refuse_transaction_block(procedure_name text)
RETURNS void
LANGUAGE C VOLATILE
AS 'MODULE_PATHNAME', 'upkit_live_refuse_transaction_block';

COMMENT ON FUNCTION upkit.live_refuse_transaction_block(text) IS
'Used by the generated live procedures: raises 25001 naming the procedure when called inside a transaction block (BEGIN ... or a multi-statement query string), where the procedure''s COMMIT after each batch is impossible.';

-- Pause a running fill (it stops after its current batch, checkpoint kept)
-- or clear a pause.  Resuming is calling the live procedure again.
CREATE FUNCTION upkit.live_control(shadow_table text, dataareaid text, control text)
RETURNS text
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_status text;
BEGIN
    IF control IS NULL OR control NOT IN ('run', 'pause') THEN
        RAISE EXCEPTION 'upkit.live_control: control must be ''pause'' or ''run'', not %',
            coalesce(quote_literal(control), 'NULL') USING ERRCODE = '22023';
    END IF;
    UPDATE upkit.live_state AS st SET control = live_control.control
     WHERE st.shadow_table = live_control.shadow_table
       AND st.dataareaid = live_control.dataareaid
    RETURNING st.status INTO v_status;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'upkit.live_control: no live fill of % for %', shadow_table, dataareaid
            USING ERRCODE = 'P0002',
                  HINT = 'shadow_table and dataareaid as upkit.live_state shows them (a shared spec: its list, ''dat,ceu'').';
    END IF;
    RETURN v_status;
END
$$;

COMMENT ON FUNCTION upkit.live_control(text, text, text) IS
'Sets the control word of a live fill (upkit.live_state): ''pause'' makes a running NAME_live call stop after its current batch, checkpoint kept; ''run'' clears it. Returns the fill''s status. Resume by calling NAME_live again. P0002 when there is no such fill, 22023 for another word.';
-- == end of live state ==

-- == validation log ==
--
-- The validation log of readiness checks (DESIGN.md "Readiness checks and
-- the validation log"; docs/readiness.md), after AX's
-- ReleaseUpdateValidationLogger:
--   upkit.validation_run     one row per script and company: its latest run
--                            (run id, when, who, the detail cap);
--   upkit.validation_log     one entry per script, company and message id:
--                            level (error / advisory), message, resolution,
--                            the count of detail rows found, the run that
--                            wrote it;
--   upkit.validation_detail  the stored detail rows of an entry (at most the
--                            run's cap): the offending row's RECID,
--                            DATAAREAID, the check's own key columns as text,
--                            and a text.
-- A script (a generated validate procedure, or hand-written SQL) calls
-- upkit.log_start(script, company) for a run id: that deletes the script's
-- entries for the company (a re-run replaces them) and takes the run row's
-- lock, so two runs of one script and company do not interleave.  Then
-- upkit.log(run, id, level, message, resolution) once or many times (the
-- entry is written once per message id; later calls change nothing) and
-- upkit.log_detail(run, id, text, recid, dataareaid, key) per offending row:
-- every call counts, only the first cap calls store a row.  A set-based
-- check stores its detail rows itself (at most the cap, numbered from 1)
-- and reports the exact count with upkit.log_found.  Extension members and
-- configuration tables: pg_dump keeps the rows, DROP EXTENSION drops them.
CREATE SEQUENCE upkit.validation_run_id_seq;

CREATE TABLE upkit.validation_run (
    script      text        NOT NULL,  -- the procedure (schema.name) or any name a hand-written script uses
    dataareaid  text        NOT NULL,  -- the company; '' for a script that runs once for all
    run_id      bigint      NOT NULL,
    started_at  timestamptz NOT NULL,
    started_by  text        NOT NULL,
    detail_cap  integer     NOT NULL CHECK (detail_cap >= 0),
    PRIMARY KEY (script, dataareaid),
    UNIQUE (run_id));

CREATE TABLE upkit.validation_log (
    script       text        NOT NULL,
    dataareaid   text        NOT NULL,
    message_id   text        NOT NULL,
    level        text        NOT NULL CHECK (level IN ('error', 'advisory')),
    message      text        NOT NULL,
    resolution   text        NOT NULL,
    detail_count bigint      NOT NULL DEFAULT 0,  -- every detail found, stored or not
    run_id       bigint      NOT NULL,
    logged_at    timestamptz NOT NULL,
    PRIMARY KEY (script, dataareaid, message_id),
    FOREIGN KEY (script, dataareaid) REFERENCES upkit.validation_run ON DELETE CASCADE);

CREATE TABLE upkit.validation_detail (
    script         text   NOT NULL,
    dataareaid     text   NOT NULL,
    message_id     text   NOT NULL,
    seq            bigint NOT NULL,  -- 1, 2, ... in the order they were found
    row_recid      bigint,
    row_dataareaid text,
    row_key        text,             -- the check's key columns: 'ITEMID=A1, CONFIGID=x'
    detail         text   NOT NULL,
    PRIMARY KEY (script, dataareaid, message_id, seq),
    FOREIGN KEY (script, dataareaid, message_id) REFERENCES upkit.validation_log
        ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED);

COMMENT ON TABLE upkit.validation_run IS
'upkit validation log: the latest run of each readiness script per company (upkit.log_start). A run replaces the script''s entries for the company. An extension configuration table: pg_dump keeps its rows.';
COMMENT ON TABLE upkit.validation_log IS
'upkit validation log: one entry per script, company and message id (upkit.log, upkit.log_found): level error (must be fixed before the upgrade) or advisory (should be known), message, resolution, detail_count (every detail found; at most the run''s detail_cap are stored in upkit.validation_detail), the run and time that wrote it. upkit report prints it.';
COMMENT ON TABLE upkit.validation_detail IS
'upkit validation log: the stored details of an entry, numbered from 1 (seq), each naming an offending row (RECID, DATAAREAID, the check''s key columns) with a text; at most the run''s detail_cap per entry.';

SELECT pg_catalog.pg_extension_config_dump('upkit.validation_run', '');
SELECT pg_catalog.pg_extension_config_dump('upkit.validation_log', '');
SELECT pg_catalog.pg_extension_config_dump('upkit.validation_detail', '');
SELECT pg_catalog.pg_extension_config_dump('upkit.validation_run_id_seq', '');

CREATE FUNCTION upkit.log_start(script text, dataareaid text DEFAULT '', detail_cap integer DEFAULT 1000)
RETURNS bigint
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_run bigint;
BEGIN
    IF script IS NULL OR script = '' OR dataareaid IS NULL OR detail_cap IS NULL THEN
        RAISE EXCEPTION 'upkit.log_start: script, dataareaid and detail_cap must not be NULL (script not empty)'
            USING ERRCODE = '22004',
                  HINT = 'A script that runs once for all companies logs under dataareaid ''''.';
    END IF;
    IF detail_cap < 0 THEN
        RAISE EXCEPTION 'upkit.log_start: detail_cap % is negative', detail_cap
            USING ERRCODE = '22023', HINT = '0 stores no detail rows and still counts them.';
    END IF;
    v_run := nextval('upkit.validation_run_id_seq');
    -- The upsert locks the run row until the caller's transaction ends: a
    -- second run of the same script and company waits here.
    INSERT INTO upkit.validation_run AS r (script, dataareaid, run_id, started_at, started_by, detail_cap)
    VALUES (log_start.script, log_start.dataareaid, v_run, now(), current_user, log_start.detail_cap)
    ON CONFLICT ON CONSTRAINT validation_run_pkey DO UPDATE
       SET run_id = EXCLUDED.run_id, started_at = EXCLUDED.started_at,
           started_by = EXCLUDED.started_by, detail_cap = EXCLUDED.detail_cap;
    DELETE FROM upkit.validation_log AS l
     WHERE l.script = log_start.script AND l.dataareaid = log_start.dataareaid;
    RETURN v_run;
END
$$;

-- The run row of a run id, locked (the run's entries change only under it);
-- an error for a run id that is not the latest run of its script.
CREATE FUNCTION upkit.log_run(run_id bigint)
RETURNS upkit.validation_run
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v upkit.validation_run;
BEGIN
    SELECT * INTO v FROM upkit.validation_run AS r WHERE r.run_id = log_run.run_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'upkit validation log: run % is not the latest run of any script', run_id
            USING ERRCODE = '22023',
                  HINT = 'Start a run with upkit.log_start(script, dataareaid); a later run of the same script replaces an earlier one.';
    END IF;
    RETURN v;
END
$$;

CREATE FUNCTION upkit.log(run_id bigint, message_id text, level text, message text, resolution text)
RETURNS boolean
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v upkit.validation_run;
    v_new boolean;
BEGIN
    IF message_id IS NULL OR level IS NULL OR message IS NULL OR resolution IS NULL THEN
        RAISE EXCEPTION 'upkit.log: message_id, level, message and resolution must not be NULL'
            USING ERRCODE = '22004';
    END IF;
    IF level NOT IN ('error', 'advisory') THEN
        RAISE EXCEPTION 'upkit.log: level "%" is neither error nor advisory', level
            USING ERRCODE = '22023';
    END IF;
    v := upkit.log_run(log.run_id);
    INSERT INTO upkit.validation_log (script, dataareaid, message_id, level, message, resolution,
                                      detail_count, run_id, logged_at)
    VALUES (v.script, v.dataareaid, log.message_id, log.level, log.message, log.resolution,
            0, v.run_id, now())
    ON CONFLICT ON CONSTRAINT validation_log_pkey DO NOTHING;
    GET DIAGNOSTICS v_new = ROW_COUNT;
    RETURN v_new;
END
$$;

CREATE FUNCTION upkit.log_detail(run_id bigint, message_id text, detail text,
                                 row_recid bigint DEFAULT NULL, row_dataareaid text DEFAULT NULL,
                                 row_key text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v upkit.validation_run;
    v_count bigint;
BEGIN
    IF message_id IS NULL OR detail IS NULL THEN
        RAISE EXCEPTION 'upkit.log_detail: message_id and detail must not be NULL'
            USING ERRCODE = '22004';
    END IF;
    v := upkit.log_run(log_detail.run_id);
    UPDATE upkit.validation_log AS l
       SET detail_count = l.detail_count + 1
     WHERE l.script = v.script AND l.dataareaid = v.dataareaid AND l.message_id = log_detail.message_id
    RETURNING l.detail_count INTO v_count;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'upkit.log_detail: message "%" has not been logged in run %', message_id, run_id
            USING ERRCODE = '22023',
                  HINT = 'Call upkit.log(run_id, message_id, level, message, resolution) first; a detail belongs to a logged message.';
    END IF;
    IF v_count <= v.detail_cap THEN
        INSERT INTO upkit.validation_detail (script, dataareaid, message_id, seq, row_recid,
                                             row_dataareaid, row_key, detail)
        VALUES (v.script, v.dataareaid, log_detail.message_id, v_count, log_detail.row_recid,
                log_detail.row_dataareaid, log_detail.row_key, log_detail.detail);
    END IF;
    RETURN v_count;
END
$$;

CREATE FUNCTION upkit.log_found(run_id bigint, message_id text, level text, message text,
                                resolution text, detail_count bigint)
RETURNS bigint
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v upkit.validation_run;
BEGIN
    IF log_found.detail_count IS NULL OR log_found.detail_count < 0 THEN
        RAISE EXCEPTION 'upkit.log_found: detail_count must be 0 or more, not %', coalesce(log_found.detail_count::text, 'NULL')
            USING ERRCODE = '22023';
    END IF;
    IF log_found.detail_count = 0 THEN
        PERFORM upkit.log_run(log_found.run_id);
        RETURN 0;
    END IF;
    PERFORM upkit.log(log_found.run_id, log_found.message_id, log_found.level,
                      log_found.message, log_found.resolution);
    v := upkit.log_run(log_found.run_id);
    UPDATE upkit.validation_log AS l
       SET detail_count = l.detail_count + log_found.detail_count
     WHERE l.script = v.script AND l.dataareaid = v.dataareaid AND l.message_id = log_found.message_id;
    RETURN log_found.detail_count;
END
$$;

-- The type a "fits" check compares against (docs/specs.md "validate"): the
-- target column's, read from the catalog when the target table exists (its
-- kind must be the spec's: a character, integer or numeric type), else the
-- spec's.  Returns the limits the generated check compares with: the
-- length (NULL: unlimited), the integer bounds, precision and scale, a
-- name for messages, and where they came from.
CREATE FUNCTION upkit.fits_target(target_table text, target_column text, family text,
                                  spec_type text, spec_length integer,
                                  spec_precision integer, spec_scale integer,
                                  OUT type_name text, OUT max_length integer,
                                  OUT min_value numeric, OUT max_value numeric,
                                  OUT num_precision integer, OUT num_scale integer,
                                  OUT source text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_rel regclass;
    v_type regtype;
    v_typmod integer;
    v_family text;
    v_name text := lower(spec_type);
BEGIN
    IF family NOT IN ('string', 'integer', 'numeric') THEN
        RAISE EXCEPTION 'upkit.fits_target: family "%" is not string, integer or numeric', family
            USING ERRCODE = '22023';
    END IF;
    v_rel := CASE WHEN target_table IS NULL THEN NULL ELSE to_regclass(target_table) END;
    IF v_rel IS NULL THEN
        source := 'spec';
        max_length := spec_length;
        num_precision := spec_precision;
        num_scale := coalesce(spec_scale, 0);
    ELSE
        SELECT a.atttypid::regtype, a.atttypmod INTO v_type, v_typmod
          FROM pg_attribute AS a
         WHERE a.attrelid = v_rel AND a.attname = target_column AND a.attnum > 0 AND NOT a.attisdropped;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'upkit validate: the target table % has no column "%"', target_table, target_column
                USING ERRCODE = '42703',
                      HINT = 'A fits check reads the target column''s type where the target table exists; name the right column in the spec''s "target".';
        END IF;
        source := 'catalog';
        v_name := CASE v_type WHEN 'character varying'::regtype THEN 'varchar'
                              WHEN 'character'::regtype THEN 'char'
                              WHEN 'text'::regtype THEN 'text'
                              WHEN 'smallint'::regtype THEN 'smallint'
                              WHEN 'integer'::regtype THEN 'integer'
                              WHEN 'bigint'::regtype THEN 'bigint'
                              WHEN 'numeric'::regtype THEN 'numeric' END;
        v_family := CASE WHEN v_name IN ('varchar', 'char', 'text') THEN 'string'
                         WHEN v_name IN ('smallint', 'integer', 'bigint') THEN 'integer'
                         WHEN v_name = 'numeric' THEN 'numeric' END;
        IF v_family IS DISTINCT FROM family THEN
            RAISE EXCEPTION 'upkit validate: the target column %.% is %, not a % type as the spec says',
                target_table, target_column, format_type(v_type, v_typmod), family
                USING ERRCODE = '42804',
                      HINT = 'Give the check the type the column has (the spec''s "type"), or name another target.';
        END IF;
        IF v_family = 'string' THEN
            max_length := CASE WHEN v_typmod >= 4 THEN v_typmod - 4 END;
        ELSIF v_family = 'numeric' THEN
            IF v_typmod < 4 THEN
                num_precision := NULL;  -- numeric without a precision: any number fits
            ELSE
                num_precision := ((v_typmod - 4) >> 16) & 65535;
                num_scale := (v_typmod - 4) & 65535;
            END IF;
        END IF;
    END IF;
    IF family = 'integer' THEN
        min_value := CASE v_name WHEN 'smallint' THEN -32768 WHEN 'tinyint' THEN 0
                                 WHEN 'bigint' THEN -9223372036854775808 ELSE -2147483648 END;
        max_value := CASE v_name WHEN 'smallint' THEN 32767 WHEN 'tinyint' THEN 255
                                 WHEN 'bigint' THEN 9223372036854775807 ELSE 2147483647 END;
    END IF;
    type_name := CASE family
        WHEN 'string' THEN v_name || coalesce('(' || max_length || ')', '')
        WHEN 'numeric' THEN v_name || coalesce('(' || num_precision || ',' || num_scale || ')', '')
        ELSE v_name END;
END
$$;

COMMENT ON FUNCTION upkit.fits_target(text, text, text, text, integer, integer, integer) IS
'For the generated fits checks: the target column''s type and limits from the catalog when the target table exists (42703 without the column, 42804 when its kind of type is not the spec''s), else the spec''s.';

COMMENT ON FUNCTION upkit.log_start(text, text, integer) IS
'Starts a run of a readiness script for a company ('''' for all): deletes the script''s entries for it (a re-run replaces them), records the run, returns its run id. detail_cap: how many detail rows an entry stores (all are counted). The run row stays locked until the transaction ends.';
COMMENT ON FUNCTION upkit.log_run(bigint) IS
'The run row of a run id, locked; 22023 when it is not the latest run of its script. Used by the other log functions.';
COMMENT ON FUNCTION upkit.log(bigint, text, text, text, text) IS
'ReleaseUpdateValidationLogger.log: logs message_id once per run (level error or advisory, message, resolution); later calls with the same id change nothing and return false.';
COMMENT ON FUNCTION upkit.log_detail(bigint, text, text, bigint, text, text) IS
'ReleaseUpdateValidationLogger.logDetail: counts a detail of a logged message and stores it (the row''s RECID, DATAAREAID, key text, detail text) while the count is within the run''s detail_cap; returns the count. 22023 when the message has not been logged.';
COMMENT ON FUNCTION upkit.log_found(bigint, text, text, text, text, bigint) IS
'For set-based checks: when detail_count > 0, logs the message (once) and adds detail_count to its count; the check stores at most the run''s detail_cap detail rows itself, numbered from 1. Returns detail_count.';
-- == end of validation log ==

-- == transfer ==
-- The marker of "upkit transfer" (docs/transfer.md, "The marker"):
-- "upkit transfer --mark" writes a row on production just before the
-- backup that the test system is restored from.  It records what the
-- transfer later needs to know about that point: the number sequences'
-- NEXTREC and the SYSTEMSEQUENCES NEXTVALs of the AX schema (to tell
-- whether test and production both consumed numbers since), and the last
-- delta run (to tell whether production preprocessed on its own since).
-- The backup carries the row to the test system (a configuration table:
-- pg_dump keeps its rows), so both sides name the same marker_id.  On
-- production the transfer records its start and end in the row: a
-- transfer begun and not finished resumes; one finished is not repeated
-- from the same marker.  The marker is a ledger: it never moves.
CREATE TABLE upkit.transfer_marker (
    marker_id           text        PRIMARY KEY,
    marked_at           timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
    ax_schema           text        NOT NULL,  -- where NUMBERSEQUENCETABLE and SYSTEMSEQUENCES are
    numbers             jsonb       NOT NULL,  -- {"DATAAREAID:NUMBERSEQUENCE": NEXTREC}
    recids              jsonb       NOT NULL,  -- {"TABID": NEXTVAL} (SYSTEMSEQUENCES, ID = -1)
    last_delta_run      bigint      NOT NULL,  -- max(upkit.delta_run.run_id), 0 for none
    transfer_started_at timestamptz,
    transfer_done_at    timestamptz,
    transfer_from       text                   -- the test system, as given to --from
);

COMMENT ON TABLE upkit.transfer_marker IS
'upkit transfer: one row per "upkit transfer --mark" on production, taken before the backup the test system is restored from; the transfer compares both sides'' rows and records its own start and end here. A ledger: it never moves between systems.';

SELECT pg_catalog.pg_extension_config_dump('upkit.transfer_marker', '');
-- == end of transfer ==
