#!/usr/bin/env bash
# 55-bcp.sh: upkit copy SQL Server to SQL Server (db-lib reader, bcp
# writer) against FreeTDS's freebcp out of the source table into a file and
# in from it (native format, -n), the command-line bcp an upgrade would use
# otherwise, on the same table: UPKIT_BENCH_BCP_ROWS rows (default 500,000)
# of an AX-shaped table (bigint, nvarchar, numeric(32,16), datetime, int).
# Variants: upkit copy with one job, with --table-lock, with four RECID
# ranges and --jobs 4; freebcp out + in, and freebcp in with -h TABLOCK.
# Before every run the target is emptied (TRUNCATE) and its ledger rows
# deleted; variants interleave; medians of the rounds.
#
# Needs a SQL Server: UPKIT_MSSQL (HOST[:PORT]), UPKIT_MSSQL_DATABASE (to
# connect to first), UPKIT_MSSQL_USER, UPKIT_MSSQL_PASSWORD, as the
# integration tests (tests/mssql/lib.sh), and a login that may create
# databases: two scratch databases are made here and dropped at the end.
# Without UPKIT_MSSQL the section says it was skipped.  freebcp takes its
# password on standard input here (it reads one there when -P is not given),
# so no password is on a command line.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
out="$UPKIT_BENCH_OUT/55-bcp.md"
raw="$UPKIT_BENCH_OUT/55-bcp.raw"
if [ -z "${UPKIT_MSSQL:-}" ]; then
  echo "bench: 55-bcp skipped: UPKIT_MSSQL not set (no SQL Server configured)"
  {
    echo "## Bulk copy on SQL Server: upkit copy against freebcp"
    echo
    echo "Not measured: no SQL Server was configured for this run (UPKIT_MSSQL not set)."
    echo "\`tests/bench/55-bcp.sh\` compares \`upkit copy\` between two SQL Server databases"
    echo "with FreeTDS's \`freebcp\` out and in of the same table where one is."
  } > "$out"
  exit 0
fi
for v in UPKIT_MSSQL_DATABASE UPKIT_MSSQL_USER UPKIT_MSSQL_PASSWORD; do
  [ -n "${!v+x}" ] || { echo "bench: 55-bcp: UPKIT_MSSQL is set, but not $v" >&2; exit 1; }
done
command -v freebcp >/dev/null || { echo "bench: 55-bcp: freebcp is missing (package freetds-bin)" >&2; exit 1; }
query="$PWD/build/tests/tools/mssql_query"
[ -x "$query" ] || { echo "bench: 55-bcp: $query is missing: run make check-tests" >&2; exit 1; }

rounds="${UPKIT_BENCH_ROUNDS:-3}"
rows="${UPKIT_BENCH_BCP_ROWS:-500000}"
upkit="$PWD/sqlgen/upkit"
src="upkit_bench_bcp_src_$$" dst="upkit_bench_bcp_dst_$$"
tmp=$(mktemp -d)
home=$UPKIT_MSSQL_DATABASE
sq() { UPKIT_MSSQL_DATABASE=$1 "$query" "$2" >/dev/null; }
cleanup() {
  rm -rf "$tmp"
  for d in $src $dst; do
    sq "$home" "IF DB_ID(N'$d') IS NOT NULL DROP DATABASE [$d];" || echo "bench: could not drop $d" >&2
  done
}
trap cleanup EXIT
: > "$raw"

table="CREATE TABLE [dbo].[BIG] (
  [RECID] BIGINT NOT NULL PRIMARY KEY, [DATAAREAID] NVARCHAR(4) NOT NULL DEFAULT (N''),
  [ACCOUNTNUM] NVARCHAR(20) NOT NULL DEFAULT (N''), [NAME] NVARCHAR(60) NOT NULL DEFAULT (N''),
  [QTY] NUMERIC(32,16) NOT NULL DEFAULT (0), [AMOUNT] NUMERIC(32,16) NOT NULL DEFAULT (0),
  [CREATED] DATETIME NOT NULL DEFAULT ('1900-01-01'), [FLAG] INT NOT NULL DEFAULT (0),
  [RECVERSION] INT NOT NULL DEFAULT (1));"
