#!/usr/bin/env bash
# upkit layers from the command line: help, exit codes, bad and mismatched
# input, the reference's three scenarios and the cases they imply (golden
# text and JSON in tests/golden/xpp/layers-*), the old USR's part.
#
# After an intended change of the output: UPKIT_GOLDEN_UPDATE=1 tests/xpp/layers.t
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
. "$(dirname "$0")/../golden/lib.sh"
cd "$TOP"
plan 29
fx=tests/fixtures/layers
demo=sql/demo/xpp/layers
gd=tests/golden/xpp
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cases=(--old-sys $fx/sys-old.xpo --new-sys $fx/sys-new.xpo --usr $fx/usr.xpo)

golden() { golden_out "$gd/$1"; }  # golden NAME: $out matches $gd/NAME

run "$UPKIT" layers --help
is "$rc" 0 "layers --help exits 0"
like "$out" "--old-sys FILE.+--new-sys FILE.+--usr FILE" "... and names the layers' options"
run "$UPKIT" help layers
like "$out" "obsolete  it equals the new lower layer" "upkit help layers explains the verdicts"
run "$UPKIT" --help
like "$out" "layers +find a code upgrade's layer conflicts" "the command list has layers"

# Usage errors: exit 2.
run "$UPKIT" layers --old-sys $fx/sys-old.xpo --usr $fx/usr.xpo
is "$rc|$err" "2|upkit: --new-sys is required (an XPO export of that layer)
Try 'upkit layers --help'." "a missing layer: exit 2, named"
run "$UPKIT" layers "${cases[@]}" $fx/usr-old.xpo
like "$rc $err" "^2 upkit: unexpected argument '$fx/usr-old.xpo'" "a file without its layer option: exit 2"
run "$UPKIT" layers -usr $fx/usr.xpo
like "$rc $err" "^2 upkit: unknown option -usr; did you mean --usr\?" "-usr is refused with a hint"
run "$UPKIT" layers --frob
like "$rc $err" "^2 upkit: unknown option '--frob'" "an unknown option: exit 2"

# Bad input: exit 2, named, nothing decided.
run "$UPKIT" layers --old-sys $fx/sys-old.xpo --new-sys $fx/no-such.xpo --usr $fx/usr.xpo
like "$rc $err" "^2 upkit: $fx/no-such.xpo: cannot read" "a missing file: exit 2, named"
head -n 25 $fx/usr.xpo > "$tmp/cut.xpo"
run "$UPKIT" layers --old-sys $fx/sys-old.xpo --new-sys $fx/sys-new.xpo --usr "$tmp/cut.xpo"
is "$rc|$out|$err" "2||upkit: $tmp/cut.xpo:25: INDICES opened at line 25 is not closed: expected ENDINDICES, found the end of the file" \
   "a truncated export: exit 2, the line, no output"
printf 'Exportfile for AOT version 1.0 or later\n\n***Element: CLS\n  CLASS #CustTable\n    METHODS\n      SOURCE #find\n        #void find() {}\n      ENDSOURCE\n    ENDMETHODS\n  ENDCLASS\n\n***Element: END\n' > "$tmp/class.xpo"
run "$UPKIT" layers --old-sys $fx/sys-old.xpo --new-sys $fx/sys-new.xpo --usr "$tmp/class.xpo"
is "$rc|$out" "2|" "a USR class that SYS exports as a table: exit 2, no output"
is "$err" "upkit: $tmp/class.xpo:4: class CustTable is a table in the old SYS layer ($fx/sys-old.xpo:10): the exports do not describe the same element
upkit: $tmp/class.xpo:4: class CustTable is a table in the new SYS layer ($fx/sys-new.xpo:10): the exports do not describe the same element
upkit: 2 problems in the exports; nothing was decided" "... each layer's mismatch named with its file and line"
run "$UPKIT" layers "${cases[@]}" --usr $fx/usr.xpo
like "$rc $err" "^2 upkit: $fx/usr.xpo:10: table CustTable is exported twice in the USR layer \(also $fx/usr.xpo:10\)" \
   "one file given twice for a layer: exit 2"

# The reference's three scenarios (the demo's exports).
run "$UPKIT" layers --old-sys $demo/sys-v3.xpo --new-sys $demo/sys-v4.xpo --usr $demo/usr.xpo
is "$rc" 1 "the reference's scenarios: exit 1 (a conflict)"
golden layers-reference.txt
is "$err" "upkit: upgrade project: 1 conflict, 1 obsolete; 1 unit needs no upgrade (3 units in 3 elements of the customization layer)" \
   "... the summary on stderr"
if grep -q CustTable <<<"$out"; then _tap_result 1 "CustTable is not in the upgrade project"; else _tap_result 0 "CustTable is not in the upgrade project"; fi
run "$UPKIT" layers --all --old-sys $demo/sys-v3.xpo --new-sys $demo/sys-v4.xpo --usr $demo/usr.xpo
like "$out" "usr.xpo:16: none: table CustTable, field CompanyLogo: only USR has it" "--all: CompanyLogo needs no upgrade, with its reason"
run "$UPKIT" layers --json --old-sys $demo/sys-v3.xpo --new-sys $demo/sys-v4.xpo --usr $demo/usr.xpo
is "$rc" 1 "--json: exit 1 on conflicts too"
is "$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(" ".join("%s:%s" % (u["element"], u["verdict"]) for u in d["units"]), d["conflicts"], d["obsolete"], d["none"])' <<<"$out")" \
   "CustTable:none VendTable:conflict FormA:obsolete 1 1 1" "--json: CustTable none, VendTable conflict, the hot-fix form obsolete"

# The implied cases.
run "$UPKIT" layers --all "${cases[@]}"
is "$rc" 1 "the cases: exit 1"
golden layers-cases.txt
like "$out" "usr.xpo:206: conflict: table InventTable, field OldField: customized in USR and deleted in the new SYS" \
   "a field the new SYS deleted and USR modified: a conflict"
run "$UPKIT" layers --json "${cases[@]}"
golden layers-cases.json
is "$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(" ".join("%s.%s:%s" % (u["element"], u["node"], u["verdict"]) for u in d["units"] if u["element"] == "SalesCalc"))' <<<"$out")" \
   "SalesCalc.calcTax:conflict SalesCalc.calcDiscount:none SalesCalc.roundAmount:none SalesCalc.printTotals:obsolete" \
   "--json: changed in both a conflict, changed only in USR none, an unchanged copy none, the fix SYS took obsolete"
run "$UPKIT" layers --all "${cases[@]}" --old-usr $fx/usr-old.xpo
golden layers-old-usr.txt
like "$err" "upgrade project: 2 conflicts, 2 obsolete" "--old-usr: calcTax and DeliveryNote leave the project"

# No conflicts: exit 0, obsolete units allowed.
run "$UPKIT" layers --old-sys $fx/sys-old.xpo --new-sys $fx/sys-new.xpo --usr $fx/sys-new.xpo
is "$rc" 0 "a USR that equals the new SYS: exit 0"
like "$err" "upgrade project: 0 conflicts, 18 obsolete; 0 units need no upgrade" "... every unit obsolete"
done_testing
