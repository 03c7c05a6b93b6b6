#!/usr/bin/env bash
# The set-up promises of make demo / make test: the throwaway cluster is
# stopped when the command fails and on Ctrl-C; a second start reuses the
# cluster (deps.sh's promises: deps.t; a fresh private clone: clone.t).
set -euo pipefail
. "$(dirname "$0")/tap.sh"
plan 10

# A second, independent cluster in a scratch folder.
state=$(mktemp -d /tmp/upkit-harness.XXXXXX)
chmod 755 "$state"
cleanup() { UPKIT_CLUSTER_BUILD=$state "$TOP/tests/harness/cluster.sh" stop >/dev/null 2>&1 || true; rm -rf "$state"; }
trap cleanup EXIT
export UPKIT_CLUSTER_BUILD=$state UPKIT_PGPORT=54391
is_running() { "$TOP/tests/harness/cluster.sh" status >/dev/null 2>&1; }

run "$TOP/tests/harness/with-cluster.sh" sh -c 'psql -qAtX -c "select 41 + 1"; exit 3'
is "$rc" 3 "with-cluster.sh passes the command's failure on"
is "$out" "42" "the command ran against the scratch cluster"
ok "the cluster is stopped after the command failed" sh -c '! "$0" status' "$TOP/tests/harness/cluster.sh"

# The extension goes into the private tree only: folders the install writes
# into (extension/, bitcode/) are the tree's own, never links to the system's.
libdir="$state/pgroot$(pg_config --pkglibdir)"
ok "the private tree's bitcode folder is a folder of its own, not a link to the system's" \
  sh -c '[ -d "$0/bitcode" ] && [ ! -L "$0/bitcode" ]' "$libdir"
ok "the private tree's extension folder is a folder of its own" \
  sh -c '[ -d "$0/extension" ] && [ ! -L "$0/extension" ]' "$state/pgroot$(pg_config --sharedir)"
ok "upkit.so is a file in the private tree" sh -c '[ -f "$0/upkit.so" ] && [ ! -L "$0/upkit.so" ]' "$libdir"

# Ctrl-C: a terminal sends SIGINT to the wrapper and its command.  Only
# those two get it here (not the server, which would shut down by itself).
# A background job starts with SIGINT ignored; perl restores the default.
perl -e '$SIG{INT} = "DEFAULT"; exec @ARGV' "$TOP/tests/harness/with-cluster.sh" sleep 60 >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 100); do is_running && break; sleep 0.1; done
ok "the cluster runs while the command does" is_running
sleep 0.3
kill -INT "$pid"; pkill -INT -P "$pid" -x sleep || true
set +e; wait "$pid"; rc=$?; set -e
is "$rc" 130 "Ctrl-C ends with status 130"
ok "the cluster is stopped after Ctrl-C" sh -c '! "$0" status' "$TOP/tests/harness/cluster.sh"

# A second run reuses the data directory: the table made above is still there.
"$TOP/tests/harness/with-cluster.sh" psql -qAtX -c "create table if not exists kept(x int)" >/dev/null
"$TOP/tests/harness/with-cluster.sh" sh -c 'psql -qAtX -c "select to_regclass(\$\$kept\$\$) is not null"' > "$state/second" 2>&1 || true
is "$(cat "$state/second")" "t" "a second start reuses the cluster (a table made before is still there)"
done_testing
