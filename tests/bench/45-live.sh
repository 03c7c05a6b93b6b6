#!/usr/bin/env bash
# 45-live.sh: the generated live fill (unit LIVE of a delta spec) on a
# million-row source.
#   (a) The fill's time at its defaults (batch 5000, no pause), and at
#       batches of 1000 and 20000, against the single set-based
#       INSERT ... SELECT of the same mapping into an empty shadow (the
#       limit); the variants alternate within each round, medians compared.
#   (c) Paused, killed mid-batch (pg_terminate_backend) and resumed, the
#       fill ends with exactly the rows of the set-based INSERT (checked, not
#       timed; the bench fails otherwise).
#   (b) Its impact on a concurrent OLTP load, pgbench at 4 clients: a custom
#       script that reads and updates a random source row and inserts a new
#       one (as the live application would), beside pgbench's TPC-B-like
#       script; rounds of the same length alternate without a fill, with a
#       fill at its defaults and with a throttled one (a pause between
#       batches), and compare throughput and 99th-percentile latency.  A fill
#       that finishes before its round ends starts again on an emptied
#       shadow, so it runs for the whole round.  One session samples the
#       lock waits every 50 ms in every round (the same load in each):
#       pgbench sessions waiting on a lock, and those whose blockers include
#       the fill's backend, with how long their statement had run.
set -euo pipefail
db="$UPKIT_BENCH_DB"
rows="${UPKIT_BENCH_LIVE_ROWS:-1000000}"
rounds_a="${UPKIT_BENCH_LIVE_ROUNDS:-5}"
rounds_b="${UPKIT_BENCH_LIVE_OLTP_ROUNDS:-5}"
throttle_ms="${UPKIT_BENCH_LIVE_THROTTLE_MS:-100}"
secs="${UPKIT_BENCH_LIVE_OLTP_SECONDS:-10}"
out="$UPKIT_BENCH_OUT/45-live.md"
work="$UPKIT_BENCH_OUT/45-live"
mkdir -p "$work"
pgbench="$UPKIT_PGBIN/pgbench"
export PGOPTIONS="-c search_path=public -c client_min_messages=warning"
q() { psql -qAtX -v ON_ERROR_STOP=1 -d "$db" "$@"; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

# bench_spec NAME SOURCE SHADOW SCOPE ON: the benchmark's delta spec (one
# lookup, four mapped columns); SCOPE adds the shared case's companies.
bench_spec() {
  cat <<EOF
{
  "kind": "delta",
  "procedure": { "name": "$1" },
  "source": { "table": "$2", "alias": "S" },
  "shadow": { "table": "$3" },$4
  "lookups": [ { "table": "BENCH_LGROUP", "alias": "G", "on": "$5" } ],
  "mapping": [
    { "column": "ACCOUNTNUM", "expr": "S.ACCOUNTNUM" },
    { "column": "NAME",       "expr": "UPPER(S.NAME)" },
    { "column": "GROUPNAME",  "expr": "COALESCE(G.NAME, 'none')" },
    { "column": "CREDITMAX",  "expr": "S.CREDITMAX" }
  ]
}
EOF
}
bench_spec BENCH_LIVE BENCH_LSRC BENCH_LSHADOW "" "G.CUSTGROUP = S.CUSTGROUP" > "$work/bench_live.json"
./sqlgen/upkit generate --dialect pg --no-runtime "$work/bench_live.json" > "$work/bench_live.sql"
# The shared case: a spec over the companies dat and ceu, whose rows
# interleave in RECID order, beside a third company it leaves alone.
bench_spec BENCH_SHARED BENCH_SSRC BENCH_SSHADOW '
  "per_company": false, "dataareaids": ["dat", "ceu"],' \
  "G.CUSTGROUP = S.CUSTGROUP AND G.DATAAREAID = S.DATAAREAID" > "$work/bench_shared.json"
./sqlgen/upkit generate --dialect pg --no-runtime "$work/bench_shared.json" > "$work/bench_shared.sql"

q <<SQL
DROP TABLE IF EXISTS bench_lsrc, bench_lshadow, bench_lgroup, bench_ssrc, bench_sshadow;
DROP SEQUENCE IF EXISTS bench_oltp_recid;
CREATE TABLE bench_lgroup (dataareaid varchar(4), custgroup varchar(10), name varchar(60));
INSERT INTO bench_lgroup SELECT c, g::text, 'Group ' || g FROM generate_series(0, 9) g, unnest(ARRAY['dat', 'ceu']) c;
CREATE TABLE bench_lsrc (
    recid bigint PRIMARY KEY, recversion int NOT NULL, dataareaid varchar(4) NOT NULL,
    accountnum varchar(20) NOT NULL, name varchar(60), custgroup varchar(10), creditmax numeric(32,16));
INSERT INTO bench_lsrc
SELECT 5637144576 + g, 1, 'dat', 'C-' || g, 'Customer ' || g, (g % 10)::text, g % 10000
  FROM generate_series(0, $rows - 1) g;
CREATE INDEX ON bench_lsrc (dataareaid, recid);   -- AX's RECID index of a per-company table
CREATE SEQUENCE bench_oltp_recid START $(( 5637144576 + rows * 2 ));
CREATE TABLE bench_lshadow (
    refrecid bigint NOT NULL, refdataareaid varchar(4) NOT NULL, recversionid int NOT NULL,
    accountnum varchar(20), name varchar(60), groupname varchar(60), creditmax numeric(32,16),
    PRIMARY KEY (refrecid, refdataareaid));
\i $work/bench_live.sql
CREATE TABLE bench_ssrc (LIKE bench_lsrc INCLUDING ALL);
INSERT INTO bench_ssrc
SELECT 5637144576 + g, 1, CASE WHEN g % 10 = 9 THEN 'oth' WHEN g % 2 = 0 THEN 'dat' ELSE 'ceu' END,
       'C-' || g, 'Customer ' || g, (g % 10)::text, g % 10000
  FROM generate_series(0, $rows - 1) g;
CREATE TABLE bench_sshadow (LIKE bench_lshadow INCLUDING ALL);
\i $work/bench_shared.sql
VACUUM ANALYZE bench_lsrc, bench_lgroup, bench_ssrc;
SQL
shrows=$(q -c "SELECT count(*) FROM bench_ssrc WHERE dataareaid IN ('dat', 'ceu')")
setbased="INSERT INTO bench_lshadow (refrecid, refdataareaid, recversionid, accountnum, name, groupname, creditmax)
SELECT S.recid, S.dataareaid, S.recversion, S.accountnum, UPPER(S.name), COALESCE(G.name, 'none'), S.creditmax
  FROM bench_lsrc AS S LEFT JOIN bench_lgroup AS G ON G.dataareaid = 'dat' AND G.custgroup = S.custgroup
 WHERE S.dataareaid = 'dat'"
setshared="INSERT INTO bench_sshadow (refrecid, refdataareaid, recversionid, accountnum, name, groupname, creditmax)
SELECT S.recid, S.dataareaid, S.recversion, S.accountnum, UPPER(S.name), COALESCE(G.name, 'none'), S.creditmax
  FROM bench_ssrc AS S LEFT JOIN bench_lgroup AS G ON G.custgroup = S.custgroup AND G.dataareaid = S.dataareaid
 WHERE S.dataareaid IN ('dat', 'ceu')"
reset_shadow() {
  q -c "TRUNCATE bench_lshadow, bench_sshadow" \
    -c "DELETE FROM upkit.live_state WHERE shadow_table IN ('public.bench_lshadow', 'public.bench_sshadow')" \
    -c "CHECKPOINT" >/dev/null
}

load_start=$(cut -d' ' -f1 /proc/loadavg)
# (a) Round 0 warms the cache and is dropped.  Each round runs the variants
# in a rotated order, so none always runs first.
variants="set 5000 1000 20000 shset shared"
: > "$work/a.txt"
for r in $(seq 0 "$rounds_a"); do
  order=$(echo $variants | tr ' ' '\n' | awk -v r="$r" '{a[NR] = $1} END {for (i = 0; i < NR; i++) print a[(i + r) % NR + 1]}')
  for v in $order; do
    reset_shadow
    want_n=$rows; shadow=bench_lshadow; want=""
    if [ "$v" = set ]; then
      t0=$(now_ms); q -c "$setbased" >/dev/null; t1=$(now_ms)
    elif [ "$v" = shset ]; then
      t0=$(now_ms); q -c "$setshared" >/dev/null; t1=$(now_ms); want_n=$shrows; shadow=bench_sshadow
    elif [ "$v" = shared ]; then
      t0=$(now_ms); live_out=$(q -c "CALL bench_shared_live()"); t1=$(now_ms)
      want="$shrows|done"; want_n=$shrows; shadow=bench_sshadow
      shbatches=$(q -c "SELECT batches FROM upkit.live_state WHERE shadow_table = 'public.bench_sshadow'")
    else
      t0=$(now_ms); live_out=$(q -c "CALL bench_live_live('dat', p_batch_size => $v)"); t1=$(now_ms)
      want="$rows|done"
      [ "$v" = 5000 ] && batches=$(q -c "SELECT batches FROM upkit.live_state WHERE shadow_table = 'public.bench_lshadow'")
    fi
    n=$(q -c "SELECT count(*) FROM $shadow")
    [ "$n" = "$want_n" ] && { [ -z "$want" ] || [ "$live_out" = "$want" ]; } || {
      echo "45-live: wrong row count for $v: $n ($live_out), want $want_n" >&2; exit 1; }
    [ "$r" -gt 0 ] && echo "$v $((t1 - t0)) $r" >> "$work/a.txt"
  done
done
med_a() { awk -v v="$1" '$1 == v {print $2}' "$work/a.txt" | median; }
# The median of the per-round ratios of variant $1 to variant $2 (in column
# $3 of file $4, the round in column $5): the load of a shared machine shifts
# between rounds, less within one.
round_ratio() {
  awk -v a="$1" -v b="$2" -v c="$3" -v rc="$5" '$1 == a {x[$rc] = $c} $1 == b {y[$rc] = $c}
       END {for (r in x) if (r in y) printf "%.2f\n", x[r] / y[r]}' "$4" | median
}
set_ms=$(med_a set)
live_ms=$(med_a 5000)

# (c) Before (b) changes the source: the set-based rows kept, then a fill
# paused, resumed, killed in the middle of a batch (a SHARE lock on the
# shadow holds its INSERT) and resumed again must end with the same rows.
wait_until() {   # $1: SQL condition; up to 60 s
  for _ in $(seq 1 600); do [ "$(q -c "SELECT ($1)")" = t ] && return 0; sleep 0.1; done
  echo "45-live: timed out waiting for: $1" >&2; exit 1
}
st="FROM upkit.live_state WHERE shadow_table = 'public.bench_lshadow'"
reset_shadow
q -c "$setbased" -c "DROP TABLE IF EXISTS bench_lset" -c "CREATE TABLE bench_lset AS TABLE bench_lshadow" >/dev/null
reset_shadow
q -c "CALL bench_live_live('dat', p_pause_ms => 20)" > "$work/c1.out" &
c=$!
wait_until "EXISTS (SELECT 1 $st AND status = 'running' AND batches >= $(( rows / 50000 + 1 )))"
q -c "SELECT upkit.live_control('public.bench_lshadow', 'dat', 'pause')" >/dev/null
wait "$c"
paused_at=$(q -c "SELECT rows_done $st")
q -c "CALL bench_live_live('dat', p_pause_ms => 20)" > "$work/c2.out" 2>&1 &
c=$!
wait_until "EXISTS (SELECT 1 $st AND status = 'running' AND rows_done >= $paused_at + $(( rows / 10 )))"
coproc LOCKER { psql -qAtX -v ON_ERROR_STOP=1 -d "$db"; }
echo "BEGIN; LOCK TABLE bench_lshadow IN SHARE MODE; SELECT 'locked';" >&"${LOCKER[1]}"
read -r -t 60 _ <&"${LOCKER[0]}"
fill_pid=$(q -c "SELECT pid $st")
wait_until "EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = $fill_pid AND wait_event_type = 'Lock')"
killed_at=$(q -c "SELECT rows_done $st")
q -c "SELECT pg_terminate_backend($fill_pid)" >/dev/null
wait "$c" || true
locker=$LOCKER_PID
printf 'ROLLBACK;\n\\q\n' >&"${LOCKER[1]}"
wait "$locker" || true
wait_until "NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = $fill_pid)"
[ "$(q -c "SELECT count(*) FROM bench_lshadow")" = "$killed_at" ] || {
  echo "45-live: after the kill the shadow should hold the $killed_at committed rows" >&2; exit 1; }
resumed=$(q -c "CALL bench_live_live('dat')")
diff_rows=$(q -c "SELECT count(*) FROM ((TABLE bench_lset EXCEPT ALL TABLE bench_lshadow)
                                         UNION ALL (TABLE bench_lshadow EXCEPT ALL TABLE bench_lset)) AS d")
[ "$diff_rows" = 0 ] && [ "$resumed" = "$rows|done" ] || {
  echo "45-live: the paused, killed and resumed fill differs from the set-based rows in $diff_rows rows ($resumed)" >&2; exit 1; }
q -c "DROP TABLE bench_lset" >/dev/null

# (b) OLTP: the custom script and TPC-B-like, 4 clients.
"$pgbench" -i -s 4 -q "$db" >/dev/null 2>&1
cat > "$work/oltp.sql" <<EOF
\\set rid random(5637144576, $(( 5637144576 + rows - 1 )))
BEGIN;
SELECT name, creditmax FROM bench_lsrc WHERE recid = :rid;
UPDATE bench_lsrc SET creditmax = creditmax + 1, recversion = recversion + 1 WHERE recid = :rid;
INSERT INTO bench_lsrc (recid, recversion, dataareaid, accountnum, name, custgroup, creditmax)
VALUES (nextval('bench_oltp_recid'), 1, 'dat', 'O-' || :client_id, 'OLTP', '1', 0);
END;
EOF
oltp_round() {   # $1: label, $2: round; prints "tps p99_ms max_ms"
  rm -f "$work"/pgbench_log.*
  (cd "$work" && "$pgbench" -n -c 4 -j 2 -T "$secs" -f oltp.sql@1 -b tpcb-like@1 -l --log-prefix=pgbench_log "$db" \
     > "$work/pgbench_$1_$2.out" 2>&1)
  tps=$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' "$work/pgbench_$1_$2.out" | head -1)
  lat=$(cat "$work"/pgbench_log.* | awk '{print $3}' | sort -n | awk '{a[NR] = $1} END {printf "%.1f %.1f", a[int(NR * 0.99)] / 1000, a[NR] / 1000}')
  echo "$tps $lat"
}
: > "$work/b.txt"
: > "$work/filled.txt"
q -c "DROP TABLE IF EXISTS bench_live_waits" \
  -c "CREATE TABLE bench_live_waits (label text, round int, waiting int, on_fill int, on_fill_ms numeric)" >/dev/null
# The sampler: one session, a sample every 50 ms until the round's end, each
# in its own transaction (pg_stat_activity is read once per transaction).
sampler() {   # $1: label, $2: round
  q -c "DO \$\$
        DECLARE v_end timestamptz := clock_timestamp() + interval '$secs seconds';
        BEGIN
          WHILE clock_timestamp() < v_end LOOP
            INSERT INTO bench_live_waits
            SELECT '$1', $2, count(*),
                   count(*) FILTER (WHERE f.pid = ANY (pg_blocking_pids(a.pid))),
                   max(extract(epoch FROM clock_timestamp() - a.query_start) * 1000)
                       FILTER (WHERE f.pid = ANY (pg_blocking_pids(a.pid)))
              FROM pg_stat_activity AS a
              LEFT JOIN upkit.live_state AS f ON f.shadow_table = 'public.bench_lshadow' AND f.status = 'running'
             WHERE a.application_name = 'pgbench' AND a.wait_event_type = 'Lock';
            COMMIT;
            PERFORM pg_sleep(0.05);
          END LOOP;
        END \$\$"
}
# The fill for a round: called again on an emptied shadow whenever it
# finishes, until the round's end; then paused.
fill_loop() {   # $1: pause in ms, $2: round end (epoch seconds)
  while [ "$(date +%s)" -lt "$2" ]; do
    q -c "CALL bench_live_live('dat', p_pause_ms => $1)" >> "$work/fill.out" 2>&1 || true
    # Emptied without the CHECKPOINT of reset_shadow, which would flush the
    # OLTP's pages too.
    [ "$(date +%s)" -lt "$2" ] && q -c "TRUNCATE bench_lshadow" \
      -c "DELETE FROM upkit.live_state WHERE shadow_table = 'public.bench_lshadow'" >/dev/null
  done
}
for r in $(seq 1 "$rounds_b"); do
  for v in without with throttled; do
    reset_shadow
    end=$(( $(date +%s) + secs ))
    fill=
    case $v in
      with) fill_loop 0 "$end" & fill=$! ;;
      throttled) fill_loop "$throttle_ms" "$end" & fill=$! ;;
    esac
    sampler "$v" "$r" &
    sampling=$!
    echo "$v $r $(oltp_round "$v" "$r")" >> "$work/b.txt"
    wait "$sampling"
    if [ -n "$fill" ]; then
      echo "$v $r $(q -c "SELECT rows_done || ' ' || status FROM upkit.live_state WHERE shadow_table = 'public.bench_lshadow'")" \
        >> "$work/filled.txt"
      q -c "SELECT upkit.live_control('public.bench_lshadow', 'dat', 'pause')" >/dev/null 2>&1 || true
      wait "$fill" || true
    fi
  done
