#!/usr/bin/env bash
# demo.sh: the demo, run by "make demo" inside the throwaway cluster.
#
# Runs the steps in sql/demo/ in name order on a fresh database "upkit_demo":
# NN-name.sql files through psql (statements echoed, so a reader sees what
# ran), NN-name.sh files with bash (for steps that use the upkit command).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
: "${PGHOST:?run this through tests/harness/with-cluster.sh}"
export PGDATABASE=upkit_demo UPKIT="$top/sqlgen/upkit"
psql -qAtX -d postgres -c "SET client_min_messages = warning" \
  -c "DROP DATABASE IF EXISTS upkit_demo" -c "CREATE DATABASE upkit_demo" >/dev/null

for step in sql/demo/[0-9][0-9]-*; do
  name=$(basename "$step")
  printf '\n=== %s ===\n' "$name"
  case "$step" in
    *.sql) psql -X -q -v ON_ERROR_STOP=1 --echo-queries -P pager=off -f "$step" ;;
    *.sh)  bash "$step" ;;
  esac
done
printf '\nDemo finished. The cluster is stopped now; run "make demo" again to repeat it.\n'
