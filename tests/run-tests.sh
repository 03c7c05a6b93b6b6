#!/usr/bin/env bash
# run-tests.sh: every test in one prove run, against the throwaway cluster
# (run it through tests/harness/with-cluster.sh; make test does).
#
#   tests/pg/*.pg           pgTAP, each in a transaction of its own on the
#                           database upkit_test (made fresh on every run)
#   build/tests/unit/test_* C unit tests of the generator library (TAP)
#   tests/*/*.t             shell tests: CLI, T-SQL parse check, golden files,
#                           concurrency, crash, SQL Server integration (which
#                           says it skipped when UPKIT_MSSQL is not set)
#
# Arguments, when given, replace the list (for example one .pg file).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
: "${PGHOST:?run this through tests/harness/with-cluster.sh}"

export UPKIT_TEST_DB=upkit_test
psql -qAtX -v ON_ERROR_STOP=1 -d postgres \
  -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $UPKIT_TEST_DB" -c "CREATE DATABASE $UPKIT_TEST_DB" >/dev/null
psql -qAtX -v ON_ERROR_STOP=1 -d "$UPKIT_TEST_DB" -c "CREATE EXTENSION pgtap" >/dev/null

if [ $# -gt 0 ]; then
  files=("$@")
else
  shopt -s nullglob
  files=(tests/pg/*.pg build/tests/unit/test_* tests/*/*.t)
fi

exec prove --norc --timer \
  --source pgTAP --pgtap-option "dbname=$UPKIT_TEST_DB" --pgtap-option "username=$PGUSER" \
  --pgtap-option "host=$PGHOST" --pgtap-option "port=$PGPORT" --pgtap-option suffix=.pg \
  --source Executable --source Perl \
  "${files[@]}"
