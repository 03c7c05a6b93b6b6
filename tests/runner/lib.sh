# lib.sh: shared set-up of the runner's integration tests (tests/runner/*.t),
# after tap.sh.  Needs the throwaway cluster (PG* set).
#
#   fresh_db NAME   a new database NAME with the upkit extension; PGDATABASE
#                   points at it; dropped again when the test exits
#   q SQL           one value from it (psql -qAtX)
#   basic_plan DIR  a copy of tests/fixtures/plans/basic in DIR, connecting
#                   to the test's database
#   pair_dbs SRC DST   two new, empty databases (a copy's source and
#                   target), dropped again when the test exits; again: anew
#   sq SQL, dq SQL  one statement in the pair's source / target (psql -qAtX)
: "${PGHOST:?run through tests/harness/with-cluster.sh}"
export PGOPTIONS="-c client_min_messages=warning"
runner_tmp=$(mktemp -d)
runner_db=
pair_src= pair_dst=
runner_cleanup() {
  [ -n "${runner_bg:-}" ] && { kill -9 "$runner_bg"; wait "$runner_bg"; } 2>/dev/null || true
  rm -rf "$runner_tmp"
  for d in $runner_db $pair_src $pair_dst; do
    psql -qAtX -d postgres -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1 || true
  done
}
trap runner_cleanup EXIT

fresh_db() {
  runner_db=$1
  psql -qAtX -d postgres -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1" >/dev/null
  export PGDATABASE=$1
  psql -qAtX -v ON_ERROR_STOP=1 -c "CREATE EXTENSION upkit" >/dev/null
}

q() { psql -qAtX -v ON_ERROR_STOP=1 -c "$1"; }

pair_dbs() {
  pair_src=$1 pair_dst=$2
  for d in "$1" "$2"; do
    psql -qAtX -d postgres -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" -c "CREATE DATABASE $d" >/dev/null
  done
}
sq() { psql -qAtX -v ON_ERROR_STOP=1 -d "$pair_src" -c "$1"; }
dq() { psql -qAtX -v ON_ERROR_STOP=1 -d "$pair_dst" -c "$1"; }

basic_plan() {
  mkdir -p "$1"
  cp "$TOP"/tests/fixtures/plans/basic/* "$1/"
  sed -i "s/\"conninfo\": \"\"/\"conninfo\": \"dbname=$PGDATABASE\"/" "$1/plan.json"
}

# wait_for COND: until SELECT COND returns t (at most 30 s); echoes t or f.
wait_for() {
  for _ in $(seq 1 300); do
    [ "$(q "SELECT $1")" = t ] && { echo t; return; }
    sleep 0.1
  done
  echo f
}
