#!/usr/bin/env bash
# Measures each libFuzzer target's executions per second without sanitizers (`make fuzz-rate`):
# the cost of one call of the parser plus libFuzzer's own bookkeeping, which is what per-call
# setup decides. The corpus is the repository's fuzz/corpus/TARGET and, when it exists, the
# campaign corpus build-fuzz/campaign/TARGET/corpus (read only: inputs found go to a scratch
# folder). Prints one line per target; fails when a target is below MIN_RATE (default 5000).
#   scripts/fuzz-rate.sh BUILD_DIR SECONDS TARGET...
set -euo pipefail

build=$1
seconds=$2
shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
min=${MIN_RATE:-5000}
campaign=${CAMPAIGN_DIR:-$root/build-fuzz/campaign}

slow=()
for t in "$@"; do
  exe="$build/${t}_fuzz"
  # A target whose inputs are larger than 4 KiB says so in fuzz/corpus/<target>.max_len.
  max_len=$(cat "$root/fuzz/corpus/${t}.max_len" 2>/dev/null || echo 4096)
  scratch="$build/fuzz-rate/$t"
  rm -rf "$scratch" && mkdir -p "$scratch"
  corpora=("$root/fuzz/corpus/$t")
  if [ -d "$campaign/$t/corpus" ]; then corpora+=("$campaign/$t/corpus"); fi
  "$exe" -max_total_time="$seconds" -max_len="$max_len" -timeout=30 -print_final_stats=1 \
    "$scratch" "${corpora[@]}" >"$build/fuzz-rate/$t.log" 2>&1
  rate=$(awk '/stat::average_exec_per_sec/ {print $2}' "$build/fuzz-rate/$t.log")
  runs=$(awk '/stat::number_of_executed_units/ {print $2}' "$build/fuzz-rate/$t.log")
  echo "fuzz-rate: $t ${rate:-?} executions/s (${runs:-?} executions in ${seconds}s, corpora: ${#corpora[@]})"
  if [ -z "$rate" ] || [ "$rate" -lt "$min" ]; then slow+=("$t"); fi
done

if [ ${#slow[@]} -ne 0 ]; then
  echo "fuzz-rate: below $min executions/s: ${slow[*]}"
  exit 1
fi
echo "fuzz-rate: $# targets at $min executions/s or more"
