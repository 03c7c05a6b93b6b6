#!/usr/bin/env bash
# copypause.t: 'upkit pause' holds a running table's copy job between two
# ranges (docs/runner.md, "The copy stage" and "Pause").  One table of 2000
# rows in 100 RECID ranges (split_rows 20), shared by two part jobs, and one
# of 800 rows in 40 ranges copied by its own job, on three connections;
# triggers on the target slow each range down so that the pause lands in
# the middle.  Paused: each job stops after its current range and is
# recorded 'paused' (not failed, not done), every range it committed is
# whole, nothing more is copied and the post-copy job does not start while
# the run is paused.  Resumed: the jobs run again and copy only the ranges
# left; every row arrives exactly once (counts, hashes against the source),
# the tables' jobs verify the counts, the post-copy job runs.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
. "$(dirname "$0")/lib.sh"
cd "$TOP"
plan 19

SRC=upkit_runner_cpause_src DST=upkit_runner_cpause_dst
pair_dbs $SRC $DST
sq "CREATE TABLE many (recid bigint NOT NULL, dataareaid varchar(4) NOT NULL, qty integer, txt text);
    INSERT INTO many SELECT g, 'dat', g % 89, md5(g::text) FROM generate_series(1, 2000) g;
    CREATE TABLE few (recid bigint NOT NULL, val integer);
    INSERT INTO few SELECT g, g * 3 FROM generate_series(1, 800) g; ANALYZE"
dq "CREATE EXTENSION upkit" >/dev/null
dq "SELECT upkit.create_ax_tables()" >/dev/null
dq "CREATE TABLE public.many (recid bigint NOT NULL, dataareaid varchar(4) NOT NULL, qty integer, txt text);
    CREATE TABLE public.marks (n bigint);
    CREATE FUNCTION public.slow() RETURNS trigger LANGUAGE plpgsql AS \$\$
      BEGIN PERFORM pg_sleep(0.1); RETURN NEW; END \$\$;
    CREATE TRIGGER slow BEFORE INSERT ON public.many FOR EACH ROW WHEN (NEW.recid % 20 = 0) EXECUTE FUNCTION public.slow();
    CREATE TABLE public.few (recid bigint NOT NULL, val integer);
    CREATE TRIGGER slow BEFORE INSERT ON public.few FOR EACH ROW WHEN (NEW.recid % 20 = 0) EXECUTE FUNCTION public.slow()"

P=$runner_tmp/cp
mkdir -p "$P"
echo "INSERT INTO public.marks SELECT count(*) FROM public.many;" > "$P/after.sql"
cat > "$P/plan.json" <<JSON
{"name": "copypause",
 "databases": {"t": {"dialect": "pg", "conninfo": "dbname=$DST"}, "s": {"dialect": "pg", "conninfo": "dbname=$SRC"}},
 "jobs": [{"id": "copy", "stage": "copy", "database": "t",
           "copy": {"from": "s", "split_rows": 20, "tables": [{"table": "MANY", "jobs": 2}, "FEW"]}},
          {"id": "after", "stage": "postsync", "database": "t", "sql": "after.sql",
           "tables": {"MANY": "read", "MARKS": "create"}}]}
JSON
dwait() { for _ in $(seq 300); do [ "$(dq "SELECT $1")" = t ] && { echo t; return; }; sleep 0.1; done; echo f; }
done_ranges() { dq "SELECT count(*) FROM upkit.copy_ledger WHERE target_table = 'many' AND done"; }

"$UPKIT" run --jobs 3 "$P" > "$runner_tmp/out" 2>&1 &
runner_bg=$!
is "$(dwait "(SELECT count(*) >= 4 FROM upkit.copy_ledger WHERE target_table = 'many' AND done)")" t \
   "the two parts copy ranges"
run "$UPKIT" pause "$P"
is "$rc" 0 "upkit pause"
is "$(dwait "(SELECT count(*) = 3 FROM upkit.runner_jobs WHERE plan = 'copypause' AND job IN ('copy.MANY.1', 'copy.MANY.2', 'copy.FEW') AND state = 'paused')")" t \
   "both part jobs and FEW's own job stop after their current range and are recorded paused"
