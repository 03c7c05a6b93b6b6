#!/usr/bin/env bash
# make demo's promises, on a scratch cluster with small sample data: every
# step says what it shows first; every error it shows is captioned as
# expected; the spec is shown whole; no timing from a single run; the "next
# steps" it prints work; and make demo needs nothing from the npm registry.
set -euo pipefail
. "$(dirname "$0")/tap.sh"
cd "$TOP"
plan 11

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
is "$(grep -c 'ERROR:' <<<"$demo")" 2 "the demo shows its two intended errors"
spec_lines=$(wc -l < sql/demo/specs/salesquotation.json)
is "$(grep -cFx -f <(sed 's/^/    /' sql/demo/specs/salesquotation.json) <<<"$demo")" "$spec_lines" \
  "step 30 shows the whole spec ($spec_lines lines)"
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
