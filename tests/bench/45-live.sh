#!/usr/bin/env bash
# 45-live.sh: the generated live fill (unit LIVE of a delta spec) on a
# million-row source.
#   (a) The fill's time at its defaults (batch 5000, no pause) against the
#       single set-based INSERT ... SELECT of the same mapping into an empty
#       shadow (the limit), alternating, medians compared.
#   (b) Its impact on a concurrent OLTP load, pgbench at 4 clients: a custom
#       script that reads and updates a random source row and inserts a new
#       one (as the live application would), beside pgbench's TPC-B-like
#       script; rounds of the same length alternate without and with a
#       fill running (the shadow emptied first), and compare throughput and
#       99th-percentile latency.  Lock waits are sampled every 50 ms from
#       pg_stat_activity (the pgbench sessions waiting on a lock during a
#       round with the fill), not measured to the microsecond.
set -euo pipefail
db="$UPKIT_BENCH_DB"
rows="${UPKIT_BENCH_LIVE_ROWS:-1000000}"
rounds_a="${UPKIT_BENCH_LIVE_ROUNDS:-3}"
rounds_b="${UPKIT_BENCH_LIVE_OLTP_ROUNDS:-3}"
secs="${UPKIT_BENCH_LIVE_OLTP_SECONDS:-12}"
out="$UPKIT_BENCH_OUT/45-live.md"
work="$UPKIT_BENCH_OUT/45-live"
mkdir -p "$work"
pgbench="$UPKIT_PGBIN/pgbench"
export PGOPTIONS="-c search_path=public -c client_min_messages=warning"
q() { psql -qAtX -v ON_ERROR_STOP=1 -d "$db" "$@"; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

cat > "$work/bench_live.json" <<'EOF'
{
  "kind": "delta",
  "procedure": { "name": "BENCH_LIVE" },
  "source": { "table": "BENCH_LSRC", "alias": "S" },
  "shadow": { "table": "BENCH_LSHADOW" },
  "lookups": [ { "table": "BENCH_LGROUP", "alias": "G", "on": "G.CUSTGROUP = S.CUSTGROUP" } ],
  "mapping": [
    { "column": "ACCOUNTNUM", "expr": "S.ACCOUNTNUM" },
    { "column": "NAME",       "expr": "UPPER(S.NAME)" },
    { "column": "GROUPNAME",  "expr": "COALESCE(G.NAME, 'none')" },
    { "column": "CREDITMAX",  "expr": "S.CREDITMAX" }
  ]
}
EOF
./sqlgen/upkit generate --dialect pg --no-runtime "$work/bench_live.json" > "$work/bench_live.sql"

q <<SQL
DROP TABLE IF EXISTS bench_lsrc, bench_lshadow, bench_lgroup;
DROP SEQUENCE IF EXISTS bench_oltp_recid;
CREATE TABLE bench_lgroup (dataareaid varchar(4), custgroup varchar(10), name varchar(60));
INSERT INTO bench_lgroup SELECT 'dat', g::text, 'Group ' || g FROM generate_series(0, 9) g;
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
VACUUM ANALYZE bench_lsrc, bench_lgroup;
SQL
setbased="INSERT INTO bench_lshadow (refrecid, refdataareaid, recversionid, accountnum, name, groupname, creditmax)
SELECT S.recid, S.dataareaid, S.recversion, S.accountnum, UPPER(S.name), COALESCE(G.name, 'none'), S.creditmax
  FROM bench_lsrc AS S LEFT JOIN bench_lgroup AS G ON G.custgroup = S.custgroup
 WHERE S.dataareaid = 'dat'"
reset_shadow() { q -c "TRUNCATE bench_lshadow" -c "DELETE FROM upkit.live_state WHERE shadow_table = 'public.bench_lshadow'" -c "CHECKPOINT" >/dev/null; }

# (a) Round 0 warms the cache and is dropped.
: > "$work/a.txt"
for r in $(seq 0 "$rounds_a"); do
  reset_shadow
  t0=$(now_ms); q -c "$setbased" >/dev/null; t1=$(now_ms)
  n_set=$(q -c "SELECT count(*) FROM bench_lshadow")
  reset_shadow
  t2=$(now_ms); live_out=$(q -c "CALL bench_live_live('dat')"); t3=$(now_ms)
  n_live=$(q -c "SELECT count(*) FROM bench_lshadow")
  [ "$r" -gt 0 ] && echo "$((t1 - t0)) $((t3 - t2))" >> "$work/a.txt"
  [ "$n_set" = "$rows" ] && [ "$n_live" = "$rows" ] && [ "$live_out" = "$rows|done" ] || {
    echo "45-live: wrong row counts: set-based $n_set, live $n_live ($live_out), want $rows" >&2; exit 1; }
done
batches=$(q -c "SELECT batches FROM upkit.live_state WHERE shadow_table = 'public.bench_lshadow'")
set_ms=$(cut -d' ' -f1 "$work/a.txt" | median)
live_ms=$(cut -d' ' -f2 "$work/a.txt" | median)

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
: > "$work/waits.txt"
: > "$work/filled.txt"
for r in $(seq 1 "$rounds_b"); do
  reset_shadow
  echo "without $r $(oltp_round without "$r")" >> "$work/b.txt"
  reset_shadow
  q -c "CALL bench_live_live('dat')" > "$work/fill_$r.out" 2>&1 &
  fill=$!
  ( end=$(( $(date +%s) + secs )); while [ "$(date +%s)" -lt "$end" ]; do
      q -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgbench' AND wait_event_type = 'Lock'"
      sleep 0.05; done ) >> "$work/waits.txt" &
  sampler=$!
  echo "with $r $(oltp_round with "$r")" >> "$work/b.txt"
  wait "$sampler"
  filled=$(q -c "SELECT rows_done || ' ' || status FROM upkit.live_state WHERE shadow_table = 'public.bench_lshadow'")
  q -c "SELECT upkit.live_control('public.bench_lshadow', 'dat', 'pause')" >/dev/null 2>&1 || true
  wait "$fill" || true
  echo "$filled" >> "$work/filled.txt"
done
col() { awk -v v="$1" -v c="$2" '$1 == v {print $c}' "$work/b.txt" | median; }
tps_without=$(col without 3); tps_with=$(col with 3)
p99_without=$(col without 4); p99_with=$(col with 4)
max_without=$(col without 5); max_with=$(col with 5)
samples=$(wc -l < "$work/waits.txt"); waited=$(awk '$1 > 0' "$work/waits.txt" | wc -l)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

{
  echo "## Live fill: a million rows in batches (45-live)"
  echo
  echo "The generated live procedure of a delta spec (one lookup, four mapped"
  echo "columns) fills an empty shadow from $rows source rows at its defaults:"
  echo "batches of 5000 keys in the order DATAAREAID, RECID, each committed, no pause"
  echo "($batches batches). Medians of $rounds_a rounds after a warm-up, alternating."
  echo
  echo "| variant | median | ratio to the set-based INSERT |"
  echo "| --- | ---: | ---: |"
  echo "| one set-based \`INSERT ... SELECT\` of the same mapping (the limit) | ${set_ms} ms | 1.00 |"
  echo "| live fill, batch 5000, no pause | ${live_ms} ms | $(ratio "$live_ms" "$set_ms") |"
  echo
  echo "OLTP beside it: pgbench, 4 clients, ${secs} s per round, a custom script"
  echo "(read and update a random source row, insert a new one) and TPC-B-like"
  echo "(scale 4) mixed 1:1; $rounds_b rounds without the fill alternating with $rounds_b"
  echo "with a fill at its defaults started on an empty shadow (medians)."
  echo
  echo "| | without the fill | with the fill | ratio |"
  echo "| --- | ---: | ---: | ---: |"
  echo "| throughput (tps) | $tps_without | $tps_with | $(ratio "$tps_with" "$tps_without") |"
  echo "| 99th-percentile latency | ${p99_without} ms | ${p99_with} ms | $(ratio "$p99_with" "$p99_without") |"
  echo "| longest transaction | ${max_without} ms | ${max_with} ms | $(ratio "$max_with" "$max_without") |"
  echo
  echo "Rounds (label, round, tps, p99 ms, max ms):"
  echo
  sed 's/^/    /' "$work/b.txt"
  echo
  echo "Rows the fill had done when each round with it ended: $(tr '\n' ';' < "$work/filled.txt" | sed 's/;$//; s/;/, /g')."
  echo "Lock waits of the OLTP sessions during the rounds with the fill: $waited of"
  echo "$samples samples (every 50 ms) saw a pgbench session waiting on a lock (the"
  echo "fill reads the source and inserts shadow rows only; the OLTP's own row"
  echo "updates can wait for each other, too)."
} > "$out"
cat "$out"
