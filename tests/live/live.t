#!/usr/bin/env bash
# live.t: the generated live fill (unit LIVE of a delta spec) on PostgreSQL:
# batching in keyset order with a commit per batch, the checkpoint, pause
# (upkit.live_control) and resume after it, resume after pg_terminate_backend
# mid-batch and after a crash mid-batch (SIGKILL of its backend), resume
# after the source changed (the delta run catches the rest), refusal inside
# a transaction block, a second call refused while one runs, bad parameters,
# the target duration adapting the batch size, idempotence, the
# shared-company case (walked company by company, paused and resumed), a
# lookup matching two rows (21000), and the result equal to the set-based
# mapping's.  Needs the throwaway cluster (PG* set).
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
cd "$TOP"
: "${PGHOST:?run through tests/harness/with-cluster.sh}"

db=upkit_live
tmp=$(mktemp -d)
bpid=
cleanup() {
  [ -n "$bpid" ] && kill "$bpid" 2>/dev/null || true
  rm -rf "$tmp"
  psql -qAtX -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
}
trap cleanup EXIT
psql -qAtX -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
export PGDATABASE=$db PGOPTIONS="-c search_path=public -c client_min_messages=warning"
q() { psql -qAtX -v ON_ERROR_STOP=1 "$@"; }
q -c "CREATE EXTENSION upkit" -f tests/fixtures/delta/fixture.sql >/dev/null
"$UPKIT" install --dialect pg tests/fixtures/delta/custtable.json tests/fixtures/delta/currency_shared.json \
  tests/fixtures/delta/custtable_content.json >/dev/null
# Company liv: 40 customers for the pause and kill cases.
q -c "INSERT INTO custtable (recid, dataareaid, accountnum, name, custgroup, creditmax)
      SELECT 5637150000 + i, 'liv', 'L-' || i, 'Live ' || i, '10', i FROM generate_series(1, 40) AS i" >/dev/null
state() { q -c "SELECT $1 FROM upkit.live_state WHERE shadow_table = 'public.upg_custtable' AND dataareaid = '$2'"; }
shadow_n() { q -c "SELECT count(*) FROM upg_custtable WHERE refdataareaid = '$1'"; }
# Wait (up to 30 s) until the SQL condition $1 is true.
wait_for() {
  for _ in $(seq 1 300); do
    [ "$(q -c "SELECT ($1)")" = t ] && return 0
    sleep 0.1
  done
  return 1
}

plan 55

# Refused inside a transaction block, before anything is written.
run q -c "BEGIN; CALL upg_delta_custtable_live('dat'); COMMIT;"
is "$rc" 1 "inside a transaction block: refused"
like "$err" "upg_delta_custtable_live: a live procedure commits after every batch and cannot run inside a transaction block" \
     "... with a message naming the procedure"
is "$(q -c "SELECT count(*) FROM upkit.live_state") $(shadow_n dat)" "0 0" "... and nothing written"
run psql -qAtX -c "\\set VERBOSITY verbose" -c "CALL upg_delta_custtable_live('dat', p_batch_size => 0)"
like "$err" "22023.*p_batch_size must be at least 1" "p_batch_size 0: 22023"
run q -c "SELECT upkit.live_control('public.upg_custtable', 'nope', 'pause')"
like "$err" "no live fill of public.upg_custtable for nope" "live_control of an unknown fill: refused"

# Batching: 6 rows of dat in batches of 2, each committed; the checkpoint is the last key.
run q -c "CALL upg_delta_custtable_live('dat', p_batch_size => 2)"
is "$out" "6|done" "dat in batches of 2: 6 rows, done"
is "$(state "status, batches, rows_done, rows_estimated, rows_left, checkpoint_dataareaid, checkpoint_recid" dat)" \
   "done|3|6|6|0|dat|5637145006" "... state: 3 batches, 6 of 6 rows, nothing left, checkpoint at the last key"
