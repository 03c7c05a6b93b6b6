#!/usr/bin/env bash
# cli.t: "upkit generate" and "upkit install" with insert specs: the script
# holds the runtime unless --no-runtime, spec problems are all reported with
# file, JSON path and reason and stop the command, installing twice over
# libpq is harmless, and an install failure names the server, the batch and
# the server's message.  Needs the throwaway cluster (PG* set).
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
cd "$TOP"
: "${PGHOST:?run through tests/harness/with-cluster.sh}"

spec=sql/demo/specs/salesquotation.json
db=upkit_insert_cli
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; psql -qAtX -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT
psql -qAtX -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null

plan 34

# generate
run "$UPKIT" generate --dialect pg "$spec"
is "$rc" 0 "generate --dialect pg SPEC exits 0"
like "$out" "CREATE EXTENSION IF NOT EXISTS upkit;" "... and includes the runtime (the extension)"
like "$out" "CREATE OR REPLACE PROCEDURE public.initfromsmmquotationtable\(" "... and the procedure"
run "$UPKIT" generate --dialect pg --no-runtime "$spec"
ok "--no-runtime leaves the runtime out" test "$rc" -eq 0 -a -z "$(printf '%s' "$out" | grep 'CREATE EXTENSION')"
run "$UPKIT" generate --dialect mssql "$spec"
is "$rc" 0 "generate --dialect mssql SPEC exits 0"
like "$out" "CREATE PROCEDURE \[dbo\]\.\[INITFROMSMMQUOTATIONTABLE\]" "... with the T-SQL procedure"
is "$(printf '%s\n' "$out" | grep -c '^-- From ')" "$(ls functions/mssql/*.sql procs/mssql/*.sql 2>/dev/null | wc -l)" \
   "... after the whole T-SQL runtime it needs"
run "$UPKIT" generate --dialect pg "$spec" tests/fixtures/specs/shared-nosequence.json
is "$(printf '%s\n' "$out" | grep -c '^-- upkit: insert procedure')" 2 "several specs give one procedure each"

# spec problems: all of them, from all files, and nothing on stdout
printf '{"procedure": {"name": "P"}, "source": {"table": "T", "alias": "from"}, "target": {"table": "U", "tabid": "7"},
 "mapping": [{"column": "A", "expr": "S.A /* x"}], "xpp": "x"}' > "$tmp/bad1.json"
printf '{"kind": "insert", "procedure": {"name": "P"}' > "$tmp/bad2.json"
run "$UPKIT" generate --dialect pg "$tmp/bad1.json" "$spec" "$tmp/bad2.json" "$tmp/missing.json"
is "$rc" 1 "invalid specs: exit 1"
is "$out" "" "... nothing on standard output"
like "$err" "upkit: $tmp/bad1.json: \\\$\.source\.alias: alias \"from\" is an SQL keyword" "... the keyword alias, with file and JSON path"
like "$err" "upkit: $tmp/bad1.json: \\\$\.target\.tabid: must be an integer, not a string" "... the TABID given as a string"
like "$err" "upkit: $tmp/bad1.json: \\\$\.mapping\[0\]\.expr: expression contains the comment marker '/\*'" "... the comment opener"
like "$err" "upkit: $tmp/bad2.json: \\\$: not valid JSON: syntax error near line 1" "... the broken JSON of the second file"
like "$err" "upkit: $tmp/missing.json: \\\$: cannot open: No such file or directory" "... the missing third file"
like "$err" "upkit: 5 problems in the spec files; nothing was generated" "... and a count"

# install checks the database first: the spec's tables are missing
run "$UPKIT" install --dialect pg --db "dbname=$db" "$spec"
is "$rc" 1 "install into a database without the spec's tables: exit 1"
like "$err" "upkit: $spec: \\\$\.source\.table: source table public\.del_smmquotationtable does not exist in database $db" \
     "... the missing source table, with file and JSON path"
like "$err" "upkit: 2 problems found in the database; nothing was installed" "... and a count"
is "$(psql -qAtX -d "$db" -c "SELECT count(*) FROM pg_extension WHERE extname = 'upkit'")" 0 "... and nothing was created, not even the runtime"