n=$(done_ranges)
ok "the pause came in the middle: $n of 100 ranges done" test "$n" -gt 0 -a "$n" -lt 100
is "$(dq "SELECT count(*) || ' ' || count(DISTINCT recid) FROM public.many")" \
   "$(dq "SELECT sum(rows) || ' ' || sum(rows) FROM upkit.copy_ledger WHERE target_table = 'many' AND done")" \
   "the target holds exactly the rows of the ranges done, each once"
like "$(dq "SELECT string_agg(message, ' | ' ORDER BY job) FROM upkit.runner_jobs WHERE job LIKE 'copy.MANY._'")" \
     "^many -> many, part 1 of 2: paused before range [0-9]+ of 100 \([0-9]+ ranges? copied now, 0 done already\): running the job again copies the ranges left \| many -> many, part 2 of 2: paused before range" \
     "each part's ledger row says where it stopped"
like "$(dq "SELECT message FROM upkit.runner_jobs WHERE job = 'copy.FEW'")" \
     "^few -> few: paused before range [0-9]+ of 40 \([0-9]+ ranges? copied now, 0 done already\)" "FEW's own job too"
nf=$(dq "SELECT count(*) FROM upkit.copy_ledger WHERE target_table = 'few' AND done")
sleep 1.5
is "$(done_ranges) $(dq "SELECT count(*) FROM upkit.copy_ledger WHERE target_table = 'few' AND done")" "$n $nf" "while paused no range is copied"
is "$(dq "SELECT count(*) FROM public.marks")" 0 "while paused the post-copy job does not start"
is "$(dq "SELECT state FROM upkit.runner_jobs WHERE job = 'copy.MANY'")" "" "the table's own job (after its parts) has not started"
run "$UPKIT" resume "$P"
is "$rc" 0 "upkit resume"
set +e; wait "$runner_bg"; brc=$?; set -e
runner_bg=
is "$brc" 0 "the run finishes after the resume (exit 0)"
like "$(cat "$runner_tmp/out")" "paused +copy\\.MANY\\.1: many -> many, part 1 of 2: paused before range" "the run said the part paused"
is "$(dq "SELECT string_agg(job || '=' || state || '/' || attempts, ' ' ORDER BY job) FROM upkit.runner_jobs WHERE plan = 'copypause'")" \
   "after=done/1 copy.FEW=done/2 copy.MANY=done/1 copy.MANY.1=done/2 copy.MANY.2=done/2" "every job done; each paused job ran twice"
is "$(dq "SELECT count(*) FILTER (WHERE done) || '/' || count(*) FROM upkit.copy_ledger WHERE target_table = 'many'")" "100/100" \
   "every range done"
is "$(dq "SELECT count(*) || ' ' || count(DISTINCT recid) FROM public.many")" "2000 2000" "every row arrived exactly once"
is "$(dq "SELECT md5(string_agg(m::text, ',' ORDER BY recid)) FROM public.many m") $(dq "SELECT count(DISTINCT recid) || md5(string_agg(f::text, ',' ORDER BY recid)) FROM public.few f")" \
   "$(sq "SELECT md5(string_agg(m::text, ',' ORDER BY recid)) FROM public.many m") $(sq "SELECT count(*) || md5(string_agg(f::text, ',' ORDER BY recid)) FROM public.few f")" \
   "the same rows as the source, each once (hashes of both tables)"
like "$(dq "SELECT message FROM upkit.runner_jobs WHERE job = 'copy.FEW'")" "^few -> few: [0-9]+ ranges copied now, $nf done already; 800 rows verified" \
     "FEW's job went on with the ranges left, then verified 800 rows"
like "$(dq "SELECT (SELECT n FROM public.marks) || ' ' || message FROM upkit.runner_jobs WHERE job = 'copy.MANY'")" \
     "^2000 many -> many: 0 ranges copied now, 100 done already; 2000 rows verified" \
     "the table's job verified 2000 rows; the post-copy job saw them all"
