#!/usr/bin/env bash
# Installs the Debian 12 packages vapidash needs, when any is missing. Needs root.
#   scripts/install-deps.sh          what building and running needs
#   scripts/install-deps.sh --test   plus what the test suite needs (GoogleTest, the shells of the
#                                    completion tests, clang-format for the format check,
#                                    python3-jsonschema to check scenarios/schema.json, and Chromium and
#                                    Node.js for the dashboard page's browser tests, PostgreSQL 15
#                                    with pg_virtualenv for the scale-out tests)
set -euo pipefail
packages=(cmake ninja-build g++ libboost1.81-dev libboost-url1.81-dev libcli11-dev nlohmann-json3-dev
          libspdlog-dev libsqlite3-dev libssl-dev libpq-dev)
if [ "${1:-}" = "--test" ]; then
  packages+=(libgtest-dev libgmock-dev clang-format zsh fish python3-jsonschema chromium
            postgresql-15 postgresql-common)
fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
# Node.js may come from outside Debian (NodeSource's nodejs has npm inside): Debian's only where there is none.
if [ "${1:-}" = "--test" ] && ! command -v node >/dev/null; then
  missing+=(nodejs npm)
fi
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing ${missing[*]}; run as root or: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
