#!/usr/bin/env bash
# make demo: run the bundled examples and say where the results are.
set -euo pipefail
cd "$(dirname "$0")/.."
vp=${1:-build/valuepact}
shared=${VALUEPACT_SHARED:-../shared}

echo "== Example 1: ACO shared savings on the Tuva demo data (100 members, 2018)"
if [ -d "$shared/data/tuva-claims-demo-100" ]; then
  "$vp" settle examples/aco-shared-savings/contract.toml \
    --data "$shared/data/tuva-claims-demo-100" --out examples/aco-shared-savings/out
else
  echo "   (skipped: $shared/data/tuva-claims-demo-100 not found; see docs/reference-data.md)"
fi
echo
echo "== Example 2: palliative care case rate on synthetic data (2,000 members, 2018)"
"$vp" synth --members 2000 --months 12 --seed 2018 --out examples/palliative-case-rate/data-synth
"$vp" settle examples/palliative-case-rate/contract.toml \
  --data examples/palliative-case-rate/data-synth --out examples/palliative-case-rate/out
echo
echo "Statements: examples/aco-shared-savings/out/statement.html and"
echo "            examples/palliative-case-rate/out/statement.html"
echo "Explain any figure, e.g.: $vp explain examples/aco-shared-savings/out net_payer_to_provider"
