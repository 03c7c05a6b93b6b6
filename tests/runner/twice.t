#!/usr/bin/env bash
# twice.t: the two ways a wrapped SQL job reaches PostgreSQL (runner_job.c):
# a one-statement script in one pipeline, a longer one in one batch after
# its key is set.  Two runners of one plan at once: the second waits on
# the jobs' own locks and then finds them done, so each job's work is
# there once.  A statement's notices reach the ledger; a failing statement
# is recorded failed with the server's error and its work rolled back.
# The ledger's statements are prepared once per connection; a job whose
# statement fails first on a connection leaves them half prepared, and the
# next job there still runs.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
. "$(dirname "$0")/lib.sh"
cd "$TOP"
plan 11

fresh_db upkit_runner_twice
q "CREATE TABLE public.work (job text NOT NULL)" >/dev/null
p=$runner_tmp/twice
mkdir -p "$p"
echo "INSERT INTO public.work SELECT current_setting('upkit_run.job') FROM pg_sleep(1.5);" > "$p/one.sql"
printf "SELECT pg_sleep(1.5);\nINSERT INTO public.work VALUES (current_setting('upkit_run.job'));\n" > "$p/two.sql"
cat > "$p/plan.json" <<JSON
{"name": "twice", "databases": {"t": {"dialect": "pg", "conninfo": "dbname=$PGDATABASE"}},
 "jobs": [ {"id": "one", "stage": "postsync", "sql": "one.sql", "tables": {"public.work": "create"}},
           {"id": "two", "stage": "postsync", "sql": "two.sql", "after": ["one"], "tables": {"public.work": "create"}} ]}
JSON
"$UPKIT" run --jobs 1 "$p" > "$runner_tmp/a.out" 2>&1 &
runner_bg=$!
is "$(wait_for "EXISTS (SELECT 1 FROM pg_stat_activity WHERE query LIKE '%FROM pg_sleep(1.5)%' AND state = 'active' AND pid <> pg_backend_pid())")" t \
  "the first runner runs job one"
run "$UPKIT" run --jobs 1 "$p"
b_rc=$rc b_out=$out
set +e; wait "$runner_bg"; a_rc=$?; set -e
runner_bg=
is "$a_rc $b_rc" "0 0" "both runners finish (exit 0)"
is "$(q "SELECT string_agg(job, ',' ORDER BY job) FROM public.work")" "one,two" "each job's work is there once"
like "$b_out" "done before one" "the second runner found the one-statement job done (pipeline)"
is "$(q "SELECT string_agg(job || ':' || state, ',' ORDER BY job) FROM upkit.runner_jobs")" \
  "one:done,two:done" "the ledger: each done (a try of the other runner counts as an attempt)"

# Notices of a one-statement job reach the ledger; a failing one is recorded failed.
mkdir -p "$p/n"
echo "DROP TABLE IF EXISTS public.no_such_table;" > "$p/n/notice.sql"
echo "INSERT INTO public.work VALUES (1 / 0);" > "$p/n/fail.sql"
cat > "$p/n/plan.json" <<JSON
{"name": "notes", "databases": {"t": {"dialect": "pg", "conninfo": "dbname=$PGDATABASE"}},
 "jobs": [ {"id": "notice", "stage": "postsync", "sql": "notice.sql"},
           {"id": "fail", "stage": "additional", "sql": "fail.sql", "tables": {"public.work": "create"}} ]}
JSON
PGOPTIONS="-c client_min_messages=notice" run "$UPKIT" run "$p/n"
is "$rc" 1 "a failing statement: exit 1"
is "$(q "SELECT message FROM upkit.runner_jobs WHERE plan = 'notes' AND job = 'notice'")" \
  'table "no_such_table" does not exist, skipping' "the statement's notice is on its ledger row"
is "$(q "SELECT state || ': ' || message FROM upkit.runner_jobs WHERE plan = 'notes' AND job = 'fail'")" \
  "failed: division by zero" "the failure is recorded with the server's error"
is "$(q "SELECT count(*) FROM public.work")" 2 "... and its work rolled back"

# The first job on the connection fails before the pipeline's later
# statements were prepared: the next job on it prepares them again.
mkdir -p "$p/k"
echo "SELECT 1 / 0;" > "$p/k/bad.sql"
echo "INSERT INTO public.work VALUES ('after_bad');" > "$p/k/good.sql"
cat > "$p/k/plan.json" <<JSON
{"name": "kept", "databases": {"t": {"dialect": "pg", "conninfo": "dbname=$PGDATABASE"}},
 "jobs": [ {"id": "bad", "stage": "postsync", "sql": "bad.sql"},
           {"id": "good", "stage": "postsync", "sql": "good.sql", "tables": {"public.work": "create"}} ]}
JSON
run "$UPKIT" run --jobs 1 --order file "$p/k"
is "$(q "SELECT string_agg(job || ':' || state, ',' ORDER BY job) FROM upkit.runner_jobs WHERE plan = 'kept'")" \
  "bad:failed,good:done" "after a failed first job, the next job on the connection is done"
is "$(q "SELECT count(*) FROM public.work WHERE job = 'after_bad'")" 1 "... and its work is there once"
done_testing
