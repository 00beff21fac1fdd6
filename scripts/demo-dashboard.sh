#!/usr/bin/env bash
# Opens the dashboard on the runs `make demo` recorded (the palliative example's settlement,
# metrics and cohort, and the partnership record): adds the example's two organizations, a
# viewer of each, and the partnership to the run store if they are not there, issues a one-day
# token for each viewer, and serves the store with the dashboard on 127.0.0.1.
#   scripts/demo-dashboard.sh [PORT]      (default 8080; the store is $VALUEPACT_STORE or the default)
set -euo pipefail
cd "$(dirname "$0")/.."
vp=${VALUEPACT:-build/valuepact}
port=${1:-8080}
quiet() { "$@" >/dev/null 2>&1 || true; }  # already there on a second run
quiet "$vp" admin org-add plan --name "Example Medicare Advantage Plan"
quiet "$vp" admin org-add palliative --name "Example Community Palliative Care"
quiet "$vp" admin user-add plan-analyst --org plan --role analyst --phi
quiet "$vp" admin user-add palliative-viewer --org palliative --role viewer
quiet "$vp" admin partnership-add palliative-2018 --name "Plan and palliative care team" \
  --party plan --party palliative --contract palliative-case-rate-2018
echo "Tokens (paste one into the sign-in box):"
echo "  plan analyst, with PHI:      $("$vp" admin token-add plan-analyst --days 1 | grep -o 'vp_[A-Za-z0-9_-]*' | head -1)"
echo "  palliative viewer, no PHI:   $("$vp" admin token-add palliative-viewer --days 1 | grep -o 'vp_[A-Za-z0-9_-]*' | head -1)"
echo "Open http://127.0.0.1:$port/ in a browser; Ctrl-C stops the server."
exec "$vp" serve --port "$port"
