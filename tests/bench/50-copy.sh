#!/usr/bin/env bash
# 50-copy.sh: upkit copy between two databases of the cluster, a 1,000,000-
# row, 10-column table, against
#   - psql -c "COPY ... TO STDOUT" | psql -c "COPY ... FROM STDIN", binary:
#     the limit (goal: upkit copy at least 0.9x of its throughput);
#   - INSERT ... SELECT through postgres_fdw in the target (a common
#     alternative);
# and the parallel speed-up: four tables of 250,000 rows with --jobs 1 and
# --jobs 4, and the one big table cut into 4 RECID ranges with --jobs 4;
# and the same two parallel copies as upkit run's copy stage (a plan with a
# "copy": one job per table; the big table's ranges shared by 4 part jobs),
# against upkit copy: the runner's cost on top of the copy.
# Before every run the target table is emptied (TRUNCATE) and its ledger
# rows deleted; variants interleave; medians of the rounds.
set -euo pipefail
rounds="${UPKIT_BENCH_ROUNDS:-3}"
rows="${UPKIT_BENCH_COPY_ROWS:-1000000}"
out="$UPKIT_BENCH_OUT/50-copy.md"
raw="$UPKIT_BENCH_OUT/50-copy.raw"
src=upkit_bench_copy_src dst=upkit_bench_copy_dst
upkit="$PWD/sqlgen/upkit"
: > "$raw"

for d in $src $dst; do
  psql -qAtX -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $d" -c "CREATE DATABASE $d" >/dev/null
done
cols="recid bigint NOT NULL, dataareaid varchar(4) NOT NULL, accountnum varchar(20), name varchar(60),
      txt text, qty numeric(32,16), amount numeric(32,16), created timestamp, flag integer, recversion integer"
fill="SELECT 5637144576 + g, 'dat', 'C-' || g, 'Customer ' || g, md5(g::text), g / 7.0, g * 1.25,
             timestamp '2012-01-01' + g * interval '1 second', g % 2, 1"
psql -qAtX -v ON_ERROR_STOP=1 -d $src <<SQL
CREATE TABLE big ($cols);
INSERT INTO big $fill FROM generate_series(1, $rows) g;
CREATE TABLE part1 ($cols); CREATE TABLE part2 ($cols); CREATE TABLE part3 ($cols); CREATE TABLE part4 ($cols);
INSERT INTO part1 $fill FROM generate_series(1, $rows / 4) g;
INSERT INTO part2 SELECT * FROM part1; INSERT INTO part3 SELECT * FROM part1; INSERT INTO part4 SELECT * FROM part1;
VACUUM ANALYZE;
SQL
psql -qAtX -v ON_ERROR_STOP=1 -d $dst <<SQL >/dev/null
SET client_min_messages = warning;
CREATE EXTENSION upkit;
CREATE EXTENSION postgres_fdw;
CREATE SERVER src FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '$PGHOST', port '$PGPORT', dbname '$src');
CREATE USER MAPPING FOR CURRENT_USER SERVER src OPTIONS (user '$PGUSER');
CREATE FOREIGN TABLE public.src_big ($cols) SERVER src OPTIONS (table_name 'big', fetch_size '10000');
CREATE TABLE public.big ($cols);
CREATE TABLE public.part1 ($cols); CREATE TABLE public.part2 ($cols); CREATE TABLE public.part3 ($cols); CREATE TABLE public.part4 ($cols);
SQL

reset() { psql -qAtX -d $dst -c "TRUNCATE public.big, public.part1, public.part2, public.part3, public.part4" \
                       -c "DELETE FROM upkit.copy_ledger" -c "CHECKPOINT" >/dev/null; }
