#!/usr/bin/env bash
# upkit xpp lint / graph from the command line: help, exit codes, bad input,
# golden output (tests/golden/xpp/), JSON, and the weights from a database.
#
# After an intended change of the output: UPKIT_GOLDEN_UPDATE=1 tests/xpp/xpp.t
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
. "$(dirname "$0")/../golden/lib.sh"
cd "$TOP"
plan 30
fx=tests/fixtures/xpp
gd=tests/golden/xpp
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

golden() { golden_out "$gd/$1"; }  # golden NAME: $out matches $gd/NAME

run "$UPKIT" xpp --help
is "$rc" 0 "xpp --help exits 0"
like "$out" "^Usage: upkit xpp lint" "... and shows the usage"
run "$UPKIT" help xpp
like "$out" "BPError" "upkit help xpp describes the checks"
run "$UPKIT" xpp
is "$rc|$err" "2|upkit: say what to do: lint or graph
Try 'upkit xpp --help'." "xpp alone is a usage error"
run "$UPKIT" xpp frob x.xpo
is "$rc" 2 "an unknown xpp command is a usage error"
run "$UPKIT" xpp lint
like "$rc $err" "^2 upkit: no XPO file given" "lint without files is a usage error"
run "$UPKIT" xpp lint --dot $fx/clean.xpo
like "$rc $err" "^2 upkit: --dot is an option of xpp graph" "an option of the other command is refused"
run "$UPKIT" xpp lint $fx/nothing-here.xpo
like "$rc $err" "^2 upkit: $fx/nothing-here.xpo: cannot read" "a missing file: exit 2, named"
printf 'Exportfile for AOT version 1.0 or later\n***Element: CLS\n  CLASS #A\n    METHODS\n      SOURCE #m\n        #void m()\n' > "$tmp/cut.xpo"
run "$UPKIT" xpp lint "$tmp/cut.xpo"
is "$rc|$err" "2|upkit: $tmp/cut.xpo:6: SOURCE #m opened at line 5 is not closed: the file ends before ENDSOURCE" \
   "a truncated export: exit 2 and the line"
run "$UPKIT" xpp lint --tables "$tmp/none.txt" $fx/clean.xpo
like "$rc $err" "^2 upkit: $tmp/none.txt: cannot read" "a missing list file: exit 2"
printf 'CustTable\nnot a name\n' > "$tmp/bad.txt"
run "$UPKIT" xpp lint --tables "$tmp/bad.txt" $fx/clean.xpo
is "$rc|$err" "2|upkit: $tmp/bad.txt:2: not a name: 'not a name' (one name a line, '#' starts a comment)" \
   "a list file with a bad line: exit 2 and the line"

run "$UPKIT" xpp lint --config-keys $fx/configkeys.txt $fx/tables.xpo $fx/clean.xpo
is "$rc|$out" "0|" "the clean scripts: exit 0, no findings"
is "$err" "upkit: 0 errors, 0 warnings in 4 upgrade scripts" "... and the summary on stderr"
run "$UPKIT" xpp lint $fx/tables.xpo $fx/clean.xpo
like "$rc $out" "^1 .*clean.xpo:41: BPErrorConfigurationKeyNotFound: ReleaseUpdateDB60_Cust.deleteDuplicateCustomers: configuration key Cust does not exist" \
   "without the key list, the configuration key is unknown: exit 1"

run "$UPKIT" xpp lint --config-keys $fx/configkeys.txt $fx/tables.xpo $fx/errors.xpo
is "$rc" 1 "errors.xpo: exit 1"
golden lint-errors.txt
is "$(grep -c ': BPError' <<<"$out")" 14 "... 14 BPError findings"
run "$UPKIT" xpp lint $fx/tables.xpo $fx/preprocess.xpo
golden lint-preprocess.txt
run "$UPKIT" xpp lint --tables $fx/graph-tables.txt --methods $fx/graph-methods.txt $fx/graph.xpo
golden lint-graph.txt
like "$out" "graph.xpo:63: warning: UpkitRedundantDependency" "a redundant dependency is a warning"

run "$UPKIT" xpp lint --json $fx/tables.xpo $fx/preprocess.xpo
is "$rc" 1 "--json: exit 1 on errors too"
is "$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["errors"], d["warnings"], d["findings"][0]["code"], d["findings"][0]["line"])' <<<"$out")" \
   "4 0 UpkitLiveWithoutDelta 36" "--json: valid JSON with counts, codes and lines"

run "$UPKIT" xpp graph --tables $fx/graph-tables.txt --methods $fx/graph-methods.txt $fx/graph.xpo
is "$rc" 0 "graph: exit 0 (the graph's mistakes are lint's business)"
golden graph.txt
run "$UPKIT" xpp graph --dot --tables $fx/graph-tables.txt --methods $fx/graph-methods.txt $fx/graph.xpo
golden graph.dot

# Weights from the test database: CUSTTABLE analyzed (reltuples), CUSTGROUP never analyzed (count).
psql -qAtX -v ON_ERROR_STOP=1 -d "$UPKIT_TEST_DB" >/dev/null <<'SQL'
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS xppw CASCADE;
CREATE SCHEMA xppw;
CREATE TABLE xppw.custtable (accountnum text);
INSERT INTO xppw.custtable SELECT g::text FROM generate_series(1, 1000) g;
ANALYZE xppw.custtable;
CREATE TABLE xppw.custgroup (custgroup text);
INSERT INTO xppw.custgroup SELECT g::text FROM generate_series(1, 30) g;
SQL
run "$UPKIT" xpp graph --db "dbname=$UPKIT_TEST_DB options='-c search_path=xppw'" $fx/tables.xpo $fx/clean.xpo
is "$rc" 0 "graph --db: exit 0"
like "$out" "ReleaseUpdateDB60_Cust.updateCustGroup  weight1=1030 weight2=2030" \
  "weight1 = CustTable (1000, reltuples) + CustGroup (30, counted); weight2 adds finalizeCustIdx's 1000"
like "$out" "ReleaseUpdateDB60_Cust.finalizeCustIdx  weight1=1000 weight2=1000" "a script nothing depends on: weight2 = weight1"
run "$UPKIT" xpp graph --db "dbname=$UPKIT_TEST_DB" $fx/tables.xpo $fx/clean.xpo
like "$err" "note: table CustTable \(used by ReleaseUpdateDB60_Cust.allowDupCustIdx\) is not in the database" \
  "a table the database lacks: a note, size 0"
run "$UPKIT" xpp graph --db "host=/nonexistent dbname=x" $fx/tables.xpo $fx/clean.xpo
like "$rc $err" "^1 upkit: cannot connect to PostgreSQL" "a database that cannot be reached: exit 1"
psql -qAtX -d "$UPKIT_TEST_DB" -c "DROP SCHEMA xppw CASCADE" >/dev/null 2>&1
done_testing
