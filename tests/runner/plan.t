#!/usr/bin/env bash
# plan.t: upkit plan's output against golden files (tests/golden/plan/):
# the basic test plan, the demo plan in each order; and its errors: a race,
# a missing job, a table nobody writes, a cycle (exit 2, every problem with
# file, JSON path and reason), usage errors.  No database is needed.
# After an intended change, UPKIT_GOLDEN_UPDATE=1 rewrites the files.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
cd "$TOP"
plan 35

golden() {
  local file=tests/golden/plan/$1.txt
  shift
  run "$UPKIT" plan "$@"
  if [ "${UPKIT_GOLDEN_UPDATE:-}" = 1 ] && [ "$rc" -eq 0 ]; then printf '%s\n' "$out" > "$file"; fi
  if [ "$rc" -eq 0 ] && [ "$out" = "$(cat "$file")" ]; then
    _tap_result 0 "upkit plan $* matches $file"
  else
    _tap_result 1 "upkit plan $* matches $file"
    diag "exit $rc: $err" "$(diff <(printf '%s\n' "$out") "$file" 2>&1 | head -20)"
  fi
}
golden basic tests/fixtures/plans/basic
golden demo sql/demo/plan/plan.json
golden demo-critical --order critical sql/demo/plan/plan.json
golden demo-file --order file sql/demo/plan/plan.json
golden copy tests/fixtures/plans/copy
golden copy-all tests/fixtures/plans/copy_all

# a copy's problems (tests/fixtures/plans/copy_bad)
run "$UPKIT" plan tests/fixtures/plans/copy_bad
is "$rc" 2 "a copy declaration with problems: exit 2"
like "$err" 'copy_bad/plan.json: \$.jobs\[0\].sql: a copy job runs no spec or script of its own: leave "sql" out' "a copy job with a script"
like "$err" 'copy_bad/plan.json: \$.jobs\[0\].copy: a copy belongs to stage "copy", not "postsync"' "a copy outside stage copy"
like "$err" 'copy_bad/plan.json: \$.jobs\[0\].copy.from: no database "nowhere" in \$.databases' "an unknown source database"
like "$err" 'copy_bad/plan.json: \$.jobs\[0\].copy.tables\[1\]: table custtable is already in the list' "a table twice (any case)"
like "$err" 'copy_bad/plan.json: \$.jobs\[1\].copy.from: the copy reads "dst" and writes the job.s "database": give two databases' "source and target the same database"
like "$err" 'copy_bad/bad_map.json: \$.tables\[0\].exception: unknown value "truncate"' "the mapping file's problems, with its own file and path"
like "$err" 'copy_bad/plan.json: \$.jobs\[2\].copy.tables\[1\].jobs: must be an integer from 1 to 64, not 65' "a table's jobs: 1 to 64"
like "$err" 'copy_bad/plan.json: \$.jobs\[2\].copy.tables\[0\]: the copy.s job for this table is "c3.T", and \$.jobs\[3\] already has that id' "an expanded id that clashes"

run "$UPKIT" plan tests/fixtures/plans/race
is "$rc" 2 "a plan with problems: exit 2"
like "$err" 'race/plan.json: \$.jobs\[1\]: races with job "a" on table custtable \(a writes it, this job reads it\)' "a race is reported"
like "$err" 'race/plan.json: \$.jobs\[2\].after\[0\]: no job "missing" in the plan' "a missing dependency is reported"
like "$err" 'race/plan.json: \$.jobs\[3\].after_tables\[0\]: no job of this phase or before writes table vendtable' "a table nobody writes is reported"
like "$err" "3 problems in the plan; nothing was run" "all three, then a summary"
run "$UPKIT" plan tests/fixtures/plans/cycle
like "$rc $err" '^2 .*cycle/plan.json: \$.jobs\[0\]: dependency cycle: a -> b -> a' "a cycle: exit 2, the cycle named"
run "$UPKIT" plan --order fastest tests/fixtures/plans/basic
like "$rc $err" "^2 upkit: unknown --order 'fastest'" "an unknown order is a usage error"
run "$UPKIT" plan
like "$rc $err" "^2 upkit: no plan given" "no plan is a usage error"
for c in plan run status pause resume; do
  run "$UPKIT" "$c" --help
  like "$rc $out" "^0 Usage: upkit $( [ "$c" = resume ] && echo pause || echo "$c")" "upkit $c --help shows its usage"
done
run "$UPKIT" --help
like "$out" "  run        run a plan's jobs in parallel, resumably" "upkit --help lists the runner's commands"
run "$UPKIT" run --jobs 2 tests/fixtures/plans/cycle
like "$rc $err" "^2 .*dependency cycle" "upkit run refuses a plan with a problem before connecting (exit 2)"
run "$UPKIT" run --db nowhere=x tests/fixtures/plans/basic
like "$rc $err" "^2 upkit: --db nowhere=...: the plan has no database \"nowhere\"" "--db must name a database of the plan"
run "$UPKIT" status --run 0 tests/fixtures/plans/basic
like "$rc $err" "^2 upkit: --run '0' is not a run number" "status --run takes a run number"
run "$UPKIT" run --db "target=dbname=x password=y" tests/fixtures/plans/basic
like "$rc $err" "^2 upkit: --db target=...: a password never goes on the command line" "no password on the command line"
run "$UPKIT" run --db "target=postgresql://u:secret@localhost/x" tests/fixtures/plans/basic
like "$rc $err" "^2 upkit: --db target=...: a password never goes on the command line" "no password in a URI's user:password@ either"
run "$UPKIT" plan --db "target=dbname=passwords" tests/fixtures/plans/basic
is "$rc ${err//*a password never goes*/refused}" "0 " "a database merely named like a password is not one"
done_testing
