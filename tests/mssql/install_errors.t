#!/usr/bin/env bash
# install_errors.t: "upkit install --dialect mssql" fails with the right exit
# status (1 failure, 2 wrong usage) and a message that names the problem, in
# the cases that need no SQL Server: no password, a bad --server, nothing
# listening, options of the other dialect.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
cd "$TOP"
unset UPKIT_MSSQL_PASSWORD
# FreeTDS settings of the environment must not change what we test.
unset TDSVER TDSPORT TDSHOST DSQUERY FREETDSCONF FREETDS || true

plan 16

run "$UPKIT" install --dialect mssql --server sql01 --database AX --user upgrade
is "$rc" 1 "no UPKIT_MSSQL_PASSWORD: exit 1"
like "$err" "UPKIT_MSSQL_PASSWORD.*login 'upgrade'" "no UPKIT_MSSQL_PASSWORD: the message names the variable and the login"

export UPKIT_MSSQL_PASSWORD='s3cret-Pa55'
run "$UPKIT" install --dialect mssql --server sql01:99999 --database AX --user upgrade
is "$rc" 2 "--server host:99999: exit 2"
like "$err" "--server 'sql01:99999' is not HOST or HOST:PORT" "--server host:99999: the message quotes the argument"

run "$UPKIT" install --dialect mssql --server sql01:abc --database AX --user upgrade
is "$rc" 2 "--server host:abc: exit 2"
run "$UPKIT" install --dialect mssql --server sql01: --database AX --user upgrade
is "$rc" 2 "--server host: (no port): exit 2"

# Port 1 on the loopback address: nothing listens there, the connection is
# refused at once.
run "$UPKIT" install --dialect mssql --server 127.0.0.1:1 --database AX --user upgrade
is "$rc" 1 "connection refused: exit 1"
like "$err" "cannot connect to SQL Server at 127\.0\.0\.1:1/AX as upgrade" "connection refused: the message names server, port, database and login"
if grep -qF -- "$UPKIT_MSSQL_PASSWORD" <<<"$err"; then _tap_result 1 "connection refused: the password is not in the message"
else _tap_result 0 "connection refused: the password is not in the message"; fi

run "$UPKIT" install --dialect mssql --db 'dbname=ax' --server sql01 --database AX --user upgrade
is "$rc" 2 "--db with --dialect mssql: exit 2"
like "$err" "--db is for --dialect pg" "--db with --dialect mssql: the message says --db is for pg"

run "$UPKIT" install --dialect mssql --server sql01 --database AX
is "$rc" 2 "--dialect mssql without --user: exit 2"
like "$err" "needs --server, --database and --user" "without --user: the message names the options"

run "$UPKIT" install --dialect pg --server sql01
is "$rc" 2 "--server with --dialect pg: exit 2"

run "$UPKIT" install --help
is "$rc" 0 "install --help: exit 0"
like "$out" "UPKIT_MSSQL_PASSWORD" "install --help documents UPKIT_MSSQL_PASSWORD"

done_testing
