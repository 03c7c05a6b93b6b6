#!/usr/bin/env bash
# validate.t: "upkit generate --no-runtime" of every validate spec matches
# its golden file in tests/golden/validate/ (SPEC.pg.sql, SPEC.mssql.sql), so
# any change to the generated SQL shows up as a diff to review.  The
# *.mssql.sql files are also parsed by tests/tsql/parse.t; the PostgreSQL
# ones of the fixture run in tests/pg/validate.pg.
#
# After an intended change: UPKIT_GOLDEN_UPDATE=1 tests/golden/validate.t
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
. "$(dirname "$0")/lib.sh"
cd "$TOP"

specs=(tests/fixtures/validate/readiness.json tests/fixtures/validate/shared.json
       tests/fixtures/validate/shared_sequences.json tests/fixtures/validate/hostile.json
       tests/fixtures/validate/unique_keys.json)
plan $(( ${#specs[@]} * 2 + 6 ))

check_golden tests/golden/validate "${specs[@]}"

# The golden files must be able to fail: a changed cap or check gives a different script.
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
sed 's/"columns": \["ITEMID"\]/"columns": ["ITEMID", "ITEMGROUPID"]/' \
  tests/fixtures/validate/readiness.json > "$tmp/readiness.json"
run "$UPKIT" generate --dialect pg --no-runtime "$tmp/readiness.json"
is "$([ "$out" != "$(cat tests/golden/validate/readiness.pg.sql)" ] && echo 1 || echo 0)" 1 \
   "a second index column gives a script that differs from the golden file"
like "$out" "GROUP BY T\.itemid, T\.itemgroupid, T\.dataareaid" "... grouped by both columns and the company"

# Hostile texts stay inside literals and comments.
run "$UPKIT" generate --dialect mssql --no-runtime tests/fixtures/validate/hostile.json
like "$out" "@MESSAGE_ID = N'Dup''; DROP TABLE x; --'" "a message id with quotes is one N'' literal"
like "$out" "FROM \[s\]\]\"q\]\.\[T'a\]\]b\"le\] AS Q" "names are quoted with ] doubled"
run "$UPKIT" generate --dialect pg --no-runtime tests/fixtures/validate/hostile.json
like "$out" "'It''s \"bad\" \]\]; -- not a comment \*/'" "a message with quotes and comment markers is one literal"
like "$out" "T\.numbersequence = 'It''s; --'" "a number sequence code is a literal"
done_testing
