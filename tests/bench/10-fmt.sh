#!/usr/bin/env bash
# 10-fmt.sh: one million calls of upkit.fn_fmt_numbersequence against the
# cheapest conversion (value::text) and the usual SQL expression
# ('SQ-' || lpad(value::text, 8, '0')), in one session, rounds interleaved,
# medians compared.  Also reported net of the scan itself (count(*) over the
# same rows), which is what one call costs.
set -euo pipefail
db="$UPKIT_BENCH_DB"
rounds="${UPKIT_BENCH_ROUNDS:-7}"
out="$UPKIT_BENCH_OUT/10-fmt.md"

psql -qAtX -v ON_ERROR_STOP=1 -d "$db" <<SQL > "$UPKIT_BENCH_OUT/10-fmt.raw"
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;
SET jit = off;
DROP TABLE IF EXISTS bench_values;
CREATE TABLE bench_values AS SELECT g::bigint AS v FROM generate_series(1, 1000000) g;
VACUUM ANALYZE bench_values;
CREATE TEMP TABLE timings (variant text, round int, ms float8);
DO \$\$
DECLARE
  variants text[][] := ARRAY[
    ['scan only',        'SELECT count(*) FROM bench_values'],
    ['value::text',      'SELECT count(v::text) FROM bench_values'],
    ['lpad expression',  'SELECT count(''SQ-'' || lpad(v::text, 8, ''0'')) FROM bench_values'],
    ['fn_fmt_numbersequence', 'SELECT count(upkit.fn_fmt_numbersequence(''SQ-########'', v)) FROM bench_values']];
  t0 timestamptz;
BEGIN
  FOR r IN 0..$rounds LOOP          -- round 0 warms the cache and is dropped
    FOR i IN 1..array_length(variants, 1) LOOP
      t0 := clock_timestamp();
      EXECUTE variants[i][2];
      IF r > 0 THEN
        INSERT INTO timings VALUES (variants[i][1], r,
          extract(epoch FROM clock_timestamp() - t0) * 1000);
      END IF;
    END LOOP;
  END LOOP;
END
\$\$;
SELECT variant, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FROM timings GROUP BY variant;
DROP TABLE bench_values;
SQL

awk -F'|' -v rounds="$rounds" '
  { ms[$1] = $2 }
  END {
    base = ms["value::text"]; scan = ms["scan only"];
    printf "## FN_FMT_NUMBERSEQUENCE: one million calls\n\n"
    printf "`SELECT count(EXPR) FROM` a table of 1,000,000 bigints, median of %d rounds,\n", rounds
    printf "no parallel workers, no JIT. Goal: within 1.5x of `value::text`.\n\n"
    printf "| expression | median ms | ratio to value::text | per call, net of the scan, ratio to value::text |\n"
    printf "| --- | ---: | ---: | ---: |\n"
    n = split("value::text|lpad expression|fn_fmt_numbersequence", order, "|")
    for (i = 1; i <= n; i++) {
      v = order[i]
      printf "| `%s` | %.0f | %.2fx | %.2fx |\n", v, ms[v], ms[v] / base, (ms[v] - scan) / (base - scan)
    }
    printf "\nThe scan alone (`count(*)`) took %.0f ms; the last column subtracts it.\n", scan
    printf "`lpad expression` is `'"'"'SQ-'"'"' || lpad(v::text, 8, '"'"'0'"'"')`; fn_fmt_numbersequence used format `SQ-########`.\n"
  }' "$UPKIT_BENCH_OUT/10-fmt.raw" > "$out"
cat "$out"
