#!/usr/bin/env bash
# install.t: "upkit install" of update and delete specs checks the database
# first: a join that no unique index proves unique is refused, naming the
# join, unless the spec asks for the run-time check; a missing table or
# column and an expression the server rejects are reported with file and
# JSON path; nothing is created then.  With the fixture's indexes every spec
# installs, twice.  Needs the throwaway cluster (PG* set).
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
cd "$TOP"
: "${PGHOST:?run through tests/harness/with-cluster.sh}"

db=upkit_updel_install
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; psql -qAtX -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT
psql -qAtX -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
export PGDATABASE=$db
q() { psql -qAtX -v ON_ERROR_STOP=1 -c "$1"; }

plan 16

"$UPKIT" install --dialect pg --quiet
PGOPTIONS="-c client_min_messages=warning" psql -qAtX -v ON_ERROR_STOP=1 -c "SET search_path = public" -f tests/fixtures/updel/fixture.sql >/dev/null
d=tests/fixtures/updel
procs() { q "SELECT count(*) FROM pg_proc WHERE proname LIKE 'update%' OR proname LIKE 'delete%'"; }

# A join without a unique index on its match columns.
q "DROP INDEX projtable_dataareaid_projid_idx"
run "$UPKIT" install --dialect pg $d/projtransposting.json
is "$rc" 1 "a join no unique index proves: exit 1"
like "$err" "upkit: $d/projtransposting.json: \\\$\.joins\[1\]: the join PROJTABLE AS PT can match several rows per target row: no unique index of public\.projtable has only columns among \(projid, dataareaid\)" \
     "... names the join, the table and the columns, with the JSON path"
like "$err" "set \"unique\": \"check\"" "... and says how to have it checked at run time instead"
is "$(procs)" 0 "... nothing was installed"
# An index that does not fit: on more columns than the join matches.
q "CREATE UNIQUE INDEX projtable_wide ON projtable (dataareaid, projid, type)"
run "$UPKIT" install --dialect pg $d/projtransposting.json
is "$rc" 1 "a unique index over more columns than the join matches proves nothing"
q "CREATE UNIQUE INDEX projtable_partial ON projtable (dataareaid, projid) WHERE type > 0"
run "$UPKIT" install --dialect pg $d/projtransposting.json
is "$rc" 1 "... nor does a partial one"
q "CREATE UNIQUE INDEX projtable_key ON projtable (projid, dataareaid)"
run "$UPKIT" install --dialect pg $d/projtransposting.json
is "$rc" 0 "a unique index on the match columns and DATAAREAID (any order) proves it"

# The run-time check needs the target's RECID; a missing table and column.
sed 's/"table": "SALESLINE"/"table": "SALESLINES"/' $d/checked.json > "$tmp/notable.json"
run "$UPKIT" install --dialect pg "$tmp/notable.json"
like "$err" "\\\$\.target\.table: target table public\.saleslines does not exist in database $db" "a missing target table is named"
sed 's/"column": "INVENTTRANSID"/"column": "INVENTTRANSNO"/' $d/checked.json > "$tmp/nocol.json"
run "$UPKIT" install --dialect pg "$tmp/nocol.json"
like "$err" "\\\$\.joins\[0\]\.match\[0\]\.column: match column \"inventtransno\" does not exist in table public\.inventtrans" "a missing match column is named"
q "ALTER TABLE inventtable RENAME COLUMN dataareaid TO company"
run "$UPKIT" install --dialect pg $d/inventsum.json
like "$err" "\\\$\.statements\[0\]\.exists\[0\]\.per_company: exists table company column \"dataareaid\" does not exist in table public\.inventtable" \
     "a per-company table without DATAAREAID is named"
q "ALTER TABLE inventtable RENAME COLUMN company TO dataareaid"

# Expressions the server rejects, each at its path.
sed 's/"expr": "PET.QTY"/"expr": "PET.QUANTITY"/' $d/projtransposting.json > "$tmp/badset.json"
run "$UPKIT" install --dialect pg "$tmp/badset.json"
like "$err" "\\\$\.set\[3\]\.expr: PostgreSQL rejects it: column pet\.quantity does not exist" "a SET expression the server rejects, at its path"
sed 's/"filter": "PTP.PROJTRANSTYPE = 2"/"filter": "PTP.PROJTRANSTYPE = '"'"'x'"'"'"/' $d/projtransposting.json > "$tmp/badfilter.json"
run "$UPKIT" install --dialect pg "$tmp/badfilter.json"
like "$err" "\\\$\.filter: PostgreSQL rejects it: invalid input syntax for type integer" "a filter the server rejects, at its path"
sed 's/I.ITEMID = S.ITEMID AND I.ITEMTYPE = 2/I.ITEMID = S.ITEMNO/' $d/inventsum.json > "$tmp/badexists.json"
run "$UPKIT" install --dialect pg "$tmp/badexists.json"
like "$err" "\\\$\.statements\[0\]\.exists\[0\]\.on: PostgreSQL rejects it: column s\.itemno does not exist" "an exists condition the server rejects, at its path"
is "$(procs)" 1 "... nothing more was installed"

# Everything installs, and installing twice is harmless.
run "$UPKIT" install --dialect pg --quiet $d/shippingdate.json $d/deliveryaddress.json $d/inventsum.json $d/checked.json
is "$rc" 0 "the fixture's specs install"
run "$UPKIT" install --dialect pg --quiet $d/shippingdate.json $d/deliveryaddress.json $d/inventsum.json $d/checked.json
is "$rc" 0 "... and again"
done_testing
