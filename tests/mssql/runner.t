#!/usr/bin/env bash
# runner.t: upkit run on SQL Server (skipped without UPKIT_MSSQL; see
# lib.sh).  Self-contained: in the fresh scratch database lib.sh makes, the
# worked example's fixture (30 rows) and
# a virtual company, the runtime (which holds the ledger), and a plan of a
# generated insert per company (companies from DATAAREA, the virtual one
# left out), a standard SQL job that reads its company from #UPKIT_JOB, and
# a SQL job that fails until a table exists, with a job waiting for it,
# and a job of two seconds (the runner marks it running after one: it
# counts one try when it is done).
# The first run exits 1 with the failure recorded and the waiting job
# skipped; after the fix the second run exits 0, running only what was not
# done: every company's rows once, the SQL job once per company.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
if [ -z "${UPKIT_MSSQL:-}" ]; then skip_all "UPKIT_MSSQL not set: no SQL Server configured"; fi
. "$(dirname "$0")/lib.sh"
cd "$TOP"

scratch=$MSSQL_SCRATCH
tmp=$MSSQL_TMP
fixture=$(sed 's/^DECLARE @ROWS INT = 1000000;/DECLARE @ROWS INT = 30;/' sql/demo/salesquotation-fixture.mssql.sql)
plan 13

q "$fixture
INSERT INTO [dbo].[DATAAREA] ([ID], [NAME], [ISVIRTUAL]) VALUES (N'vir', N'a virtual company', 1);
CREATE TABLE [dbo].[RUNLOG] ([JOB] NVARCHAR(64) NOT NULL, [COMPANY] NVARCHAR(128) NOT NULL);"
is "$rc" 0 "the fixture: 30 source rows over three companies, a virtual one, a log table"
[ "$rc" -eq 0 ] || diag "$err"
mssql_install
is "$rc" 0 "the runtime, with the runner's ledger, installs"
[ "$rc" -eq 0 ] || diag "$err"

cp sql/demo/specs/salesquotation.json "$tmp/"
printf 'INSERT INTO [dbo].[RUNLOG] ([JOB], [COMPANY]) SELECT [JOB], [COMPANY] FROM #UPKIT_JOB;\n' > "$tmp/log.sql"
printf "WAITFOR DELAY '00:00:02';\nINSERT INTO [dbo].[RUNLOG] ([JOB], [COMPANY]) SELECT [JOB], [COMPANY] FROM #UPKIT_JOB;\n" > "$tmp/slow.sql"
printf 'INSERT INTO [dbo].[RUNLOG] ([JOB], [COMPANY]) SELECT N%sneeds_fix%s, N%s%s FROM [dbo].[UPG_NEEDED];\n' "'" "'" "'" "'" > "$tmp/needs.sql"
cat > "$tmp/plan.json" <<JSON
{"name": "mssql", "databases": {"ax": {"dialect": "mssql", "server": "$UPKIT_MSSQL", "database": "$scratch",
                                        "user": "$UPKIT_MSSQL_USER"}},
 "companies": {"from": "DATAAREA"},
 "jobs": [
   {"id": "copy", "stage": "postsync", "spec": "salesquotation.json", "params": {"numbersequence": "SALESQUOT"}},
   {"id": "log", "stage": "postsync", "type": "standard", "sql": "log.sql"},
   {"id": "needs_fix", "stage": "postsync", "sql": "needs.sql"},
   {"id": "after_fix", "stage": "postsync", "sql": "log.sql", "after": ["needs_fix"]},
   {"id": "slow", "stage": "postsync", "sql": "slow.sql"}
 ]}
JSON
run "$UPKIT" run --jobs 3 "$tmp/plan.json"
is "$rc" 1 "the first run exits 1: a job failed"
like "$out" "failed +needs_fix: .*UPG_NEEDED" "the failure is shown with the server's message"
like "$out" "skipped +after_fix: not run: job needs_fix did not finish" "the job waiting for it is skipped"
q "SELECT [JOB] + N':' + [COMPANY] + N':' + [STATE] + N':' + CAST([ATTEMPTS] AS NVARCHAR(10)) FROM [dbo].[UPKIT_RUNNER_JOBS]
   WHERE [JOB] IN (N'copy', N'needs_fix', N'slow') ORDER BY [JOB], [COMPANY]"
is "$(tr -d '\r' <<<"$out" | paste -sd ' ')" "copy:dat:done:1 copy:demf:done:1 copy:usmf:done:1 needs_fix::failed:1 slow::done:1" \
  "the ledger: the copy done per company of DATAAREA (not the virtual one), needs_fix failed, the slow job (marked running, then done) one try"
q "SELECT [DATAAREAID] + N'=' + CAST(COUNT(*) AS NVARCHAR(10)) FROM [dbo].[SALESQUOTATIONTABLE] GROUP BY [DATAAREAID] ORDER BY [DATAAREAID]"
is "$(tr -d '\r' <<<"$out" | paste -sd ' ')" "dat=9 demf=9 usmf=9" "each company's rows were copied"
q "SELECT [COMPANY] FROM [dbo].[RUNLOG] WHERE [JOB] = N'log' ORDER BY [COMPANY]"
is "$(tr -d '\r' <<<"$out" | paste -sd ' ')" "dat demf usmf" "the standard SQL job ran once per company, reading its company from #UPKIT_JOB"

q "CREATE TABLE [dbo].[UPG_NEEDED] ([X] INT); INSERT INTO [dbo].[UPG_NEEDED] VALUES (1);"
run "$UPKIT" run --jobs 3 "$tmp/plan.json"
is "$rc" 0 "after the fix the plan runs to the end (exit 0)"
q "SELECT COUNT(*) FROM [dbo].[SALESQUOTATIONTABLE]"
is "$(tr -d '\r' <<<"$out")" 27 "the copies were not run again"
q "SELECT [JOB] + N'=' + CAST(COUNT(*) AS NVARCHAR(10)) FROM [dbo].[RUNLOG] GROUP BY [JOB] ORDER BY [JOB]"
is "$(tr -d '\r' <<<"$out" | paste -sd ' ')" "after_fix=1 log=3 needs_fix=1 slow=1" "every other job ran exactly once"
q "SELECT [STATE] + N':' + CAST([ATTEMPTS] AS NVARCHAR(10)) FROM [dbo].[UPKIT_RUNNER_JOBS] WHERE [JOB] = N'needs_fix'"
is "$(tr -d '\r' <<<"$out")" "done:2" "the job that failed once is done, with its two tries counted"
run "$UPKIT" status "$tmp/plan.json"
like "$out" "plan mssql, run 1: done" "upkit status reads the ledger on SQL Server"
done_testing
