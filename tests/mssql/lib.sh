# lib.sh: shared set-up of the SQL Server integration tests (tests/mssql/*.t).
#   . "$(dirname "$0")/lib.sh"   (after tap.sh)
#
# Without UPKIT_MSSQL the test skips itself.  With it, UPKIT_MSSQL_DATABASE
# (a scratch database: the tests create AX-like tables there when they are
# missing), UPKIT_MSSQL_USER and UPKIT_MSSQL_PASSWORD must be set too.
#   q SQL           run one batch with tests/tools/mssql_query; sets $out,
#                   $err, $rc (see run in tap.sh)
#   mssql_install   upkit install --dialect mssql --runtime; sets the same
MSSQL_QUERY="$TOP/build/tests/tools/mssql_query"

if [ -z "${UPKIT_MSSQL:-}" ]; then
  skip_all "UPKIT_MSSQL not set: no SQL Server configured"
fi

mssql_missing=()
for v in UPKIT_MSSQL_DATABASE UPKIT_MSSQL_USER UPKIT_MSSQL_PASSWORD; do
  [ -n "${!v+x}" ] && [ -n "${!v}" -o "$v" = UPKIT_MSSQL_PASSWORD ] || mssql_missing+=("$v")
done
if [ ${#mssql_missing[@]} -gt 0 ] || [ ! -x "$MSSQL_QUERY" ]; then
  echo "1..1"
  echo "not ok 1 - the SQL Server integration tests are configured"
  [ ${#mssql_missing[@]} -gt 0 ] && diag "UPKIT_MSSQL=$UPKIT_MSSQL is set, but not ${mssql_missing[*]}"
  [ -x "$MSSQL_QUERY" ] || diag "$MSSQL_QUERY is missing: run make check-tests"
  exit 1
fi

q() { run "$MSSQL_QUERY" "$1"; }

# mssql_scratch NAME: a fresh database NAME (dropped first, so a test runs
# twice), made from the configured one; one TAP result; the tests that
# follow use it (UPKIT_MSSQL_DATABASE).
mssql_scratch() {
  q "IF DB_ID(N'$1') IS NOT NULL
BEGIN
    ALTER DATABASE [$1] SET SINGLE_USER WITH ROLLBACK IMMEDIATE;
    DROP DATABASE [$1];
END;
CREATE DATABASE [$1];"
  is "$rc" 0 "a fresh scratch database $1"
  [ "$rc" -eq 0 ] || diag "$err"
  export UPKIT_MSSQL_DATABASE=$1
}

mssql_install() {
  run "$UPKIT" install --dialect mssql --server "$UPKIT_MSSQL" --database "$UPKIT_MSSQL_DATABASE" \
    --user "$UPKIT_MSSQL_USER" --runtime
}
