#!/usr/bin/env bash
# make demo's promises, on a scratch cluster with small sample data: every
# step says what it shows first; every error it shows is captioned as
# expected; the spec is shown whole; no timing from a single run; the "next
# steps" it prints work; and make demo needs nothing from the npm registry.
set -euo pipefail
. "$(dirname "$0")/tap.sh"
cd "$TOP"
plan 14

# make demo's set-up asks for the Debian packages only; make test also for
# the T-SQL grammar (npm).
like "$(make -n demo)" "tests/harness/deps.sh$" "make demo's set-up runs deps.sh for the Debian packages"
ok "and not for the npm grammar" sh -c '! make -n demo | grep -q -- --tsql'
like "$(make -n test)" "tests/harness/deps.sh --tsql" "make test's set-up also fetches the T-SQL grammar"

state=$(mktemp -d /tmp/upkit-demo.XXXXXX); chmod 755 "$state"
cleanup() { "$TOP/tests/harness/cluster.sh" stop >/dev/null 2>&1 || true; rm -rf "$state"; }
trap cleanup EXIT
export UPKIT_CLUSTER_BUILD=$state UPKIT_PGPORT=54393 UPKIT_DEMO_ROWS=3000
run bash -c "tests/harness/with-cluster.sh tests/harness/demo.sh 2>&1"   # errors in their place
is "$rc" 0 "the demo runs to the end"
[ "$rc" -eq 0 ] || diag "$err"
demo=$out

# Each "=== step ===" header is followed by the step's "| " introduction.
bare=$(awk '/^=== [0-9]/ { h = $0; getline; if ($0 !~ /^\| /) print h }' <<<"$demo")
is "$bare" "" "every step opens with what it shows"
# Each ERROR the demo shows comes after a caption that says it is expected
# (the first line of the nearest "-- " caption before it).
uncaptioned=$(awk '/^-- / && prev !~ /^-- / { cap = $0 } /ERROR:/ { if (cap !~ /^-- Expected error/) print; cap = "" } { prev = $0 }' <<<"$demo")
is "$uncaptioned" "" "every error shown is announced as expected"
is "$(grep -c 'ERROR:' <<<"$demo")" 2 "the demo shows its two intended psql errors"
# step NAME: the demo's output of one step (its header to the next one).
step() { awk -v h="=== $1 ===" '/^=== / { on = ($0 == h) } on' <<<"$demo"; }
# shows_spec STEP SPEC: STEP's output holds SPEC whole, indented, its lines in order.
shows_spec() {
  local n shown=0
  n=$(wc -l < "$2")
  [[ "$(step "$1")" == *"$(sed 's/^/    /' "$2")"* ]] && shown=1
  is "$shown" 1 "step $1 shows the whole spec $(basename "$2") ($n lines)"
}
shows_spec 30-set-based-insert.sh sql/demo/specs/salesquotation.json
shows_spec 35-update-delete.sh sql/demo/specs/salesquotation-responsible.json
shows_spec 35-update-delete.sh sql/demo/specs/del-smmquotation-copied.json
# Step 35's intended error is the generator's, not psql's: its refusal of a
# DATAAREAID = DATAAREAID comparison follows an "Expected error" caption.
is "$(step 35-update-delete.sh | awk '/^-- / && prev !~ /^-- / { cap = $0 } /^upkit: .*compares Q\.DATAAREAID with D\.DATAAREAID/ { print (cap ~ /^-- Expected error/) ? "captioned" : "uncaptioned" } { prev = $0 }')" \
   "captioned" "step 35 shows the DATAAREAID rule's refusal once, captioned as expected"
ok "no timing from a single run (no psql timing, no seconds column)" \
  sh -c '! printf "%s" "$0" | grep -Eq "^Time: |seconds"' "$demo"

# The next steps: the printed upkit path runs; the printed commands reopen the
# demo's database (make cluster-start is cluster.sh start).
like "$demo" "The upkit command is $TOP/sqlgen/upkit\." "the next steps say where the upkit command is"
"$TOP/tests/harness/cluster.sh" start >/dev/null
reopen=$(grep -F 'psql -d upkit_demo' <<<"$demo" | sed 's/^ *//')
run bash -c "$reopen -qAtX -c 'SELECT count(*) FROM custtable'"
is "$rc|$out" "0|4" "the printed command opens the demo's database after make cluster-start"
done_testing
