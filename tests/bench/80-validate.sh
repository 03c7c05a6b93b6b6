#!/usr/bin/env bash
# 80-validate.sh: the generated readiness checks on a million-row table with
# 1% bad rows for each check, against the bare query each check needs (the
# limit: a count of the bad rows, no keys, no log):
#   unique      SELECT count(*) ... GROUP BY ... HAVING count(*) > 1
#   not_null    SELECT count(*) ... WHERE col IS NULL
#   references  SELECT count(*) ... WHERE NOT EXISTS (...)   (an anti-join)
#   fits        SELECT count(*) ... WHERE length(...) > n
#   custom      SELECT count(*) ... WHERE (predicate)
#   number_sequence: the count of the rows to number (the sequence row is one)
# and all six in one procedure against the six bare queries in a row.  Each
# check is its own generated procedure (one spec per check), called with the
# default cap of 1000 stored details; every call is rolled back.  One
# session, rounds interleaved, medians compared.
set -euo pipefail
db="$UPKIT_BENCH_DB"
rounds="${UPKIT_BENCH_ROUNDS:-5}"
rows="${UPKIT_BENCH_VALIDATE_ROWS:-1000000}"
out="$UPKIT_BENCH_OUT/80-validate.md"
raw="$UPKIT_BENCH_OUT/80-validate.raw"
work="$UPKIT_BENCH_OUT/80-validate"
mkdir -p "$work"

checks=(unique not_null references fits number_sequence custom)
declare -A body bare
body[unique]='"check": "unique", "table": "BENCH_ITEM", "columns": ["ITEMID"]'
bare[unique]="SELECT count(*) FROM (SELECT 1 FROM bench_item t WHERE t.dataareaid = 'dat' AND t.itemid IS NOT NULL GROUP BY t.itemid, t.dataareaid HAVING count(*) > 1) d"
body[not_null]='"check": "not_null", "table": "BENCH_ITEM", "column": "ITEMNAME", "key": ["ITEMID"]'
bare[not_null]="SELECT count(*) FROM bench_item t WHERE t.dataareaid = 'dat' AND t.itemname IS NULL"
body[references]='"check": "references", "table": "BENCH_ITEM", "columns": ["ITEMGROUPID"], "to": {"table": "BENCH_GROUP", "columns": ["ITEMGROUPID"]}'
bare[references]="SELECT count(*) FROM bench_item t WHERE t.dataareaid = 'dat' AND t.itemgroupid IS NOT NULL AND NOT EXISTS (SELECT 1 FROM bench_group g WHERE g.itemgroupid = t.itemgroupid AND g.dataareaid = t.dataareaid)"
body[fits]='"check": "fits", "table": "BENCH_ITEM", "column": "ITEMNAME", "key": ["ITEMID"], "type": "varchar", "length": 30'
bare[fits]="SELECT count(*) FROM bench_item t WHERE t.dataareaid = 'dat' AND length(rtrim(t.itemname, ' ')) > 30"
body[number_sequence]='"check": "number_sequence", "table": "BENCH_NUMSEQ", "numbersequence": "Item", "rows": {"table": "BENCH_ITEM"}'
bare[number_sequence]="SELECT count(*) FROM bench_item t WHERE t.dataareaid = 'dat'"
body[custom]='"check": "custom", "table": "BENCH_ITEM", "key": ["ITEMID"], "where": "T.PRICE < 0"'
bare[custom]="SELECT count(*) FROM bench_item t WHERE t.dataareaid = 'dat' AND (t.price < 0)"

all=""
for c in "${checks[@]}"; do
  check="{ \"id\": \"Bench_$c\", \"level\": \"error\", \"message\": \"m\", \"resolution\": \"r\", ${body[$c]} }"
  printf '{ "kind": "validate", "procedure": { "name": "BENCH_V_%s" }, "checks": [ %s ] }\n' "$c" "$check" > "$work/$c.json"
  all="$all${all:+, }$check"