done
col() { awk -v v="$1" -v c="$2" '$1 == v {print $c}' "$work/b.txt" | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
waits() {   # $1: label; prints "samples, samples with a wait, with a wait on the fill, longest such ms"
  q -F ' ' -c "SELECT count(*), count(*) FILTER (WHERE waiting > 0), count(*) FILTER (WHERE on_fill > 0),
                      coalesce(round(max(on_fill_ms)), 0)
                 FROM bench_live_waits WHERE label = '$1'"
}
batch_ms=$(awk -v t="$live_ms" -v b="$batches" 'BEGIN {printf "%.0f", t / b}')
tps_without=$(col without 3)
p99_without=$(col without 4)
max_without=$(col without 5)

{
  echo "## Live fill: a million rows in batches (45-live)"
  echo
  echo "The generated live procedure of a delta spec (one lookup, four mapped"
  echo "columns) fills an empty shadow from $rows source rows: batches of keys"
  echo "in the order DATAAREAID, RECID, each committed, no pause; at its defaults"
  echo "(batch 5000) $batches batches, about $batch_ms ms each. Medians of $rounds_a rounds"
  echo "after a warm-up, the variants in a rotated order in each round. The"
  echo "shared case: a second source of $rows rows whose companies dat and ceu"
  echo "interleave in RECID order (and a tenth in a third company, oth), filled"
  echo "by a shared spec over dat and ceu, against its own set-based INSERT."
  echo
  echo "| variant | median | ratio of the medians | median of the per-round ratios |"
  echo "| --- | ---: | ---: | ---: |"
  echo "| one set-based \`INSERT ... SELECT\` of the same mapping (the limit) | ${set_ms} ms | 1.00 | 1.00 |"
  for v in 1000 5000 20000; do
    m=$(med_a "$v")
    echo "| live fill, batch $v$([ "$v" = 5000 ] && echo " (the default)"), no pause | ${m} ms | $(ratio "$m" "$set_ms") | $(round_ratio "$v" set 2 "$work/a.txt" 3) |"
  done
  m=$(med_a shset); m2=$(med_a shared)
  echo "| shared spec (dat and ceu, $shrows rows): one set-based \`INSERT ... SELECT\` | ${m} ms | 1.00 | 1.00 |"
  echo "| shared spec: live fill at its defaults ($shbatches batches, company by company) | ${m2} ms | $(ratio "$m2" "$m") | $(round_ratio shared shset 2 "$work/a.txt" 3) |"
  echo
  echo "Rounds (variant, ms, round):"
  echo
  sed 's/^/    /' "$work/a.txt"
  echo
  echo "Paused after $paused_at rows, resumed, killed by \`pg_terminate_backend\`"
  echo "in the middle of a batch after $killed_at rows (the shadow then held exactly"
  echo "the committed batches' $killed_at rows) and resumed again, the fill ended"
  echo "with exactly the rows of the set-based INSERT: $rows rows, $diff_rows differing"
  echo "(both ways, \`EXCEPT ALL\`)."
  echo
  echo "OLTP beside it: pgbench, 4 clients, ${secs} s per round, a custom script"
  echo "(read and update a random source row, insert a new one) and TPC-B-like"
  echo "(scale 4) mixed 1:1. $rounds_b rounds of three, alternating: without a fill,"
  echo "with a fill at its defaults (batch 5000, no pause), and with a fill"
  echo "throttled by a pause of $throttle_ms ms between batches; a fill runs for the whole"
  echo "round (started again on an emptied shadow when it finishes). Medians;"
  echo "ratios to the rounds without a fill."
  echo
  echo "| | without a fill | fill at its defaults | ratio | per-round ratio | fill, pause $throttle_ms ms | ratio | per-round ratio |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  t1=$(col with 3); t2=$(col throttled 3)
  echo "| throughput (tps) | $tps_without | $t1 | $(ratio "$t1" "$tps_without") | $(round_ratio with without 3 "$work/b.txt" 2) | $t2 | $(ratio "$t2" "$tps_without") | $(round_ratio throttled without 3 "$work/b.txt" 2) |"
  t1=$(col with 4); t2=$(col throttled 4)
  echo "| 99th-percentile latency | ${p99_without} ms | $t1 ms | $(ratio "$t1" "$p99_without") | $(round_ratio with without 4 "$work/b.txt" 2) | $t2 ms | $(ratio "$t2" "$p99_without") | $(round_ratio throttled without 4 "$work/b.txt" 2) |"
  t1=$(col with 5); t2=$(col throttled 5)
  echo "| longest transaction | ${max_without} ms | $t1 ms | $(ratio "$t1" "$max_without") | $(round_ratio with without 5 "$work/b.txt" 2) | $t2 ms | $(ratio "$t2" "$max_without") | $(round_ratio throttled without 5 "$work/b.txt" 2) |"
  echo
  echo "Rounds (variant, round, tps, p99 ms, max ms):"
  echo
  sed 's/^/    /' "$work/b.txt"
  echo
  echo "Rows the running fill had done when each round ended: $(awk '{print $1 " " $2 ": " $3 " " $4}' "$work/filled.txt" | tr '\n' ';' | sed 's/;$//; s/;/, /g')."
  echo
  echo "Lock waits, sampled every 50 ms (samples; samples with a pgbench session"
  echo "waiting on a lock; with one whose blockers include the fill's backend;"
  echo "the longest such wait seen, as the blocked statement's age):"
  echo
  for v in without with throttled; do echo "    $v: $(waits "$v")"; done
  echo
  rr=$(round_ratio 5000 set 2 "$work/a.txt" 3)
  tw=$(round_ratio with without 3 "$work/b.txt" 2)
  tt=$(round_ratio throttled without 3 "$work/b.txt" 2)
  goal() { awk -v x="$1" -v op="$2" -v y="$3" 'BEGIN {print ((op == "<=") ? (x <= y) : (x >= y)) ? "met" : "not met"}'; }
  echo "Against the goals (medians of the per-round ratios): the fill at its"
  echo "defaults takes ${rr}x the set-based INSERT (goal 1.5x: $(goal "$rr" "<=" 1.5)); beside the"
  echo "OLTP load it keeps ${tw}x of the throughput at its defaults (goal 0.90: $(goal "$tw" ">=" 0.9))"
  echo "and ${tt}x with a pause of $throttle_ms ms between batches (goal 0.90: $(goal "$tt" ">=" 0.9)). A fill at"
  echo "full speed takes one of this machine's $(nproc) cores from the OLTP load;"
  echo "throttled, a million rows take about $(awk -v b="$batches" -v ms="$batch_ms" -v p="$throttle_ms" 'BEGIN {printf "%.0f", b * (ms + p) / 1000}') s."
  echo "The machine is shared: its 1-minute load average was $load_start when"
  echo "this benchmark started and $(cut -d' ' -f1 /proc/loadavg) when it ended; single rounds of one"
  echo "variant differ by up to 2x, which is why per-round ratios are given."
  echo
  echo "The fill reads the source and writes only shadow rows and its state"
  echo "row, so an OLTP transaction on the source has nothing of the fill's to"
  echo "wait for; the waits seen are the OLTP sessions' own row locks."
  echo
  echo "The shared case is slower relative to its set-based INSERT ($(round_ratio shared shset 2 "$work/a.txt" 3)x): its"
  echo "companies' rows interleave on the heap pages, and the walk, company by"
  echo "company in the order DATAAREAID, RECID, reads every page once per company,"
  echo "where the set-based INSERT scans the table once."
} > "$out"
cat "$out"
