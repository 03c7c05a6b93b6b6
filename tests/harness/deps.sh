#!/usr/bin/env bash
# deps.sh: make sure everything upkit builds and tests with is on this machine.
# UPKIT_NO_SUDO=1 never uses sudo (it prints the command instead).
#
# Debian packages are checked with dpkg-query (fast, no network) and only the
# missing ones are installed: directly as root, through sudo for a user who
# has it, and otherwise the exact command is printed and we fail.  The T-SQL
# grammar (npm) is installed into tests/tsql/node_modules from the committed
# package-lock.json, again only when it is missing.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)

pkgs=(
  build-essential pkg-config
  postgresql-15 postgresql-server-dev-15 postgresql-contrib
  postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl
  libpq-dev freetds-dev freetds-bin libpcre2-dev libcjson-dev
)
# Node.js may come from another source (a nodesource build ships its own npm);
# only ask Debian for it when there is none at all.
command -v node >/dev/null 2>&1 || pkgs+=(nodejs)
# UPKIT_DEPS_EXTRA: more package names to require (the harness tests use it).
# shellcheck disable=SC2206
pkgs+=(${UPKIT_DEPS_EXTRA:-})
command -v npm  >/dev/null 2>&1 || pkgs+=(npm)

missing=()
for p in "${pkgs[@]}"; do
  st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$st" = installed ] || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  cmd=(apt-get install -y --no-install-recommends "${missing[@]}")
  echo "deps: installing missing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then
    sudo=()
  elif [ -z "${UPKIT_NO_SUDO:-}" ] && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
  elif [ -z "${UPKIT_NO_SUDO:-}" ] && command -v sudo >/dev/null 2>&1 && [ -t 0 ]; then
    sudo=(sudo)
  else
    echo "deps: not root and no usable sudo; run this, then try again:" >&2
    echo "  sudo apt-get update && sudo ${cmd[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  # A fresh machine has no package lists yet; refresh them once.
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" "${cmd[@]}"
fi

# The Debian postgresql-15 package starts a system cluster on 5432; upkit never
# uses it (our clusters are private and socket-only), so we leave it alone.

# T-SQL grammar for the syntax check (tests/tsql).
if [ ! -d "$top/tests/tsql/node_modules/antlr4ts-sql" ] && [ -f "$top/tests/tsql/package.json" ]; then
  echo "deps: installing the T-SQL grammar (npm ci in tests/tsql)"
  (cd "$top/tests/tsql" && npm ci --no-audit --no-fund --loglevel=error)
fi
exit 0
