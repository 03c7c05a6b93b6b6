#!/usr/bin/env bash
# copyall.t: a copy that lists no tables (tests/fixtures/plans/copy_all)
# copies every table of the source schema that upkit copy would copy with
# the same mapping (docs/runner.md, "The copy stage").  upkit plan shows the
# declaration as one pending job; upkit plan --catalog and upkit run read
# the tables from the source's catalog and expand it into one job per table
# (a table AX's rules send to DEL_OLDT included, a do_not_copy table done
# with nothing copied); the post-copy job waits for the copies of the
# tables it reads.  Every source table arrives exactly once (counts and a
# hash per table); a new run copies nothing twice.  Then the problems: an
# expanded id that another job has, a source schema with no table, an
# unreachable source, an unset password variable, a target without the
# upkit extension.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
. "$(dirname "$0")/lib.sh"
cd "$TOP"
plan 21

SRC=upkit_runner_copyall_src DST=upkit_runner_copyall_dst
FIX=tests/fixtures/plans/copy_all
pair_dbs $SRC $DST
psql -qX -v ON_ERROR_STOP=1 -d $SRC -f $FIX/source.sql >/dev/null
psql -qX -v ON_ERROR_STOP=1 -d $DST -c "CREATE EXTENSION upkit" -f $FIX/target.sql >/dev/null
dbs=(--db ax2009="dbname=$SRC" --db ax2012="dbname=$DST")
state() { dq "SELECT string_agg(job || '=' || state, ' ' ORDER BY job) FROM upkit.runner_jobs WHERE plan = 'copyall' AND run = (SELECT max(run) FROM upkit.runner_jobs WHERE plan = 'copyall')"; }
# Each source table's rows against the target table it maps to (DEL_OLDT for OLDT).
same_rows() {
  local bad=""
  for t in bigtab custgroup custtable oldt; do
    local dt=$t; [ $t = oldt ] && dt=del_oldt
    [ "$(sq "SELECT count(*) || md5(coalesce(string_agg(x::text, ',' ORDER BY recid), '')) FROM public.$t x")" = \
      "$(dq "SELECT count(DISTINCT recid) || md5(coalesce(string_agg(x::text, ',' ORDER BY recid), '')) FROM public.$dt x")" ] || bad="$bad $t"
  done
  echo "${bad:-none}"
}

# ---- the plan: pending without a catalog, expanded with one ----
run "$UPKIT" plan $FIX
like "$rc|$(grep '^1 ' <<<"$out")" "^0\|1   copy +main +copy +shared +ax2012 +0 +1002  -$" \
     "upkit plan: the copy is one pending job"
like "$out" "copy order \(heaviest table weight first\): copy: every table of schema public of ax2009, from its catalog" \
     "upkit plan says where its tables will come from"
run "$UPKIT" plan --catalog "${dbs[@]}" $FIX
is "$rc" 0 "upkit plan --catalog"
like "$out" "copy order \(heaviest table weight first\): bigtab 3004, del_oldt 2006, custtable 50, custgroup 3, skipme 3" \
     "--catalog: one job per source table, the copy stage by table weight (oldt fills DEL_OLDT)"
like "$out" "seen +shared +ax2012 +1002 +1002  copy.bigtab, copy.oldt" \
     "the post-copy job waits for the copies of the two tables it reads, and no other"
ok "only the source's tables: none of the target's" test "$(grep -cE 'copy\.(seen|systemsequences)' <<<"$out")" = 0

# ---- the run ----
run "$UPKIT" run --jobs 3 "${dbs[@]}" $FIX
is "$rc" 0 "upkit run copies every table (exit 0)"
is "$(state)" "copy.bigtab=done copy.custgroup=done copy.custtable=done copy.oldt=done copy.skipme=done seen=done" \
   "one job per source table, each done, then the post-copy job"
is "$(same_rows)" none "every source table arrived exactly once (counts, distinct RECIDs and a hash per table)"
is "$(dq "SELECT count(*) FROM public.skipme")|$(dq "SELECT message FROM upkit.runner_jobs WHERE job = 'copy.skipme'")" \
   "0|skipme: not copied: table exception DONOTCOPY" "the do_not_copy table: done with nothing copied"
