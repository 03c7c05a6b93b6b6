#!/usr/bin/env bash
# copy.t: the bulk copy as the runner's copy stage (tests/fixtures/plans/copy):
# a delta job on the source, then one job per table: BIGTAB split into RECID
# ranges that two part jobs share, CUSTGROUP, ORPHAN refused by the mapping (a failed job with the
# mapping error), CUSTTABLE an affected table read with its shadow and
# refused while upkit.delta_state says not ready; post-copy jobs that start
# when their own table is copied (BIG_TOTAL runs although CUSTTABLE's copy
# failed).  The delta made ready, a second run copies CUSTTABLE and runs its
# post-copy job.  Then upkit run stopped with Ctrl-C and killed (-9) in the
# middle of BIGTAB's ranges, and a resume: no row twice, none lost (counts
# and a hash).  Last, sizes from the source catalog (upkit plan --catalog)
# and a table that AX's rules map to DEL_ without the plan knowing:
# refused, then copied once the mapping file names the target.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
. "$(dirname "$0")/lib.sh"
cd "$TOP"
plan 34

SRC=upkit_runner_copy_src DST=upkit_runner_copy_dst
FIX=tests/fixtures/plans/copy
fresh_pair() {
  pair_dbs $SRC $DST
  psql -qX -v ON_ERROR_STOP=1 -d $SRC -c "CREATE EXTENSION upkit" -c "SET search_path = public" -f tests/fixtures/delta/fixture.sql -f $FIX/source.sql >/dev/null
  psql -qX -v ON_ERROR_STOP=1 -d $DST -c "CREATE EXTENSION upkit" -f $FIX/target.sql >/dev/null
}
urun() { "$UPKIT" run --db ax2009="dbname=$SRC" --db ax2012="dbname=$DST" "$@" $FIX; }
# The delta procedure again for each company: a run that finds nothing to do says ready.
delta_again() { sq "CALL public.upg_delta_custtable('dat'); CALL public.upg_delta_custtable('ceu')" >/dev/null; }
state() { dq "SELECT string_agg(job || '=' || state, ' ' ORDER BY job) FROM upkit.runner_jobs WHERE plan = 'copyrun' AND run = (SELECT max(run) FROM upkit.runner_jobs WHERE plan = 'copyrun') AND job <> 'delta_custtable'"; }

# ---- the plan ----
run "$UPKIT" plan $FIX
like "$out" "copy order \(heaviest table weight first\): bigtab 3000, custtable 33, custgroup 18, orphan 2" "upkit plan: the copy stage by table weight"
like "$out" "big_total +shared +ax2012 +1000 +1000  copy.BIGTAB" "upkit plan: a post-copy job waits for its table's copy job"

# ---- run 1: CUSTTABLE not ready (the delta's first run changed everything) ----
fresh_pair
run urun --jobs 3
is "$rc" 1 "a refused table fails the run (exit 1)"
is "$(state)" "big_total=done copy.BIGTAB=done copy.BIGTAB.1=done copy.BIGTAB.2=done copy.CUSTGROUP=done copy.CUSTTABLE=failed copy.ORPHAN=failed cust_report=skipped" \
   "table jobs done or failed one by one; big_total ran although CUSTTABLE's copy failed"
like "$(dq "SELECT message FROM upkit.runner_jobs WHERE job = 'copy.ORPHAN'")" "orphan: not copied: .*no target" "ORPHAN: the mapping error is the job's message"
like "$(dq "SELECT message FROM upkit.runner_jobs WHERE job = 'copy.CUSTTABLE'")" \
     "custtable: not copied: not ready for copy: upkit.delta_state: the latest delta run of public.upg_custtable changed something \(company ceu, dat\)" \
     "CUSTTABLE refused while upkit.delta_state says not ready"
is "$(dq "SELECT count(*) FROM custtable")" 0 "nothing of CUSTTABLE copied"
is "$(dq "SELECT string_agg(range_no || ':' || done, ' ' ORDER BY range_no) FROM upkit.copy_ledger WHERE target_table = 'bigtab'")" \
   "0:true 1:true 2:true 3:true" "BIGTAB in four RECID ranges, each done"
is "$(dq "SELECT rows_seen || '/' || qty FROM big_total")" "$(sq "SELECT count(*) || '/' || sum(qty) FROM bigtab")" "big_total read the copied BIGTAB"
is "$(dq "SELECT string_agg(message, ' | ' ORDER BY job) FROM upkit.runner_jobs WHERE job LIKE 'copy.BIGTAB._'")" \
   "bigtab -> bigtab, part 1 of 2: 2 ranges copied now, 0 done already | bigtab -> bigtab, part 2 of 2: 2 ranges copied now, 0 done already" \
   "BIGTAB's two parts copied two ranges each"
like "$(dq "SELECT message FROM upkit.runner_jobs WHERE job = 'copy.BIGTAB'")" "bigtab -> bigtab: 0 ranges copied now, 4 done already; 1000 rows verified; RECID: NEXTVAL" \
     "the table's job after its parts: nothing left, verified counts, RECID safety"

