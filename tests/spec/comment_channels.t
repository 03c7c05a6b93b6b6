#!/usr/bin/env bash
# comment_channels.t: comment text can never end a comment, split a batch or
# run, in either dialect (issue 9).  Every ASCII control character, U+0085,
# U+2028 and U+2029 goes through every channel that becomes a comment:
#
#   - the spec's own text (insert and delta description, X++ lines, a shared
#     spec's DATAAREAIDs, names): refused with the file, the JSON path and
#     the character, exit 1, nothing on standard output; the characters it
#     may hold (tab, LF, CR LF) are kept inside "-- |" comment lines;
#   - the spec file's name, which the "-- upkit: ... (spec FILE)" header
#     and the object comments carry: escaped onto one line.
#
# The generated scripts carry a payload after each character
# (CREATE TABLE public.pwned ..., a psql "\!" command, GO): the PostgreSQL
# script is installed with psql -v ON_ERROR_STOP=1 -1 -f, as its header
# recommends, and with upkit install, and nothing but the procedures may
# appear (no table pwned, no file made by the shell); the T-SQL script must
# parse with the T-SQL grammar (CREATE TABLE ... AS SELECT is no T-SQL, so a
# payload outside a comment fails it).  In both, every line with the payload
# is a comment line.  Needs the throwaway cluster (PG* set).
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
cd "$TOP"
: "${PGHOST:?run through tests/harness/with-cluster.sh}"

db=upkit_comment_channels
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; psql -qAtX -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT
psql -qAtX -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
psql -qAtX -v ON_ERROR_STOP=1 -d "$db" \
  -c "CREATE TABLE cc_src (recid bigint, recversion integer, dataareaid text, a text)" \
  -c "CREATE TABLE cc_tgt (recid bigint, recversion integer, a text)" \
  -c "CREATE TABLE cc_shd (refrecid bigint, refdataareaid text, recversionid integer, b text)" >/dev/null
have_tsql=1
[ -d tests/tsql/node_modules/antlr4ts-sql ] || have_tsql=0

# The characters: U+0001..U+001F, U+007F, U+0085, U+2028, U+2029, as JSON
# escapes and as raw bytes (for file names).
codes=()
for ((c = 1; c < 32; c++)); do codes+=("$(printf '%04X' "$c")"); done
codes+=(007F 0085 2028 2029)
raw() { # raw HEX: the character as UTF-8 bytes
  python3 -c "import sys; sys.stdout.buffer.write(chr(int('$1', 16)).encode())"
}
payload='CREATE TABLE public.pwned AS SELECT 1; \\\\! touch pwned-shell'

insert_spec() { # NAME DESCRIPTION-JSON XPP-JSON TABLE-JSON
  printf '{"kind": "insert", "description": %s, "procedure": {"name": "%s"},
  "source": {"table": %s}, "target": {"table": "cc_tgt", "tabid": 77001}, "per_company": false,
  "mapping": [{"column": "a", "expr": "S.a"}], "xpp": %s}\n' "$2" "$1" "$4" "$3"
}
delta_spec() { # NAME DESCRIPTION-JSON XPP-JSON COMPANY-JSON
  printf '{"kind": "delta", "description": %s, "procedure": {"name": "%s"},
  "source": {"table": "cc_src"}, "shadow": {"table": "cc_shd"}, "per_company": false,
  "dataareaids": [%s], "mapping": [{"column": "b", "expr": "S.a"}], "xpp": %s}\n' "$2" "$1" "$4" "$3"
}

plan 23

