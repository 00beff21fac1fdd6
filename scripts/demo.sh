#!/usr/bin/env bash
# make demo: run the bundled examples and say where the results are.
set -euo pipefail
cd "$(dirname "$0")/.."
vp=${1:-build/valuepact}
shared=${VALUEPACT_SHARED:-../shared}
demo_data="$shared/data/tuva-claims-demo-100"

echo "== Example 1: ACO shared savings on the Tuva demo data (100 members, 2018)"
if [ -d "$demo_data" ]; then
  "$vp" settle examples/aco-shared-savings/contract.toml \
    --data "$demo_data" --out examples/aco-shared-savings/out
else
  echo "   (skipped: $demo_data not found; see docs/reference-data.md)"
fi
echo
echo "== Example 2: the same data, settled only on members attributed to the ACO's clinicians"
if [ -d "$demo_data" ]; then
  "$vp" settle examples/aco-attributed/contract.toml \
    --data "$demo_data" --out examples/aco-attributed/out
else
  echo "   (skipped: $demo_data not found; see docs/reference-data.md)"
fi
echo
echo "== Example 3: palliative care case rate by setting, with program data (2,000 members, 2018)"
"$vp" synth --members 2000 --months 12 --seed 2018 --out examples/palliative-case-rate/data-synth
"$vp" settle examples/palliative-case-rate/contract.toml \
  --data examples/palliative-case-rate/data-synth \
  --measures examples/palliative-case-rate/measures.csv --out examples/palliative-case-rate/out
"$vp" cohort examples/palliative-case-rate/contract.toml \
  --data examples/palliative-case-rate/data-synth --out examples/palliative-case-rate/out-cohort
echo
echo "== Metrics of example 1's population (the same members and member-months), by sex and age band"
if [ -d "$demo_data" ]; then
  "$vp" metrics examples/aco-shared-savings/contract.toml --data "$demo_data" \
    --out examples/aco-shared-savings/out-metrics --by sex age_band
else
  echo "   (skipped: $demo_data not found; see docs/reference-data.md)"
fi
echo
echo "== Monitoring of example 3 (targets, triggers, balance of effort and outcomes)"
"$vp" metrics examples/palliative-case-rate/contract.toml \
  --data examples/palliative-case-rate/data-synth \
  --measures examples/palliative-case-rate/measures.csv --out examples/palliative-case-rate/out-metrics
echo
echo "== Example 4: an MSSP benchmark replayed from a settlement report's figures (hypothetical)"
"$vp" benchmark examples/mssp-benchmark/contract.toml \
  --input examples/mssp-benchmark/report-figures.csv --out examples/mssp-benchmark/out
echo
echo "== Example 5: a renewing ACO's benchmark under the rules from 2024 (prior savings, ACPT)"
"$vp" benchmark examples/mssp-benchmark/renewing-2024.toml \
  --input examples/mssp-benchmark/renewing-2024-figures.csv --out examples/mssp-benchmark/out-2024
echo
echo "== Example 6: program economics of example 3 (cost of care, ramp, ROI, risk, variants)"
econ=examples/palliative-cost-model
pal=examples/palliative-case-rate
"$vp" model cost "$econ/assumptions.toml" --data "$pal/data-synth" --contract "$pal/contract.toml" \
  --out "$econ/out/cost"
"$vp" model ramp "$econ/assumptions.toml" --contract "$pal/contract.toml" --out "$econ/out/ramp"
"$vp" model roi --assumptions "$econ/assumptions.toml" --ramp "$econ/out/ramp" --out "$econ/out/roi"
"$vp" model simulate "$pal/contract.toml" --data "$pal/data-synth" --measures "$pal/measures.csv" \
  --years 2000 --seed 7 --out "$econ/out/simulate"
"$vp" model variants "$pal/contract.toml" --data "$pal/data-synth" --measures "$pal/measures.csv" \
  --variants "$econ/variants.csv" --assumptions "$econ/assumptions.toml" --years 1000 \
  --out "$econ/out/variants"
echo
echo "== Example 7: a 30-day heart-failure and pneumonia bundle with a hospital-at-home arm"
hah=examples/hospital-at-home-bundle
"$vp" synth --members 20000 --months 36 --start 2016-01 --seed 7 --hospital-at-home 0.3 \
  --no-program --out "$hah/data-synth"
"$vp" episodes "$hah/contract.toml" --data "$hah/data-synth" --out "$hah/out"
"$vp" settle "$hah/contract.toml" --data "$hah/data-synth" --out "$hah/out-settle"
echo
echo "== Example 8: the partnership record (who does what, readiness, governance log)"
"$vp" partnership check examples/partnership --as-of 2018-10-01 --out examples/partnership/out
echo
echo "Statements: examples/aco-shared-savings/out/statement.html,"
echo "            examples/aco-attributed/out/statement.html (restricted/attribution.csv: who and why),"
echo "            examples/palliative-case-rate/out/statement.html"
echo "Benchmark:  examples/mssp-benchmark/out/benchmark.json, out-2024/benchmark.json"
echo "Metrics:    examples/aco-shared-savings/out-metrics/metrics.csv (docs/metrics.md)"
echo "Monitoring: examples/palliative-case-rate/out-metrics/monitoring.md"
echo "Dashboard:  bash scripts/demo-dashboard.sh   (serves the runs above at http://127.0.0.1:8080/)"
echo "Economics:  examples/palliative-cost-model/out/ (cost, ramp, roi, simulate, variants; docs/modeling.md)"
echo "Episodes:   examples/hospital-at-home-bundle/out/episodes.md (home vs hospital, reconciliation; docs/episodes.md)"
echo "Partnership: examples/partnership/out/partnership.md (gaps, overlaps, readiness, overdue items; docs/partnership.md)"
echo "Runs:       $vp runs   (every run above is recorded; compare two with: $vp compare RUN_A RUN_B)"
echo "Explain any figure, e.g.: $vp explain examples/palliative-case-rate/out layer.case-rate.amount"
