#!/usr/bin/env bash
# quote_ident.t: upkit quotes PostgreSQL names exactly as the server's
# quote_ident() does, for every keyword the server knows (pg_get_keywords())
# and for names with quotes, blanks, digits and non-ASCII letters; and the
# generated procedure with all of them as column names installs.  Needs the
# throwaway cluster (PG* set).
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
cd "$TOP"
: "${PGHOST:?run through tests/harness/with-cluster.sh}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Names: every keyword, plus awkward ones (all lower case: upkit folds ASCII
# upper case first, as PostgreSQL does for unquoted names).
psql -qAtX -d postgres -c "SELECT word FROM pg_get_keywords() ORDER BY word" > "$tmp/names"
printf '%s\n' 'a"b' 'two words' '1abc' 'größe' '_x$' 'semi;colon' 'x]' >> "$tmp/names"
n=$(wc -l < "$tmp/names")

plan 3
{
  printf '{"procedure": {"name": "quote_test"}, "source": {"table": "src"},\n'
  printf ' "per_company": false, "target": {"table": "tgt", "tabid": 9, "recversion": false}, "mapping": [\n'
  i=0
  while IFS= read -r w; do
    [ $i -gt 0 ] && printf ',\n'
    printf '  {"column": "%s", "expr": "1"}' "$(printf '%s' "$w" | sed 's/\\/\\\\/g; s/"/\\"/g')"
    i=$((i + 1))
  done < "$tmp/names"
  printf '], "xpp": "none"}\n'
} > "$tmp/spec.json"

run "$UPKIT" generate --dialect pg --no-runtime "$tmp/spec.json"
is "$rc" 0 "a spec with $n keyword and awkward column names generates"
[ "$rc" -eq 0 ] || diag "$err"
printf '%s\n' "$out" > "$tmp/gen.sql"
# The mapped values: "           src.NAME,   -- $.mapping[I]" in spec order.
sed -n 's/^ *src\.\(.*[^ ]\),\{0,1\} *-- \$\.mapping\[[0-9]*\]$/\1/p' "$tmp/gen.sql" | sed 's/,$//' > "$tmp/upkit"
psql -qAtX -d postgres -v ON_ERROR_STOP=1 -c "CREATE TEMP TABLE n (i serial, w text)" \
  -c "\\copy n (w) FROM '$tmp/names' WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')" \
  -c "SELECT quote_ident(w) FROM n ORDER BY i" > "$tmp/server"
run diff "$tmp/server" "$tmp/upkit"
is "$rc" 0 "every name is quoted exactly as quote_ident() quotes it"
[ "$rc" -eq 0 ] || diag "$out"
run psql -qAtX -d postgres -v ON_ERROR_STOP=1 -c "BEGIN" -f "$tmp/gen.sql" -c "ROLLBACK"
is "$rc" 0 "the procedure with all of them as column names installs"
[ "$rc" -eq 0 ] || diag "$err"
done_testing
