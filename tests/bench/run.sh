#!/usr/bin/env bash
# run.sh: the benchmarks, run by "make bench" inside the throwaway cluster.
#
# Each tests/bench/NN-name.sh measures one thing against its baselines in the
# same run and writes a markdown section to $UPKIT_BENCH_OUT/NN-name.md.
# This script runs them in name order and assembles docs/BENCHMARKS.md.
# UPKIT_BENCH_ONLY=NAME runs only the matching ones; the other sections are
# kept from docs/BENCHMARKS.md (each follows a "<!-- bench: NN-name -->"
# marker line; a full run rewrites them all).
# Figures are ratios measured in one run; absolute times are only context.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
: "${PGHOST:?run this through tests/harness/with-cluster.sh}"
export UPKIT_BENCH_OUT="$top/build/bench" UPKIT_BENCH_DB=upkit_bench
# Measure with durable commits (fsync on), as production runs; every restart
# a benchmark makes inherits this.
export UPKIT_PG_DURABLE=1
"$top/tests/harness/cluster.sh" restart >/dev/null
mkdir -p "$UPKIT_BENCH_OUT"
psql -qAtX -d postgres -c "SET client_min_messages = warning" \
  -c "DROP DATABASE IF EXISTS $UPKIT_BENCH_DB" -c "CREATE DATABASE $UPKIT_BENCH_DB" >/dev/null
psql -qAtX -d "$UPKIT_BENCH_DB" -c "CREATE EXTENSION upkit" >/dev/null

only="${UPKIT_BENCH_ONLY:-}"
ran=" "
for b in tests/bench/[0-9][0-9]-*.sh; do
  name=$(basename "$b" .sh)
  [ -n "$only" ] && [[ "$name" != *"$only"* ]] && continue
  echo "bench: $name"
  rm -f "$UPKIT_BENCH_OUT/$name".*
  bash "$b"
  ran="$ran$name "
done

out=docs/BENCHMARKS.md
# A section is the output its script wrote in this run, else the section
# the last docs/BENCHMARKS.md has between this script's marker and the next
# (a run with UPKIT_BENCH_ONLY keeps every figure it did not measure).
kept_section() {
  [ -f "$out" ] || return 1
  awk -v name="$1" '
    /^<!-- bench: .* -->$/ { on = ($3 == name); next }
    on { print; found = 1 }
    END { exit !found }' "$out"
}
sections=$(mktemp)
trap 'rm -f "$sections"' EXIT
for b in tests/bench/[0-9][0-9]-*.sh; do
  name=$(basename "$b" .sh)
  echo "<!-- bench: $name -->"
  if [[ "$ran" == *" $name "* ]] && [ -f "$UPKIT_BENCH_OUT/$name.md" ]; then
    echo
    cat "$UPKIT_BENCH_OUT/$name.md"
    echo
  elif ! kept_section "$name"; then
    echo "bench: $name has no figures (neither in $UPKIT_BENCH_OUT nor in $out): run make bench" >&2
  fi
done > "$sections"
{
  echo "# Benchmarks"
  echo
  echo "Written by \`make bench\` on $(date -u +%Y-%m-%d). Every figure is a ratio of"
  echo "two timings taken in the same run on the same throwaway cluster, so it"
  echo "carries over between machines better than the absolute times, which are"
  echo "shown only for context. Machine: $(nproc) cores, $(free -g | awk '/^Mem/ {print $2}') GiB,"
  echo "$("$UPKIT_PGBIN/postgres" --version), with \`fsync\` and \`synchronous_commit\` on"
  echo "(the tests run with \`fsync = off\`; the benchmarks do not)."
  echo
  cat "$sections"
} > "$out.new"
mv "$out.new" "$out"
echo "bench: wrote $out"
