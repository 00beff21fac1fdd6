#!/usr/bin/env bash
# make bench: valuepact against DuckDB on the same synthetic data, same threads, same run —
# ingest+settle on the CSV files, each on its own cache (valuepact's dataset cache against a
# DuckDB database file), and acute admissions per 1,000 by month (metrics) — plus the Google Benchmark programs built from bench/*.cc. Prints the
# figures recorded in bench/results.md.
#   BENCH_SIZES   members per dataset (default "100000 300000 1000000"), 12 months each
#   BENCH_THREADS threads for both peers (default: every core)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
vp="$build/valuepact"
sizes=${BENCH_SIZES:-${BENCH_MEMBERS:-100000 300000 1000000}}
threads=${BENCH_THREADS:-$(nproc)}
measure="python3 bench/measure.py"

if [ ! -d bench/node_modules/@duckdb/node-api ]; then
  (cd bench && npm ci --no-audit --no-fund --silent)
fi

contract=bench/settle-bench.toml
cat > "$contract" <<'TOML'
[contract]
id = "bench"
period = { start = 2018-01-01, end = 2018-12-31 }
payers = ["medicare"]
services = ["medical", "pharmacy"]
[benchmark]
method = "target_pmpm"
target_pmpm = 900
[[payment]]
id = "case-rate"
kind = "case_rate"
pmpm = 50
[[payment]]
id = "savings"
kind = "shared_savings"
sharing_rate = 0.5
minimum_savings_rate = 0.02
member_truncation = 100000
TOML

results=bench/data/results.jsonl
mkdir -p bench/data
: > "$results"
period=(2018-01-01 2018-12-31 medicare)
for members in $sizes; do
  data="bench/data/synth-${members}"
  work="bench/data/run-${members}"
  if [ ! -f "$data/medical_claim.csv" ]; then
    "$vp" synth --members "$members" --months 12 --seed 1 --no-program --out "$data" >/dev/null
  fi
  rm -rf "$work" && mkdir -p "$work"
  lines=$(($(wc -l <"$data/medical_claim.csv") + $(wc -l <"$data/pharmacy_claim.csv") - 2))
  bytes=$(du -cb "$data"/*.csv | tail -1 | cut -f1)
  echo "== $members members: $lines claim lines, $((bytes / 1048576)) MiB of CSV, $threads threads"
  ours_csv=$($measure "$vp" settle "$contract" --data "$data" --out "$work/csv" --threads "$threads")
  peer_csv=$($measure node bench/peer_duckdb.mjs csv "$data" "${period[@]}" "$threads")
  ours_import=$($measure "$vp" import --data "$data" --contract "$contract" --out "$work/data.vpd" \
    --threads "$threads")
  peer_import=$($measure node bench/peer_duckdb.mjs import "$data" "$work/peer.duckdb" "$threads")
  ours_cache=$($measure "$vp" settle "$contract" --data "$work/data.vpd" --out "$work/cache" \
    --threads "$threads")
  peer_db=$($measure node bench/peer_duckdb.mjs db "$work/peer.duckdb" "${period[@]}" "$threads")
  ours_metrics=$($measure "$vp" metrics "$contract" --data "$data" --out "$work/metrics" \
    --threads "$threads")
  peer_admissions=$($measure node bench/peer_duckdb.mjs admissions "$data" "${period[@]}" "$threads")
  # The same settlement as 2 MPI ranks of 1 thread each (docs/scaling.md), when built with MPI.
  ours_mpi=null
  if grep -q "distributed run: " "$vp" && command -v mpirun >/dev/null 2>&1; then
    ours_mpi=$($measure env OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 \
      mpirun -np 2 --oversubscribe "$vp" settle "$contract" --data "$data" --out "$work/mpi" \
      --threads 1 --distributed)
  fi
  python3 bench/report.py row "$members" "$lines" "$bytes" "$work" "$ours_csv" "$peer_csv" \
    "$ours_import" "$peer_import" "$ours_cache" "$peer_db" "$ours_metrics" "$peer_admissions" \
    "$ours_mpi" | tee -a "$results" |
    python3 bench/report.py print
done
python3 bench/report.py goals <"$results"

for b in "$build"/*_bench; do
  [ -x "$b" ] || continue
  echo "== $(basename "$b")"
  "$b" --benchmark_min_time=0.5
done