# ---- the delta runs again, finds nothing to do: ready; run 2 resumes ----
delta_again
is "$(sq "SELECT bool_and(ready_to_copy) FROM upkit.delta_state WHERE shadow_table = 'public.upg_custtable'")" t "the delta state now says ready"
run urun --jobs 2
is "$rc" 1 "run 2: ORPHAN still refused (exit 1)"
is "$(state)" "big_total=done copy.BIGTAB=done copy.BIGTAB.1=done copy.BIGTAB.2=done copy.CUSTGROUP=done copy.CUSTTABLE=done copy.ORPHAN=failed cust_report=done" \
   "CUSTTABLE copied once ready, and its post-copy job ran"
is "$(dq "SELECT string_agg(recid || ':' || name || ':' || coalesce(groupname, '-'), ' ' ORDER BY recid) FROM custtable")" \
   "$(sq "SELECT string_agg(s.recid || ':' || coalesce(u.name, s.name) || ':' || coalesce(u.groupname, '-'), ' ' ORDER BY s.recid) FROM custtable s LEFT JOIN upg_custtable u ON u.refrecid = s.recid AND u.refdataareaid = s.dataareaid")" \
   "CUSTTABLE arrived joined with its shadow (the shadow's NAME and GROUPNAME)"
is "$(dq "SELECT count(*) FROM bigtab")" 1000 "BIGTAB was not copied twice"
is "$(dq "SELECT string_agg(dataareaid || '=' || customers, ' ' ORDER BY dataareaid) FROM cust_report")" \
   "$(sq "SELECT string_agg(dataareaid || '=' || n, ' ' ORDER BY dataareaid) FROM (SELECT dataareaid, count(*) n FROM custtable GROUP BY 1) x")" "cust_report read the copied CUSTTABLE"
is "$(dq "SELECT nextval > (SELECT max(recid) FROM custtable) FROM systemsequences WHERE tabid = 77 AND id = -1")" t \
   "RECID safety: CUSTTABLE's NEXTVAL raised above its largest RECID"

# ---- kill -9 in the middle of BIGTAB, then resume ----
fresh_pair
dq "CREATE FUNCTION public.stall() RETURNS trigger LANGUAGE plpgsql AS \$\$
    BEGIN PERFORM pg_advisory_lock(4243); PERFORM pg_advisory_unlock(4243); RETURN NEW; END \$\$;
    CREATE TRIGGER stall BEFORE INSERT ON public.bigtab FOR EACH ROW WHEN (NEW.recid = 600) EXECUTE FUNCTION public.stall()"
psql -qAtX -d $DST -c "SELECT pg_advisory_lock(4243)" -c "SELECT pg_sleep(600)" >/dev/null 2>&1 &
holder=$!
wait_dst() { for _ in $(seq 600); do [ "$(dq "$1")" = "$2" ] && return 0; sleep 0.1; done; return 1; }
wait_dst "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted" 1
# Ctrl-C first: the running COPY is cancelled, the job recorded as interrupted.
"$UPKIT" run --jobs 1 --db ax2009="dbname=$SRC" --db ax2012="dbname=$DST" $FIX >"$runner_tmp/int.out" 2>&1 &
runner_bg=$!
ok "upkit run reaches BIGTAB's range 3 (part 1's second) and waits" wait_dst "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted" 1
kill -INT "$runner_bg"
rc=0; wait "$runner_bg" || rc=$?
runner_bg=
is "$rc:$(dq "SELECT state FROM upkit.runner_jobs WHERE job = 'copy.BIGTAB.1'")" "1:interrupted" "Ctrl-C: exit 1, the copy job recorded as interrupted"
is "$(dq "SELECT string_agg(range_no || ':' || done, ' ' ORDER BY range_no) FROM upkit.copy_ledger WHERE target_table = 'bigtab'") $(dq "SELECT count(*) FROM bigtab")" \
   "0:true 1:false 2:false 3:false 250" "the cancelled range rolled back; the one before it stays done"
# Then kill -9 in the same place.
"$UPKIT" run --jobs 1 --db ax2009="dbname=$SRC" --db ax2012="dbname=$DST" $FIX >"$runner_tmp/kill.out" 2>&1 &
runner_bg=$!
ok "run again: it reaches BIGTAB's range 3 and waits" wait_dst "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted" 1
kill -9 "$runner_bg"; { wait "$runner_bg"; } 2>/dev/null || true
runner_bg=
dq "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted" >/dev/null
wait $holder 2>/dev/null || true
wait_dst "SELECT count(*) FROM pg_stat_activity WHERE datname = '$DST' AND query LIKE 'COPY%'" 0
is "$(dq "SELECT string_agg(range_no || ':' || done, ' ' ORDER BY range_no) FROM upkit.copy_ledger WHERE target_table = 'bigtab'")" \
   "0:true 1:false 2:false 3:false" "killed in range 3: range 1 done, the others not"