# install over libpq, twice: the runtime, the tables, then the spec
run "$UPKIT" install --dialect pg --db "dbname=$db"
like "$out" "^created extension upkit [0-9.]+
installed 1 object from 0 specs and the runtime into $db \(PostgreSQL at .*/$db\)$" "install of the runtime reports the extension it created"
PGOPTIONS="-c client_min_messages=warning" psql -qAtX -v ON_ERROR_STOP=1 -v rows=30 -d "$db" -f sql/demo/salesquotation-fixture.sql >/dev/null
run "$UPKIT" install --dialect pg --db "dbname=$db" "$spec"
is "$rc" 0 "install --dialect pg --db CONNINFO SPEC exits 0"
[ "$rc" -eq 0 ] || diag "$err"
like "$out" "^kept extension upkit [0-9.]+
created procedure public\.initfromsmmquotationtable \(spec $spec\)
installed 1 object from 1 spec and the runtime into $db " "... and reports the procedure it created"
def1=$(psql -qAtX -d "$db" -c "SELECT md5(pg_get_functiondef('public.initfromsmmquotationtable'::regproc))")
run env PGDATABASE="$db" "$UPKIT" install --dialect pg "$spec"
is "$rc" 0 "a second install, with the database from PGDATABASE, exits 0"
like "$out" "replaced procedure public\.initfromsmmquotationtable \(spec $spec\)" "... and reports the procedure as replaced"
run "$UPKIT" install --dialect pg --db "dbname=$db" --quiet "$spec"
ok "install --quiet prints nothing on success" test "$rc" -eq 0 -a -z "$out"
is "$(psql -qAtX -d "$db" -c "SELECT md5(pg_get_functiondef('public.initfromsmmquotationtable'::regproc)) || ' ' || count(*) OVER () FROM pg_proc WHERE proname = 'initfromsmmquotationtable'")" \
   "$def1 1" "... and leaves the same procedure, once"

# install failures name server, batch and the server's message; nothing stays installed
sed 's/"schema": { "pg": "public", "mssql": "dbo" }/"schema": "no_such_schema"/' "$spec" > "$tmp/noschema.json"
psql -qAtX -v ON_ERROR_STOP=1 -d "$db" -c "CREATE SCHEMA legacy" \
  -c "CREATE TABLE legacy.del_unit (recid bigint, recversion integer, unitid varchar(10), txt varchar(60))" \
  -c "CREATE TABLE public.unit (recid bigint, recversion integer, unitid varchar(10), txt varchar(60))" >/dev/null
run "$UPKIT" install --dialect pg --db "dbname=$db" tests/fixtures/specs/shared-nosequence.json "$tmp/noschema.json"
is "$rc" 1 "install into a schema that does not exist: exit 1"
like "$err" "install into .*/$db failed in batch 3 of 3 \(procedure no_such_schema\.initfromsmmquotationtable, spec $tmp/noschema.json, script line [0-9]+\): schema \"no_such_schema\" does not exist \[SQLSTATE 3F000\]" \
     "... the message names server, batch, procedure, spec and the server's message"
# The line is where the procedure's batch starts in what generate prints.
line=$("$UPKIT" generate --dialect pg tests/fixtures/specs/shared-nosequence.json "$tmp/noschema.json" |
       grep -n "^-- upkit: insert procedure no_such_schema" | cut -d: -f1)
like "$err" "script line $line\)" "... and the script line is generate's line of that procedure's first line ($line)"
is "$(psql -qAtX -d "$db" -c "SELECT count(*) FROM pg_proc WHERE proname = 'copyunits'")" 0 \
   "... and the procedure of the first spec was rolled back with it"
run "$UPKIT" install --dialect pg --db "dbname=upkit_no_such_db" "$spec"
like "$err" "cannot connect to PostgreSQL at .*/upkit_no_such_db: .*upkit_no_such_db" "a connection failure names the server and the server's message"

# SQL Server: the password only from the environment; a failed connection names the server
run env -u UPKIT_MSSQL_PASSWORD "$UPKIT" install --dialect mssql --server 127.0.0.1:1 --database AX --user upgrade "$spec"
like "$err" "set UPKIT_MSSQL_PASSWORD" "mssql: without UPKIT_MSSQL_PASSWORD nothing is tried"
run env UPKIT_MSSQL_PASSWORD=x "$UPKIT" install --dialect mssql --server 127.0.0.1:1 --database AX --user upgrade "$spec"
like "$err" "cannot connect to SQL Server at 127\.0\.0\.1:1/AX as upgrade" "mssql: a connection failure names server, database and login"
done_testing
