#!/usr/bin/env bash
# insert.t: "upkit generate --no-runtime" of every insert spec matches its
# golden file in tests/golden/insert/ (SPEC.pg.sql, SPEC.mssql.sql), so any
# change to the generated SQL shows up as a diff to review.  The *.mssql.sql
# files are also parsed by tests/tsql/parse.t.
#
# After an intended change: UPKIT_GOLDEN_UPDATE=1 tests/golden/insert.t
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
. "$(dirname "$0")/lib.sh"
cd "$TOP"

specs=(sql/demo/specs/salesquotation.json tests/fixtures/specs/hostile.json
       tests/fixtures/specs/shared-nosequence.json)
plan $(( ${#specs[@]} * 2 + 2 ))

check_golden tests/golden/insert "${specs[@]}"

# The golden files must be able to fail: a changed spec gives a different script.
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
sed 's/"tabid": 1967/"tabid": 1968/' sql/demo/specs/salesquotation.json > "$tmp/salesquotation.json"
run "$UPKIT" generate --dialect pg --no-runtime "$tmp/salesquotation.json"
isnt_same=$([ "$out" != "$(cat tests/golden/insert/salesquotation.pg.sql)" ] && echo 1 || echo 0)
is "$isnt_same" 1 "a different TABID gives a script that differs from the golden file"
like "$out" "upkit.reserve_recids_transactional\(1968, v_rows\)" "... in the reserve_recids_transactional call"
done_testing
