#!/usr/bin/env bash
# install_checks.t: "upkit install" checks the database before it creates
# anything, for every kind: a missing table or column, a column whose type
# does not fit what is written into it, and an expression the server
# rejects are each reported with file, JSON path and reason, the command
# exits 1 and nothing is created.  Also the command line's own messages:
# a single-dash long option and a missing spec file.  Needs the throwaway
# cluster (PG* set).
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
cd "$TOP"
: "${PGHOST:?run through tests/harness/with-cluster.sh}"

db=upkit_install_checks
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; psql -qAtX -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT
psql -qAtX -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
export PGDATABASE=$db
q() { psql -qAtX -v ON_ERROR_STOP=1 -c "$1"; }

plan 34

# The runtime and the fixture tables of both kinds.
"$UPKIT" install --dialect pg --quiet
PGOPTIONS="-c client_min_messages=warning" psql -qAtX -v ON_ERROR_STOP=1 -v rows=10 -f sql/demo/salesquotation-fixture.sql >/dev/null
PGOPTIONS="-c client_min_messages=warning" psql -qAtX -v ON_ERROR_STOP=1 -c "SET search_path = public" -f tests/fixtures/delta/fixture.sql >/dev/null

ins=sql/demo/specs/salesquotation.json
del=tests/fixtures/delta/custtable.json
proc_count() { q "SELECT count(*) FROM pg_proc WHERE proname IN ('initfromsmmquotationtable', 'upg_delta_custtable', 'upg_delta_custtable_changes', 'upg_delta_custtable_report', 'upg_delta_custtable_ready')"; }

# insert: a mapped target column that the target table lacks
sed 's/"QUOTATIONNAME",/"QUOTATIONTITLE",/' "$ins" > "$tmp/nocolumn.json"
run "$UPKIT" install --dialect pg "$tmp/nocolumn.json"
is "$rc" 1 "insert spec mapping a missing target column: exit 1"
like "$err" "upkit: $tmp/nocolumn.json: \\\$\.mapping\[1\]\.column: mapped target column \"quotationtitle\" does not exist in table public\.salesquotationtable" \
     "... names the column, the table, the file and the JSON path"
like "$err" "upkit: 1 problem found in the database; nothing was installed" "... and says nothing was installed"
is "$out" "" "... with nothing on standard output"
is "$(proc_count)" 0 "... and the procedure does not exist afterwards"

# insert: a source table that does not exist
sed 's/"DEL_SMMQUOTATIONTABLE"/"DEL_SMMQUOTATION"/' "$ins" > "$tmp/notable.json"
run "$UPKIT" install --dialect pg "$tmp/notable.json"
is "$rc" 1 "insert spec reading a missing table: exit 1"
like "$err" "upkit: $tmp/notable.json: \\\$\.source\.table: source table public\.del_smmquotation does not exist in database $db" \
     "... names the table and the database"
is "$(proc_count)" 0 "... and the procedure does not exist afterwards"

# insert: the expressions, each in its place, checked by the server
sed -e 's/"S.EXPIRYDATE"/"S.QUOTATIONNAME"/' -e 's/"S.CUSTACCOUNT"/"S.CUSTACOUNT"/' \
    -e 's/"S.QUOTATIONSTATUS <> 4"/"S.QUOTATIONSTAT <> 4"/' -e 's/"S.RECID"\]/"S.RECIDD"]/' "$ins" > "$tmp/badexpr.json"
run "$UPKIT" install --dialect pg "$tmp/badexpr.json"
is "$rc" 1 "insert spec with expressions the server rejects: exit 1"
like "$err" "\\\$\.mapping\[0\]\.expr: PostgreSQL rejects it: column s\.custacount does not exist \[SQLSTATE 42703\]" \
     "... a mapped expression over a missing source column"
like "$err" "\\\$\.mapping\[5\]\.expr: PostgreSQL rejects it: column \"quotationexpirydate\" is of type date but expression is of type character varying \[SQLSTATE 42804\]" \
     "... a text expression mapped into a date column"
like "$err" "\\\$\.source\.filter: PostgreSQL rejects it: column s\.quotationstat does not exist" "... the filter"
like "$err" "\\\$\.source\.order_by\[0\]: PostgreSQL rejects it: column s\.recidd does not exist" "... the ORDER BY"
like "$err" "4 problems found in the database; nothing was installed" "... all four at once"

# insert: a RECID column too narrow for a RECID
q "ALTER TABLE salesquotationtable ALTER COLUMN recid TYPE integer"
run "$UPKIT" install --dialect pg "$ins"
is "$rc" 1 "insert into a target whose RECID is integer: exit 1"
like "$err" "\\\$\.target\.table: target RECID column \"recid\" of table public\.salesquotationtable is integer; it must be bigint" \
     "... says the RECID column must be bigint"
