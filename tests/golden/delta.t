#!/usr/bin/env bash
# delta.t: "upkit generate --no-runtime" of every delta spec matches its
# golden file in tests/golden/delta/ (SPEC.pg.sql, SPEC.mssql.sql), so any
# change to the generated SQL shows up as a diff to review.  The *.mssql.sql
# files are also parsed by tests/tsql/parse.t.
#
# After an intended change: UPKIT_GOLDEN_UPDATE=1 tests/golden/delta.t
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
. "$(dirname "$0")/lib.sh"
cd "$TOP"

specs=(tests/fixtures/delta/custtable.json tests/fixtures/delta/custtable_content.json
       tests/fixtures/delta/currency_shared.json tests/fixtures/delta/hostile.json)
plan $(( ${#specs[@]} * 2 + 3 ))

check_golden tests/golden/delta "${specs[@]}"

# The golden files must be able to fail: a changed spec gives a different script.
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
sed 's/"dataareaids": \["dat", "ceu"\]/"dataareaids": ["dat", "ceu", "vir"]/' \
  tests/fixtures/delta/currency_shared.json > "$tmp/currency_shared.json"
run "$UPKIT" generate --dialect mssql --no-runtime "$tmp/currency_shared.json"
is "$([ "$out" != "$(cat tests/golden/delta/currency_shared.mssql.sql)" ] && echo 1 || echo 0)" 1 \
   "a third company gives a script that differs from the golden file"
like "$out" "WHERE S\.\[DATAAREAID\] IN \(N'dat', N'ceu', N'vir'\)" "... in the source's filter, as N'' literals"
like "$out" "VALUES \(N'dbo.UPG_CURRENCY', N'dat,ceu,vir'," "... and in the state table's key"
done_testing
