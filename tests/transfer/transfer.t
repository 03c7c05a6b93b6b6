#!/usr/bin/env bash
# transfer.t: upkit transfer between two databases of the throwaway cluster
# standing for production and a test system restored from its backup
# (pg_dump after "upkit transfer --mark").  Preprocessing runs on the test
# system (the delta fixture's CUSTTABLE spec, numbers consumed), production
# moves on meanwhile (tests/fixtures/delta/fixture_changes.sql, numbers of
# another sequence consumed); every validation failure is triggered, each
# time with nothing changed; then a transfer killed in the middle of a table
# and its resume, the sequences synchronised, and the delta on production
# catching exactly production's changes; no number handed out twice.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
cd "$TOP"
: "${PGHOST:?run through tests/harness/with-cluster.sh}"
PROD=upkit_xfer_prod TEST=upkit_xfer_test
DBS="$PROD $TEST upkit_xfer_delta upkit_xfer_remark upkit_xfer_bare"
export PGOPTIONS="-c search_path=public -c client_min_messages=warning"
pgbin=${UPKIT_PGBIN:-$(pg_config --bindir)}
spec=tests/fixtures/delta/custtable.json
tmp=$(mktemp -d)
cleanup() {
  rm -rf "$tmp"
  for d in $DBS; do psql -qAtX -d postgres -c "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT
q() { psql -qAtX -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }
xfer() { "$UPKIT" transfer --from "dbname=$TEST" --to "dbname=$PROD" "$@"; }
# wait_until DB SQL VALUE: poll a state (never a time) until SQL gives VALUE; give up after 60 s.
wait_until() {
  for _ in $(seq 600); do [ "$(q "$1" "$2")" = "$3" ] && return 0; sleep 0.1; done
  diag "gave up waiting for: $2 = $3"; return 1
}
# Everything on production that a transfer could change, as one line.
prod_state() {
  q $PROD "SELECT (SELECT count(*) FROM upg_custtable) || ' ' || (SELECT count(*) FROM upkit.delta_state) || ' '
           || (SELECT count(*) FROM upkit.delta_run) || ' ' || (SELECT count(*) FROM upkit.copy_ledger) || ' '
           || (SELECT string_agg(numbersequence || '=' || nextrec || '/' || highest, ',' ORDER BY dataareaid, numbersequence) FROM numbersequencetable) || ' '
           || (SELECT string_agg(tabid || '=' || nextval, ',' ORDER BY tabid) FROM systemsequences) || ' '
           || (SELECT count(*) FROM upkit.transfer_marker WHERE transfer_started_at IS NOT NULL)"
}
for d in $DBS; do psql -qAtX -d postgres -c "DROP DATABASE IF EXISTS $d" >/dev/null; done
plan 92

# ---- production, before the backup ----
q postgres "CREATE DATABASE $PROD" >/dev/null
psql -qX -v ON_ERROR_STOP=1 -d $PROD -c "CREATE EXTENSION upkit" -c "SELECT upkit.create_ax_tables()" \
  -f tests/fixtures/delta/fixture.sql >/dev/null
q $PROD "CREATE TABLE sqldictionary (tableid integer, fieldid integer, sqlname varchar(40));
         INSERT INTO sqldictionary VALUES (900, 0, 'UPG_PARTYMAP');
         INSERT INTO numbersequencetable (dataareaid, numbersequence, nextrec, highest, format) VALUES
           ('dat', 'CRM_1', 100, 99999, 'PTY-#####'), ('dat', 'CRM_2', 500, 99999, 'LOC-#####'),
           ('dat', 'CRM_3', 700, 99999, 'X-#####');
         INSERT INTO systemsequences (id, tabid, nextval) VALUES (-1, 900, 5637144576);
         CREATE TABLE upg_partymap (recid bigint PRIMARY KEY, dataareaid varchar(4) NOT NULL, partynumber varchar(20));
         CREATE TABLE upg_bulk (recid bigint PRIMARY KEY, txt text);
         CREATE TABLE onlytest_not_here (x int);
         CREATE TABLE difftype (recid bigint, amount numeric(12,2));
         CREATE TABLE prefilled (recid bigint); INSERT INTO prefilled VALUES (1);
         INSERT INTO upg_partymap VALUES (5637144500, 'dat', 'PTY-00042');
         CREATE TABLE upg_addr (recid bigint PRIMARY KEY, party bigint NOT NULL REFERENCES upg_partymap, city text);
         INSERT INTO upg_addr VALUES (1, 5637144500, 'Old Town');
         CREATE TABLE cyc_a (id int PRIMARY KEY, b int); CREATE TABLE cyc_b (id int PRIMARY KEY, a int REFERENCES cyc_a);
         ALTER TABLE cyc_a ADD FOREIGN KEY (b) REFERENCES cyc_b" >/dev/null
# an older validation log on production, carried to the test system by the backup
q $PROD "SELECT upkit.log_start('chk_cust', 'dat');
         SELECT upkit.log(run_id, 'C1', 'error', 'old message', 'fix it') FROM upkit.validation_run WHERE script = 'chk_cust';
         SELECT upkit.log_detail(run_id, 'C1', 'old detail') FROM upkit.validation_run WHERE script = 'chk_cust'" >/dev/null
q $PROD "DROP TABLE onlytest_not_here"
run env PGDATABASE=$PROD "$UPKIT" install --dialect pg --no-runtime "$spec"
[ "$rc" -eq 0 ] || diag "$err"
run "$UPKIT" transfer --mark --to "dbname=$PROD"
is "$rc" 0 "--mark on production"
like "$out" "^marked production \(.*\): marker [0-9a-f]{32}" "... prints the marker"

# ---- the backup, restored as the test system ----
"$pgbin/pg_dump" -d $PROD -f "$tmp/backup.sql"
q postgres "CREATE DATABASE $TEST" >/dev/null
psql -qX -v ON_ERROR_STOP=1 -d $TEST -f "$tmp/backup.sql" >/dev/null 2>"$tmp/restore.err" || diag "$(cat "$tmp/restore.err")"
is "$(q $TEST "SELECT marker_id FROM upkit.transfer_marker")" "$(q $PROD "SELECT marker_id FROM upkit.transfer_marker")" \
   "the backup carries the marker (a configuration table)"

# ---- preprocessing on the test system: first runs only (not complete yet) ----
q $TEST "CALL upg_delta_custtable('dat')" >/dev/null
q $TEST "CALL upg_delta_custtable('ceu')" >/dev/null
q $TEST "SELECT upkit.reserve_numbers('dat', 'CRM_1', 5); SELECT upkit.reserve_numbers('dat', 'CRM_3', 2);
         UPDATE numbersequencetable SET highest = 50000 WHERE numbersequence = 'CRM_1';
         UPDATE numbersequencetable SET format = 'LOC-######' WHERE numbersequence = 'CRM_2';
         INSERT INTO upg_partymap SELECT 5637144576 + g, 'dat', 'PTY-' || (99 + g) FROM generate_series(1, 3) g;
         UPDATE systemsequences SET nextval = 5637144580 WHERE tabid = 900;
         INSERT INTO upg_bulk SELECT g, md5(g::text) FROM generate_series(1, 20000) g;
         INSERT INTO upg_addr SELECT 10 + g, 5637144576 + g, 'City ' || g FROM generate_series(1, 3) g;
         CREATE TABLE onlytest_not_here (x int);
         INSERT INTO numbersequencetable (dataareaid, numbersequence, nextrec, format) VALUES ('dat', 'CRM_9', 1, '#');
         ALTER TABLE difftype ALTER amount TYPE numeric(14,2)" >/dev/null
# readiness checks on the test system: a new run of chk_cust (its old entries go), one of chk_vend
q $TEST "SELECT upkit.log_start('chk_cust', 'dat'); SELECT upkit.log_start('chk_vend', 'ceu');
         SELECT upkit.log(run_id, 'C2', 'advisory', 'new message', 'look at it') FROM upkit.validation_run;
         SELECT upkit.log_detail(run_id, 'C2', 'detail ' || g, g) FROM upkit.validation_run, generate_series(1, 3) g" >/dev/null
# ---- production moves on meanwhile ----
psql -qX -v ON_ERROR_STOP=1 -d $PROD -f tests/fixtures/delta/fixture_changes.sql >/dev/null
q $PROD "SELECT upkit.reserve_numbers('dat', 'CRM_2', 3); SELECT upkit.reserve_numbers('dat', 'CRM_3', 1);
         INSERT INTO numbersequencetable (dataareaid, numbersequence, nextrec, format) VALUES ('dat', 'CRM_9', 1, '#');
         INSERT INTO prefilled VALUES (2); UPDATE upg_addr SET city = 'Prod Town'" >/dev/null

q $TEST "INSERT INTO upkit.live_state (shadow_table, dataareaid, source_table, status, batch_size, started_at)
         VALUES ('public.upg_other', 'dat', 'public.other', 'paused', 1000, now())" >/dev/null
# ---- a system out of reach ----
run "$UPKIT" transfer --from "dbname=upkit_xfer_nosuch" --to "dbname=upkit_xfer_nosuch2" --explain
is "$rc" 1 "unreachable systems: exit 1"
like "$err" "the test system \(--from\): cannot connect.*upkit_xfer_nosuch" "... names the test system"
like "$err" "production \(--to\): cannot connect.*upkit_xfer_nosuch2" "... and production, at once"

# ---- every check at once, nothing changed ----
before=$(prod_state)
run xfer -s "$spec" -s tests/fixtures/delta/custtable_content.json -s sql/demo/specs/salesquotation.json \
     -t upg_partymap -t onlytest_not_here -t difftype -t prefilled -t nosuch -t cyc_a -t cyc_b \
     --sequence dat:CRM_1 --sequence dat:CRM_3 --sequence dat:NOPE --sequence dat:CRM_9
is "$rc" 1 "validation problems: exit 1"
like "$err" "--table: no table nosuch in schema public of the test system" "a table the test system lacks"
like "$err" "public.onlytest_not_here \(--table\): no such table on production" "a table production lacks"
like "$err" "public.difftype: the columns differ: the test system has \(recid bigint, amount numeric\(14,2\)\), production has \(recid bigint, amount numeric\(12,2\)\)" \
     "columns that differ, both sides named"
like "$err" "public.prefilled: production's copy has 2 rows, an older state: --replace overwrites it" \
     "production's copy not empty, without --replace"
like "$err" "public.upg_custtable, company dat: the test system's delta is not complete \(its latest run found 6 new" \
     "the test system's delta not complete"
like "$err" "dat:CRM_3: both systems consumed numbers since the backup \(it was at 700\): the test system 700..701, production 700..700" \
     "numbers consumed on both sides: the sequence and both ranges"
like "$err" "dat:NOPE: no such number sequence in public.numbersequencetable of either system" "an unknown sequence"
like "$err" "public.upg_custtable_c \(shadow of custtable_content.json\): the test system's upkit.delta_state has no row for it" \
     "a spec's shadow without a completed delta run"
like "$err" "salesquotation.json: \\$.kind: a spec of kind \"insert\" names no staging table" "a spec of another kind"
like "$err" "dat:CRM_9: the marker [0-9a-f]+ did not record it" "a sequence the marker did not record"
like "$err" "public.upg_other, company dat: the test system's live fill is paused, not done" "a live fill not done on the test system"
like "$err" "upkit.validation_run: production's copy has 1 rows, an older state: --replace overwrites it" \
     "production's older validation log, without --replace"
like "$err" "the foreign keys between the moved tables public.cyc_a, public.cyc_b form a cycle" \
     "moved tables whose foreign keys form a cycle: both named"
like "$err" "problems found; nothing was changed" "nothing was changed"
is "$(prod_state)" "$before" "... and production is as it was"

# ---- the marker's checks, on clones of production ----
q postgres "CREATE DATABASE upkit_xfer_delta TEMPLATE $PROD" >/dev/null
q upkit_xfer_delta "CALL upg_delta_custtable('dat')" >/dev/null
q upkit_xfer_delta "SELECT upkit.log_start('chk_prod', 'dat')" >/dev/null
run "$UPKIT" transfer --from "dbname=$TEST" --to dbname=upkit_xfer_delta -s "$spec" --explain
like "$err" "production ran 1 delta run since the mark [0-9a-f]+ \(the latest: public.upg_custtable company dat at" \
     "production preprocessed since the backup"
like "$err" "production ran 1 validation run since the mark [0-9a-f]+ \(the latest: chk_prod company 'dat' at .*would replace its log" \
     "production ran readiness checks since the backup"
q postgres "CREATE DATABASE upkit_xfer_remark TEMPLATE $PROD" >/dev/null
"$UPKIT" transfer --mark --to dbname=upkit_xfer_remark >/dev/null
run "$UPKIT" transfer --from "dbname=$TEST" --to dbname=upkit_xfer_remark -s "$spec" --explain
like "$err" "the test system's latest marker is [0-9a-f]+ .*production's is [0-9a-f]+ .*not restored from the backup taken after production's latest mark" \
     "the test system is not from the backup after production's latest mark"
q postgres "CREATE DATABASE upkit_xfer_bare" >/dev/null
q upkit_xfer_bare "CREATE EXTENSION upkit"
run "$UPKIT" transfer --from "dbname=$TEST" --to dbname=upkit_xfer_bare --explain
like "$err" "production \(.*\) was never marked: run upkit transfer --mark --to PROD" "production never marked"

# ---- preprocessing completes on the test system ----
q $TEST "UPDATE upkit.live_state SET status = 'done', finished_at = now()"
is "$(q $TEST "CALL upg_delta_custtable('dat')")$(q $TEST "CALL upg_delta_custtable('ceu')")" "0|0|00|0|0" \
   "test: the delta runs until 0, 0, 0"

# ---- explain ----
run xfer -s "$spec" -t upg_addr -t upg_partymap -t upg_bulk --sequence dat:CRM_1 --sequence dat:CRM_2 --replace --explain
is "$rc" 0 "--explain: nothing in the way"
like "$out" "public.upg_custtable +shadow of custtable.json +10 +0" "explain: the spec's shadow with rows on both sides"
like "$out" "upkit.delta_state +upkit state +2 +0" "explain: upkit's state tables"
like "$out" "upkit.delta_run +upkit state +4 +0" "... the delta run log"
like "$out" "upkit.live_state +upkit state +1 +0" "... the live fill state"
like "$out" "upkit.validation_detail +upkit state +6 +1" "... the validation log's details (production's older log replaced)"
is "$(awk '/^(public.upg_addr|public.upg_partymap|upkit.validation_(run|log|detail)) /{printf "%s ", $1}' <<<"$out")" \
   "public.upg_partymap upkit.validation_run public.upg_addr upkit.validation_log upkit.validation_detail " \
   "explain: parents before the tables referencing them (foreign keys, read from the catalog)"
like "$out" "upkit.validation_run_id_seq +3 +1 +3 +to raise" "explain: the validation run counter to raise"
is "$(grep -cE '^upkit\.(copy_ledger|insert_runs|transfer_marker)' <<<"$out")" 0 "ledgers do not move"
like "$out" "dat:CRM_1 +100 +105 +100 +105 +to raise" "explain: CRM_1 will be raised to the test system's"
like "$out" "HIGHEST: production 99999, test 50000: to carry over" "explain: HIGHEST difference"
like "$out" "FORMAT differs: production 'LOC-#####', test 'LOC-######'" "explain: FORMAT difference"
like "$out" "RECID upg_partymap \(table id 900\) +5637144576 +5637144580 +5637144576 +5637144580" "explain: the SYSTEMSEQUENCES row of a moved table"
is "$(prod_state)" "$before" "--explain changes nothing"

# ---- the plan as the source of what moves ----
run xfer --plan tests/fixtures/plans/transfer --replace --explain
is "$rc" 0 "--plan --explain: nothing in the way"
[ "$rc" -eq 0 ] || diag "$err"
like "$out" "public.upg_partymap +plan job fill_partymap +4 +1" "--plan: a dictionary table a live job fills"
like "$out" "public.upg_custtable +plan job delta_custtable +10 +0" "--plan: a delta job's shadow"
is "$(grep -c '^public.custtable ' <<<"$out")" 0 "--plan: a readiness fix's table (production data) does not move"
like "$out" "upkit.validation_log +upkit state" "--plan: upkit's state with it"
like "$out" "dat:CRM_1 +100 +105 +100 +105 +to raise" "--plan: the number sequence a job names, per company of the plan"
q $TEST "CREATE TABLE dataarea (id varchar(4), isvirtual integer); INSERT INTO dataarea VALUES ('dat', 0), ('vir', 1)"
run xfer --plan tests/fixtures/plans/transfer/plan-dataarea.json --replace --explain
like "$out" "dat:CRM_1 +100 +105 +100 +105 +to raise" "--plan with the companies from DATAAREA: read on the test system"
is "$(grep -c '^vir:' <<<"$out")" 0 "... a virtual company left out"
run xfer --plan tests/fixtures/plans/transfer/nosuch.json --explain
like "$rc:$err" "^1:.*nosuch.json" "--plan: a plan that cannot be read is a problem, named"
is "$(prod_state)" "$before" "--plan --explain changes nothing"

# ---- a transfer killed in the middle of a table, then resumed ----
q $PROD "CREATE FUNCTION public.stall() RETURNS trigger LANGUAGE plpgsql AS \$\$
         BEGIN PERFORM pg_advisory_lock(4343); PERFORM pg_advisory_unlock(4343); RETURN NEW; END \$\$;
         CREATE TRIGGER stall BEFORE INSERT ON public.upg_bulk FOR EACH ROW WHEN (NEW.recid = 15000) EXECUTE FUNCTION public.stall()"
psql -qAtX -d $PROD -c "SELECT pg_advisory_lock(4343)" -c "SELECT pg_sleep(600)" >/dev/null 2>&1 &
holder=$!
wait_until $PROD "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted" 1
# (upkit itself in the background, not a shell function: the kill must reach it)
"$UPKIT" transfer --from "dbname=$TEST" --to "dbname=$PROD" -s "$spec" -t upg_addr -t upg_partymap -t upg_bulk \
  -t prefilled --replace --sequence dat:CRM_1 --sequence dat:CRM_2 --jobs 1 >"$tmp/kill.out" 2>&1 &
copier=$!
ok "the transfer reaches the stalled row and waits" wait_until $PROD "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted" 1
kill -9 $copier; wait $copier 2>/dev/null || true
q $PROD "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted" >/dev/null
wait $holder 2>/dev/null || true
wait_until $PROD "SELECT count(*) FROM pg_stat_activity WHERE datname = '$PROD' AND query LIKE 'COPY%'" 0
q $PROD "DROP TRIGGER stall ON public.upg_bulk"
is "$(q $PROD "SELECT (SELECT count(*) FROM upg_bulk) || ' ' || (SELECT count(*) FROM upkit.copy_ledger WHERE NOT done)
               || ' ' || (SELECT count(*) FROM upkit.transfer_marker WHERE transfer_started_at IS NOT NULL AND transfer_done_at IS NULL)
               || ' ' || (SELECT nextrec FROM numbersequencetable WHERE numbersequence = 'CRM_1')")" "0 4 1 100" \
   "killed: the stalled table's transaction left no row, its schema's four tables not done, the start recorded, no sequence touched"
# a resume in which a parent table fails: the tables referencing it wait
q $PROD "CREATE FUNCTION public.refuse() RETURNS trigger LANGUAGE plpgsql AS \$\$
         BEGIN RAISE EXCEPTION 'refused by a test trigger'; END \$\$;
         CREATE TRIGGER refuse BEFORE INSERT ON public.upg_partymap FOR EACH ROW EXECUTE FUNCTION public.refuse()"
run xfer -s "$spec" -t upg_addr -t upg_partymap -t upg_bulk -t prefilled --replace --sequence dat:CRM_1 --sequence dat:CRM_2 --jobs 2
is "$rc" 1 "a table that fails: exit 1"
like "$out" "resuming a transfer begun before" "... the re-run says it resumes"
like "$out" "public.upg_bulk +--table +20000 +0 +copied, verified" "the killed table copied and verified"
like "$out" "public.upg_partymap +--table .*FAILED" "the failing parent table: FAILED"
like "$out" "public.upg_addr +--table .*FAILED
 +error: not begun: a table of an earlier foreign-key level was not transferred" "the table referencing it: not begun"
is "$(q $PROD "SELECT (SELECT count(*) FROM upg_addr) || ' ' || (SELECT count(*) FROM upkit.validation_log) || ' '
               || (SELECT nextrec FROM numbersequencetable WHERE numbersequence = 'CRM_1')")" "0 0 100" \
   "... nothing of the levels after it written, no sequence touched"
q $PROD "DROP TRIGGER refuse ON public.upg_partymap"
run xfer -s "$spec" -t upg_addr -t upg_partymap -t upg_bulk -t prefilled --replace --sequence dat:CRM_1 --sequence dat:CRM_2 --jobs 2
is "$rc" 0 "the re-run resumes and succeeds"
[ "$rc" -eq 0 ] || diag "$err"
like "$out" "resuming a transfer begun before" "... saying it resumes"
like "$out" "public.upg_bulk +--table +20000 +20000 +copied before; verified" "... a table done before is not copied again"
like "$out" "public.upg_addr +--table +4 +0 +copied, verified" "... the waiting table copied now"
is "$(q $TEST "SELECT md5(string_agg(t::text, ',' ORDER BY refrecid)) FROM upg_custtable t")" \
   "$(q $PROD "SELECT md5(string_agg(t::text, ',' ORDER BY refrecid)) FROM upg_custtable t")" "the shadow arrives value for value"
is "$(q $PROD "SELECT string_agg(recid::text, ',' ORDER BY recid) FROM prefilled")" 1 "--replace: production's older copy replaced by the test system's"
is "$(q $PROD "SELECT string_agg(recid || ':' || party || ':' || city, ',' ORDER BY recid) FROM upg_addr")" \
   "1:5637144500:Old Town,11:5637144577:City 1,12:5637144578:City 2,13:5637144579:City 3" \
   "--replace over a foreign key: the older rows emptied children first, the new copied parents first"
for t in validation_run validation_log validation_detail; do
  is "$(q $PROD "SELECT count(*) || ' ' || md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM upkit.$t t")" \
     "$(q $TEST "SELECT count(*) || ' ' || md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM upkit.$t t")" \
     "upkit.$t: the same rows on both sides (production's older log replaced)"
done
is "$(q $PROD "SELECT upkit.log_start('chk_after', 'dat') > (SELECT max(run_id) FROM upkit.validation_run WHERE script <> 'chk_after')")" t \
   "production's next validation run id is past the moved ones (none handed out twice)"
is "$(q $PROD "SELECT count(*) || ' ' || count(*) FILTER (WHERE ready_to_copy) FROM upkit.delta_state")" "2 0" \
   "the moved delta state is marked not ready"
is "$(q $PROD "SELECT string_agg(numbersequence || '=' || nextrec || '/' || highest || '/' || format, ' ' ORDER BY numbersequence) FROM numbersequencetable")" \
   "CRM_1=105/50000/PTY-##### CRM_2=503/99999/LOC-##### CRM_3=701/99999/X-##### CRM_9=1/0/#" \
   "CRM_1 raised to the test system's, HIGHEST carried; CRM_2 production's kept; FORMAT and unnamed CRM_3 untouched"
is "$(q $PROD "SELECT nextval FROM systemsequences WHERE tabid = 900")" 5637144580 "SYSTEMSEQUENCES of the moved table raised to the test system's"
like "$out" "The moved delta state is marked not ready" "the report ends with the next step"

# ---- afterwards: production's delta catches exactly production's changes ----
is "$(q $PROD "CALL upg_delta_custtable('dat')") $(q $PROD "CALL upg_delta_custtable('ceu')")" "2|2|1 1|1|2" \
   "delta on production: exactly the changes made after the backup (its run log continues, no collision)"
is "$(q $PROD "CALL upg_delta_custtable('dat')") $(q $PROD "CALL upg_delta_custtable('ceu')")" "0|0|0 0|0|0" "... then 0, 0, 0"
is "$(q $PROD "SELECT first_number FROM upkit.reserve_numbers('dat', 'CRM_1', 1)")" 105 \
   "the next CRM_1 number is past the test system's (none handed out twice)"
run xfer -s "$spec" --explain
like "$err" "a transfer from marker [0-9a-f]+ finished on production at .*mark it again" "a second transfer from the same marker is refused"

# ---- usage ----
run "$UPKIT" transfer --mark --from x --to y
like "$rc:$err" "^2:upkit: --mark goes with --to" "usage: --mark with --from"
# ---- SQL Server addresses and credentials (no server needed) ----
run env -u UPKIT_TO_PASSWORD "$UPKIT" transfer --mark --to mssql://sa@localhost/ax
like "$rc:$err" "^1:upkit: --to: set UPKIT_TO_PASSWORD to the password of login 'sa'" "SQL Server production: the password from its own variable"
run env -u UPKIT_FROM_PASSWORD UPKIT_TO_PASSWORD=x "$UPKIT" transfer --from mssql://tester@h/ax --to mssql://sa@h/ax
like "$rc:$err" "^1:upkit: --from: set UPKIT_FROM_PASSWORD to the password of login 'tester'" "... the test system's from its own"
run "$UPKIT" transfer --mark --to mssql://sa:secret@localhost/ax
like "$rc:$err" "^2:upkit: --to: a password never goes on the command line.*set UPKIT_TO_PASSWORD" "a password in the address is refused"
run "$UPKIT" transfer --mark --to mssql://localhost/ax
like "$rc:$err" "^2:upkit: --to mssql://localhost/ax: names no login" "an address without a login"
run "$UPKIT" transfer --mark --to mssql://sa@localhost:99999/ax
like "$rc:$err" "^2:.*has a port that is not a number from 1 to 65535" "an address with a bad port"
run env UPKIT_FROM_PASSWORD=x "$UPKIT" transfer --from mssql://sa@h/ax --to "dbname=$PROD"
like "$rc:$err" "^2:upkit: --from is SQL Server and --to is PostgreSQL: the test system is a restored backup of production, so both are the same engine" \
     "SQL Server to PostgreSQL: refused before connecting, said why"
run env UPKIT_TO_PASSWORD=x "$UPKIT" transfer --from "dbname=$TEST" --to mssql://sa@h/ax --explain
like "$rc:$err" "^2:upkit: --from is PostgreSQL and --to is SQL Server: .*same engine" \
     "PostgreSQL to SQL Server: the same"
run env UPKIT_FROM_PASSWORD=x UPKIT_TO_PASSWORD=x "$UPKIT" transfer --from mssql://sa@127.0.0.1:1/ax_test \
  --to mssql://sa@127.0.0.1:1/ax_prod --explain
like "$rc:$(tr "\n" " " <<<"$err")" "^1:upkit: the test system \(--from\): cannot connect to SQL Server at 127.0.0.1:1/ax_test.*production \(--to\): cannot connect to SQL Server at 127.0.0.1:1/ax_prod.*2 problems found; nothing was changed" \
     "SQL Server to SQL Server, both out of reach: both named, nothing changed"
run env UPKIT_TO_PASSWORD=x "$UPKIT" transfer --mark --to mssql://sa@127.0.0.1:1/ax
like "$rc:$err" "^1:upkit: cannot connect to SQL Server at 127.0.0.1:1/ax as sa" "--mark: a SQL Server out of reach"
run "$UPKIT" transfer --from "dbname=$TEST password=x" --to "dbname=$PROD" --explain
like "$rc:$err" "^2:upkit: --from: a password never goes on the command line" "a PostgreSQL password on the command line is refused"

run "$UPKIT" transfer --mark --to y --plan p.json
like "$rc:$err" "^2:upkit: --mark goes with --to" "usage: --mark with --plan"
run "$UPKIT" transfer --from x --to y --plan a --plan b
like "$rc:$err" "^2:upkit: --plan is given once" "usage: --plan twice"
run "$UPKIT" transfer --from x --to y --sequence CRM_1
like "$rc:$err" "^2:upkit: --sequence needs COMPANY:NUMBERSEQUENCE" "usage: --sequence"
