#!/usr/bin/env bash
# make install puts the extension where pg_config says and upkit into
# $(PREFIX)/bin; make uninstall takes both away again; install-bin alone
# touches nothing of the server's.  Checked with DESTDIR so nothing outside a
# scratch folder is written.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
plan 14
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

run make -s -C "$TOP" install DESTDIR="$tmp" PREFIX=/opt/upkit
is "$rc" 0 "make install DESTDIR=... PREFIX=/opt/upkit succeeds"
ok "upkit.so lands in pg_config's pkglibdir" test -f "$tmp$(pg_config --pkglibdir)/upkit.so"
ok "upkit.control lands in pg_config's extension folder" test -f "$tmp$(pg_config --sharedir)/extension/upkit.control"
ok "the install script upkit--0.1.sql lands there too" test -f "$tmp$(pg_config --sharedir)/extension/upkit--0.1.sql"
ok "the upkit command lands in PREFIX/bin, executable" test -x "$tmp/opt/upkit/bin/upkit"
is "$("$tmp/opt/upkit/bin/upkit" --version)" "upkit $(cat "$TOP/VERSION")" "the installed command runs and carries its version"

# Uninstall, with the same DESTDIR and PREFIX: every file the install wrote
# is gone (folders may stay; they are the server's and the system's).
installed=$(cd "$tmp" && find . -type f | wc -l)
run make -s -C "$TOP" uninstall DESTDIR="$tmp" PREFIX=/opt/upkit
is "$rc" 0 "make uninstall DESTDIR=... PREFIX=/opt/upkit succeeds"
is "$(cd "$tmp" && find . -type f)" "" "make uninstall removes every file make install wrote ($installed files)"
run make -s -C "$TOP" uninstall DESTDIR="$tmp" PREFIX=/opt/upkit
is "$rc" 0 "a second make uninstall is harmless"

# Without root: the command alone, into a user's own PREFIX.
run make -s -C "$TOP" install-bin PREFIX="$tmp/home/.local"
is "$rc" 0 "make install-bin PREFIX=~/.local-like folder succeeds"
ok "the command lands in that PREFIX/bin" test -x "$tmp/home/.local/bin/upkit"
is "$(cd "$tmp" && find . -type f)" "./home/.local/bin/upkit" "install-bin writes nothing but the command"
run make -s -C "$TOP" uninstall-bin PREFIX="$tmp/home/.local"
is "$rc" 0 "make uninstall-bin with the same PREFIX succeeds"
ok "and removes the command" test ! -e "$tmp/home/.local/bin/upkit"
done_testing
