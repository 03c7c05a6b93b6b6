#!/usr/bin/env bash
# cli.t: "upkit generate" and "upkit install" with delta specs: one part per
# spec (runtime check, classification, report, ready check, procedure) in
# both dialects, mixed with an insert spec; every problem of a bad delta spec reported with
# file, JSON path and reason, nothing on standard output, exit 1; install
# over libpq twice is harmless and the installed procedure runs.  Needs the
# throwaway cluster (PG* set).
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
cd "$TOP"
: "${PGHOST:?run through tests/harness/with-cluster.sh}"

specs=(tests/fixtures/delta/custtable.json tests/fixtures/delta/currency_shared.json)
db=upkit_delta_cli
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; psql -qAtX -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT
psql -qAtX -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null

plan 16

run "$UPKIT" generate --dialect pg "${specs[@]}"
is "$rc" 0 "generate --dialect pg with two delta specs exits 0"
is "$(printf '%s\n' "$out" | grep -c '^-- upkit: delta procedure')" 2 "... one part per spec"
like "$out" "CREATE OR REPLACE PROCEDURE public.upg_delta_currency\(" "... with the shared spec's procedure"
like "$out" "CREATE FUNCTION public.upg_delta_custtable_report\(p_dataareaid text, with_recids boolean DEFAULT false\)" \
     "... and the per-company report"
run "$UPKIT" generate --dialect mssql "${specs[@]}" sql/demo/specs/salesquotation.json
is "$rc" 0 "generate --dialect mssql with delta and insert specs together exits 0"
like "$out" "CREATE FUNCTION \[dbo\]\.\[UPG_DELTA_CUSTTABLE_CHANGES\]\(@DATAAREAID NVARCHAR\(4000\)\)" "... the T-SQL classification function"
like "$out" "CREATE PROCEDURE \[dbo\]\.\[INITFROMSMMQUOTATIONTABLE\]" "... and the insert procedure"

# A delta spec with four problems, next to a good one: all reported, nothing generated.
cat > "$tmp/bad.json" <<'JSON'
{"kind": "delta", "procedure": {"name": "P"}, "source": {"table": "S", "alias": "C"},
 "shadow": {"table": "T"}, "per_company": false,
 "detection": {"method": "content", "columns": ["A"]},
 "mapping": [{"column": "REFRECID", "expr": "1"}]}
JSON
run "$UPKIT" generate --dialect pg "$tmp/bad.json" "${specs[0]}"
is "$rc" 1 "an invalid delta spec: exit 1"
is "$out" "" "... and nothing on standard output"
want="upkit: $tmp/bad.json: \$.source.alias: alias \"C\" is used by the generated SQL for the list of changed rows
upkit: $tmp/bad.json: \$.dataareaids: is required when \"per_company\" is false: the list of DATAAREAIDs the shared table's rows are kept under
upkit: $tmp/bad.json: \$.detection.hash_column: \"hash_column\" is required
upkit: $tmp/bad.json: \$.mapping[0].column: column \"REFRECID\" must not be mapped: it is the link column shadow.refrecid, set to the source RECID
upkit: 4 problems in the spec files; nothing was generated"
is "$err" "$want" "... every problem with file, JSON path and reason, then the count"

# install over libpq, twice, and run what it installed
psql -qAtX -v ON_ERROR_STOP=1 -d "$db" -c "SET client_min_messages = warning" -c "CREATE EXTENSION upkit" \
  -c "SET search_path = public" -f tests/fixtures/delta/fixture.sql >/dev/null
run env PGDATABASE="$db" "$UPKIT" install --dialect pg "${specs[@]}"
is "$rc" 0 "install --dialect pg with the delta specs succeeds"
[ "$rc" -eq 0 ] || diag "$err"
run env PGDATABASE="$db" "$UPKIT" install --dialect pg "${specs[@]}"
is "$rc" 0 "installing them twice is harmless"
run psql -qAtX -v ON_ERROR_STOP=1 -d "$db" -c "CALL public.upg_delta_custtable('dat')" -c "CALL public.upg_delta_currency()"
is "$out" "$(printf '6|0|0\n4|0|0')" "the installed procedures run: preprocessing counts"
run psql -qAtX -d "$db" -c "SELECT count(*) FROM upkit.delta_state"
is "$out" 2 "... and record their state"
run env PGDATABASE="$db" "$UPKIT" install --dialect pg --no-runtime "${specs[0]}"
is "$rc" 0 "install --no-runtime of one spec into a database with the runtime succeeds"
run psql -qAtX -d "$db" -c "CALL public.upg_delta_custtable('dat')"
is "$out" "0|0|0" "the reinstalled procedure finds the shadow up to date"
done_testing