is "$(dq "SELECT bigtab || ' ' || del_oldt FROM public.seen")" "1000 2" "the post-copy job saw BIGTAB and DEL_OLDT copied"
like "$(dq "SELECT message FROM upkit.runner_jobs WHERE job = 'copy.bigtab'")" \
     "^bigtab -> bigtab: 4 ranges copied now, 0 done already; 1000 rows verified" "BIGTAB in four RECID ranges, verified"

# ---- a new run: every range is done already ----
run "$UPKIT" run --new-run --jobs 2 "${dbs[@]}" $FIX
is "$rc" 0 "a new run of the same plan"
is "$(same_rows) $(dq "SELECT count(*) FROM public.bigtab")" "none 1000" "nothing copied twice"
like "$(dq "SELECT message FROM upkit.runner_jobs WHERE job = 'copy.bigtab' AND run = 2")" \
     "^bigtab -> bigtab: 0 ranges copied now, 4 done already" "the new run finds every range done"

# ---- problems ----
mkdir -p "$runner_tmp/clash"
cp $FIX/* "$runner_tmp/clash/"
sed -i 's|"jobs": \[|"jobs": [{"id": "copy.oldt", "stage": "postsync", "database": "ax2012", "sql": "seen.sql"},|' "$runner_tmp/clash/plan.json"
run "$UPKIT" run "${dbs[@]}" "$runner_tmp/clash"
like "$rc|$(head -1 <<<"$err")" "^2\|.*clash/plan.json: \\\$.jobs\\[1\\].copy: the copy's job for this table is \"copy.oldt\", and \\\$.jobs\\[0\\] already has that id" \
     "an expanded id that another job has: a plan error (exit 2), found when the tables are read"
sq "CREATE SCHEMA empty"
mkdir -p "$runner_tmp/empty"
cp $FIX/* "$runner_tmp/empty/"
echo '{"source_schema": "empty"}' > "$runner_tmp/empty/map.json"
run "$UPKIT" run "${dbs[@]}" "$runner_tmp/empty"
like "$rc|$(head -1 <<<"$err")" "^1\|.*\\\$.jobs\\[0\\].copy: no table in schema empty of the source \(PostgreSQL at .*\): nothing to copy" \
     "a source schema without a table: exit 1, named"
like "$err" "the tables of a copy could not be read; nothing was run" "... and nothing ran"
run "$UPKIT" plan --catalog --db ax2009="dbname=upkit_no_such_db" --db ax2012="dbname=$DST" $FIX
like "$rc|$(head -1 <<<"$err")" "^1\|.*\\\$.jobs\\[0\\].copy: cannot read the tables to copy: .*upkit_no_such_db" \
     "an unreachable source: exit 1, naming the copy and the database"
mkdir -p "$runner_tmp/nopw"
cat > "$runner_tmp/nopw/plan.json" <<JSON
{"name": "nopw", "databases": {"t": {"dialect": "pg", "conninfo": "dbname=$DST"},
  "s": {"dialect": "mssql", "server": "sql1", "database": "AX", "user": "u", "password_env": "UPKIT_NO_SUCH_PW"}},
 "jobs": [{"id": "copy", "stage": "copy", "database": "t", "copy": {"from": "s"}}]}
JSON
run env -u UPKIT_NO_SUCH_PW "$UPKIT" run "$runner_tmp/nopw"
like "$rc|$(head -1 <<<"$err")" '^1\|.*\$\.jobs\[0\]\.copy: cannot read the tables to copy: database "s": set UPKIT_NO_SUCH_PW to the password of login .u. \(a plan never holds one\)' \
     "a SQL Server source's password only from the plan's password_env: unset, the run stops naming the variable"
psql -qAtX -d postgres -c "DROP DATABASE IF EXISTS ${DST}_bare WITH (FORCE)" -c "CREATE DATABASE ${DST}_bare" >/dev/null
run "$UPKIT" run --db ax2009="dbname=$SRC" --db ax2012="dbname=${DST}_bare" $FIX
psql -qAtX -d postgres -c "DROP DATABASE IF EXISTS ${DST}_bare WITH (FORCE)" >/dev/null
like "$rc|$(head -1 <<<"$err")" '^1\|.*database "ax2012" \(PostgreSQL at .*\) has no runner ledger \(upkit.runner_jobs\): CREATE EXTENSION upkit' \
     "a PostgreSQL target without the upkit extension: refused before anything runs, saying what to install"