done
printf '{ "kind": "validate", "procedure": { "name": "BENCH_V_ALL" }, "checks": [ %s ] }\n' "$all" > "$work/all.json"
./sqlgen/upkit generate --dialect pg --no-runtime "$work"/*.json > "$work/bench_validate.sql"

# 1% of the rows are bad for each check: duplicates (0.5% of the ids twice),
# NULL names, orphans, names too long, negative prices; the sequence runs
# past HIGHEST.
psql -qAtX -v ON_ERROR_STOP=1 -d "$db" <<SQL
SET client_min_messages = warning;
SET search_path = public;
DROP TABLE IF EXISTS bench_item, bench_group, bench_numseq;
CREATE TABLE bench_group (recid bigint, dataareaid varchar(4), itemgroupid varchar(10));
INSERT INTO bench_group SELECT g, 'dat', 'G' || g FROM generate_series(0, 99) g;
CREATE TABLE bench_numseq (recid bigint, dataareaid varchar(4), numbersequence varchar(20),
                           nextrec bigint, highest bigint, format varchar(40));
INSERT INTO bench_numseq VALUES (1, 'dat', 'Item', 1, 999999, 'IT-######');
CREATE TABLE bench_item (
    recid bigint PRIMARY KEY, dataareaid varchar(4) NOT NULL, itemid varchar(20),
    itemname varchar(60), itemgroupid varchar(10), price numeric(20,2));
INSERT INTO bench_item
SELECT 5637144576 + g, 'dat',
       CASE WHEN g % 200 = 1 THEN 'I-' || (g - 1) ELSE 'I-' || g END,
       CASE WHEN g % 100 = 2 THEN NULL WHEN g % 100 = 3 THEN repeat('long name ', 4) ELSE 'Item ' || g END,
       CASE WHEN g % 100 = 4 THEN 'NOPE' ELSE 'G' || (g % 100) END,
       CASE WHEN g % 100 = 5 THEN -1 ELSE g % 1000 END
  FROM generate_series(0, $rows - 1) g;
VACUUM ANALYZE bench_item, bench_group, bench_numseq;
\i $work/bench_validate.sql
SQL

{
  cat <<'SQL'
SET client_min_messages = warning;
SET search_path = public;
SET max_parallel_workers_per_gather = 0;
SET jit = off;
CREATE TEMP TABLE timings (variant text, round int, ms float8);
CREATE TEMP TABLE counts (variant text, n text);
SQL
  for r in $(seq 0 "$rounds"); do     # round 0 warms the cache and is dropped
    keep=$([ "$r" -gt 0 ] && echo "" || echo "-- ")
    echo "-- round $r"
    for c in "${checks[@]}" all; do
      cat <<SQL
BEGIN;
SELECT clock_timestamp() AS t0 \gset
CALL bench_v_$c('dat') \gset
SELECT extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) * 1000 AS ms \gset
SELECT coalesce(sum(detail_count), 0) AS found FROM upkit.validation_log WHERE script = 'public.bench_v_$c' \gset
ROLLBACK;
${keep}INSERT INTO timings VALUES ('check $c', $r, :ms);
${keep}INSERT INTO counts SELECT 'check $c', :'found' WHERE $r = 1;
SQL
    done
    echo "SELECT clock_timestamp() AS tall \\gset"
    for c in "${checks[@]}"; do
      cat <<SQL
SELECT clock_timestamp() AS t0 \gset
${bare[$c]} \gset bare_
SELECT extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) * 1000 AS ms \gset
${keep}INSERT INTO timings VALUES ('bare $c', $r, :ms);
${keep}INSERT INTO counts SELECT 'bare $c', :'bare_count' WHERE $r = 1;
SQL
    done
    echo "SELECT extract(epoch FROM clock_timestamp() - :'tall'::timestamptz) * 1000 AS ms \\gset"
    echo "${keep}INSERT INTO timings VALUES ('bare all', $r, :ms);"
  done
  cat <<'SQL'
SELECT 't', variant, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FROM timings GROUP BY variant;
SELECT 'c', variant, n FROM counts;
SQL
} > "$work/rounds.sql"
psql -qAtX -v ON_ERROR_STOP=1 -d "$db" -f "$work/rounds.sql" > "$raw"

t() { awk -F'|' -v v="$1" '$1 == "t" && $2 == v { printf "%.0f", $3 }' "$raw"; }
n() { awk -F'|' -v v="$1" '$1 == "c" && $2 == v { print $3 }' "$raw"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
{
  cat <<EOF2
## Readiness checks: a million rows, 1% bad (80-validate)

Each standard check as a generated procedure (one check, default cap of 1000
stored details, the call rolled back) on a ${rows}-row table with 1% bad rows
for it, against the bare query the check needs: a count of the bad rows,
without their keys and without the log. Medians of $rounds rounds in one
session (no parallel workers, no JIT). The goal is 1.2x.

| check | bad rows found | procedure | bare query | ratio |
| --- | ---: | ---: | ---: | ---: |
EOF2
  for c in "${checks[@]}"; do
    echo "| \`$c\` | $(n "check $c") | $(t "check $c") ms | $(t "bare $c") ms | $(ratio "$(t "check $c")" "$(t "bare $c")")x |"
  done
  echo "| all six in one procedure | $(n "check all") | $(t "check all") ms | $(t "bare all") ms | $(ratio "$(t "check all")" "$(t "bare all")")x |"
  cat <<'EOF2'

The goal (1.2x) is not met everywhere. `unique` reads the table twice
(the duplicate groups, then their rows, which the details name), where the
bare count reads it once: about 2x by construction. The other checks pay a
fixed cost for what the bare count leaves out: the key and detail text of
each of the 10000 bad rows, sorting them for the first 1000, storing those
in the log and the procedure call; it is tens of milliseconds, so the ratio
depends on how cheap the bare scan is. `number_sequence` finds one sequence
row; its cost is counting the rows to number. The counts are exact
whatever the cap; the cap bounds what is stored. The machine is shared, so
the ratios move between runs by a few tenths.
EOF2
} > "$out"
cat "$out"
