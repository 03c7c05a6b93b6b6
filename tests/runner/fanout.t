#!/usr/bin/env bash
# fanout.t: a generated procedure as a standard job, once per company, the
# companies read from DATAAREA (the virtual one left out).  The runner
# installs the procedure just before its first run (the database has none
# before).  The copies all lock TABID 1967's SYSTEMSEQUENCES row for their
# whole transaction, so the runner runs them one after another (a trigger
# makes each take 0.3 s, so copies started together would overlap) and
# fills the time with other work (a slow SQL job runs beside them).  Every
# company's rows are there once, with distinct RECIDs, and each call's
# count is on its ledger row (the call is pipelined: its answer is read
# before its 'done' is sent, in one transaction); a second run changes
# nothing.  A call that fails is recorded failed and leaves nothing.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
. "$(dirname "$0")/lib.sh"
cd "$TOP"
plan 12

fresh_db upkit_runner_fanout
psql -qAtX -v ON_ERROR_STOP=1 -v rows=300 -f sql/demo/salesquotation-fixture.sql >/dev/null
q "INSERT INTO public.dataarea (id, name, isvirtual) VALUES ('vir', 'a virtual company', 1);
   CREATE FUNCTION public.slow_insert() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN PERFORM pg_sleep(0.3); RETURN NULL; END \$\$;
   CREATE TRIGGER slow_insert AFTER INSERT ON public.salesquotationtable FOR EACH STATEMENT EXECUTE FUNCTION public.slow_insert();" >/dev/null
is "$(q "SELECT count(*) FROM pg_proc WHERE proname = 'initfromsmmquotationtable'")" 0 "the procedure is not installed yet"
p=$runner_tmp/fanout
mkdir -p "$p"
cp sql/demo/specs/salesquotation.json "$p/"
printf "SELECT pg_sleep(1.2);\n" > "$p/slow.sql"
cat > "$p/plan.json" <<JSON
{"name": "fanout", "databases": {"ax": {"dialect": "pg", "conninfo": "dbname=$PGDATABASE"}},
 "companies": {"from": "DATAAREA"},
 "jobs": [
   {"id": "copy", "stage": "postsync", "spec": "salesquotation.json", "params": {"numbersequence": "SALESQUOT"}},
   {"id": "other", "stage": "postsync", "sql": "slow.sql", "weight": 0}
 ]}
JSON
run "$UPKIT" plan "$p"
like "$out" "1 +postsync +main +copy +standard +ax" "upkit plan: the spec job is a standard job"
run "$UPKIT" run --jobs 4 "$p"
is "$rc" 0 "upkit run exits 0"
is "$(q "SELECT string_agg(company, ',' ORDER BY company) FROM upkit.runner_jobs WHERE job = 'copy' AND state = 'done'")" "dat,demf,usmf" \
  "one copy per company of DATAAREA, the virtual company left out"
is "$(q "SELECT count(*) FROM pg_proc WHERE proname = 'initfromsmmquotationtable'")" 1 "the runner installed the procedure before its first run"
is "$(q "SELECT string_agg(dataareaid || '=' || n, ',' ORDER BY dataareaid) FROM (SELECT dataareaid, count(*) n FROM salesquotationtable GROUP BY 1) s")" \
  "dat=90,demf=90,usmf=90" "each company's rows were copied once"
is "$(q "SELECT count(DISTINCT recid) FROM salesquotationtable")" 270 "with distinct RECIDs"
is "$(q "SELECT string_agg(company || '=' || rows || '/' || attempts, ',' ORDER BY company) FROM upkit.runner_jobs WHERE job = 'copy'")" \
  "dat=90/1,demf=90/1,usmf=90/1" "the ledger has each call's count (read from its answer before its 'done' was sent) and one try"
is "$(q "SELECT bool_and(a.ended_at <= b.started_at OR b.ended_at <= a.started_at) FROM upkit.runner_jobs a, upkit.runner_jobs b
         WHERE a.job = 'copy' AND b.job = 'copy' AND a.company < b.company")" t \
  "the copies that lock one TABID ran one after another"
is "$(q "SELECT bool_or(a.started_at < o.ended_at AND o.started_at < a.ended_at) FROM upkit.runner_jobs a, upkit.runner_jobs o
         WHERE a.job = 'copy' AND o.job = 'other'")" t "the other job ran meanwhile"
run "$UPKIT" run --jobs 4 --new-run "$p"
is "$rc.$(q "SELECT count(*) FROM salesquotationtable")" "0.270" "a new run calls them again; insert_missing inserts nothing twice"
q "CREATE OR REPLACE FUNCTION public.slow_insert() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN RAISE EXCEPTION 'no inserts now'; END \$\$;
   DELETE FROM public.salesquotationtable WHERE dataareaid = 'dat'" >/dev/null
run "$UPKIT" run --jobs 1 --new-run "$p"
is "$rc.$(q "SELECT state || ': ' || message FROM upkit.runner_jobs WHERE job = 'copy' AND company = 'dat'
                AND run = (SELECT max(run) FROM upkit.runner_runs WHERE plan = 'fanout')").$(q "SELECT count(*) FROM salesquotationtable")" \
  "1.failed: no inserts now.180" "a call that fails: exit 1, recorded failed with the server's error, nothing of it stays"
done_testing
