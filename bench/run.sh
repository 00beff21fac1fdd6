#!/usr/bin/env bash
# make bench: ingest+settle throughput of valuepact against DuckDB on the same synthetic data,
# plus the Google Benchmark programs built from bench/*.cc. Prints the figures recorded in
# bench/results.md.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
vp="$build/valuepact"
members=${BENCH_MEMBERS:-1000000}
threads=${BENCH_THREADS:-$(nproc)}
data="bench/data/synth-${members}"

if [ ! -f "$data/medical_claim.csv" ]; then
  "$vp" synth --members "$members" --months 12 --seed 1 --no-program --out "$data"
fi
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

lines=$(( $(wc -l < "$data/medical_claim.csv") + $(wc -l < "$data/pharmacy_claim.csv") - 2 ))
echo "data: $data, $lines claim lines, $threads threads"

t0=$(date +%s.%N)
"$vp" settle "$contract" --data "$data" --out bench/data/out --threads "$threads" >/dev/null
t1=$(date +%s.%N)
ours=$(echo "$t1 - $t0" | bc -l)
peer_json=$(node bench/peer_duckdb.mjs "$data" 2018-01-01 2018-12-31 medicare "$threads")
peer=$(echo "$peer_json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["seconds"])')

python3 - "$ours" "$peer" "$lines" "$peer_json" bench/data/out/summary.json <<'PY'
import json, sys
ours, peer, lines = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
p = json.loads(sys.argv[4]); s = json.load(open(sys.argv[5]))
same = (int(p["member_months"]) == s["population"]["member_months"]
        and p["in_scope_amount"] == s["expenditure"]["total"])
print(f"valuepact ingest+settle: {ours:.2f} s, {lines / ours:,.0f} claim lines/s")
print(f"DuckDB peer (same files, same figures): {peer:.2f} s, {lines / peer:,.0f} claim lines/s")
print(f"ratio valuepact/DuckDB throughput: {peer / ours:.2f}x")
print(f"figures agree: {same} (member-months {s['population']['member_months']}, "
      f"in-scope paid {s['expenditure']['total']} vs {p['in_scope_amount']})")
PY

for b in "$build"/*_bench; do
  [ -x "$b" ] || continue
  echo "== $(basename "$b")"
  "$b" --benchmark_min_time=0.5
done