q "ALTER TABLE salesquotationtable ALTER COLUMN recid TYPE bigint"
q "ALTER TABLE salesquotationtable ALTER COLUMN quotationid TYPE bigint USING 0"
run "$UPKIT" install --dialect pg "$ins"
like "$err" "\\\$\.sequence\.column: sequence column \"quotationid\" of table public\.salesquotationtable is bigint; it must be a character type" \
     "a numeric sequence column: the business id must be a character type"
q "ALTER TABLE salesquotationtable ALTER COLUMN quotationid TYPE varchar(20)"
is "$(proc_count)" 0 "... and still nothing was created"

# delta: a missing shadow column, lookup table and source column
sed 's/"GROUPNAME"/"GROUPTITLE"/' "$del" > "$tmp/d_nocolumn.json"
run "$UPKIT" install --dialect pg "$tmp/d_nocolumn.json"
is "$rc" 1 "delta spec mapping a missing shadow column: exit 1"
like "$err" "upkit: $tmp/d_nocolumn.json: \\\$\.mapping\[2\]\.column: mapped shadow column \"grouptitle\" does not exist in table public\.upg_custtable" \
     "... names the column, the shadow table and the JSON path"
sed 's/"table": "CUSTGROUP"/"table": "CUSTGROUPS"/' "$del" > "$tmp/d_nolookup.json"
run "$UPKIT" install --dialect pg "$tmp/d_nolookup.json"
like "$err" "upkit: $tmp/d_nolookup.json: \\\$\.lookups\[0\]\.table: lookup table public\.custgroups does not exist in database $db" \
     "delta spec reading a missing lookup table: named, with its JSON path"
sed 's/"table": "UPG_CUSTTABLE"/"table": "UPG_CUSTTABLE_X"/' "$del" > "$tmp/d_noshadow.json"
run "$UPKIT" install --dialect pg "$tmp/d_noshadow.json"
like "$err" "\\\$\.shadow\.table: shadow table public\.upg_custtable_x does not exist" "delta spec with a missing shadow table: named"
sed 's/"G.CUSTGROUP = S.CUSTGROUP"/"G.CUSTGROUP = S.CUSTGRP"/' "$del" > "$tmp/d_badon.json"
run "$UPKIT" install --dialect pg "$tmp/d_badon.json"
like "$err" "\\\$\.lookups\[0\]\.on: PostgreSQL rejects it: column s\.custgrp does not exist" "delta lookup's ON over a missing column: named"
q "ALTER TABLE upg_custtable RENAME COLUMN recversionid TO recversion_id"
run "$UPKIT" install --dialect pg "$del"
like "$err" "\\\$\.shadow\.recversionid: shadow link column recversionid \"recversionid\" does not exist in table public\.upg_custtable" \
     "delta: a missing link column of the shadow, with the path of the field that names it"
q "ALTER TABLE upg_custtable RENAME COLUMN recversion_id TO recversionid"

# several specs: one bad one stops them all, before anything is created
run "$UPKIT" install --dialect pg "$ins" "$del" "$tmp/d_nocolumn.json"
is "$rc" 1 "two good specs and a bad one: exit 1"
is "$(proc_count)" 0 "... and none of them was installed"
# (the delta state tables belong to the extension since 0.3: there, but untouched)
is "$(q "SELECT (SELECT count(*) FROM upkit.delta_state) + (SELECT count(*) FROM upkit.delta_run)")" 0 \
   "... and the delta state holds no row"

# the good ones install, and say what they did
run "$UPKIT" install --dialect pg --no-runtime "$ins" "$del"
is "$rc" 0 "the fixed specs install"
is "$out" "created procedure public.initfromsmmquotationtable (spec $ins)
created function public.upg_delta_custtable_changes (spec $del)
created function public.upg_delta_custtable_report (spec $del)
created function public.upg_delta_custtable_ready (spec $del)
created procedure public.upg_delta_custtable (spec $del)
created procedure public.upg_delta_custtable_live (spec $del)
installed 6 objects from 2 specs into $db (PostgreSQL at $PGHOST:$PGPORT/$db)" "... one line per object, then the summary"

# the command line
run "$UPKIT" install -dialect pg "$ins"
is "$rc" 2 "install -dialect (one dash): exit 2"
like "$err" "unknown option -dialect; did you mean --dialect\?" "... the option is named, with the right spelling"
run "$UPKIT" generate -no-runtime --dialect pg "$ins"
like "$err" "unknown option -no-runtime; did you mean --no-runtime\?" "generate -no-runtime: the same"
run "$UPKIT" install --dialect pg "$ins" "$tmp/missing.json"
is "$rc" 1 "install with a missing spec file: exit 1"
like "$err" "upkit: $tmp/missing.json: \\\$: cannot open: No such file or directory
upkit: 1 problem in the spec files; nothing was installed" "... names the file as missing and says nothing was installed"
