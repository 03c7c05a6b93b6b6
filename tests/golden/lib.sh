# lib.sh: golden-file checks shared by tests/golden/*.t (after tap.sh).
#
#   check_golden DIR SPEC...   for each SPEC and dialect: one TAP test that
#                              "upkit generate --no-runtime" matches
#                              DIR/NAME.DIALECT.sql (NAME: SPEC without .json)
#
#   golden_out FILE            one TAP test: $out (from run) matches FILE
#
# After an intended change, UPKIT_GOLDEN_UPDATE=1 rewrites the files first.
golden_dialects=(pg mssql)

check_golden() {
  local dir=$1 spec name d golden
  shift
  for spec in "$@"; do
    name=$(basename "$spec" .json)
    for d in "${golden_dialects[@]}"; do
      golden=$dir/$name.$d.sql
      run "$UPKIT" generate --dialect "$d" --no-runtime "$spec"
      if [ "${UPKIT_GOLDEN_UPDATE:-}" = 1 ] && [ "$rc" -eq 0 ]; then
        printf '%s\n' "$out" > "$golden"
      fi
      if [ "$rc" -eq 0 ] && [ -f "$golden" ] && [ "$out" = "$(cat "$golden")" ]; then
        _tap_result 0 "$spec for $d matches $golden"
      else
        _tap_result 1 "$spec for $d matches $golden"
        diag "exit $rc: $err" "$(diff <(printf '%s\n' "$out") "$golden" 2>&1 | head -20)"
      fi
    done
  done
}

golden_out() {
  if [ "${UPKIT_GOLDEN_UPDATE:-}" = 1 ]; then printf '%s\n' "$out" > "$1"; fi
  if [ -f "$1" ] && [ "$out" = "$(cat "$1")" ]; then _tap_result 0 "output matches $1"
  else _tap_result 1 "output matches $1"; diag "$(diff <(printf '%s\n' "$out") "$1" 2>&1 | head -20)"; fi
}
