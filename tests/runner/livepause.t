#!/usr/bin/env bash
# livepause.t: pausing a live job (docs/runner.md, "Pause"): a job that
# manages its own transactions and calls a generated live procedure (the
# delta fixture's upg_delta_custtable_live, in batches of 10) is asked by
# 'upkit pause' to stop after its batch; the runner records it 'paused'
# (not failed, not done), holds the run, and after 'upkit resume' runs it
# again from its checkpoint; the shadow rows are then exactly those of a
# full fill.  A live fill paused from elsewhere (upkit.live_control) while
# the run is not paused: the job is recorded 'paused', the run exits 1 and
# the next 'upkit run' continues it.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
. "$(dirname "$0")/lib.sh"
cd "$TOP"
plan 16

fresh_db upkit_runner_livepause
export PGOPTIONS="$PGOPTIONS -c search_path=public"  # the user upkit: "$user" would be the extension's schema
psql -qAtX -v ON_ERROR_STOP=1 -f tests/fixtures/delta/fixture.sql >/dev/null
"$UPKIT" install --dialect pg --db "dbname=$PGDATABASE" tests/fixtures/delta/custtable.json >/dev/null
q "INSERT INTO custtable (recid, dataareaid, accountnum, name, custgroup, creditmax)
   SELECT 5637160000 + i + CASE c WHEN 'liv' THEN 0 ELSE 1000 END, c, upper(c) || '-' || i, 'Live ' || i, '10', i
     FROM generate_series(1, 300) AS i, (VALUES ('liv'), ('liw')) AS v(c)" >/dev/null
mk_plan() {  # DIR NAME COMPANY
  mkdir -p "$1"
  echo "CALL public.upg_delta_custtable_live(current_setting('upkit_run.company'), p_batch_size => 10, p_pause_ms => 30);" > "$1/fill.sql"
  echo "INSERT INTO marks VALUES (current_setting('upkit_run.job'));" > "$1/after.sql"
  cat > "$1/plan.json" <<JSON
{"name": "$2", "databases": {"ax": {"dialect": "pg", "conninfo": "dbname=$PGDATABASE"}},
 "companies": ["$3"],
 "jobs": [ {"id": "fill", "stage": "live", "type": "standard", "sql": "fill.sql", "transaction": false,
            "tables": {"custtable": "read", "upg_custtable": "create"}},
           {"id": "after", "stage": "delta", "sql": "after.sql", "tables": {"marks": "create"}} ]}
JSON
}
q "CREATE TABLE marks (job text)" >/dev/null
p=$runner_tmp/lp
mk_plan "$p" livepause liv

# 1. upkit pause while the live job runs: it stops after its batch, recorded paused.
"$UPKIT" run --jobs 1 "$p" > "$runner_tmp/out" 2>&1 &
runner_bg=$!
is "$(wait_for "EXISTS (SELECT 1 FROM upkit.live_state WHERE dataareaid = 'liv' AND status = 'running' AND rows_done > 0)")" t \
  "the live fill runs in batches"
run "$UPKIT" pause "$p"
is "$rc" 0 "upkit pause"
is "$(wait_for "EXISTS (SELECT 1 FROM upkit.runner_jobs WHERE job = 'fill' AND state = 'paused')")" t \
  "the job is recorded paused"
is "$(q "SELECT status FROM upkit.live_state WHERE dataareaid = 'liv'")" paused "the live fill stopped after its batch"
is "$(q "SELECT (rows_done < 300) AND rows_done = (SELECT count(*) FROM upg_custtable WHERE refdataareaid = 'liv')
           FROM upkit.live_state WHERE dataareaid = 'liv'")" t "part of the rows are there, each batch's rows with its checkpoint"
sleep 1
is "$(q "SELECT count(*) FROM marks")" 0 "while paused nothing else starts"
run "$UPKIT" resume "$p"
is "$rc" 0 "upkit resume"
set +e; wait "$runner_bg"; brc=$?; set -e
runner_bg=
is "$brc" 0 "the run finishes after the resume (exit 0)"
like "$(cat "$runner_tmp/out")" "paused +fill\\[liv\\]: paused after a batch: running the job again goes on from its checkpoint" \
  "the run said the job paused"
is "$(q "SELECT state || ' ' || attempts FROM upkit.runner_jobs WHERE job = 'fill'")" "done 2" \
  "the job ran again and is done"
is "$(q "SELECT status || ' ' || rows_done FROM upkit.live_state WHERE dataareaid = 'liv'")" "done 300" \
  "the fill went on from its checkpoint: 300 rows in all"
# Exactly the rows of a full fill: keep them, fill again in one call, compare.
q "CREATE TABLE live_rows AS SELECT * FROM upg_custtable WHERE refdataareaid = 'liv';
   DELETE FROM upg_custtable WHERE refdataareaid = 'liv';
   DELETE FROM upkit.live_state WHERE dataareaid = 'liv'" >/dev/null
q "CALL upg_delta_custtable_live('liv', p_batch_size => 100000)" >/dev/null
is "$(q "SELECT count(*) FROM ((TABLE live_rows EXCEPT SELECT * FROM upg_custtable WHERE refdataareaid = 'liv')
          UNION ALL (SELECT * FROM upg_custtable WHERE refdataareaid = 'liv' EXCEPT TABLE live_rows)) AS d") $(q "SELECT count(*) FROM live_rows")" \
   "0 300" "the paused and resumed fill wrote exactly the rows of a full fill"

# 2. Paused from elsewhere while the run is not paused: recorded paused, exit 1; the next run continues it.
p2=$runner_tmp/lp2
mk_plan "$p2" livepause2 liw
"$UPKIT" run --jobs 1 "$p2" > "$runner_tmp/out2" 2>&1 &
runner_bg=$!
wait_for "EXISTS (SELECT 1 FROM upkit.live_state WHERE dataareaid = 'liw' AND status = 'running' AND rows_done > 0)" >/dev/null
q "SELECT upkit.live_control('public.upg_custtable', 'liw', 'pause')" >/dev/null
set +e; wait "$runner_bg"; brc=$?; set -e
runner_bg=
is "$brc $(q "SELECT state FROM upkit.runner_jobs WHERE plan = 'livepause2' AND job = 'fill'")" "1 paused" \
  "a fill paused from elsewhere: the job is paused and the run exits 1"
like "$(cat "$runner_tmp/out2")" "skipped +after: not run: job fill of an earlier phase did not finish" "the later stage waits for it"
run "$UPKIT" run --jobs 1 "$p2"
is "$rc $(q "SELECT state FROM upkit.runner_jobs WHERE plan = 'livepause2' AND job = 'fill'")" "0 done" \
  "the next upkit run continues it to the end"
is "$(q "SELECT status || ' ' || rows_done || ' ' || (SELECT count(*) FROM upg_custtable WHERE refdataareaid = 'liw')
           FROM upkit.live_state WHERE dataareaid = 'liw'")" "done 300 300" "all 300 rows, once"
done_testing