is "$(shadow_n dat)" 6 "... 6 shadow rows"
run q -c "SELECT string_agg(change || '=' || row_count, ' ') FROM upg_delta_custtable_report('dat')"
is "$out" "new=0 updated=0 deleted=0" "... and the delta report agrees: nothing left"
# Exactly what the set-based mapping writes: keep the live rows, let the delta procedure map them again.
q -c "CREATE TABLE live_rows AS SELECT * FROM upg_custtable WHERE refdataareaid = 'dat'" \
  -c "DELETE FROM upg_custtable WHERE refdataareaid = 'dat'" -c "CALL upg_delta_custtable('dat')" >/dev/null
is "$(q -c "SELECT count(*) FROM ((TABLE live_rows EXCEPT SELECT * FROM upg_custtable WHERE refdataareaid = 'dat')
                                  UNION ALL (SELECT * FROM upg_custtable WHERE refdataareaid = 'dat' EXCEPT TABLE live_rows)) AS d")" \
   0 "the live rows are exactly those of the set-based mapping"

# Idempotence: a second full call adds nothing.
run q -c "SET search_path = upkit" -c "CALL public.upg_delta_custtable_live('dat')" -c "SHOW search_path"
is "$out" "$(printf '0|done\nupkit')" "a second full call: 0 rows (and the caller's search_path is as it was)"
is "$(shadow_n dat) $(state "rows_done, batches, checkpoint_recid" dat)" "6 0|1|5637145006" \
   "... the shadow unchanged; the state: a new fill, one batch that read the keys and wrote nothing"

# The target duration adapts the batch size (doubling while batches are quick).
run q -c "CALL upg_delta_custtable_live('ceu', p_batch_size => 1, p_target_ms => 60000)"
is "$out" "4|done" "ceu with a target duration: 4 rows"
is "$(state "batches, batch_size" ceu)" "3|4" "... batch size 1, then 2, then 4 (3 batches)"

# Pause: a running fill stops after its current batch, checkpoint kept.
q -c "CALL upg_delta_custtable_live('liv', p_batch_size => 5, p_pause_ms => 300)" > "$tmp/a.out" 2> "$tmp/a.err" &
bpid=$!
wait_for "EXISTS (SELECT 1 FROM upkit.live_state WHERE dataareaid = 'liv' AND batches >= 1)" || diag "the fill did not start"
run q -c "CALL upg_delta_custtable_live('liv')"
like "$err" "a live fill of public.upg_custtable for liv is already running" "a second call while one runs: refused"
run q -c "SELECT upkit.live_control('public.upg_custtable', 'liv', 'pause')"
is "$out" running "live_control pause: the fill was running"
wait "$bpid"; bpid=
like "$(cat "$tmp/a.out")" "^[0-9]+\|paused$" "the call ends, paused"
done_p=$(state rows_done liv)
ok "... after some batches, before the end ($done_p rows)" test "$done_p" -gt 0 -a "$done_p" -lt 40
is "$(( done_p % 5 )) $(shadow_n liv)" "0 $done_p" "... whole batches only: the shadow has exactly rows_done rows"
is "$(state "status, control, checkpoint_recid = (SELECT max(refrecid) FROM upg_custtable WHERE refdataareaid = 'liv')" liv)" \
   "paused|run|t" "... status paused, control cleared, checkpoint at the last row written"
run q -c "SELECT row_count FROM upg_delta_custtable_report('liv') WHERE change = 'new'"
is "$out" "$(state rows_left liv)" "... and the delta report's new rows are the state's rows_left"

# Resume after the pause.
run q -c "CALL upg_delta_custtable_live('liv', p_batch_size => 5)"
is "$out" "40|done" "called again: resumes and finishes (rows_done counts the whole fill)"
is "$(shadow_n liv) $(state batches liv)" "40 8" "... 40 shadow rows in 8 batches of 5, none twice"

# Resume after pg_terminate_backend mid-batch: the shadow's SHARE lock makes
# a batch wait in its INSERT, after it read its keys; the backend is killed there.
q -c "DELETE FROM upg_custtable WHERE refdataareaid = 'liv'"
coproc L { psql -qAtX -v ON_ERROR_STOP=1; }
q -c "CALL upg_delta_custtable_live('liv', p_batch_size => 5, p_pause_ms => 300)" > "$tmp/k.out" 2> "$tmp/k.err" &
bpid=$!
wait_for "EXISTS (SELECT 1 FROM upkit.live_state WHERE dataareaid = 'liv' AND status = 'running' AND batches >= 2)" \
  || diag "the fill did not run"
