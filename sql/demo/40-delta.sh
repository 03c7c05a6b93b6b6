#!/usr/bin/env bash
# Step 40: delta detection, the live / delta / single-user flow.  CUSTTABLE in
# companies dat and ceu, a shadow UPG_CUSTTABLE that live preprocessing
# fills (the live fill, paused and resumed once), then the users' changes (and one by a third-party writer that leaves
# RECVERSION alone), the read-only report a DBA runs before single-user mode,
# the delta runs with their counts (again after one more change, until a run
# finds nothing), and the single-user run that finds nothing: ready to copy.

# The data: the delta fixture of the tests (tests/fixtures/delta/).
set -euo pipefail
spec=tests/fixtures/delta/custtable.json
spec_c=tests/fixtures/delta/custtable_content.json
# The fixture's tables go to public (the default "$user" would be schema upkit).
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning -c search_path=public"
psql_demo() { psql -X -q -v ON_ERROR_STOP=1 -P pager=off --echo-queries "$@"; }

echo "1. Live system: CUSTTABLE (6 customers in dat, 4 in ceu), CUSTGROUP, an empty shadow"
echo "   UPG_CUSTTABLE (tests/fixtures/delta/fixture.sql)."
psql -X -q -v ON_ERROR_STOP=1 -f tests/fixtures/delta/fixture.sql

echo
echo "2. Install the delta procedures: RECVERSION detection ($spec) and content"
echo "   detection ($spec_c)."
echo "\$ upkit install --dialect pg $spec $spec_c"
"$UPKIT" install --dialect pg "$spec" "$spec_c"

echo
echo "3. Live preprocessing: the live fill maps the rows in batches that commit one by one."
echo "   dat in batches of 1 with 500 ms between them; paused from another session"
echo "   after two batches (it stops after its current batch), then resumed."
psql -X -q -v ON_ERROR_STOP=1 -c "CALL upg_delta_custtable_live('dat', p_batch_size => 1, p_pause_ms => 500)" &
live_pid=$!
for _ in $(seq 1 100); do
  [ "$(psql -X -qAt -c "SELECT count(*) FROM upkit.live_state WHERE dataareaid = 'dat' AND batches >= 2")" = 1 ] && break
  sleep 0.1
done
psql_demo -c "SELECT upkit.live_control('public.upg_custtable', 'dat', 'pause')"
wait "$live_pid"
psql_demo -c "SELECT shadow_table, dataareaid, status, rows_done, rows_left, batches, checkpoint_recid FROM upkit.live_state"
echo "   Resumed: the same call again goes on after the checkpoint."
psql_demo -c "CALL upg_delta_custtable_live('dat', p_batch_size => 1)" \
          -c "CALL upg_delta_custtable_live('ceu')" -c "CALL upg_delta_custtable_live('dat')" \
          -c "CALL upg_delta_custtable_c_live('dat')"
psql_demo -c "SELECT shadow_table, dataareaid, status, rows_done, rows_left, batches FROM upkit.live_state ORDER BY 1, 2"
echo "   (The second call for dat is a new fill that finds nothing: the not-exists test.)"

echo
echo "4. The users go on working: new customers, changed ones, deleted ones"
echo "   (tests/fixtures/delta/fixture_changes.sql); a third-party writer renames"
echo "   5637145003 in dat without touching RECVERSION."
psql -X -q -v ON_ERROR_STOP=1 -f tests/fixtures/delta/fixture_changes.sql

echo
echo "5. Before single-user mode: what would a delta run do?  Read-only."
psql_demo -c "SELECT * FROM upg_delta_custtable_report('dat', with_recids => true)" \
          -c "SELECT * FROM upg_delta_custtable_c_report('dat', with_recids => true)"

echo
echo "6. The delta runs: only the changed rows are deleted and mapped again."
psql_demo -c "CALL upg_delta_custtable('dat')" -c "CALL upg_delta_custtable('ceu')" -c "CALL upg_delta_custtable_c('dat')"
psql_demo -c "SELECT refrecid, recversionid, name FROM upg_custtable WHERE refrecid IN (5637145002, 5637145003) ORDER BY 1" \
          -c "SELECT refrecid, recversionid, name FROM upg_custtable_c WHERE refrecid IN (5637145002, 5637145003) ORDER BY 1"
echo "   (RECVERSION detection missed the third-party rename of 5637145003; content detection caught it.)"
echo "   The users go on working: a customer in ceu changes its name.  The deltas run again"
echo "   until one returns 0, 0, 0: the shadows have caught up, single-user mode can start."
psql -X -q -v ON_ERROR_STOP=1 \
  -c "UPDATE custtable SET name = name || ' AG', recversion = recversion + 1 WHERE recid = (SELECT min(recid) FROM custtable WHERE dataareaid = 'ceu')"
psql_demo -c "CALL upg_delta_custtable('ceu')" -c "CALL upg_delta_custtable('ceu')"

echo
echo "7. In single-user mode: one more run finds nothing and writes nothing to the shadows;"
echo "   the state table says every shadow is ready to copy (its latest run was clean),"
echo "   NAME_ready confirms that nothing changed since, and the run log has every run."
psql_demo -c "CALL upg_delta_custtable('dat')" -c "CALL upg_delta_custtable('ceu')" -c "CALL upg_delta_custtable_c('dat')"
psql_demo -c "SELECT shadow_table, dataareaid, new_rows, updated_rows, deleted_rows, ready_to_copy FROM upkit.delta_state ORDER BY 1, 2" \
          -c "SELECT upg_delta_custtable_ready('dat') AS dat, upg_delta_custtable_ready('ceu') AS ceu, upg_delta_custtable_c_ready('dat') AS dat_c" \
          -c "SELECT run_id, shadow_table, dataareaid, new_rows, updated_rows, deleted_rows, outcome FROM upkit.delta_run ORDER BY run_id"
