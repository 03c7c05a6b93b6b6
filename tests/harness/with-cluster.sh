#!/usr/bin/env bash
# with-cluster.sh CMD [ARGS...]: start upkit's throwaway cluster, run CMD with
# PGHOST/PGPORT/PGUSER pointing at it, and stop the cluster afterwards: on
# success, on failure and on Ctrl-C alike.  CMD's exit status is ours.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

stopped=0
cleanup() {
  [ $stopped -eq 1 ] && return
  stopped=1
  "$here/cluster.sh" stop || true
}
trap cleanup EXIT
trap 'echo "interrupted; stopping the cluster" >&2; cleanup; exit 130' INT TERM

"$here/cluster.sh" start
eval "$("$here/cluster.sh" env)"
set +e
"$@"
rc=$?
set -e
exit $rc
