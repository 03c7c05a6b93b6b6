#!/usr/bin/env bash
# runner_copy.t: the runner's copy stage with SQL Server sides (skipped
# without UPKIT_MSSQL; see lib.sh; docs/runner.md "The copy stage").
# Self-contained: the source is lib.sh's scratch database (CUSTGROUP, and
# BIGTAB of 600 rows cut into three RECID ranges), the SQL Server target a
# second scratch database made here (dropped on exit), the PostgreSQL target
# a database of the throwaway cluster.  Passwords only from the variable the
# plan's password_env names (here the default, UPKIT_MSSQL_PASSWORD).
#
#  - SQL Server into PostgreSQL, a copy that lists no tables: upkit plan
#    --catalog reads the source's tables (dbo) and expands the copy into one
#    job per table; upkit run copies every table once, the post-copy job
#    waits for BIGTAB's job; the rows are the source's (counts and sums);
#  - SQL Server into SQL Server, tables listed, bcp with batch_size and
#    table_lock: without the runtime in the target the run is refused naming
#    it; with it, every range done in [dbo].[UPKIT_COPY_LEDGER], the jobs in
#    [dbo].[UPKIT_RUNNER_JOBS]; a new run copies nothing twice.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
if [ -z "${UPKIT_MSSQL:-}" ]; then skip_all "UPKIT_MSSQL not set: no SQL Server configured"; fi
. "$(dirname "$0")/lib.sh"
: "${PGHOST:?run through tests/harness/with-cluster.sh}"
cd "$TOP"
plan 17

SRC=$MSSQL_SCRATCH
DST=${MSSQL_SCRATCH}_dst
PGDB=upkit_mssql_runner_copy
both_drop() {
  mssql_drop_db "$DST"
  psql -qAtX -d postgres -c "DROP DATABASE IF EXISTS $PGDB WITH (FORCE)" >/dev/null 2>&1 || true
  mssql_scratch_drop
}
trap both_drop EXIT
qd() { run env UPKIT_MSSQL_DATABASE="$DST" "$MSSQL_QUERY" "$1"; }
pq() { psql -qAtX -v ON_ERROR_STOP=1 -d "$PGDB" -c "$1"; }
lines() { tr -d '\r' <<<"$out" | paste -sd ' '; }

TABLES="
CREATE TABLE [dbo].[CUSTGROUP] ([RECID] BIGINT NOT NULL PRIMARY KEY, [DATAAREAID] NVARCHAR(4) NOT NULL,
    [CUSTGROUP] NVARCHAR(10) NOT NULL, [NAME] NVARCHAR(60) NOT NULL);
CREATE TABLE [dbo].[BIGTAB] ([RECID] BIGINT NOT NULL PRIMARY KEY, [VAL] INT NOT NULL, [TXT] NVARCHAR(30) NOT NULL);"
q "$TABLES
INSERT INTO [dbo].[CUSTGROUP] VALUES (1, N'dat', N'10', N'Retail'), (2, N'dat', N'20', N'Großhandel'), (3, N'ceu', N'10', N'O''Brien');
WITH n AS (SELECT TOP (600) ROW_NUMBER() OVER (ORDER BY a.[object_id]) AS i
             FROM sys.all_columns AS a CROSS JOIN sys.all_columns AS b)
INSERT INTO [dbo].[BIGTAB] ([RECID], [VAL], [TXT]) SELECT i, CAST(i % 7 AS INT), N'row ' + CAST(i AS NVARCHAR(20)) FROM n;
UPDATE STATISTICS [dbo].[BIGTAB];"
is "$rc" 0 "the source: CUSTGROUP and BIGTAB (600 rows)"
[ "$rc" -eq 0 ] || diag "$err"

# ---- SQL Server into PostgreSQL: every table ----
psql -qAtX -d postgres -c "DROP DATABASE IF EXISTS $PGDB WITH (FORCE)" -c "CREATE DATABASE $PGDB" >/dev/null
pq "CREATE EXTENSION upkit; SELECT upkit.create_ax_tables();
    CREATE TABLE public.custgroup (recid bigint PRIMARY KEY, dataareaid varchar(4) NOT NULL, custgroup varchar(10) NOT NULL, name varchar(60) NOT NULL);
    CREATE TABLE public.bigtab (recid bigint PRIMARY KEY, val integer NOT NULL, txt varchar(30) NOT NULL);
    CREATE TABLE public.seen (n bigint);" >/dev/null
mkdir -p "$MSSQL_TMP/topg" "$MSSQL_TMP/toms"
echo "INSERT INTO public.seen SELECT count(*) FROM public.bigtab;" > "$MSSQL_TMP/topg/seen.sql"
cat > "$MSSQL_TMP/topg/plan.json" <<JSON
{"name": "mscopy_pg",
 "databases": {"pg": {"dialect": "pg", "conninfo": "dbname=$PGDB"},
               "ax2009": {"dialect": "mssql", "server": "$UPKIT_MSSQL", "database": "$SRC", "user": "$UPKIT_MSSQL_USER"}},
 "jobs": [{"id": "copy", "stage": "copy", "database": "pg", "copy": {"from": "ax2009", "split_rows": 200}},
          {"id": "seen", "stage": "postsync", "database": "pg", "sql": "seen.sql", "tables": {"BIGTAB": "read", "SEEN": "create"}}]}
