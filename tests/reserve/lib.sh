# lib.sh: shared by the reservation tests (concurrency.t, crash.t).
#   . "$(dirname "$0")/lib.sh"   (after tap.sh)
STRESS="$TOP/build/tests/tools/reserve_stress"
CLUSTER="$TOP/tests/harness/cluster.sh"
# The preload setting the tests after ours expect (make test's own).
ORIG_PRELOAD="${UPKIT_PRELOAD-}"

# The shared_preload_libraries values for the two variants: what make test
# started with, with and without upkit.
PRELOAD_WITHOUT=$(printf '%s' "$ORIG_PRELOAD" | tr ',' '\n' | sed 's/^ *//; s/ *$//' | grep -vx upkit | paste -sd, - || true)
PRELOAD_WITH="${PRELOAD_WITHOUT:+$PRELOAD_WITHOUT,}upkit"

# restart_cluster PRELOAD: restart the throwaway cluster with that
# shared_preload_libraries value.
restart_cluster() {
  UPKIT_PRELOAD="$1" "$CLUSTER" restart >/dev/null
}

# Put the cluster back as make test started it, whatever happened.
restore_cluster() { restart_cluster "$ORIG_PRELOAD" || true; }

# fresh_db NAME: a new database with upkit, the AX tables and the log table
# the stress tool writes to.
fresh_db() {
  psql -qAtX -v ON_ERROR_STOP=1 -d postgres -c "SET client_min_messages = warning" \
    -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null
  psql -qAtX -v ON_ERROR_STOP=1 -d "$1" >/dev/null <<'SQL'
CREATE EXTENSION upkit;
SELECT upkit.create_ax_tables();
CREATE TABLE reserve_log (session int, start_recid bigint, n bigint);
CREATE TABLE handed_out (start_recid bigint, n bigint, outcome text, session int);
SQL
}

# q DB SQL: one value.
q() { psql -qAtX -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }

# load_ranges DB FILE: the tool's lines into handed_out.
load_ranges() {
  psql -qAtX -v ON_ERROR_STOP=1 -d "$1" -c "TRUNCATE handed_out" \
    -c "\\copy handed_out FROM '$2' WITH (FORMAT csv)" >/dev/null
}

# overlaps DB TABLE: how many ranges of TABLE(start_recid, n) overlap the next one.
overlaps() {
  q "$1" "SELECT count(*) FROM (SELECT start_recid, n, lead(start_recid) OVER (ORDER BY start_recid) AS nxt FROM $2) r
          WHERE nxt IS NOT NULL AND start_recid + n > nxt"
}
