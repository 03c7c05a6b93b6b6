#!/usr/bin/env bash
# 20-reserve: RECID reservation throughput, 8 clients in one run each.
#
# pgbench -c 8 -j 2, a few seconds per script, against the same database:
#   nextval    SELECT nextval('s')                         (the baseline)
#   reserve    SELECT upkit.reserve_recids(tabid, 1..10)
#   update     UPDATE systemsequences ... RETURNING        (the plain way)
# once as the cluster runs by default (upkit loaded on demand: every
# reservation is a committed advance by a background worker) and once with
# upkit in shared_preload_libraries (the shared block cache).  Ratios are to
# nextval() in the same configuration.  Writes $UPKIT_BENCH_OUT/20-reserve.md.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
: "${UPKIT_BENCH_OUT:?run through tests/bench/run.sh}"
db=$UPKIT_BENCH_DB
secs=${UPKIT_BENCH_SECONDS:-5}
orig_preload="${UPKIT_PRELOAD-}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; UPKIT_PRELOAD="$orig_preload" "$top/tests/harness/cluster.sh" restart >/dev/null' EXIT

psql -qAtX -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<'SQL'
SET client_min_messages = warning;
CREATE SCHEMA IF NOT EXISTS bench_ax;
SET search_path = bench_ax;
SELECT upkit.create_ax_tables();
DROP SEQUENCE IF EXISTS bench_ax.bench_seq;
CREATE SEQUENCE bench_ax.bench_seq;
INSERT INTO bench_ax.systemsequences (id, tabid, nextval) VALUES (-1, 1001, 5637144576) ON CONFLICT DO NOTHING;
SQL

cat > "$tmp/nextval.sql" <<'SQL'
SELECT nextval('bench_ax.bench_seq');
SQL
cat > "$tmp/reserve.sql" <<'SQL'
\set n random(1, 10)
SELECT upkit.reserve_recids(1000, :n);
SQL
cat > "$tmp/update.sql" <<'SQL'
\set n random(1, 10)
UPDATE bench_ax.systemsequences SET nextval = nextval + :n WHERE id = -1 AND tabid = 1001 RETURNING nextval - :n;
SQL

# tps SCRIPT: transactions per second of 8 clients for $secs seconds.
tps() {
  PGOPTIONS="-c search_path=bench_ax" "$UPKIT_PGBIN/pgbench" -n -M prepared -c 8 -j 2 -T "$secs" -f "$tmp/$1.sql" "$db" 2>&1 \
    | awk '/^tps = / {print $3}'
}

declare -A r
for mode in ondemand preload; do
  if [ $mode = preload ]; then p=upkit; else p=; fi
  UPKIT_PRELOAD="$p" "$top/tests/harness/cluster.sh" restart >/dev/null
  for s in nextval reserve update; do
    r[$mode.$s]=$(tps $s)
    echo "bench: 20-reserve $mode $s: ${r[$mode.$s]} tps"
  done
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { r = a / b; printf (r < 0.1 ? "%.3fx" : "%.2fx"), r }'; }
row() { printf '| %s | %s | %.0f | %s | %.0f | %s |\n' "$1" "$2" "${r[ondemand.$3]}" "$(ratio "${r[ondemand.$3]}" "${r[ondemand.nextval]}")" \
  "${r[preload.$3]}" "$(ratio "${r[preload.$3]}" "${r[preload.nextval]}")"; }

{
  echo "## RECID reservation (20-reserve)"
  echo
  echo "pgbench, 8 clients (-c 8 -j 2), ${secs} s per line, prepared statements; each"
  echo "reservation takes 1 to 10 RECIDs at random. Ratios are to \`nextval()\` on a"
  echo "native sequence measured in the same server configuration. \"on demand\": upkit"
  echo "is not preloaded, so every reservation has a background worker advance and"
  echo "commit \`SYSTEMSEQUENCES\`. \"preloaded\": \`shared_preload_libraries = 'upkit'\`,"
  echo "reservations come from the shared block cache, which advances \`SYSTEMSEQUENCES\`"
  echo "(committed) one block (\`upkit.recid_cache_block\` = 10000) ahead of what it hands out."
  echo
  echo "| what | statement | on demand tps | ratio | preloaded tps | ratio |"
  echo "| --- | --- | ---: | ---: | ---: | ---: |"
  row "native sequence" "\`SELECT nextval('s')\`" nextval
  row "upkit.reserve_recids" "\`SELECT upkit.reserve_recids(1000, n)\`" reserve
  row "plain UPDATE" "\`UPDATE systemsequences SET nextval = nextval + n ... RETURNING\`" update
  echo
  echo "Measured with \`fsync\` on: every commit waits for its WAL flush, and the plain"
  echo "\`UPDATE\` holds the row lock until its commit, so the 8 clients queue behind it."
  echo "The plain \`UPDATE\` is not even a correct allocator: a rollback of the caller"
  echo "hands its range out again. \`reserve_recids\` never does, preloaded or not."
} > "$UPKIT_BENCH_OUT/20-reserve.md"
