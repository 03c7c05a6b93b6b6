# tap.sh: a few TAP helpers for the shell tests (tests/*/*.t).
#   . "$(dirname "$0")/../harness/tap.sh"
#   plan 3; ok "name" cmd...; is "$got" "$want" "name"; ...; done_testing
# Every assertion prints "ok N - name" or "not ok N - name" with a diagnosis.
_tap_n=0
_tap_failed=0
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
UPKIT="$TOP/sqlgen/upkit"

plan() { echo "1..$1"; }
skip_all() { echo "1..0 # SKIP $*"; exit 0; }
diag() { printf '# %s\n' "$@" | sed '2,$s/^/# /' >&2; }
_tap_result() {
  _tap_n=$((_tap_n + 1))
  if [ "$1" -eq 0 ]; then echo "ok $_tap_n - $2"; else echo "not ok $_tap_n - $2"; _tap_failed=$((_tap_failed + 1)); fi
}
# ok NAME CMD...: passes when CMD exits 0.
ok() { local name=$1; shift; if "$@" >/dev/null 2>&1; then _tap_result 0 "$name"; else _tap_result 1 "$name"; fi; }
# is GOT WANT NAME
is() {
  if [ "$1" = "$2" ]; then _tap_result 0 "$3"; else _tap_result 1 "$3"; diag "got:  '$1'" "want: '$2'"; fi
}
# like GOT REGEX NAME (grep -E).  grep reads a here-string, not a pipe: under
# pipefail, "printf | grep -q" fails when grep exits early and printf dies of
# SIGPIPE (seen as a flaky check).
like() {
  if grep -qE -- "$2" <<<"$1"; then _tap_result 0 "$3"; else _tap_result 1 "$3"; diag "got:  '$1'" "want match: $2"; fi
}
# run CMD...: sets $out (stdout), $err (stderr) and $rc.
run() {
  local o e
  o=$(mktemp) e=$(mktemp)
  set +e; "$@" >"$o" 2>"$e"; rc=$?; set -e
  out=$(cat "$o") err=$(cat "$e"); rm -f "$o" "$e"
}
done_testing() { [ "$_tap_failed" -eq 0 ]; }
