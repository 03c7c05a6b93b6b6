#!/usr/bin/env bash
# vectors.t: [dbo].[FN_FMT_NUMBERSEQUENCE] on a real SQL Server gives every
# vector's result (tests/vectors/fn_fmt_numbersequence.jsonl) and
# fails on every vector that must fail, with a message that names the
# problem; then upkit's own T-SQL cases (skipped without UPKIT_MSSQL; see
# lib.sh).
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
. "$(dirname "$0")/lib.sh"
cd "$TOP"

vectors=tests/vectors/fn_fmt_numbersequence.jsonl
cases=$(node tests/mssql/vector-cases.js "$vectors")
n=$(printf '%s\n' "$cases" | grep -c .)
plan $((n + 13))

mssql_install
is "$rc" 0 "upkit install --dialect mssql --runtime succeeds"
[ "$rc" -eq 0 ] || diag "$err"

while IFS=$'\x1f' read -r line kind want sql; do
  q "$sql"
  if [ "$kind" = expect ]; then
    is "$rc|$out" "0|$want" "vector line $line gives '$want': $sql"
  else
    # A T-SQL function fails through a conversion error (245) whose text
    # names the problem.
    like "$rc|$err" "^1\|Msg 245, .*'upkit FN_FMT_NUMBERSEQUENCE: [^']+'" "vector line $line fails: $sql"
  fi
done <<<"$cases"

q "SELECT OBJECTPROPERTY(OBJECT_ID(N'[dbo].[FN_FMT_NUMBERSEQUENCE]'), 'IsDeterministic'),
          OBJECTPROPERTY(OBJECT_ID(N'[dbo].[FN_FMT_NUMBERSEQUENCE]'), 'IsSchemaBound');"
is "$out" "$(printf '1\t1')" "the function is deterministic and schema-bound"

# Messages name the number, the format and the limits.
f() { q "SELECT [dbo].[FN_FMT_NUMBERSEQUENCE]($1);"; }
f "N'######', 999999, 1, 0"
like "$err" "number 1000000 does not fit format \"######\" \(7 digits, 6 digit slots\)" "too many digits: the message names number and format"
f "N'SQ-######', 5, 0, 8"
like "$err" "formatted number 5 with format \"SQ-######\" is 9 characters, longer than rjustify_length 8" "too long for rjustify_length: the message names number, format and length"
f "N'SQ-', 5, 0, 0"
like "$err" "number sequence format \"SQ-\" has no digit slot" "no slot: the message names the format"
f "N'SQ-#', 5, 0, -3"
like "$err" "rjustify_length must not be negative: -3" "negative rjustify_length: the message names the value"
f "N'###', 1, 9223372036854775807, 0"
like "$err" "number 1 \+ 9223372036854775807 is out of range for format \"###\"" "bigint overflow: a message of its own, not error 8115"
f "N'###', -9223372036854775808, 9223372036854775807, 0"
like "$err" "number -1 is negative and cannot be formatted with \"###\"" "a negative sum names the number"

# Characters, not UTF-16 code units: a character outside the BMP counts as
# one for rjustify_length whatever the database collation; a full-width ＃ is
# not a slot.  The expected values are built in T-SQL and compared as bytes,
# so the client's character set conversion plays no part.
same() {
  q "SELECT CASE WHEN CAST([dbo].[FN_FMT_NUMBERSEQUENCE]($1) AS VARBINARY(MAX)) = CAST($2 AS VARBINARY(MAX))
              THEN N'same' ELSE N'differs: ' + [dbo].[FN_FMT_NUMBERSEQUENCE]($1) END;"
  is "$rc|$out" "0|same" "$3"
}
# U+1F600 as UTF-16LE bytes: the same two code units under any collation
# (NCHAR of a lone surrogate depends on the collation).
emoji="CAST(0x3DD800DE AS NVARCHAR(2))"
same "$emoji + N'-##', 5, 0, 10" "REPLICATE(N' ', 6) + $emoji + N'-05'" "a surrogate pair counts as one character for rjustify_length"
same "$emoji + N'#' + $emoji + N'#', 12, 0, 0" "$emoji + N'1' + $emoji + N'2'" "slots between surrogate pairs"
same "NCHAR(0xFF03) + N'#', 5, 0, 0" "NCHAR(0xFF03) + N'5'" "a full-width number sign is copied, not a slot"
same "REPLICATE(CAST(N'#' AS NVARCHAR(MAX)), 5000), 123, 0, 0" "REPLICATE(CAST(N'0' AS NVARCHAR(MAX)), 4997) + N'123'" "a 5000-slot format is not cut at 4000 characters"
same "N'SQ-### ', 5, 0, 10" "N'   SQ-005 '" "a trailing space in the format counts"

done_testing