is "$(dq "SELECT count(*) FROM bigtab")" 250 "the killed range left no row"
is "$(dq "SELECT state FROM upkit.runner_jobs WHERE job = 'copy.BIGTAB.1'")" running "the ledger says the job was running"
dq "DROP TRIGGER stall ON public.bigtab"
delta_again
run urun --jobs 2
is "$rc" 1 "the resume finishes (ORPHAN stays refused: exit 1)"
is "$(state)" "big_total=done copy.BIGTAB=done copy.BIGTAB.1=done copy.BIGTAB.2=done copy.CUSTGROUP=done copy.CUSTTABLE=done copy.ORPHAN=failed cust_report=done" "every other job done"
is "$(dq "SELECT string_agg(message, ' | ' ORDER BY job) FROM upkit.runner_jobs WHERE job LIKE 'copy.BIGTAB%'")" \
   "bigtab -> bigtab: 0 ranges copied now, 4 done already; 1000 rows verified; RECID: NEXTVAL 5637144576 (no SYSTEMSEQUENCES row: the first RECID) is above the largest RECID 1000 | bigtab -> bigtab, part 1 of 2: 1 range copied now, 1 done already | bigtab -> bigtab, part 2 of 2: 2 ranges copied now, 0 done already" \
   "BIGTAB: only the three ranges not done were copied"
is "$(dq "SELECT count(*) || ' ' || count(DISTINCT recid) FROM bigtab")" "1000 1000" "every row once: none lost, none twice"
is "$(dq "SELECT md5(string_agg(b::text, ',' ORDER BY recid)) FROM public.bigtab b")" \
   "$(sq "SELECT md5(string_agg(b::text, ',' ORDER BY recid)) FROM public.bigtab b")" "the same rows as the source (hash)"

# ---- sizes from the source's statistics; a table AX's rules send elsewhere ----
sed -e '/"table_sizes"/,/"BIG_TOTAL": 0},/d' $FIX/plan.json > "$runner_tmp/nosizes.json"
cp $FIX/*.sql $FIX/map.json "$runner_tmp/"
sed -i 's|"../../delta/custtable.json"|"'"$TOP"'/tests/fixtures/delta/custtable.json"|' "$runner_tmp/nosizes.json"
run "$UPKIT" plan --catalog --db ax2009="dbname=$SRC" --db ax2012="dbname=$DST" "$runner_tmp/nosizes.json"
like "$out" "copy order \(heaviest table weight first\): bigtab [0-9]+, " "without table_sizes, --catalog sizes the copied tables from the source (BIGTAB first)"
like "$out" "bigtab +1000 " "BIGTAB's size is the source's row estimate, not the empty target's"

sq "CREATE TABLE public.oldt (recid bigint NOT NULL, val integer); INSERT INTO public.oldt VALUES (1, 1), (2, 2)"
dq "CREATE TABLE public.del_oldt (recid bigint NOT NULL, val integer); CREATE TABLE public.oldt_seen (n bigint)"
mkdir -p "$runner_tmp/del"
echo 'INSERT INTO public.oldt_seen SELECT count(*) FROM public.del_oldt;' > "$runner_tmp/del/seen.sql"
del_plan() {
  cat > "$runner_tmp/del/plan.json" <<JSON
{"name": "delplan", "databases": {"s": {"dialect": "pg", "conninfo": "dbname=$SRC"}, "t": {"dialect": "pg", "conninfo": "dbname=$DST"}},
 "jobs": [{"id": "c", "stage": "copy", "database": "t", "copy": {"from": "s", $1 "tables": ["OLDT"]}},
          {"id": "seen", "stage": "postsync", "database": "t", "sql": "seen.sql", "tables": {"DEL_OLDT": "read", "OLDT_SEEN": "create"}}]}
JSON
}
del_plan ""
run "$UPKIT" run --new-run "$runner_tmp/del"
like "$(dq "SELECT message FROM upkit.runner_jobs WHERE plan = 'delplan' AND job = 'c.OLDT'")" \
     "OLDT maps to del_oldt \(DEL_ prefix\), not to oldt as the plan orders it: name that target in the mapping file|oldt maps to del_oldt \(DEL_ prefix\), not to oldt as the plan orders it" \
     "a table AX's rules send elsewhere than the plan expects is refused, not copied behind its readers' backs"
echo '{"tables": [{"table": "OLDT", "target": "DEL_OLDT"}]}' > "$runner_tmp/del/map.json"
dq "TRUNCATE public.oldt_seen"   # the first plan's "seen" did not wait for anything: the plan did not know
del_plan '"mapping": "map.json",'
run "$UPKIT" run --new-run "$runner_tmp/del"
is "$rc:$(dq "SELECT n FROM public.oldt_seen")" "0:2" "named in the mapping file: copied, and the job reading DEL_OLDT waited for it"
