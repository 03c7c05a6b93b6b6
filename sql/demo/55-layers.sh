#!/usr/bin/env bash
# Step 55: the code side, part 2.  Before the data upgrade, the code upgrade
# decides which customizations need a person.  upkit layers compares the
# customization layer (USR) with the lower layer (SYS) before and after, per
# node for tables and classes and as a whole for forms, on the reference's
# three scenarios (sql/demo/xpp/layers/): CustTable (new SYS fields C and D,
# a USR field CompanyLogo) is not in the upgrade project; the VendTable form
# (button Y added in SYS, button X in USR) is a conflict; the hot-fix form
# FormA, identical in USR and the new SYS, is obsolete.
set -euo pipefail
x=sql/demo/xpp/layers

echo "1. The upgrade project: conflicts and obsolete customizations (exit status 1: a conflict)."
echo "\$ upkit layers --old-sys $x/sys-v3.xpo --new-sys $x/sys-v4.xpo --usr $x/usr.xpo"
set +e
"$UPKIT" layers --old-sys $x/sys-v3.xpo --new-sys $x/sys-v4.xpo --usr $x/usr.xpo 2>&1
rc=$?
set -e
echo "(exit status $rc)"

echo
echo "2. Every unit with its reason (--all): CustTable's USR field needs no upgrade."
echo "\$ upkit layers --all --old-sys $x/sys-v3.xpo --new-sys $x/sys-v4.xpo --usr $x/usr.xpo"
"$UPKIT" layers --all --old-sys $x/sys-v3.xpo --new-sys $x/sys-v4.xpo --usr $x/usr.xpo 2>&1 || true