ms() { local s e; s=$(date +%s%N); "$@" >/dev/null; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
pipe() { psql -qAtX -d $src -c "COPY public.big TO STDOUT (FORMAT binary)" |
         psql -qAtX -d $dst -c "COPY public.big FROM STDIN (FORMAT binary)"; }
fdw() { psql -qAtX -d $dst -c "INSERT INTO public.big SELECT * FROM public.src_big"; }
ucopy() { "$upkit" copy -q --source "dbname=$src" --target "dbname=$dst" "$@"; }
# upkit run's copy stage: plan NAME copies TABLES (JSON) in ranges of SPLIT rows.
copy_plan() {
  mkdir -p "$UPKIT_BENCH_OUT/plan-$1"
  cat > "$UPKIT_BENCH_OUT/plan-$1/plan.json" <<JSON
{"name": "bench_$1", "databases": {"dst": {"dialect": "pg", "conninfo": "dbname=$dst"}, "src": {"dialect": "pg", "conninfo": "dbname=$src"}},
 "jobs": [{"id": "copy", "stage": "copy", "database": "dst", "copy": {"from": "src", "split_rows": $3, "tables": $2}}]}
JSON
}
copy_plan tables '["part1", "part2", "part3", "part4"]' 0
copy_plan ranges '[{"table": "big", "jobs": 4}]' $((rows / 4))
urun() { "$upkit" run --new-run --jobs 4 "$UPKIT_BENCH_OUT/plan-$1"; }

for r in $(seq "$rounds"); do
  reset; echo "t|pipe|$(ms pipe)" >> "$raw"
  reset; echo "t|upkit|$(ms ucopy --table big --jobs 1 --split-rows 0)" >> "$raw"
  reset; echo "t|fdw|$(ms fdw)" >> "$raw"
  reset; echo "t|ranges4|$(ms ucopy --table big --jobs 4 --split-rows $((rows / 4)))" >> "$raw"
  reset; echo "t|tables1|$(ms ucopy --table part1 --table part2 --table part3 --table part4 --jobs 1)" >> "$raw"
  reset; echo "t|tables4|$(ms ucopy --table part1 --table part2 --table part3 --table part4 --jobs 4)" >> "$raw"
  reset; echo "t|runtables4|$(ms urun tables)" >> "$raw"
  reset; echo "t|runranges4|$(ms urun ranges)" >> "$raw"
done
# The copies were complete: the last one's counts.
echo "n|big|$(psql -qAtX -d $src -c "SELECT count(*) FROM big")" >> "$raw"
echo "n|bytes|$(psql -qAtX -d $src -c "SELECT pg_total_relation_size('big')")" >> "$raw"

for d in $src $dst; do psql -qAtX -d postgres -c "DROP DATABASE IF EXISTS $d" >/dev/null; done

awk -F'|' -v rounds="$rounds" -v cores="$(nproc)" '
  $1 == "t" { v[$2] = v[$2] " " $3 }
  $1 == "n" { n[$2] = $3 }
  function median(s,   a, k, i, j, t) {
    k = split(s, a, " ")
    for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
  }
  END {
    p = median(v["pipe"]); u = median(v["upkit"]); f = median(v["fdw"])
    r4 = median(v["ranges4"]); t1 = median(v["tables1"]); t4 = median(v["tables4"])
    rt4 = median(v["runtables4"]); rr4 = median(v["runranges4"])
    printf "## Bulk copy: upkit copy between two databases\n\n"
    printf "One table of %d rows, 10 columns (bigint, varchar, text, numeric, timestamp,\n", n["big"]
    printf "integer; %.0f MB on disk), copied from one database of the cluster to another.\n", n["bytes"] / 1048576
    printf "Before each run the target is emptied and checkpointed; variants interleave;\n"
    printf "medians of %d rounds. Throughput ratios: the other variant'"'"'s time over upkit'"'"'s.\n\n", rounds
    printf "Goal: upkit copy at least 0.9x the throughput of the psql pipe.\n\n"
    printf "| variant | median ms | rows/s | upkit copy throughput, ratio |\n"
    printf "| --- | ---: | ---: | ---: |\n"
    printf "| `psql -c \"COPY ... TO STDOUT\" \\| psql -c \"COPY ... FROM STDIN\"` (binary; the limit) | %d | %.0f | **%.2fx** of the pipe |\n", p, n["big"] / p * 1000, p / u
    printf "| `upkit copy --jobs 1` (one range; ledger, verification, RECID check included) | %d | %.0f | 1.00x |\n", u, n["big"] / u * 1000
    printf "| `INSERT ... SELECT` through `postgres_fdw` | %d | %.0f | upkit copy %.2fx faster |\n", f, n["big"] / f * 1000, f / u
    printf "\nParallel speed-up (%s cores shared by client and both servers):\n\n", cores
    printf "| variant | median ms | speed-up |\n| --- | ---: | ---: |\n"
    printf "| 4 tables of %d rows, `--jobs 1` | %d | 1.00x |\n", n["big"] / 4, t1
    printf "| the same 4 tables, `--jobs 4` | %d | %.2fx |\n", t4, t1 / t4
    printf "| the %d-row table, `--jobs 1`, one range | %d | 1.00x |\n", n["big"], u
    printf "| the same table cut into 4 RECID ranges, `--jobs 4` | %d | %.2fx |\n", r4, u / r4
    printf "\nThe same copies as `upkit run --jobs 4`'"'"'s copy stage (a plan whose `copy` makes one\n"
    printf "job per table; the big table'"'"'s 4 ranges shared by 4 part jobs, then its own job\n"
    printf "checks), against `upkit copy --jobs 4`:\n\n"
    printf "| variant | median ms | upkit copy time / upkit run time |\n| --- | ---: | ---: |\n"
    printf "| 4 tables, `upkit run --jobs 4` | %d | %.2fx |\n", rt4, t4 / rt4
    printf "| the table in 4 ranges, `upkit run --jobs 4` (`\"jobs\": 4`) | %d | %.2fx |\n", rr4, r4 / rr4
  }' "$raw" > "$out"
cat "$out"
