#!/usr/bin/env bash
# deps.sh's promises on a DBA's machine, with apt-get and sudo replaced by
# fakes that record what they were asked (nothing is installed):
# only missing packages are named, with --no-upgrade; an upgrade of an
# installed PostgreSQL server or client package is refused before anything
# is installed; another upgrade is announced first; success is one line per
# step with apt's output in the log; a failure points to the log; without
# root or sudo the exact command is printed and nothing claims to install;
# the T-SQL grammar is fetched only with --tsql.
set -euo pipefail
. "$(dirname "$0")/tap.sh"

# A scratch copy of the scripts, readable by the unprivileged user below.
tmp=$(mktemp -d /tmp/upkit-deps.XXXXXX); chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
tree=$tmp/tree
mkdir -p "$tree/tests/harness" "$tree/tests/tsql" "$tmp/bin"
cp "$TOP/tests/harness/deps.sh" "$tree/tests/harness/"
cp "$TOP/tests/tsql/package.json" "$TOP/tests/tsql/package-lock.json" "$tree/tests/tsql/"
chmod -R a+rX "$tmp"
deps=$tree/tests/harness/deps.sh
log=$tmp/deps.log

if [ "$(id -u)" -eq 0 ]; then as_user=(runuser -u nobody --); else as_user=(); fi
plan 22

# 1. Missing packages, no root, no sudo: the exact command, exit 1.
run "${as_user[@]}" env UPKIT_NO_SUDO=1 UPKIT_DEPS_LOG="$log" UPKIT_DEPS_EXTRA=upkit-no-such-package "$deps"
is "$rc" 1 "without root or sudo, a missing package: exit 1"
like "$err" "sudo apt-get update && sudo apt-get install -y --no-install-recommends --no-upgrade upkit-no-such-package$" \
  "and the exact command that installs only what is missing, without upgrading"
ok "and it does not announce that it is installing" sh -c '! printf "%s" "$0" | grep -qi installing' "$out$err"
run "${as_user[@]}" env UPKIT_NO_SUDO=1 UPKIT_DEPS_LOG="$log" "$deps"
is "$rc|$out|$err" "0||" "nothing missing: no privileges needed, not a word said"

# 2. Fakes: sudo runs its command; apt-get records its arguments, prints
# screens of progress, and simulates what $FAKE_SIM says.
cat >"$tmp/bin/sudo" <<'SH'
#!/bin/sh
[ "$1" = -n ] && shift
exec "$@"
SH
cat >"$tmp/bin/apt-get" <<'SH'
#!/bin/sh
echo "$*" >>"$FAKE_CALLS"
case " $* " in
  *" -s "*) cat "$FAKE_SIM" ;;
  *" update"*) seq 1 135 | sed 's/^/Get:/' ;;
  *" install "*) seq 1 135 | sed 's/^/Unpacking /'; exit "${FAKE_INSTALL_RC:-0}" ;;
esac
SH
chmod 755 "$tmp/bin/sudo" "$tmp/bin/apt-get"
fake() {
  : >"$tmp/calls"
  run env PATH="$tmp/bin:$PATH" FAKE_CALLS="$tmp/calls" FAKE_SIM="$tmp/sim" UPKIT_DEPS_LOG="$log" \
    UPKIT_DEPS_EXTRA=upkit-fake-dev "$@"
}

# A missing -dev package that needs a newer library: said first, then done.
cat >"$tmp/sim" <<'SIM'
Inst libpq5 [15.18-0+deb12u1] (15.20-0+deb12u1 Debian:12.12/stable [amd64])
Inst upkit-fake-dev (15.20-0+deb12u1 Debian:12.12/stable [amd64])
SIM
fake "$deps"
is "$rc" 0 "a missing package is installed"
is "$(grep '^install ' "$tmp/calls")" "install -y --no-install-recommends --no-upgrade upkit-fake-dev" \
  "apt-get install names only the missing package (no installed server package), with --no-upgrade"
like "$out" "note: a missing package needs a newer libpq5: upgrading it 15.18-0\+deb12u1 -> 15.20-0\+deb12u1" \
  "the library upgrade it needs is announced"
is "$(grep -n 'note:\|deps: installing' <<<"$out" | cut -d: -f1 | tr '\n' ' ')" "3 4 " "before the install, not after"
ok "quiet: at most one line per step on the terminal" test "$(wc -l <<<"$out")" -le 5
ok "apt's progress is not on the terminal" sh -c '! printf "%s" "$0" | grep -q "Unpacking\|Get:"' "$out$err"
ok "apt's progress is in the log" grep -q "^Unpacking 135" "$log"
like "$out" "$log" "the terminal says where the log is"

# The server package itself would be upgraded: refused, nothing installed.
cat >"$tmp/sim" <<'SIM'
Inst postgresql-client-15 [15.18-0+deb12u1] (15.20-0+deb12u1 Debian:12.12/stable [amd64])
Inst postgresql-15 [15.18-0+deb12u1] (15.20-0+deb12u1 Debian:12.12/stable [amd64])
Inst upkit-fake-dev (15.20-0+deb12u1 Debian:12.12/stable [amd64])
SIM
fake "$deps"
is "$rc" 1 "a missing package that would upgrade the PostgreSQL server: exit 1"
like "$err" "postgresql-15 15.18-0\+deb12u1 -> 15.20-0\+deb12u1" "the refusal names the server package and both versions"
like "$err" "postgresql-client-15 15.18" "and the client package"
is "$(grep -c -- '^install -y' "$tmp/calls" || true)" 0 "nothing was installed"

# apt-get install fails: the message points to the log.
cat >"$tmp/sim" <<'SIM'
Inst upkit-fake-dev (1.0 Debian:12.12/stable [amd64])
SIM
fake FAKE_INSTALL_RC=100 "$deps"
is "$rc" 1 "a failed apt-get install: exit 1"
like "$err" "apt-get install failed; the full output is in $log" "the failure points to the log"

# 3. The T-SQL grammar: only with --tsql.  The registry is unreachable here
# (port 9 on the loopback address), as on a machine offline.
offline=(npm_config_registry=http://127.0.0.1:9 npm_config_fetch_retries=0 npm_config_cache="$tmp/npm-cache")
run env "${offline[@]}" UPKIT_DEPS_LOG="$log" "$deps"
is "$rc|$out" "0|" "without --tsql (make demo) nothing is fetched from npm, offline or not"
ok "and tests/tsql/node_modules is not made" test ! -e "$tree/tests/tsql/node_modules"
run env "${offline[@]}" UPKIT_DEPS_LOG="$log" "$deps" --tsql
is "$rc" 1 "with --tsql (make test) and the registry unreachable: exit 1"
like "$err" "npm ci failed \(is the npm registry reachable\?\); the full output is in $log" \
  "with a one-line reason that points to the log (npm's trace is in the log, not on the terminal)"
done_testing
