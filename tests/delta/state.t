#!/usr/bin/env bash
# state.t: the delta state belongs to the extension, on a real database.
# A generated delta script refuses to install on upkit 0.2 (it no longer
# creates the state table itself) and names the remedy; after ALTER
# EXTENSION upkit UPDATE it installs and runs.  pg_dump keeps the rows of
# upkit.delta_state and upkit.delta_run (configuration tables) and the run
# log's sequence, so a restored database goes on numbering runs; DROP
# EXTENSION upkit CASCADE drops both tables; the T-SQL runtime records the
# extension's version.  Needs the throwaway cluster.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
cd "$TOP"
: "${PGHOST:?run through tests/harness/with-cluster.sh}"

db=upkit_delta_state
db2=upkit_delta_state_restored
tmp=$(mktemp -d)
cleanup() {
  rm -rf "$tmp"
  psql -qAtX -d postgres -c "DROP DATABASE IF EXISTS $db" -c "DROP DATABASE IF EXISTS $db2" >/dev/null 2>&1 || true
}
trap cleanup EXIT
psql -qAtX -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" \
  -c "DROP DATABASE IF EXISTS $db2" -c "CREATE DATABASE $db" -c "CREATE DATABASE $db2" >/dev/null
export PGOPTIONS="-c search_path=public -c client_min_messages=warning"
spec=tests/fixtures/delta/custtable.json
pgbin=${UPKIT_PGBIN:-$(pg_config --bindir)}

plan 11

psql -qAtX -v ON_ERROR_STOP=1 -d "$db" -c "CREATE EXTENSION upkit VERSION '0.2'" -f tests/fixtures/delta/fixture.sql >/dev/null
run env PGDATABASE="$db" "$UPKIT" install --dialect pg --no-runtime "$spec"
is "$rc" 1 "on upkit 0.2 the generated delta script does not install"
like "$err" "upg_delta_custtable needs the upkit extension 0.3 or later \(upkit.delta_run or upkit.live_state is missing\)" \
     "... and says it needs the extension 0.3"
run psql -qAtX -d "$db" -c "SELECT to_regclass('upkit.delta_state') IS NULL"
is "$out" t "... and created no state table of its own"

psql -qAtX -v ON_ERROR_STOP=1 -d "$db" -c "ALTER EXTENSION upkit UPDATE" >/dev/null
run env PGDATABASE="$db" "$UPKIT" install --dialect pg --no-runtime "$spec"
is "$rc" 0 "after ALTER EXTENSION upkit UPDATE it installs"
run psql -qAtX -v ON_ERROR_STOP=1 -d "$db" -c "CALL upg_delta_custtable('dat')" -c "CALL upg_delta_custtable('dat')" \
  -c "CALL upg_delta_custtable('ceu')"
is "$out" "$(printf '6|0|0\n0|0|0\n4|0|0')" "... and runs"

# A role that is not superuser runs a delta with the grants docs/delta.md lists.
role=upkit_delta_state_runner
run psql -qAtX -v ON_ERROR_STOP=1 -d "$db" \
  -c "DROP ROLE IF EXISTS $role" -c "CREATE ROLE $role" \
  -c "GRANT USAGE ON SCHEMA upkit TO $role" \
  -c "GRANT SELECT, INSERT, UPDATE ON upkit.delta_state TO $role" -c "GRANT SELECT, INSERT ON upkit.delta_run TO $role" \
  -c "GRANT USAGE ON SEQUENCE upkit.delta_run_run_id_seq TO $role" \
  -c "GRANT SELECT ON public.custtable, public.custgroup TO $role" \
  -c "GRANT SELECT, INSERT, DELETE ON public.upg_custtable TO $role" \
  -c "SET ROLE $role" -c "CALL upg_delta_custtable('ceu')" -c "RESET ROLE" \
  -c "REVOKE ALL ON ALL TABLES IN SCHEMA public, upkit FROM $role" \
  -c "REVOKE ALL ON SEQUENCE upkit.delta_run_run_id_seq FROM $role" -c "REVOKE ALL ON SCHEMA upkit FROM $role" \
  -c "DROP ROLE $role"
is "$out" "0|0|0" "a role that is not superuser runs a delta with the documented grants"
[ "$rc" -eq 0 ] || diag "$err"

# pg_dump and restore: the rows of the state and the run log come along.
"$pgbin/pg_dump" -d "$db" -f "$tmp/dump.sql"
psql -qAtX -v ON_ERROR_STOP=1 -d "$db2" -f "$tmp/dump.sql" >/dev/null 2>"$tmp/restore.err" || diag "$(cat "$tmp/restore.err")"
state="SELECT string_agg(format('%s %s %s/%s/%s %s', shadow_table, dataareaid, new_rows, updated_rows, deleted_rows, ready_to_copy), '; ' ORDER BY dataareaid) FROM upkit.delta_state"
runs="SELECT string_agg(format('%s %s %s', run_id, dataareaid, outcome), '; ' ORDER BY run_id) FROM upkit.delta_run"
is "$(psql -qAtX -d "$db2" -c "$state")" "$(psql -qAtX -d "$db" -c "$state")" \
   "pg_dump keeps the rows of upkit.delta_state"
is "$(psql -qAtX -d "$db2" -c "$runs")" "$(psql -qAtX -d "$db" -c "$runs")" "... and of upkit.delta_run"
run psql -qAtX -v ON_ERROR_STOP=1 -d "$db2" -c "CALL upg_delta_custtable('ceu')" \
  -c "SELECT max(run_id) FROM upkit.delta_run" -c "SELECT count(DISTINCT run_id) = count(*) FROM upkit.delta_run"
is "$out" "$(printf '0|0|0\n5\nt')" "in the restored database the next run is logged as run 5, after the restored ones"

run psql -qAtX -v ON_ERROR_STOP=1 -d "$db" -c "DROP EXTENSION upkit CASCADE" \
  -c "SELECT to_regclass('upkit.delta_state') IS NULL AND to_regclass('upkit.delta_run') IS NULL"
is "$out" t "DROP EXTENSION upkit CASCADE drops the state table and the run log"

# The T-SQL runtime records the same version as the extension's.
ext=$(sed -n "s/^default_version = '\\(.*\\)'$/\\1/p" extension/upkit.control)
is "$(grep -o "@THIS NVARCHAR(32) = N'[0-9.]*'" procs/mssql/UPKIT_RUNTIME.sql | sort -u)" \
   "@THIS NVARCHAR(32) = N'$ext'" "the T-SQL runtime's version (procs/mssql/UPKIT_RUNTIME.sql) is the extension's, $ext"
done_testing
