#!/usr/bin/env bash
# updel.t: "upkit generate --no-runtime" of every update and delete spec
# matches its golden file in tests/golden/updel/ (SPEC.pg.sql,
# SPEC.mssql.sql); the *.mssql.sql files are also parsed by
# tests/tsql/parse.t.
#
# After an intended change: UPKIT_GOLDEN_UPDATE=1 tests/golden/updel.t
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
. "$(dirname "$0")/lib.sh"
cd "$TOP"

specs=(tests/fixtures/updel/projtransposting.json tests/fixtures/updel/shippingdate.json
       tests/fixtures/updel/deliveryaddress.json tests/fixtures/updel/inventsum.json
       tests/fixtures/updel/checked.json)
plan $(( ${#specs[@]} * 2 + 3 ))

check_golden tests/golden/updel "${specs[@]}"

# The golden files must be able to fail: another company parameter gives another script.
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
sed 's/"alias": "PET",/"alias": "PET", "company": "PROJEMPLTRANS_DATAAREAID",/' \
  tests/fixtures/updel/projtransposting.json > "$tmp/projtransposting.json"
run "$UPKIT" generate --dialect mssql --no-runtime "$tmp/projtransposting.json"
is "$([ "$out" != "$(cat tests/golden/updel/projtransposting.mssql.sql)" ] && echo 1 || echo 0)" 1 \
   "a company parameter of its own for PROJEMPLTRANS gives a script that differs from the golden file"
like "$out" "@PROJEMPLTRANS_DATAAREAID NVARCHAR\(4000\)," "... with the parameter"
like "$out" "ON PET\.\[DATAAREAID\] = @PROJEMPLTRANS_DATAAREAID" "... compared with the joined table's DATAAREAID alone"
done_testing