echo "BEGIN; LOCK TABLE upg_custtable IN SHARE MODE; SELECT 'locked';" >&"${L[1]}"
read -r -t 60 locked <&"${L[0]}" || locked="(no answer)"
pid=$(state pid liv)
ok "the next batch waits on the shadow's lock, mid-batch" \
   wait_for "EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = $pid AND wait_event_type = 'Lock')"
done_k=$(state rows_done liv)
q -c "SELECT pg_terminate_backend($pid)" >/dev/null
wait "$bpid" || true; bpid=
echo "ROLLBACK;" >&"${L[1]}"
wait_for "NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = $pid)" || diag "backend $pid did not go"
is "$(state "status, rows_done" liv) $(shadow_n liv)" "running|$done_k $done_k" \
   "killed mid-batch: the state still says running, the shadow has the committed batches only ($done_k rows)"
run q -c "CALL upg_delta_custtable_live('liv', p_batch_size => 5)"
is "$out" "40|done" "called again: resumes after the checkpoint and finishes"
is "$(shadow_n liv)" 40 "... 40 shadow rows, none twice"

# Resume after a crash mid-batch: the backend is killed with SIGKILL while
# its batch waits on the shadow's SHARE lock; the server ends every session
# and recovers.  The committed batches stay, the one in flight is gone.
q -c "DELETE FROM upg_custtable WHERE refdataareaid = 'liv'" >/dev/null
q -c "CALL upg_delta_custtable_live('liv', p_batch_size => 5, p_pause_ms => 300)" > "$tmp/x.out" 2>&1 &
bpid=$!
wait_for "EXISTS (SELECT 1 FROM upkit.live_state WHERE dataareaid = 'liv' AND status = 'running' AND batches >= 2)" \
  || diag "the fill did not run"
q -c "BEGIN; LOCK TABLE upg_custtable IN SHARE MODE; SELECT pg_sleep(120); COMMIT;" > /dev/null 2>&1 &
lpid=$!
wait_for "EXISTS (SELECT 1 FROM pg_locks AS l WHERE l.relation = 'upg_custtable'::regclass AND l.mode = 'ShareLock' AND l.granted)" \
  || diag "no SHARE lock"
pid=$(state pid liv)
wait_for "EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = $pid AND wait_event_type = 'Lock')" || diag "the batch did not wait"
done_x=$(state rows_done liv)
ok "the fill's backend killed with SIGKILL mid-batch ($done_x rows committed)" kill -9 "$pid"
wait "$bpid" || true; bpid=
wait "$lpid" || true
for _ in $(seq 1 600); do psql -qAtX -c "SELECT 1" >/dev/null 2>&1 && break; sleep 0.1; done
is "$(state "status, rows_done" liv) $(shadow_n liv)" "running|$done_x $done_x" \
   "after crash recovery: the state says running, the shadow has the committed batches only"
run q -c "CALL upg_delta_custtable_live('liv', p_batch_size => 5)"
is "$out" "40|done" "called again: resumes after the checkpoint and finishes"
is "$(shadow_n liv)" 40 "... 40 shadow rows, none twice"

# Resume after the source changed: pause at a checkpoint, change the source
# on both sides of it, resume; the delta run catches what lies behind it.
q -c "DELETE FROM upg_custtable WHERE refdataareaid = 'liv'" >/dev/null
q -c "CALL upg_delta_custtable_live('liv', p_batch_size => 5, p_pause_ms => 300)" > "$tmp/c.out" 2>&1 &
bpid=$!
wait_for "EXISTS (SELECT 1 FROM upkit.live_state WHERE dataareaid = 'liv' AND status = 'running' AND batches >= 1)" || true
q -c "SELECT upkit.live_control('public.upg_custtable', 'liv', 'pause')" >/dev/null
wait "$bpid"; bpid=
ck=$(state checkpoint_recid liv)
q -c "INSERT INTO custtable (recid, dataareaid, accountnum, name, creditmax) VALUES
        (5637149999, 'liv', 'L-early', 'behind the checkpoint', 1), (5637159999, 'liv', 'L-late', 'ahead of it', 1)" \
  -c "UPDATE custtable SET name = 'changed', recversion = recversion + 1 WHERE recid = 5637150001" \
  -c "DELETE FROM custtable WHERE recid = 5637150040" >/dev/null
