# lib.sh: shared set-up of the SQL Server integration tests (tests/mssql/*.t).
#   . "$(dirname "$0")/lib.sh"   (after tap.sh)
#
# Without UPKIT_MSSQL the test skips itself.  With it, UPKIT_MSSQL_DATABASE
# (the database to connect to first: master will do), UPKIT_MSSQL_USER and
# UPKIT_MSSQL_PASSWORD must be set too, and the login must be allowed to
# create databases.
#
# Each test works in a fresh, empty scratch database of its own: lib.sh
# creates it under a unique name (upkit_t_TEST_PID_SECONDS), points
# UPKIT_MSSQL_DATABASE at it for everything the test runs, and drops it when
# the test exits, however it exits.  So a test creates every object it needs,
# in order, and can run twice in a row (or beside another run).  On SQL
# Server the scratch database gets AX's usual collation,
# SQL_Latin1_General_CP1_CI_AS (not supplementary-aware).
#
#   q SQL           run one batch with tests/tools/mssql_query; sets $out,
#                   $err, $rc (see run in tap.sh)
#   mssql_install [SPEC...]   upkit install --dialect mssql --runtime; sets
#                   the same
#   MSSQL_ENGINE    sqlserver or babelfish (Babelfish for PostgreSQL answers
#                   SERVERPROPERTY('Babelfish') = 1 and names itself in
#                   @@VERSION); tests that need what Babelfish lacks say so
#                   and skip those checks there
#   MSSQL_TMP       a temporary directory, removed on exit
#   mssql_drop_db NAME   drop a second database a test made (a copy's other
#                   side), closing its sessions first; for the test's own
#                   EXIT trap, which then calls mssql_scratch_drop
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

mssql_install() {
  run "$UPKIT" install --dialect mssql --server "$UPKIT_MSSQL" --database "$UPKIT_MSSQL_DATABASE" \
    --user "$UPKIT_MSSQL_USER" --runtime "$@"
}

# The engine, asked once in the database the tests connect to first.
q "SELECT CASE WHEN CAST(SERVERPROPERTY('Babelfish') AS NVARCHAR(20)) = N'1'
                 OR @@VERSION LIKE N'%Babelfish%' THEN N'babelfish' ELSE N'sqlserver' END;"
if [ "$rc" -ne 0 ] || [ -z "$out" ]; then
  echo "1..1"
  echo "not ok 1 - the server at $UPKIT_MSSQL answers"
  diag "exit $rc" "$err"
  exit 1
fi
MSSQL_ENGINE=$out

# The scratch database.  Names are quoted with [] and hold only [a-z0-9_].
MSSQL_HOME_DATABASE=$UPKIT_MSSQL_DATABASE
MSSQL_SCRATCH=$(printf 'upkit_t_%s_%s_%s' "$(basename "$0" .t | tr -c 'a-z0-9_\n' '_')" "$$" "$(date +%s)")
MSSQL_TMP=$(mktemp -d)
mssql_scratch_drop() {
  rm -rf "$MSSQL_TMP"
  UPKIT_MSSQL_DATABASE=$MSSQL_HOME_DATABASE "$MSSQL_QUERY" \
    "IF DB_ID(N'$MSSQL_SCRATCH') IS NOT NULL DROP DATABASE [$MSSQL_SCRATCH];" >/dev/null 2>"$MSSQL_TMP.drop" ||
    diag "could not drop the scratch database $MSSQL_SCRATCH: $(cat "$MSSQL_TMP.drop")"
  rm -f "$MSSQL_TMP.drop"
}
if [ "$MSSQL_ENGINE" = sqlserver ]; then
  q "CREATE DATABASE [$MSSQL_SCRATCH] COLLATE SQL_Latin1_General_CP1_CI_AS;"
else
  # Babelfish takes no COLLATE here, and needs its multi-db migration mode.
  q "CREATE DATABASE [$MSSQL_SCRATCH];"
fi
if [ "$rc" -ne 0 ]; then
  echo "1..1"
  echo "not ok 1 - a scratch database can be created on $UPKIT_MSSQL"
  diag "CREATE DATABASE [$MSSQL_SCRATCH] failed; the login needs CREATE DATABASE" "$err"
  rm -rf "$MSSQL_TMP"
  exit 1
fi
trap mssql_scratch_drop EXIT
mssql_drop_db() {
  UPKIT_MSSQL_DATABASE=$MSSQL_HOME_DATABASE "$MSSQL_QUERY" \
    "IF DB_ID(N'$1') IS NOT NULL BEGIN ALTER DATABASE [$1] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [$1]; END;" \
    >/dev/null 2>&1 || diag "could not drop $1"
}
export UPKIT_MSSQL_DATABASE=$MSSQL_SCRATCH
diag "engine: $MSSQL_ENGINE; scratch database: $MSSQL_SCRATCH"
