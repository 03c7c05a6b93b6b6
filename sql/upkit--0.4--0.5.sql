-- upkit 0.4 -> 0.5.  A landed script is never edited: what changes after
-- 0.4 comes here, one section per topic.

-- == runner ledger: jobs without a foreign key to their run ==
-- Every row a job writes into upkit.runner_jobs (its 'done', in the job's
-- own transaction: sqlgen/runner_job.c) used to take, through the foreign
-- key, a KEY SHARE lock on its run's one row in upkit.runner_runs: a WAL
-- record and a dirtied page per job, and a MultiXact whenever parallel
-- workers held it at once (the 200 empty jobs of tests/bench/60-runner.sh,
-- measured by hand with the key and without: 8% to 20% of the run's
-- time).  The runner writes the run's row before any of its jobs
-- (sqlgen/runner.c, open_run) and never deletes either, so the key is
-- kept by the one writer; a DBA who deletes a run deletes its jobs with it
-- (DELETE FROM upkit.runner_jobs WHERE plan = ... AND run = ...).
DO $$
DECLARE
    c name;
BEGIN
    FOR c IN SELECT conname FROM pg_catalog.pg_constraint
              WHERE conrelid = 'upkit.runner_jobs'::regclass AND contype = 'f'
                AND confrelid = 'upkit.runner_runs'::regclass
    LOOP
        EXECUTE pg_catalog.format('ALTER TABLE upkit.runner_jobs DROP CONSTRAINT %I', c);
    END LOOP;
END
$$;
-- == end of runner ledger: jobs without a foreign key to their run ==