run q -c "CALL upg_delta_custtable_live('liv', p_batch_size => 5)"
like "$out" "\|done$" "the source changed while paused (checkpoint $ck): the call resumes and finishes"
is "$(q -c "SELECT count(*) FILTER (WHERE refrecid = 5637159999), count(*) FILTER (WHERE refrecid = 5637149999),
                   count(*) FILTER (WHERE refrecid = 5637150040) FROM upg_custtable")" "1|0|0" \
   "... the new row ahead of the checkpoint is filled, the one behind it and the deleted one not"
is "$(state rows_left liv)" 0 "... done: rows_left 0, the row behind the walk is left to the delta run"
run q -c "CALL upg_delta_custtable('liv')"
is "$out" "1|1|0" "the delta run catches the rest: 1 new (behind the checkpoint), 1 updated"
run q -c "CALL upg_delta_custtable('liv')" -c "SELECT upg_delta_custtable_ready('liv')"
is "$out" "$(printf '0|0|0\nt')" "... then 0, 0, 0: ready to copy"

# The shared company: one call fills both companies of the list, never oth.
run q -c "CALL upg_delta_currency_live(p_batch_size => 1)"
is "$out" "4|done" "the shared spec: 4 rows of dat and ceu in batches of 1"
is "$(q -c "SELECT status, batches, checkpoint_dataareaid, checkpoint_recid FROM upkit.live_state WHERE shadow_table = 'public.upg_currency'")" \
   "done|4|dat|5637147002" "... 4 batches in the order DATAAREAID, RECID (ceu first, dat last)"
is "$(q -c "SELECT string_agg(refdataareaid || ':' || currencycode, ' ' ORDER BY refrecid) FROM upg_currency")" \
   "dat:EUR dat:USD ceu:GBP ceu:CHF" "... the company oth is not filled"
run q -c "CALL upg_delta_currency()"
is "$out" "0|0|0" "... and the delta run finds nothing to do"

# The shared company is walked company by company (ceu's RECIDs are above
# dat's: each company's walk starts at its own first RECID).  Paused in ceu,
# a row added there ahead of the checkpoint and one in dat, resumed with
# batches of 3: the rest of ceu, then dat, no batch across two companies.
q -c "DELETE FROM upg_currency" >/dev/null
q -c "CALL upg_delta_currency_live(p_batch_size => 1, p_pause_ms => 1000)" > "$tmp/s.out" 2>&1 &
bpid=$!
wait_for "EXISTS (SELECT 1 FROM upkit.live_state WHERE shadow_table = 'public.upg_currency' AND status = 'running' AND batches >= 1)" \
  || diag "the shared fill did not start"
q -c "SELECT upkit.live_control('public.upg_currency', 'dat,ceu', 'pause')" >/dev/null
wait "$bpid"; bpid=
like "$(cat "$tmp/s.out")" "^[12]\|paused$" "the shared fill paused in its first company"
is "$(q -c "SELECT checkpoint_dataareaid, rows_done = (SELECT count(*) FROM upg_currency),
                   rows_left = (SELECT row_count FROM upg_delta_currency_report() WHERE change = 'new')
              FROM upkit.live_state WHERE shadow_table = 'public.upg_currency'")" "ceu|t|t" \
   "... checkpoint in ceu, the shadow has rows_done rows, rows_left is the report's new count"
b1=$(q -c "SELECT batches FROM upkit.live_state WHERE shadow_table = 'public.upg_currency'")
q -c "INSERT INTO currency (recid, dataareaid, currencycode, txt) VALUES
        (5637147006, 'ceu', 'SEK', 'Krona'), (5637147000, 'dat', 'NOK', 'Krone')" >/dev/null
