#!/usr/bin/env bash
# parse.t: every T-SQL script upkit ships or generates parses with the
# grammars-v4 T-SQL grammar and stays within SQL Server 2012
# (tests/tsql/parse-check.js); broken and too-new snippets are rejected, so
# the check can fail.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
cd "$TOP"

check=(node tests/tsql/parse-check.js)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -d tests/tsql/node_modules/antlr4ts-sql ]; then
  plan 1
  _tap_result 1 "the T-SQL grammar is installed (tests/tsql/node_modules/antlr4ts-sql)"
  diag "run tests/harness/deps.sh (npm ci in tests/tsql)"
  exit 1
fi

"$UPKIT" generate --dialect mssql --runtime -o "$tmp/runtime.mssql.sql"
shopt -s nullglob globstar
# The SQL Server integration tests' own SQL too: it cannot run here, but it
# can parse (the vector calls come from tests/mssql/vector-cases.js).
node tests/mssql/vector-cases.js tests/vectors/fn_fmt_numbersequence.jsonl \
  | awk -F '\037' '{ print $4 }' > "$tmp/vector-calls.mssql.sql"
# The runner's ledger statements (sqlgen/ledger_mssql.c), as batches.
"$TOP/build/tests/unit/test_ledger_sql" --print-mssql > "$tmp/runner-ledger.mssql.sql"
# upkit transfer's statements for a SQL Server system (sqlgen/transfer_side_mssql.c).
"$TOP/build/tests/unit/test_transfer_side" --print-tsql > "$tmp/transfer.mssql.sql"
# upkit copy's SELECTs for a SQL Server source and its ledger statements (copy_target_mssql.c).
"$TOP/build/tests/unit/test_copy_tsql" --print-tsql > "$tmp/copy.mssql.sql"
# upkit copy's INSERT writer under IDENTITY_INSERT (sqlgen/copy_mssql_writer.c).
"$TOP/build/tests/unit/test_copy_mssql_insert" --print-tsql > "$tmp/copy-insert.mssql.sql"
files=(functions/mssql/*.sql procs/mssql/*.sql "$tmp/runtime.mssql.sql" "$tmp/runner-ledger.mssql.sql"
       "$tmp/copy.mssql.sql" "$tmp/copy-insert.mssql.sql" "$tmp/transfer.mssql.sql" tests/golden/**/*.mssql.sql
       tests/mssql/*.sql tests/mssql/cases/*.sql "$tmp/vector-calls.mssql.sql")

plan $((${#files[@]} + 11))

# One node run for all files (the grammar takes a while to load); each file
# passes when no line of the output names it.
run "${check[@]}" "${files[@]}"
all_rc=$rc all_out=$out all_err=$err
for f in "${files[@]}"; do
  name=${f#"$tmp/"}
  [ "$name" = runtime.mssql.sql ] && name="upkit generate --dialect mssql --runtime"
  [ "$name" = vector-calls.mssql.sql ] && name="the FN_FMT_NUMBERSEQUENCE vectors as T-SQL calls"
  mine=$(printf '%s\n' "$all_out" | grep -F -- "$f:" || true)
  if [ -z "$mine" ] && { [ "$all_rc" -eq 0 ] || [ -n "$all_out" ]; }; then
    _tap_result 0 "$name parses as SQL Server 2012 T-SQL"
  else
    _tap_result 1 "$name parses as SQL Server 2012 T-SQL"; diag "exit $all_rc" "$mine" "$all_err"
  fi
done
is "$all_rc" "$([ -z "$all_out" ] && echo 0 || echo 1)" "parse-check.js exits 1 exactly when it reports a problem"

is "$(grep -c '^-- From ' "$tmp/runtime.mssql.sql")" \
   "$(ls functions/mssql/*.sql procs/mssql/*.sql | wc -l)" \
   "the generated runtime holds every functions/mssql and procs/mssql script"

# A syntax error in the second batch: reported with its place in the file.
printf 'SELECT 1;\r\nGO\r\nSELECT name FROM WHERE x = 1;\r\ngo  \r\nSELECT 2;\r\n' > "$tmp/broken.sql"
run "${check[@]}" "$tmp/broken.sql"
is "$rc" 1 "a broken snippet is rejected (exit 1)"
like "$out" "^$tmp/broken.sql:3:[0-9]+: syntax error" "the error names file and line 3 of the CRLF file, past a GO"

printf 'CREATE OR ALTER PROCEDURE [dbo].[P] AS SELECT 1;\nGO\n' > "$tmp/create-or-alter.sql"
run "${check[@]}" "$tmp/create-or-alter.sql"
is "$rc" 1 "CREATE OR ALTER is rejected (exit 1)"
like "$out" ":1:1: not SQL Server 2012 syntax: CREATE OR ALTER" "the message names CREATE OR ALTER"

cat > "$tmp/newer.sql" <<'EOF'
DROP TABLE IF EXISTS [dbo].[T];
SELECT TRIM(a), STRING_AGG(a, N','), CONCAT_WS(N',', a, b), TRANSLATE(a, N'a', N'b'),
       DATEDIFF_BIG(day, a, b)
  FROM STRING_SPLIT(N'a,b', N',') AS s;
SELECT SYSDATETIMEOFFSET() AT TIME ZONE 'UTC' AS t FOR JSON AUTO;
EOF
run "${check[@]}" "$tmp/newer.sql"
is "$rc" 1 "syntax newer than SQL Server 2012 is rejected (exit 1)"
is "$(printf '%s\n' "$out" | sed 's/.*: not SQL Server 2012 syntax: \([A-Z_]*\).*/\1/' | tr '\n' ' ')" \
   "DROP TRIM STRING_AGG CONCAT_WS TRANSLATE DATEDIFF_BIG STRING_SPLIT AT FOR " \
   "each newer construct is named once, in order"

# The same words in comments, string literals and as plain names are fine.
cat > "$tmp/words.sql" <<'EOF'
-- CREATE OR ALTER, TRIM(x) and STRING_AGG in a comment
/* DROP TABLE IF EXISTS t; CONCAT_WS(a, b) */
SELECT N'TRANSLATE(a) STRING_SPLIT DATEDIFF_BIG' AS [TRIM], LTRIM(RTRIM(N' x ')) AS [translate];
GO
IF OBJECT_ID(N'[dbo].[P]', N'P') IS NOT NULL DROP PROCEDURE [dbo].[P];
GO
EOF
run "${check[@]}" "$tmp/words.sql"
is "$rc:$out" "0:" "the words in comments, strings and quoted names pass"

run "${check[@]}"
is "$rc" 2 "parse-check.js without a file is a usage error (exit 2)"

run "${check[@]}" "$tmp/does-not-exist.sql"
like "$rc:$out" "^1:.*does-not-exist.sql:0:0: cannot read" "a missing file is reported and fails"

done_testing
