#!/usr/bin/env bash
# demo.sh: the demo, run by "make demo" inside the throwaway cluster.
#
# Runs the steps in sql/demo/ in name order on a fresh database "upkit_demo":
# NN-name.sql files through psql (statements echoed, so a reader sees what
# ran), NN-name.sh files with bash (for steps that use the upkit command).
# Each step opens with its file's header comment (what it shows); at the end,
# how to reopen the demo's database, where the command is, what to read next.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
: "${PGHOST:?run this through tests/harness/with-cluster.sh}"
export PGDATABASE=upkit_demo UPKIT="$top/sqlgen/upkit"
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
psql -qAtX -d postgres -c "DROP DATABASE IF EXISTS upkit_demo" -c "CREATE DATABASE upkit_demo" >/dev/null

# intro FILE: what a step shows, from its header comment (after the #! line).
intro() {
  sed -n '1{/^#!/d}; /^\(--\|#\)\( \|$\)/!q; s/^\(--\|#\) \{0,1\}/| /p' "$1"
}

for step in sql/demo/[0-9][0-9]-*; do
  name=$(basename "$step")
  printf '\n=== %s ===\n' "$name"
  intro "$step"
  echo
  case "$step" in
    *.sql) psql -X -q -v ON_ERROR_STOP=1 --echo-queries -P pager=off -f "$step" ;;
    *.sh)  bash "$step" ;;
  esac
done

cat <<EOF

=== Next steps ===
The demo's cluster is stopped now; its database upkit_demo is kept.
Start the cluster again and open the database (from $top):
  make cluster-start
  eval "\$(tests/harness/cluster.sh env)"; psql -d upkit_demo
and stop it when you are done:
  make cluster-stop

The upkit command is $UPKIT. To type just "upkit", in this shell:
  export PATH="$top/sqlgen:\$PATH"
or copy it to ~/.local/bin (no root needed; README.md, "Installing"):
  make install-bin PREFIX=\$HOME/.local

Your first spec: docs/specs.md (the worked example is sql/demo/specs/salesquotation.json);
"upkit generate --help" and "upkit install --help" say the rest.
EOF