run q -c "CALL upg_delta_currency_live(p_batch_size => 3)"
is "$out" "6|done" "resumed with batches of 3: 6 rows in all"
is "$(q -c "SELECT batches - $b1, checkpoint_dataareaid, checkpoint_recid
              FROM upkit.live_state WHERE shadow_table = 'public.upg_currency'")" "2|dat|5637147002" \
   "... one more batch for the rest of ceu, one for dat's three rows; checkpoint at dat's last key"
is "$(q -c "SELECT string_agg(refdataareaid || ':' || currencycode, ' ' ORDER BY refrecid) FROM upg_currency")" \
   "dat:NOK dat:EUR dat:USD ceu:GBP ceu:CHF ceu:SEK" "... every row of dat and ceu once, none of oth"
run q -c "CALL upg_delta_currency()"
is "$out" "0|0|0" "... and the delta run finds nothing to do"

# A lookup that matches two rows (a spec error): the batch is rolled back
# with 21000, whether the batch is full or the company's last, partial one;
# the shadow here has no unique key that would stop the duplicates first.
sed -e 's/UPG_DELTA_CUSTTABLE"/UPG_DELTA_CUSTDUP"/' -e 's/"UPG_CUSTTABLE"/"UPG_CUSTDUP"/' \
  tests/fixtures/delta/custtable.json > "$tmp/custdup.json"
q -c "CREATE TABLE upg_custdup (LIKE upg_custtable)" -c "CREATE INDEX ON upg_custdup (refrecid)" \
  -c "INSERT INTO custgroup (recid, dataareaid, custgroup, name) VALUES
        (5637160001, 'dup', '10', 'Retail'), (5637160002, 'dup', '10', 'Retail again')" \
  -c "INSERT INTO custtable (recid, dataareaid, accountnum, name, custgroup)
      SELECT 5637160010 + i, 'dup', 'D-' || i, 'Dup ' || i, '10' FROM generate_series(1, 3) AS i" >/dev/null
"$UPKIT" install --dialect pg "$tmp/custdup.json" >/dev/null
for b in 2 5000; do
  run psql -qAtX -c "\\set VERBOSITY verbose" -c "CALL upg_delta_custdup_live('dup', p_batch_size => $b)"
  like "$err" "21000.*rows inserted into public.upg_custdup" "a lookup matching two rows, batch $b: 21000"
  is "$(q -c "SELECT count(*) FROM upg_custdup") $(q -c "SELECT coalesce(max(checkpoint_recid), 0) FROM upkit.live_state WHERE shadow_table = 'public.upg_custdup'")" \
     "0 0" "... the batch rolled back, no checkpoint past it"
done
run psql -qAtX -c "\\set VERBOSITY verbose" -c "CALL upg_delta_custdup('dup')"
like "$err" "21000.*rows inserted into public.upg_custdup" "... and the delta run: 21000, nothing written"
q -c "DELETE FROM custtable WHERE dataareaid = 'dup'" -c "DELETE FROM custgroup WHERE dataareaid = 'dup'" \
  -c "DELETE FROM upkit.live_state WHERE shadow_table = 'public.upg_custdup'" >/dev/null

# Content detection: the live fill stores the hash the delta run computes.
run q -c "CALL upg_delta_custtable_c_live('dat', p_batch_size => 4)" -c "CALL upg_delta_custtable_c('dat')"
is "$out" "$(printf '6|done\n0|0|0')" "content detection: the live fill's hashes are the delta run's (it finds nothing to do)"

# Never a source row: the live procedure's text writes only the shadow and its state.
run q -c "SELECT count(*) FROM regexp_matches(pg_get_functiondef('upg_delta_custtable_live'::regproc),
                                              '(INSERT INTO|UPDATE|DELETE FROM) ([a-z_.]+)', 'g') AS m
          WHERE m[2] NOT IN ('public.upg_custtable', 'upkit.live_state')"
is "$out" 0 "the live procedure writes only the shadow and upkit.live_state"
is "$(q -c "SELECT count(*) FROM custtable WHERE recversion > 1")" 1 "... the source has only the test's own change"
is "$(q -c "SELECT count(*) FROM upkit.live_state")" 5 "one state row per shadow and company"
done_testing
