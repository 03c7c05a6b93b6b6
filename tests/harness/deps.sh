#!/usr/bin/env bash
# deps.sh [--tsql]: make sure what upkit builds, demonstrates and tests with is
# on this machine, and touch nothing else.
#
#   deps.sh          the Debian packages for the build, the demo and the tests
#   deps.sh --tsql   also the T-SQL grammar the tests parse with (Node.js, and
#                    npm ci in tests/tsql from the committed package-lock.json);
#                    make test asks for it, make demo does not (no registry)
#
# Safe on a DBA's machine:
# * Only missing packages are named to apt-get (dpkg-query decides, no
#   network), with --no-upgrade; an installed package is never on the list.
# * apt may still want to upgrade an installed package that a missing one
#   depends on (libpq-dev needs the libpq5 of its own version).  A simulated
#   run finds out first: upgrading a PostgreSQL server or client package would
#   restart or change a running cluster, so we refuse and print the command
#   for the DBA to decide; any other upgrade is announced before it is done.
# * Nothing is started, stopped or restarted here.
# * Root installs directly, a user with sudo through sudo; anyone else gets
#   the exact command and exit 1.  UPKIT_NO_SUDO=1 never uses sudo.
# * One line per step; apt's and npm's full output goes to build/deps.log
#   (UPKIT_DEPS_LOG), which a failure points to.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
log="${UPKIT_DEPS_LOG:-$top/build/deps.log}"
tsql=0
[ "${1:-}" = --tsql ] && tsql=1

say() { echo "deps: $*"; }
fail() { echo "deps: $*" >&2; exit 1; }
# logged CMD...: run CMD with its output appended to the log (which each run
# of this script starts afresh).
log_started=0
logged() {
  if [ $log_started -eq 0 ]; then mkdir -p "$(dirname "$log")"; : >"$log"; log_started=1; fi
  echo "+ $*" >>"$log"; "$@" >>"$log" 2>&1 </dev/null
}

pkgs=(
  build-essential pkg-config
  postgresql-15 postgresql-server-dev-15 postgresql-contrib
  postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl
  libpq-dev freetds-dev freetds-bin libpcre2-dev libcjson-dev
)
if [ $tsql -eq 1 ]; then
  # Node.js may come from elsewhere (a nodesource build ships its own npm);
  # Debian's is asked for only when there is none at all.
  command -v node >/dev/null 2>&1 || pkgs+=(nodejs)
  command -v npm  >/dev/null 2>&1 || pkgs+=(npm)
fi
# UPKIT_DEPS_EXTRA: more package names to require (the harness tests use it).
# shellcheck disable=SC2206
pkgs+=(${UPKIT_DEPS_EXTRA:-})

missing=()
for p in "${pkgs[@]}"; do
  st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$st" = installed ] || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  install=(apt-get install -y --no-install-recommends --no-upgrade "${missing[@]}")
  if [ "$(id -u)" -eq 0 ]; then
    sudo=()
  elif [ -z "${UPKIT_NO_SUDO:-}" ] && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
  elif [ -z "${UPKIT_NO_SUDO:-}" ] && command -v sudo >/dev/null 2>&1 && [ -t 0 ]; then
    sudo=(sudo)
  else
    echo "deps: missing Debian packages: ${missing[*]}" >&2
    echo "deps: not root and no usable sudo; run this, then try again:" >&2
    echo "  sudo apt-get update && sudo ${install[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  say "missing Debian packages: ${missing[*]} (apt output: $log)"
  # A fresh machine has no package lists yet; refresh them once.
  say "refreshing the package lists (apt-get update)"
  logged "${sudo[@]}" apt-get update || fail "apt-get update failed; see $log"
  # What would apt do?  "Inst NAME [OLD] (NEW ...)" is an upgrade of NAME.
  sim=$(apt-get -s "${install[@]:1}" 2>&1) && rc=0 || rc=$?
  logged printf '%s\n' "$sim"
  [ $rc -eq 0 ] || fail "apt-get cannot install ${missing[*]}; see $log"
  upgrades=$(sed -nE 's/^Inst ([^ ]+) \[([^]]+)\] \(([^ ]+).*/\1 \2 \3/p' <<<"$sim")
  server=$(grep -E '^postgresql(-client)?-[0-9]+ ' <<<"$upgrades" || true)
  if [ -n "$server" ]; then
    echo "deps: installing ${missing[*]} would upgrade installed PostgreSQL packages:" >&2
    while read -r name old new; do echo "  $name $old -> $new" >&2; done <<<"$server"
    echo "deps: that restarts or changes the clusters they run; nothing was installed." >&2
    echo "deps: to accept it, run this, then try again:" >&2
    echo "  ${sudo[*]}${sudo[*]:+ }${install[*]}" >&2
    exit 1
  fi
  if [ -n "$upgrades" ]; then
    while read -r name old new; do
      say "note: a missing package needs a newer $name: upgrading it $old -> $new"
    done <<<"$upgrades"
  fi
  say "installing ${missing[*]}"
  logged "${sudo[@]}" "${install[@]}" || fail "apt-get install failed; the full output is in $log"
fi

# The Debian postgresql-15 package starts a system cluster on 5432; upkit never
# uses it (our clusters are private and socket-only), so we leave it alone.

# The T-SQL grammar for the syntax check (tests/tsql).
if [ $tsql -eq 1 ] && [ ! -d "$top/tests/tsql/node_modules/antlr4ts-sql" ]; then
  say "installing the T-SQL grammar for the tests (npm ci in tests/tsql; npm output: $log)"
  (cd "$top/tests/tsql" && logged npm ci --no-audit --no-fund) \
    || fail "npm ci failed (is the npm registry reachable?); the full output is in $log"
fi
exit 0
