#!/usr/bin/env bash
# Runs each libFuzzer target for a bounded time over its corpus (`make fuzz`).
#   scripts/fuzz.sh BUILD_DIR SECONDS TARGET...
# TARGET is a name under fuzz/corpus/ (contract, definition, csv, ...); its executable is
# BUILD_DIR/<TARGET>_fuzz. The repository corpus is read, never written: inputs found during the
# run go to BUILD_DIR/fuzz/<TARGET>/corpus, and a crash, leak, timeout or sanitizer report
# leaves its input in BUILD_DIR/fuzz/<TARGET>/ and fails the script.
set -euo pipefail

build=$1
seconds=$2
shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

failed=()
for t in "$@"; do
  exe="$build/${t}_fuzz"
  # A target whose inputs are larger than 4 KiB says so in fuzz/corpus/<target>.max_len.
  max_len=$(cat "$root/fuzz/corpus/${t}.max_len" 2>/dev/null || echo 4096)
  out="$build/fuzz/$t"
  mkdir -p "$out/corpus"
  echo "fuzz: $t for ${seconds}s"
  if ! "$exe" -max_total_time="$seconds" -max_len="$max_len" -timeout=30 -print_final_stats=1 \
      -artifact_prefix="$out/" "$out/corpus" "$root/fuzz/corpus/$t" >"$out/fuzz.log" 2>&1; then
    failed+=("$t")
    echo "fuzz: $t FAILED (log: $out/fuzz.log); inputs that fail:"
    find "$out" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
      -o -name 'oom-*' \) -print
    tail -n 40 "$out/fuzz.log"
    continue
  fi
  grep -E '^#[0-9]+[[:space:]]+DONE' "$out/fuzz.log" | tail -n 1 | sed "s/^/fuzz: $t /"
done

if [ ${#failed[@]} -ne 0 ]; then
  echo "fuzz: failing targets: ${failed[*]}"
  exit 1
fi
echo "fuzz: $# targets, no crash"