# 1. The spec's own text: every character refused in every channel, both dialects.
mkdir "$tmp/bad"
for d in pg mssql; do
  for channel in insert.description insert.xpp insert.name delta.description delta.xpp delta.dataareaids; do
    failed=()
    for h in "${codes[@]}"; do
      # tab and LF are line text in descriptions and X++; nowhere else.
      case "$channel:$h" in *description:0009|*description:000A|*xpp:0009|*xpp:000A) continue ;; esac
      v="\"x\\u${h}$payload\""
      f="$tmp/bad/$channel.$h.json"
      case $channel in
        insert.description) insert_spec CC "$v" '"x"' '"cc_src"' > "$f"; path='$.description' ;;
        insert.xpp)         insert_spec CC '"d"' "[\"ok\", $v]" '"cc_src"' > "$f"; path='$.xpp' ;;
        insert.name)        insert_spec CC '"d"' '"x"' "$v" > "$f"; path='$.source.table' ;;
        delta.description)  delta_spec CC "$v" '"x"' '"dat"' > "$f"; path='$.description' ;;
        delta.xpp)          delta_spec CC '"d"' "$v" '"dat"' > "$f"; path='$.xpp' ;;
        delta.dataareaids)  delta_spec CC '"d"' '"x"' "$v" > "$f"; path='$.dataareaids[0]' ;;
      esac
      run "$UPKIT" generate --dialect "$d" --no-runtime "$f"
      if [ "$rc" -ne 1 ] || [ -n "$out" ] || ! grep -qF "$f: $path: " <<<"$err" ||
         ! grep -qF "U+$h" <<<"$err"; then
        failed+=("U+$h (exit $rc: $(printf '%s' "$err" | head -1))")
      fi
    done
    is "${failed[*]:-}" "" "$d: $channel refuses every control character and line end, naming file, path and character"
  done
done

# 2. Text the channels may hold, and every character in the spec file's name.
mkdir "$tmp/good" "$tmp/shell"
text="\"line\\n$payload\\r\\nGO\\n\\tGO 5\\n-- From x\\n*/ SELECT 1; /*\""
i=0
for h in "${codes[@]}"; do
  i=$((i + 1))
  name="cc$(raw "$h")$payload"
  insert_spec "CC_INS_$i" "$text" "[\"x\", $text]" '"cc_src"' > "$tmp/good/i$i-$name.json"
  delta_spec "CC_DEL_$i" "$text" "$text" '"dat"' > "$tmp/good/d$i-$name.json"
done
specs=("$tmp"/good/*.json)

run "$UPKIT" generate --dialect pg "${specs[@]}"
is "$rc" 0 "pg: specs with every control character in their file names generate"
pg_script=$out
printf '%s\n' "$pg_script" > "$tmp/all.pg.sql"
is "$(printf '%s\n' "$pg_script" | grep -c '^-- upkit: .* procedure .* (spec ')" "${#specs[@]}" \
   "pg: each spec's header is one line"
# (the file name is also in the objects' COMMENT literals: data, escaped too)
is "$(printf '%s\n' "$pg_script" | grep -a 'pwned' | grep -av -e '^ *--' -e "^E\?'upkit delta (spec " | grep -ca .)" 0 \
   "pg: every line with the payload is a comment line"
run bash -c "cd '$tmp/shell' && psql -qX -v ON_ERROR_STOP=1 -1 -d '$db' -f '$tmp/all.pg.sql'"
is "$rc" 0 "psql -v ON_ERROR_STOP=1 -1 -f installs the script"
[ "$rc" -eq 0 ] || diag "$(printf '%s' "$err" | head -5)"
run env PGDATABASE="$db" "$UPKIT" install --dialect pg "${specs[@]}"
is "$rc" 0 "upkit install installs the same specs"
[ "$rc" -eq 0 ] || diag "$(printf '%s' "$err" | head -5)"
run psql -qAtX -d "$db" -c "SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class
  WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'v', 'm', 'p')"
is "$out" "cc_shd,cc_src,cc_tgt" "nothing but the procedures was created: no table pwned"
is "$(ls -A "$tmp/shell")" "" "... and psql ran no shell command"
run psql -qAtX -d "$db" -c "SELECT count(*) FROM pg_proc WHERE proname ~ '^cc_(ins|del)_'"
is "$out" "$(( ${#codes[@]} * 6 ))" "every procedure, function, report, ready check and live fill is there (1 insert, 5 delta objects per character)"

run "$UPKIT" generate --dialect mssql --no-runtime "${specs[@]}"
is "$rc" 0 "mssql: the same specs generate"
printf '%s\n' "$out" > "$tmp/all.mssql.sql"
is "$(printf '%s\n' "$out" | grep -a 'pwned' | grep -av '^ *--' | grep -ca .)" 0 "mssql: every line with the payload is a comment line"
if [ "$have_tsql" = 1 ]; then
  run node tests/tsql/parse-check.js "$tmp/all.mssql.sql"
  is "$rc:$out" "0:" "mssql: the script parses with the T-SQL grammar"
else
  _tap_result 1 "mssql: the script parses with the T-SQL grammar"
  diag "the T-SQL grammar is not installed: run tests/harness/deps.sh"
fi
done_testing
