#!/usr/bin/env bash
# vectors.t: [dbo].[FN_FMT_NUMBERSEQUENCE] and its inline form
# [dbo].[UPKIT_FMT_NUMBERSEQUENCE_TVF] on a real TDS engine, in a scratch
# database of their own (skipped without UPKIT_MSSQL; see lib.sh).  For
# every vector of tests/vectors/fn_fmt_numbersequence.jsonl, the scalar
# function gives the result or fails with a message that names the problem,
# and the inline form gives the same result, or no result and the same
# message with the problem's own number; then upkit's own T-SQL cases, with
# both forms (supplementary characters, a full-width '#', long formats).
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
. "$(dirname "$0")/lib.sh"
cd "$TOP"

vectors=tests/vectors/fn_fmt_numbersequence.jsonl
cases=$(node tests/mssql/vector-cases.js "$vectors")
n=$(printf '%s\n' "$cases" | grep -c .)
plan $((2 * n + 24))

mssql_install
is "$rc" 0 "upkit install --dialect mssql --runtime succeeds"
[ "$rc" -eq 0 ] || diag "$err"

# A T-SQL function fails through a conversion error whose text names the
# problem: error 245 on SQL Server.  Babelfish reports its own number
# (33557097, "invalid input syntax for type integer"), still failing the
# statement; the number is checked on SQL Server only.
if [ "$MSSQL_ENGINE" = sqlserver ]; then fails="^1\|Msg 245, "; else fails="^1\|Msg [0-9]+, "; fi
problem_re=$'^\\\\N\t5004[1-7]\tupkit FN_FMT_NUMBERSEQUENCE: '
while IFS=$'\x1f' read -r line kind want sql inline; do
  q "$sql"
  scalar_rc=$rc scalar_out=$out scalar_err=$err
  q "$inline"
  if [ "$kind" = expect ]; then
    is "$scalar_rc|$scalar_out" "0|$want" "vector line $line gives '$want': $sql"
    is "$rc|$out" "$(printf '0|%s\t\\N\t\\N' "$want")" "vector line $line: the inline form gives '$want' too"
  else
    like "$scalar_rc|$scalar_err" "$fails.*upkit FN_FMT_NUMBERSEQUENCE: " "vector line $line fails: $sql"
    problem=${out#*$'\t'*$'\t'}
    if [ "$rc" -eq 0 ] && [[ "$out" =~ $problem_re ]] &&
       [[ "$scalar_err" == *"$problem"* ]]; then
      _tap_result 0 "vector line $line: the inline form names the same problem, with its own number"
    else
      _tap_result 1 "vector line $line: the inline form names the same problem, with its own number"
      diag "inline: exit $rc: $out $err" "scalar: $scalar_err"
    fi
  fi
done <<<"$cases"

# Babelfish answers 0 for IsDeterministic whatever the function is.
if [ "$MSSQL_ENGINE" = sqlserver ]; then
  q "SELECT OBJECTPROPERTY(OBJECT_ID(N'[dbo].[FN_FMT_NUMBERSEQUENCE]'), 'IsDeterministic'),
            OBJECTPROPERTY(OBJECT_ID(N'[dbo].[FN_FMT_NUMBERSEQUENCE]'), 'IsSchemaBound');"
  is "$out" "$(printf '1\t1')" "the function is deterministic and schema-bound"
else
  _tap_result 0 "the function is deterministic and schema-bound # SKIP Babelfish's OBJECTPROPERTY(..., 'IsDeterministic') is always 0"
fi

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

# Characters, not code units: a character outside the BMP counts as one for
# rjustify_length, in a database with AX's collation (not supplementary-
# aware); a full-width ＃ is not a slot.  The expected values are built in
# T-SQL and compared as bytes, so the client's character set conversion
# plays no part.  Both forms must give them.
same() {
  local inline="(SELECT T.[FORMATTED] FROM [dbo].[UPKIT_FMT_NUMBERSEQUENCE_TVF]($1) AS T)"
  q "SELECT CASE WHEN CAST([dbo].[FN_FMT_NUMBERSEQUENCE]($1) AS VARBINARY(MAX)) = CAST($2 AS VARBINARY(MAX))
              THEN N'same' ELSE N'differs: ' + [dbo].[FN_FMT_NUMBERSEQUENCE]($1) END;"
  is "$rc|$out" "0|same" "$3"
  q "SELECT CASE WHEN CAST($inline AS VARBINARY(MAX)) = CAST($2 AS VARBINARY(MAX))
              THEN N'same' ELSE N'differs: ' + ISNULL($inline, N'NULL') END;"
  is "$rc|$out" "0|same" "$3 (inline form)"
}
# U+1F600.  On SQL Server: its UTF-16LE bytes, the same two code units
# under any collation (NCHAR above 0xFFFF needs an _SC collation).  On
# Babelfish CAST(0x... AS NVARCHAR) does not decode UTF-16LE, and a string
# holds code points, so NCHAR(128512) is the character.
if [ "$MSSQL_ENGINE" = sqlserver ]; then emoji="CAST(0x3DD800DE AS NVARCHAR(2))"; else emoji="NCHAR(128512)"; fi
same "$emoji + N'-##', 5, 0, 10" "REPLICATE(N' ', 6) + $emoji + N'-05'" "a supplementary character counts as one character for rjustify_length"
same "$emoji + N'#' + $emoji + N'#', 12, 0, 0" "$emoji + N'1' + $emoji + N'2'" "slots between supplementary characters"
same "$emoji + $emoji + N'-#', 7, 0, 5" "N' ' + $emoji + $emoji + N'-7'" "two supplementary characters side by side count as two"
same "NCHAR(0xFF03) + N'#', 5, 0, 0" "NCHAR(0xFF03) + N'5'" "a full-width number sign is copied, not a slot"
same "N'SQ-### ', 5, 0, 10" "N'   SQ-005 '" "a trailing space in the format counts"
same "REPLICATE(CAST(N'#' AS NVARCHAR(MAX)), 4000), 123, 0, 0" "REPLICATE(CAST(N'0' AS NVARCHAR(MAX)), 3997) + N'123'" "a 4000-slot format is formatted whole"
q "SELECT CASE WHEN CAST([dbo].[FN_FMT_NUMBERSEQUENCE](REPLICATE(CAST(N'#' AS NVARCHAR(MAX)), 5000), 123, 0, 0) AS VARBINARY(MAX))
                  = CAST(REPLICATE(CAST(N'0' AS NVARCHAR(MAX)), 4997) + N'123' AS VARBINARY(MAX)) THEN N'same' ELSE N'differs' END;"
is "$rc|$out" "0|same" "a 5000-slot format is not cut at 4000 characters"
q "SELECT T.[FORMATTED], T.[PROBLEM_NUMBER], T.[PROBLEM]
     FROM [dbo].[UPKIT_FMT_NUMBERSEQUENCE_TVF](REPLICATE(CAST(N'#' AS NVARCHAR(MAX)), 4001), 1, 0, 0) AS T;"
like "$rc|$out" "^0\|\\\\N"$'\t'"50047"$'\t'"upkit FN_FMT_NUMBERSEQUENCE: number sequence format \"#{64}\.\.\. \(4001 characters\)\" is longer than 4000" \
  "the inline form refuses a format longer than 4000 characters (50047) instead of cutting it"
q "SELECT T.[FORMATTED], T.[PROBLEM_NUMBER], T.[PROBLEM] FROM [dbo].[UPKIT_FMT_NUMBERSEQUENCE_TVF](N'SQ-###', NULL, 0, 0) AS T;"
is "$rc|$out" "$(printf '0|\\N\t\\N\t\\N')" "the inline form: a NULL argument gives NULL and no problem"

# db-lib clients (FreeTDS, upkit) start with CONCAT_NULL_YIELDS_NULL OFF,
# where 'text' + NULL is 'text': neither form may depend on it.
if [ "$MSSQL_ENGINE" = sqlserver ]; then
  q "SET CONCAT_NULL_YIELDS_NULL OFF;
SELECT T.[FORMATTED], T.[PROBLEM_NUMBER], T.[PROBLEM] FROM [dbo].[UPKIT_FMT_NUMBERSEQUENCE_TVF](N'SQ-######', 41, 1, 0) AS T;
SELECT T.[FORMATTED], T.[PROBLEM_NUMBER], T.[PROBLEM] FROM [dbo].[UPKIT_FMT_NUMBERSEQUENCE_TVF](N'SQ-###', NULL, 0, 0) AS T;
SELECT [dbo].[FN_FMT_NUMBERSEQUENCE](N'SQ-######', 41, 1, 0), [dbo].[FN_FMT_NUMBERSEQUENCE](N'SQ-###', NULL, 0, 0);"
  is "$rc|$out" "$(printf '0|SQ-000042\t\\N\t\\N\n\\N\t\\N\t\\N\nSQ-000042\t\\N')" \
     "with CONCAT_NULL_YIELDS_NULL OFF both forms give the same results and no problem"
else
  _tap_result 0 "with CONCAT_NULL_YIELDS_NULL OFF both forms give the same results # SKIP Babelfish does not support CONCAT_NULL_YIELDS_NULL OFF"
fi

done_testing
