#!/usr/bin/env bash
# A reproducible fuzzing campaign: one target for a fixed number of executions.
#   scripts/fuzz-campaign.sh TARGET RUNS [BUILD_DIR]     (BUILD_DIR defaults to build-fuzz)
#   MERGE=1 scripts/fuzz-campaign.sh TARGET RUNS         then minimise into fuzz/corpus/TARGET
#   MAX_SECONDS=3600 scripts/fuzz-campaign.sh TARGET RUNS  stop after an hour if RUNS is not
#                                                          reached (the figures say how far)
# Build the targets first (`make fuzz-build`). The
# campaign starts from fuzz/corpus/TARGET plus what earlier campaigns found (kept in
# BUILD_DIR/campaign/TARGET/corpus), runs at low priority, and prints one summary line:
# executions, executions per second, duration, corpus size and crashes. It fails on a crash.
# MERGE=1 replaces fuzz/corpus/TARGET with the smallest set of inputs (each at most 4 KiB)
# that keeps the coverage of the repository corpus and everything the campaign found.
set -euo pipefail

target=$1
runs=$2
root=$(cd "$(dirname "$0")/.." && pwd)
build=${3:-$root/build-fuzz}
exe="$build/${target}_fuzz"
# A target whose inputs are larger than 4 KiB says so in fuzz/corpus/<target>.max_len.
max_len=$(cat "$root/fuzz/corpus/${target}.max_len" 2>/dev/null || echo 4096)
work="$build/campaign/$target"
repo_corpus="$root/fuzz/corpus/$target"
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

[ -x "$exe" ] || { echo "fuzz-campaign: $exe not built (run make fuzz-build first)" >&2; exit 2; }
mkdir -p "$work/corpus"
log="$work/campaign-$(date -u +%Y%m%dT%H%M%SZ).log"
start=$(date +%s)
status=0
nice -n 10 "$exe" -runs="$runs" -max_total_time="${MAX_SECONDS:-0}" -max_len="$max_len" -timeout=30 \
  -print_final_stats=1 \
  -artifact_prefix="$work/" "$work/corpus" "$repo_corpus" >"$log" 2>&1 || status=$?
end=$(date +%s)

done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1 || true)
execs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' "$log" | tail -n 1)
rate=$(sed -nE 's/^stat::average_exec_per_sec: *([0-9]+).*/\1/p' "$log" | tail -n 1)
crashes=$(find "$work" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o \
  -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
files=$(find "$work/corpus" -type f | wc -l)
bytes=$(du -sb "$work/corpus" | cut -f1)
echo "fuzz-campaign: target=$target executions=${execs:-?} exec_per_s=${rate:-?}" \
  "seconds=$((end - start)) corpus_files=$files corpus_bytes=$bytes failing_inputs=$crashes" \
  "exit=$status log=$log"
[ -n "$done_line" ] && echo "fuzz-campaign: $done_line"
if [ "$status" -ne 0 ]; then
  tail -n 40 "$log"
  exit 1
fi

if [ "${MERGE:-0}" = "1" ]; then
  merged="$work/merged"
  rm -rf "$merged"
  mkdir -p "$merged"
  "$exe" -merge=1 -max_len="$max_len" "$merged" "$repo_corpus" "$work/corpus" >"$work/merge.log" 2>&1
  rm -rf "$repo_corpus"
  mkdir -p "$repo_corpus"
  cp "$merged"/* "$repo_corpus"/
  echo "fuzz-campaign: $repo_corpus now holds $(find "$repo_corpus" -type f | wc -l) inputs," \
    "$(du -sb "$repo_corpus" | cut -f1) bytes"
fi
