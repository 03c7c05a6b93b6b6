# lib.sh: what the benchmarks tests/bench/NN-name.sh share.
#   . "$(dirname "$0")/lib.sh"
#
#   q ARGS...        psql, quiet, unaligned, stop on the first error
#   bench_rolled_back NAME SQL TABLE...
#                    run SQL (one psql -c: one timing) in a transaction that
#                    is rolled back, with no parallel workers and no JIT, then
#                    VACUUM the TABLEs so the next round starts from the same
#                    tables; prints "NAME|ms|rows" (rows from the statement's
#                    result, if it has one); exits when SQL fails.
#   bench_alternate ROUNDS NAME_A SQL_A NAME_B SQL_B
#                    the two variants, interleaved, through time_one (below).
#   median           the median of the numbers on stdin, one a line
#   bench_median FILE NAME
#                    the median of the second field of FILE's lines whose
#                    first field is NAME ("NAME MS" lines)
#   ratio A B        A / B with two decimals
q() { psql -X -qAt -v ON_ERROR_STOP=1 "$@"; }

bench_rolled_back() {
  local name=$1 sql=$2 res ms rows
  shift 2
  res=$(q -c "SET max_parallel_workers_per_gather = 0" -c "SET jit = off" -c '\timing on' \
          -c "BEGIN" -c "$sql" -c "ROLLBACK" 2>&1)
  # Time lines: BEGIN, the statement, ROLLBACK
  ms=$(printf '%s\n' "$res" | grep '^Time:' | sed -n '2p' | awk '{print $2}')
  rows=$(printf '%s\n' "$res" | grep -E '^[0-9]+$' | head -1 || true)
  [ -n "$ms" ] || { echo "bench: $name failed: $res" >&2; exit 1; }
  q -c "VACUUM $(IFS=,; echo "$*")" >/dev/null
  echo "$name|$ms|${rows:-}"
}

# bench_alternate ROUNDS NAME_A SQL_A NAME_B SQL_B: ROUNDS rounds of both
# through the script's time_one NAME SQL, A first in odd rounds and B first
# in even ones (so neither always runs on the other's leftovers); the lines
# go to stdout.
bench_alternate() {
  local r
  for r in $(seq 1 "$1"); do
    if [ $((r % 2)) -eq 1 ]; then
      time_one "$2" "$3"; time_one "$4" "$5"
    else
      time_one "$4" "$5"; time_one "$2" "$3"
    fi
  done
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
bench_median() { awk -v n="$2" '$1 == n { print $2 }' "$1" | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
