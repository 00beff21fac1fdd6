#!/usr/bin/env bash
# Installs the Debian packages valuepact needs, and only those that are missing.
# Idempotent; run as root (or with sudo available) on Debian 12.
#   scripts/install-deps.sh          what `make build`, `make test` and `make test-asan` need
#   scripts/install-deps.sh --fuzz   also clang and its sanitizer and libFuzzer runtimes
#                                    (`make fuzz`)
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libcli11-dev libtomlplusplus-dev nlohmann-json3-dev libsimdjson-dev libfmt-dev libspdlog-dev
  libtbb-dev libzstd-dev libsqlite3-dev libsqlitecpp-dev libpqxx-dev libcpp-httplib-dev
  libgtest-dev libgmock-dev libbenchmark-dev libssl-dev openssl python3 bc
  libopenmpi-dev openmpi-bin
  postgresql
  # Debian's browser for the dashboard's browser test (never a browser a test tool downloads)
  chromium
)

if [ "${1:-}" = "--fuzz" ]; then
  packages+=(clang libclang-rt-14-dev)
fi

missing=()
# Node.js and npm (the benchmark peer, the web front end) may come from another source than
# Debian's packages: look for the commands, not the package names.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive UCF_FORCE_CONFFOLD=1
# The PostgreSQL server is for the run store's tests, which start their own on 127.0.0.1
# (scripts/pg-test-server.sh): the package must not create and start a cluster of its own.
if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
  $SUDO mkdir -p /etc/postgresql-common
  echo "create_main_cluster = false" | $SUDO tee /etc/postgresql-common/createcluster.conf >/dev/null
fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
