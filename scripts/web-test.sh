#!/usr/bin/env bash
# The dashboard's browser test (web/e2e/dashboard.mjs), run by ctest: records the palliative
# example's runs (two settlements, metrics, cohort, the partnership record) in a store of its own, adds a
# PHI analyst of the plan and a viewer of the provider, starts `valuepact serve` with the built
# dashboard on 127.0.0.1, settles a changed contract for the what-if check, runs the browser
# test, and stops the server. Screenshots and the meeting pack go to BUILD/web-artifacts.
#   scripts/web-test.sh BUILD_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(cd "$1" && pwd)
vp="$build/valuepact"
if [ ! -x /usr/bin/chromium ]; then
  echo "web-test: /usr/bin/chromium is not installed (scripts/install-deps.sh installs it)" >&2
  exit 1
fi
if [ ! -f "$build/web/index.html" ]; then
  echo "web-test: $build/web/index.html is missing: the dashboard was not built" >&2
  exit 1
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/valuepact-web.XXXXXX")
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
export VALUEPACT_STORE="$work/runs.sqlite"
pal=examples/palliative-case-rate
"$vp" synth --members 2000 --months 12 --seed 2018 --out "$work/data" >/dev/null
# An earlier settlement on data without the last 100 members' eligibility, so that the latest
# one has members who entered.
cp -r "$work/data" "$work/data-earlier"
head -n -100 "$work/data/eligibility.csv" > "$work/data-earlier/eligibility.csv"
"$vp" settle "$pal/contract.toml" --data "$work/data-earlier" --measures "$pal/measures.csv" \
  --out "$work/settle-earlier" >/dev/null 2>&1
"$vp" settle "$pal/contract.toml" --data "$work/data" --measures "$pal/measures.csv" \
  --out "$work/settle" >/dev/null
"$vp" metrics "$pal/contract.toml" --data "$work/data" --measures "$pal/measures.csv" \
  --out "$work/metrics" >/dev/null
"$vp" cohort "$pal/contract.toml" --data "$work/data" --out "$work/cohort" >/dev/null
"$vp" partnership check examples/partnership --as-of 2018-10-01 --out "$work/record" \
  >/dev/null 2>&1
"$vp" admin org-add plan --name "Example Medicare Advantage Plan" >/dev/null
"$vp" admin org-add palliative --name "Example Community Palliative Care" >/dev/null
"$vp" admin user-add ana --org plan --role analyst --phi >/dev/null
"$vp" admin user-add vic --org palliative --role viewer >/dev/null
"$vp" admin partnership-add palliative-2018 --name "Plan and palliative care team" \
  --party plan --party palliative --contract palliative-case-rate-2018 >/dev/null
token() { "$vp" admin token-add "$1" --days 1 | grep -o 'vp_[A-Za-z0-9_-]*' | head -1; }
TOKEN_PHI=$(token ana)
TOKEN_VIEWER=$(token vic)

# The what-if the browser makes, settled from a changed contract file (whose worked examples,
# written for the signed terms, no longer hold).
key=payment.shared-savings.sharing_rate
value=0.2
sed 's/^sharing_rate = 0.40$/sharing_rate = 0.20/' "$pal/contract.toml" > "$work/changed.toml"
grep -q '^sharing_rate = 0.20$' "$work/changed.toml"
"$vp" settle "$work/changed.toml" --data "$work/data" --measures "$pal/measures.csv" \
  --out "$work/changed" --no-store --ignore-examples >/dev/null
cut -d, -f1 "$work/data/eligibility.csv" | tail -n +2 | sort -u > "$work/member-ids.txt"

"$vp" serve --port 0 --web "$build/web" > "$work/serve.log" 2>&1 &
server=$!
port=""
for _ in $(seq 1 100); do
  port=$(grep -o '127.0.0.1:[0-9]*' "$work/serve.log" | head -1 | cut -d: -f2 || true)
  [ -n "$port" ] && break
  sleep 0.1
done
if [ -z "$port" ]; then
  echo "web-test: the server did not start:" >&2
  cat "$work/serve.log" >&2
  exit 1
fi
BASE="http://127.0.0.1:$port/" ARTIFACTS="$build/web-artifacts" SUMMARY="$work/settle/summary.json" \
  CHANGED_SUMMARY="$work/changed/summary.json" MEMBER_IDS="$work/member-ids.txt" \
  EARLIER_SUMMARY="$work/settle-earlier/summary.json" \
  TOKEN_PHI="$TOKEN_PHI" TOKEN_VIEWER="$TOKEN_VIEWER" WHAT_IF_KEY="$key" WHAT_IF_VALUE="$value" \
  node web/e2e/dashboard.mjs
