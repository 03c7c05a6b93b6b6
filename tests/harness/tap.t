#!/usr/bin/env bash
# The TAP helpers themselves: like() must not depend on timing.  Under
# pipefail, "printf | grep -q" failed when grep found its match and exited
# before printf had written everything (printf died of SIGPIPE): a text far
# larger than a pipe's buffer with an early match makes that certain.
set -euo pipefail
. "$(dirname "$0")/tap.sh"
plan 3

# like_in_shell REGEX: like() on a 1 MB text whose first line is "first
# line", in a shell with pipefail, as the tests run it.
like_in_shell() {
  bash -c 'set -euo pipefail; . "$1"
    big="first line$(printf "\n%.0s0123456789abcdef0123456789abcdef" $(seq 1 30000))"
    like "$big" "$2" "big"' _ "$TOP/tests/harness/tap.sh" "$1" 2>/dev/null || true
}
is "$(like_in_shell '^first line$')" "ok 1 - big" "like() passes on an early match in a 1 MB text under pipefail"
is "$(like_in_shell '^no such line')" "not ok 1 - big" "like() still fails when nothing matches"
got=$(bash -c 'set -euo pipefail; . "$1"; like "a
b" "^b$" "a later line"' _ "$TOP/tests/harness/tap.sh" 2>&1 || true)
is "$got" "ok 1 - a later line" "like() matches line by line, as grep -E does"
done_testing