sq "$home" "CREATE DATABASE [$src];"
sq "$home" "CREATE DATABASE [$dst];"
sq "$src" "$table
WITH n AS (SELECT TOP ($rows) ROW_NUMBER() OVER (ORDER BY a.[object_id]) AS g
             FROM sys.all_columns AS a CROSS JOIN sys.all_columns AS b)
INSERT INTO [dbo].[BIG]
SELECT 5637144576 + g, N'dat', N'C-' + CAST(g AS NVARCHAR(20)), N'Customer ' + CAST(g AS NVARCHAR(20)),
       g / 7.0, g * 1.25, DATEADD(SECOND, g % 86400, '2012-01-01'), g % 2, 1 FROM n;"
sq "$dst" "$table"
"$upkit" install --dialect mssql --server "$UPKIT_MSSQL" --database "$dst" --user "$UPKIT_MSSQL_USER" \
  --runtime >/dev/null

export UPKIT_SOURCE_PASSWORD=$UPKIT_MSSQL_PASSWORD UPKIT_TARGET_PASSWORD=$UPKIT_MSSQL_PASSWORD
reset() { sq "$dst" "TRUNCATE TABLE [dbo].[BIG]; DELETE FROM [dbo].[UPKIT_COPY_LEDGER]; CHECKPOINT;"; }
ms() { local s e; s=$(date +%s%N); "$@" >/dev/null; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
ucopy() {
  "$upkit" copy -q --source "mssql://$UPKIT_MSSQL_USER@$UPKIT_MSSQL/$src" \
    --target "mssql://$UPKIT_MSSQL_USER@$UPKIT_MSSQL/$dst" --table BIG "$@"
}
fbcp() {
  printf '%s\n' "$UPKIT_MSSQL_PASSWORD" |
    freebcp "$1.dbo.BIG" "$2" "$tmp/big.dat" -n -S "$UPKIT_MSSQL" -U "$UPKIT_MSSQL_USER" -b 10000 "${@:3}"
}
freebcp_both() { fbcp "$src" out && fbcp "$dst" in; }
freebcp_lock() { fbcp "$src" out && fbcp "$dst" in -h TABLOCK; }

for r in $(seq "$rounds"); do
  reset; echo "t|freebcp|$(ms freebcp_both)" >> "$raw"
  reset; echo "t|upkit|$(ms ucopy --jobs 1 --split-rows 0 --batch-size 10000)" >> "$raw"
  reset; echo "t|freebcp_lock|$(ms freebcp_lock)" >> "$raw"
  reset; echo "t|upkit_lock|$(ms ucopy --jobs 1 --split-rows 0 --batch-size 10000 --table-lock)" >> "$raw"
  reset; echo "t|ranges4|$(ms ucopy --jobs 4 --split-rows $((rows / 4)) --batch-size 10000)" >> "$raw"
done
# The copies were complete: the last one's count.
echo "n|rows|$(UPKIT_MSSQL_DATABASE=$dst "$query" "SELECT COUNT(*) FROM [dbo].[BIG];")" >> "$raw"

# Medians of the rounds (lib.sh's median), as ratios to freebcp.
med() { awk -F'|' -v n="$1" '$1 == "t" && $2 == n { print $3 }' "$raw" | median; }
f=$(med freebcp) u=$(med upkit) fl=$(med freebcp_lock) ul=$(med upkit_lock) r4=$(med ranges4)
left=$(awk -F'|' '$1 == "n" && $2 == "rows" { print $3 }' "$raw")
{
  echo "## Bulk copy on SQL Server: upkit copy against freebcp"
  echo
  echo "\`tests/bench/55-bcp.sh\`: $rows rows of an AX-shaped table (bigint, nvarchar, numeric(32,16),"
  echo "datetime, int) between two databases of one SQL Server; medians of $rounds rounds; the target"
  echo "emptied before each run. The last copy left $left rows."
  echo
  echo "| variant | time (ms) | upkit copy / freebcp |"
  echo "| --- | ---: | ---: |"
  echo "| freebcp out + in (-n, -b 10000) | $f | |"
  echo "| upkit copy, --jobs 1, --batch-size 10000 | $u | $(ratio "$u" "$f")x the time |"
  echo "| freebcp out + in with -h TABLOCK | $fl | |"
  echo "| upkit copy --table-lock | $ul | $(ratio "$ul" "$fl")x the time |"
  echo "| upkit copy, 4 RECID ranges, --jobs 4 | $r4 | $(ratio "$r4" "$f")x the time |"
} > "$out"
