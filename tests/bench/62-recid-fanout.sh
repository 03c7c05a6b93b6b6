#!/usr/bin/env bash
# 62-recid-fanout: RECIDs for the per-company copies of a generated insert
# (issue 13, item 2): reserved in the caller's transaction
# (upkit.reserve_recids_transactional, what the generated inserts use: the
# SYSTEMSEQUENCES row stays locked until the insert commits) against the
# committed path (upkit.reserve_recids: gaps allowed, as the kernel's own
# allocation).  16 "companies", each one transaction that reserves 20000
# RECIDs of one table and inserts 20000 rows with them, run by 4 clients
# at once (pgbench -c 4 -t 4), and the transactional variant also by one
# client (the runner's order: it never starts two jobs that lock one
# TABID's row at once).  Wall time of each; ratios to the committed path.
# Writes $UPKIT_BENCH_OUT/62-recid-fanout.md.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
: "${UPKIT_BENCH_OUT:?run through tests/bench/run.sh}"
db=$UPKIT_BENCH_DB
rounds="${UPKIT_BENCH_ROUNDS:-3}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
q() { psql -qAtX -v ON_ERROR_STOP=1 -d "$db" -c "SET client_min_messages = warning" -c "$1"; }
q "CREATE SCHEMA IF NOT EXISTS bench_fan; SET search_path = bench_fan; SELECT upkit.create_ax_tables();
   DROP TABLE IF EXISTS bench_fan.lines; CREATE TABLE bench_fan.lines (recid bigint PRIMARY KEY, company integer, n integer)" >/dev/null
for how in transactional committed; do
  fn=$([ $how = committed ] && echo reserve_recids || echo reserve_recids_transactional)
  cat > "$tmp/$how.sql" <<SQL
\\set c random(1, 1000000)
BEGIN;
SELECT upkit.$fn(2001, 20000) AS first \\gset
INSERT INTO bench_fan.lines SELECT :first + g - 1, :c, g FROM generate_series(1, 20000) AS g;
COMMIT;
SQL
done
ms() {   # CLIENTS TRANSACTIONS SCRIPT: wall time in ms
  local t0 t1
  q "TRUNCATE bench_fan.lines" >/dev/null
  q "VACUUM bench_fan.lines" >/dev/null
  t0=$(date +%s%N)
  PGOPTIONS="-c search_path=bench_fan" "$UPKIT_PGBIN/pgbench" -n -c "$1" -j "$1" -t "$2" -f "$tmp/$3.sql" "$db" >"$tmp/out" 2>&1 ||
    { cat "$tmp/out" >&2; exit 1; }
  t1=$(date +%s%N)
  echo $(((t1 - t0) / 1000000))
}
for r in $(seq 1 "$rounds"); do
  echo "committed4 $(ms 4 4 committed)"
  echo "transactional4 $(ms 4 4 transactional)"
  echo "transactional1 $(ms 1 16 transactional)"
done > "$tmp/ms"
c4=$(bench_median "$tmp/ms" committed4)
t4=$(bench_median "$tmp/ms" transactional4)
t1=$(bench_median "$tmp/ms" transactional1)
{
  echo "## RECIDs for a per-company insert fan-out (62-recid-fanout)"
  echo
  echo "16 per-company copies of an insert into one table, each one transaction"
  echo "that reserves 20000 RECIDs and inserts 20000 rows with them (pgbench,"
  echo "median wall time of $rounds rounds; the machine's $(nproc) cores are shared with other work):"
  echo
  echo "| RECIDs from | clients | time | vs committed path, 4 clients |"
  echo "|---|---:|---:|---:|"
  echo "| \`reserve_recids\` (committed path, gaps allowed) | 4 | $c4 ms | 1.00x |"
  echo "| \`reserve_recids_transactional\` (the generated inserts) | 4 | $t4 ms | $(ratio "$t4" "$c4")x |"
  echo "| \`reserve_recids_transactional\`, one after another (the runner) | 1 | $t1 ms | $(ratio "$t1" "$c4")x |"
  echo
  echo "The transactional reservation holds the table's SYSTEMSEQUENCES row until"
  echo "its insert commits, so four clients queue on it: they take about as long as"
  echo "one client running the copies one after another, which is what the runner"
  echo "does (it fills the wait with other work). The committed path lets the"
  echo "copies insert in parallel; what that gains is bounded by the cores the"
  echo "inserts share."
} > "$UPKIT_BENCH_OUT/62-recid-fanout.md"
cat "$UPKIT_BENCH_OUT/62-recid-fanout.md"
