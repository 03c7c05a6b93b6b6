#!/usr/bin/env bash
# sides.t: upkit copy's sides on the command line, refused before anything
# is read or written and without a SQL Server: a SQL Server side without
# its own password variable (UPKIT_SOURCE_PASSWORD, UPKIT_TARGET_PASSWORD),
# a password on the command line (mssql://USER:PASSWORD@..., a conninfo's
# password=), a malformed mssql:// value, PostgreSQL to SQL Server (no
# path), the bcp options without a SQL Server target, a SQL Server that
# does not answer (nothing listens on the port), and a PostgreSQL target
# without the upkit extension (no ledger: nothing copied).
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
: "${PGHOST:?run through tests/harness/with-cluster.sh}"
unset UPKIT_SOURCE_PASSWORD UPKIT_TARGET_PASSWORD
copy() { "$UPKIT" copy "$@"; }
plan 23

run copy --source mssql://sa@sql1/AX2009 --target dbname=postgres
is "$rc" 1 "a SQL Server source without UPKIT_SOURCE_PASSWORD: exit 1"
is "$err" "upkit: --source: set UPKIT_SOURCE_PASSWORD to the password of login 'sa' (it is never taken from the command line)" \
  "... naming the variable and the login"

run env UPKIT_SOURCE_PASSWORD=x "$UPKIT" copy --source mssql://sa@sql1/AX2009 --target mssql://upg@sql1/AX2012
is "$rc" 1 "a SQL Server target without UPKIT_TARGET_PASSWORD: exit 1"
like "$err" "^upkit: --target: set UPKIT_TARGET_PASSWORD to the password of login 'upg'" "... its own variable, not the source's"

run copy --source mssql://sa:Secret1@sql1/AX2009 --target dbname=postgres
is "$rc" 2 "mssql://USER:PASSWORD@: exit 2"
like "$err" "^upkit: --source: a password never goes on the command line .* set UPKIT_SOURCE_PASSWORD" \
  "... saying where the password goes"
ok "... without repeating it" test "${err/Secret1/}" = "$err"

run copy --source dbname=postgres --target "dbname=postgres password=Secret1"
is "$rc" 2 "a conninfo with password=: exit 2"
like "$err" "^upkit: --target: a password never goes on the command line .*PGPASSWORD" "... pointing to PGPASSWORD"

run copy --source mssql://sa@sql1 --target dbname=postgres
is "$rc" 2 "mssql:// without a database: exit 2"
like "$err" "is not mssql://USER@HOST\[:PORT\]/DATABASE" "... with the form to use"
run copy --source mssql://sa@sql1:99999/AX --target dbname=postgres
like "$rc:$err" "^2:.*a port that is not a number from 1 to 65535" "a port out of range: exit 2"

run env UPKIT_TARGET_PASSWORD=x "$UPKIT" copy --source dbname=postgres --target mssql://sa@sql1/AX2012
is "$rc" 2 "PostgreSQL to SQL Server: exit 2"
like "$err" "no bulk copy from PostgreSQL to SQL Server" "... saying there is no such path"

run copy --source dbname=postgres --target dbname=postgres --table-lock
is "$rc" 2 "--table-lock with a PostgreSQL target: exit 2"
like "$err" "--batch-size and --table-lock are for a SQL Server target" "... saying what they are for"
run copy --source dbname=postgres --target dbname=postgres --batch-size -5
like "$rc:$err" "^2:upkit: --batch-size needs a whole number of at least 0" "a negative --batch-size: exit 2"

# A SQL Server that is not there: port 1 of this machine has no listener.
run env UPKIT_SOURCE_PASSWORD=x "$UPKIT" copy --source mssql://sa@127.0.0.1:1/AX2009 --target dbname=postgres
is "$rc" 1 "a SQL Server that does not answer: exit 1"
like "$err" "^upkit: cannot connect to SQL Server at 127.0.0.1:1/AX2009 as sa: " "... naming server, database and login"
ok "... and no password in it" test "${err/password/}" = "$err"

# A target without the extension has no ledger: refused before anything is written.
for d in upkit_sides_src upkit_sides_dst; do
  psql -qAtX -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $d" -c "CREATE DATABASE $d" >/dev/null
done
psql -qAtX -v ON_ERROR_STOP=1 -d upkit_sides_src -c "CREATE TABLE t (recid bigint); INSERT INTO t VALUES (1)"
psql -qAtX -v ON_ERROR_STOP=1 -d upkit_sides_dst -c "CREATE TABLE t (recid bigint)"
run copy --source dbname=upkit_sides_src --target dbname=upkit_sides_dst
is "$rc" 1 "a target without upkit.copy_ledger: exit 1"
is "$err" "upkit: the target has no upkit.copy_ledger: install the upkit extension 0.3 there (CREATE EXTENSION upkit, or ALTER EXTENSION upkit UPDATE); nothing was copied" \
  "... saying how to get it"
is "$(psql -qAtX -d upkit_sides_dst -c "SELECT count(*) FROM t")" 0 "... and nothing was copied"
for d in upkit_sides_src upkit_sides_dst; do psql -qAtX -d postgres -c "DROP DATABASE $d" >/dev/null; done