JSON
run "$UPKIT" plan --catalog "$MSSQL_TMP/topg"
is "$rc" 0 "upkit plan --catalog reads the SQL Server source's tables"
[ "$rc" -eq 0 ] || diag "$err"
like "$out" "copy order \(heaviest table weight first\): bigtab [0-9]+, custgroup [0-9]+" "one job per table of dbo, BIGTAB first"
like "$out" "seen +shared +pg .* copy\\.BIGTAB$" "the post-copy job waits for BIGTAB's copy job only"
run "$UPKIT" run --jobs 2 "$MSSQL_TMP/topg"
is "$rc" 0 "upkit run copies every table from SQL Server into PostgreSQL (exit 0)"
[ "$rc" -eq 0 ] || diag "$err" "$out"
is "$(pq "SELECT string_agg(job || '=' || state, ' ' ORDER BY job) FROM upkit.runner_jobs WHERE plan = 'mscopy_pg'")" \
   "copy.BIGTAB=done copy.CUSTGROUP=done seen=done" "one job per source table, then the post-copy job"
is "$(pq "SELECT count(*) || '|' || count(DISTINCT recid) || '|' || sum(val) || '|' || max(txt) FROM public.bigtab")|$(pq "SELECT n FROM public.seen")" \
   "600|600|1800|row 99|600" "BIGTAB: every row once; the post-copy job saw them all"
is "$(pq "SELECT string_agg(recid || ':' || name, ',' ORDER BY recid) FROM public.custgroup")" "1:Retail,2:Großhandel,3:O'Brien" \
   "CUSTGROUP's text as the source has it"
is "$(pq "SELECT count(*) FILTER (WHERE done) || '/' || count(*) FROM upkit.copy_ledger WHERE target_table = 'bigtab'")" "3/3" \
   "BIGTAB in three RECID ranges, each done"

# ---- SQL Server into SQL Server: listed tables, bcp options ----
q "CREATE DATABASE [$DST];"
qd "$TABLES
$(cat tests/mssql/ax_tables.sql)"
is "$rc" 0 "the SQL Server target's tables"
[ "$rc" -eq 0 ] || diag "$err"
cat > "$MSSQL_TMP/toms/plan.json" <<JSON
{"name": "mscopy_ms",
 "databases": {"ax2012": {"dialect": "mssql", "server": "$UPKIT_MSSQL", "database": "$DST", "user": "$UPKIT_MSSQL_USER"},
               "ax2009": {"dialect": "mssql", "server": "$UPKIT_MSSQL", "database": "$SRC", "user": "$UPKIT_MSSQL_USER"}},
 "jobs": [{"id": "copy", "stage": "copy", "database": "ax2012",
           "copy": {"from": "ax2009", "split_rows": 200, "batch_size": 100, "table_lock": true, "tables": ["BIGTAB", "CUSTGROUP"]}}]}
JSON
run "$UPKIT" run "$MSSQL_TMP/toms"
like "$rc|$err" "^1\|.*database \"ax2012\" \(SQL Server at .*\) has no runner ledger .*install the runtime first" \
     "without the runtime in the target: refused, saying to install it"
run "$UPKIT" install --dialect mssql --server "$UPKIT_MSSQL" --database "$DST" --user "$UPKIT_MSSQL_USER" --runtime
is "$rc" 0 "the runtime (runner ledger, copy ledger) in the target"
run "$UPKIT" run --jobs 2 "$MSSQL_TMP/toms"
is "$rc" 0 "upkit run copies from SQL Server into SQL Server (exit 0)"
[ "$rc" -eq 0 ] || diag "$err" "$out"
qd "SELECT CAST(COUNT(*) AS NVARCHAR(10)) + N'|' + CAST(COUNT(DISTINCT [RECID]) AS NVARCHAR(10)) + N'|' + CAST(SUM([VAL]) AS NVARCHAR(10)) FROM [dbo].[BIGTAB];"
is "$(lines)" "600|600|1800" "BIGTAB: every row once"
qd "SELECT [JOB] + N'=' + [STATE] FROM [dbo].[UPKIT_RUNNER_JOBS] WHERE [PLAN_NAME] = N'mscopy_ms' ORDER BY [JOB];"
is "$(lines)" "copy.BIGTAB=done copy.CUSTGROUP=done" "the jobs in the target's runner ledger"
run "$UPKIT" run --new-run "$MSSQL_TMP/toms"
qd "SELECT CAST(COUNT(*) AS NVARCHAR(10)) FROM [dbo].[BIGTAB];"
is "$rc|$(lines)" "0|600" "a new run copies nothing twice (every range done in [dbo].[UPKIT_COPY_LEDGER])"
