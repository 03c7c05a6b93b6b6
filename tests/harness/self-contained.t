#!/usr/bin/env bash
# A clone is all a user has: no file of the repository (code, tests, docs,
# comments) may point at a folder beside it or at a path on the machine it
# was written on.  build/ (output) and node_modules/ (npm's) are not ours.
set -euo pipefail
. "$(dirname "$0")/tap.sh"
cd "$TOP"
plan 3

# The patterns are written so that this file does not match them itself.
outside=$(grep -rnIE --exclude=.git --exclude-dir=.git --exclude-dir=build --exclude-dir=node_modules \
  -e '\.\./shared([/`" ]|$)' -e '/work/[a-z]' . || true)
is "$outside" "" "no file names a folder outside the repository (the parent's shared folder, /work/...)"

ok "the FN_FMT_NUMBERSEQUENCE vectors are in the repository" test -s tests/vectors/fn_fmt_numbersequence.jsonl
readers=$(grep -rlF 'tests/vectors/fn_fmt_numbersequence.jsonl' tests/pg tests/tsql tests/mssql | sort | tr '\n' ' ')
is "$readers" "tests/mssql/vectors.t tests/pg/fmt_numbersequence.pg tests/tsql/parse.t " \
  "the tests that run the vectors read the repository's copy"
done_testing
