#!/usr/bin/env bash
# make install puts the extension where pg_config says and upkit into
# $(PREFIX)/bin; checked with DESTDIR so nothing outside a scratch folder is
# written.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
plan 6
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

run make -s -C "$TOP" install DESTDIR="$tmp" PREFIX=/opt/upkit
is "$rc" 0 "make install DESTDIR=... PREFIX=/opt/upkit succeeds"
ok "upkit.so lands in pg_config's pkglibdir" test -f "$tmp$(pg_config --pkglibdir)/upkit.so"
ok "upkit.control lands in pg_config's extension folder" test -f "$tmp$(pg_config --sharedir)/extension/upkit.control"
ok "the install script upkit--0.1.sql lands there too" test -f "$tmp$(pg_config --sharedir)/extension/upkit--0.1.sql"
ok "the upkit command lands in PREFIX/bin, executable" test -x "$tmp/opt/upkit/bin/upkit"
is "$("$tmp/opt/upkit/bin/upkit" --version)" "upkit $(cat "$TOP/VERSION")" "the installed command runs and carries its version"
done_testing
