#!/usr/bin/env bash
# The upkit command's interface: help, version, exit codes, usage errors,
# generate's output, and install over libpq into the test cluster.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
plan 42

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

run "$UPKIT" --version
is "$rc" 0 "--version exits 0"
is "$out" "upkit $(cat "$TOP/VERSION")" "--version prints the VERSION file"

run "$UPKIT" --help
is "$rc" 0 "--help exits 0"
like "$out" "^  install " "--help lists the commands"

run "$UPKIT"
is "$rc" 2 "no command is a usage error (2)"
like "$err" "no command given" "and says so on stderr"

run "$UPKIT" frobnicate
is "$rc" 2 "an unknown command is a usage error"
like "$err" "unknown command 'frobnicate'" "naming the command"

for c in generate install; do
  run "$UPKIT" "$c" --help
  is "$rc" 0 "$c --help exits 0"
  like "$out" "^Usage: upkit $c" "$c --help shows its usage"
done
run "$UPKIT" help install
like "$out" "UPKIT_MSSQL_PASSWORD" "help install explains where the password comes from"

run "$UPKIT" generate --runtime
is "$rc" 2 "generate without --dialect is a usage error"
like "$err" "--dialect is required" "naming the missing option"

run "$UPKIT" generate --dialect oracle --runtime
is "$rc" 2 "an unknown dialect is a usage error"
like "$err" "unknown dialect 'oracle'" "naming the dialect"

run "$UPKIT" generate --dialect pg --frob
is "$rc" 2 "an unknown option is a usage error"
like "$err" "unknown option '--frob'" "naming the option"

run "$UPKIT" generate --dialect pg --output
is "$rc" 2 "an option without its value is a usage error"

run "$UPKIT" generate --dialect pg --no-runtime
is "$rc" 2 "--no-runtime without specs leaves nothing to generate"

run "$UPKIT" generate --dialect mssql --runtime
is "$rc" 0 "generate --dialect mssql --runtime exits 0"
like "$out" "^-- upkit runtime" "the script starts with a comment saying what it is"
like "$out" "SSMS" "and how to run it"

run "$UPKIT" generate --dialect pg --runtime
like "$out" "CREATE EXTENSION IF NOT EXISTS upkit;" "the pg runtime creates the extension if needed"
like "$out" "ALTER EXTENSION upkit UPDATE;" "and updates an older one"

run "$UPKIT" generate --dialect mssql --runtime -o "$tmp/runtime.sql"
is "$rc" 0 "-o writes a file"
is "$(cat "$tmp/runtime.sql")" "$("$UPKIT" generate --dialect mssql --runtime)" "the file holds what stdout would"

run "$UPKIT" generate --dialect mssql --runtime -o "$tmp/no/such/dir/x.sql"
is "$rc" 1 "an unwritable output is a failure (1)"
like "$err" "cannot write $tmp/no/such/dir/x.sql" "naming the file"

# install over libpq, into a scratch database of the test cluster
psql -qAtX -d postgres -c "SET client_min_messages = warning" \
  -c "DROP DATABASE IF EXISTS upkit_cli" -c "CREATE DATABASE upkit_cli" >/dev/null
run "$UPKIT" install --dialect pg --db "dbname=upkit_cli" --runtime
is "$rc" 0 "install --dialect pg --runtime succeeds"
is "$(psql -qAtX -d upkit_cli -c "SELECT upkit.fn_fmt_numbersequence('SQ-###', 7)")" "SQ-007" "and the extension works in that database"
run env PGDATABASE=upkit_cli "$UPKIT" install --dialect pg
is "$rc" 0 "installing twice is harmless (and PG* variables work without --db)"
psql -qAtX -d upkit_cli -c "DROP EXTENSION upkit" -c "CREATE EXTENSION upkit VERSION '0.1'" >/dev/null
run "$UPKIT" install --dialect pg --db "dbname=upkit_cli"
is "$(psql -qAtX -d upkit_cli -c "SELECT extversion FROM pg_extension WHERE extname = 'upkit'")" \
   "$(sed -n "s/^default_version = '\(.*\)'/\1/p" "$TOP/extension/upkit.control")" \
   "install brings an older upkit in the database up to the current version"

run "$UPKIT" install --dialect pg --db "host=/nonexistent/socket/dir dbname=nowhere"
is "$rc" 1 "a connection failure exits 1"
like "$err" "cannot connect to PostgreSQL at /nonexistent/socket/dir:[0-9]+/nowhere" "naming the server and database"

run "$UPKIT" install --dialect pg --server x
is "$rc" 2 "--server with --dialect pg is a usage error"

# A T-SQL file with non-ASCII names starts with a UTF-8 byte-order mark, so
# SSMS and sqlcmd read it as UTF-8; ASCII-only files, PostgreSQL files,
# standard output and --no-bom get none.
bom() { head -c 3 "$1" | od -An -tx1 | tr -d ' \n'; }
run "$UPKIT" generate --dialect mssql --no-runtime -o "$tmp/hostile.mssql.sql" "$TOP/tests/fixtures/specs/hostile.json"
is "$(bom "$tmp/hostile.mssql.sql")" "efbbbf" "a T-SQL file with non-ASCII names starts with a UTF-8 byte-order mark"
run "$UPKIT" generate --dialect mssql --no-bom --no-runtime -o "$tmp/nobom.mssql.sql" "$TOP/tests/fixtures/specs/hostile.json"
is "$(bom "$tmp/nobom.mssql.sql")" "2d2d20" "--no-bom leaves it out"
run "$UPKIT" generate --dialect mssql --runtime -o "$tmp/runtime.mssql.sql"
is "$(bom "$tmp/runtime.mssql.sql")" "2d2d20" "an ASCII-only T-SQL file has none"
run "$UPKIT" generate --dialect pg --no-runtime -o "$tmp/hostile.pg.sql" "$TOP/tests/fixtures/specs/hostile.json"
is "$(bom "$tmp/hostile.pg.sql")" "2d2d20" "a PostgreSQL file has none"
run "$UPKIT" generate --dialect mssql --no-runtime "$TOP/tests/fixtures/specs/hostile.json"
is "${out:0:3}" "-- " "standard output has none"

psql -qAtX -d postgres -c "DROP DATABASE upkit_cli" >/dev/null
done_testing
