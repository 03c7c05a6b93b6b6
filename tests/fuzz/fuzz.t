#!/usr/bin/env bash
# fuzz.t: the libFuzzer target over spec reading, validation, rendering and
# batch splitting (tests/fuzz/fuzz_spec.c) builds and runs for a few seconds
# (UPKIT_FUZZ_SECONDS, default 5) from the seed corpus in tests/fuzz/corpus
# without a finding: no memory error, no undefined behaviour, no spec text
# outside a comment.  "make fuzz" runs it for longer.  Skips, saying why,
# when clang or its libFuzzer runtime is missing.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
cd "$TOP"

command -v clang >/dev/null 2>&1 || skip_all "clang is not installed (needed for the libFuzzer target)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void) d; (void) n; return 0; }\n' > "$tmp/probe.c"
clang -fsanitize=fuzzer,address,undefined -o "$tmp/probe" "$tmp/probe.c" >/dev/null 2>&1 ||
  skip_all "clang has no libFuzzer runtime (Debian: libclang-rt-14-dev)"

plan 3
run make -s build/fuzz/fuzz_spec
is "$rc" 0 "the fuzz target builds with -fsanitize=fuzzer,address,undefined"
[ "$rc" -eq 0 ] || diag "$err"
mkdir "$tmp/corpus"
run build/fuzz/fuzz_spec -max_total_time="${UPKIT_FUZZ_SECONDS:-5}" -max_len=4096 -timeout=10 \
  -artifact_prefix="$tmp/" "$tmp/corpus" tests/fuzz/corpus
is "$rc" 0 "it runs ${UPKIT_FUZZ_SECONDS:-5} seconds from the seed corpus without a finding"
[ "$rc" -eq 0 ] || diag "$(printf '%s\n' "$err" | grep -v '^#' | tail -30)" "$(ls "$tmp")"
like "$err" "INITED .* $(ls tests/fuzz/corpus | wc -l) inputs|Done [0-9]+ runs" "... having read the seeds"
done_testing
