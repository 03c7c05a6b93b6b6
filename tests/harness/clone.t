#!/usr/bin/env bash
# A newcomer's clone: the repository's files (as git would check them out,
# with the changes of this working tree) in a private folder, mode 700 like
# a home directory, with nothing beside it.  As root the server runs as the
# postgres OS user, who cannot enter that folder: the set-up must still
# build the extension, start the cluster and serve it there.
set -euo pipefail
. "$(dirname "$0")/tap.sh"
cd "$TOP"
[ -e .git ] || skip_all "not a git checkout: the list of the repository's files comes from git"
plan 8

home=$(mktemp -d /tmp/upkit-clone.XXXXXX)   # mode 700, owned by whoever runs the tests
clone=$home/upkit
cleanup() {
  UPKIT_PGPORT=54392 "$clone/tests/harness/cluster.sh" stop >/dev/null 2>&1 || true
  # The cluster may live in a folder of /tmp that build/ links to.
  local d; d=$(readlink -f "$clone/build/cluster" 2>/dev/null || true)
  case "$d" in /tmp/upkit-*/cluster) rm -rf "$(dirname "$d")" ;; esac
  rm -rf "$home"
}
trap cleanup EXIT
mkdir -p "$clone"
git ls-files -z --cached --others --exclude-standard \
  | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done \
  | tar --null -T - -cf - | tar -xf - -C "$clone"
is "$(stat -c %a "$home")" 700 "the clone lives in a private folder (mode 700)"
is "$(ls -A "$home")" upkit "with nothing beside it"
ok "no build output came along" test ! -e "$clone/build" -a ! -e "$clone/tests/tsql/node_modules"

export UPKIT_PGPORT=54392
run "$clone/tests/harness/cluster.sh" start
is "$rc" 0 "cluster.sh start in the private clone succeeds (as $(id -un))"
[ "$rc" -eq 0 ] || diag "$out" "$err"
if [ "$(id -u)" -eq 0 ]; then
  like "$out" "using /tmp/upkit-" "as root, it says it moved the cluster and the tree out of the closed folder"
else
  is "$out" "" "as a user, it says nothing"
fi
run "$clone/tests/harness/with-cluster.sh" psql -qAtX -v ON_ERROR_STOP=1 \
  -c "CREATE EXTENSION IF NOT EXISTS upkit" -c "SELECT upkit.fn_fmt_numbersequence('SQ-######', 41, 1)"
is "$rc|$out" "0|SQ-000042" "the extension built in the clone is installed in its cluster and answers"
[ "$rc" -eq 0 ] || diag "$err"
run "$clone/tests/harness/cluster.sh" status
ok "the cluster is stopped again afterwards" test "$rc" -ne 0
ok "the extension went into the clone's private tree, not the system's folders" \
  test -f "$(readlink -f "$clone/build/pgroot")$(pg_config --pkglibdir)/upkit.so"
done_testing
