#!/usr/bin/env bash
# Quick start: install what is missing, build the release binary, run `vapidash serve` (arguments pass through).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# The server alone: GoogleTest and the other test tools are what scripts/test.sh installs.
cmake --preset release -DVAPIDASH_BUILD_TESTS=OFF >/dev/null
cmake --build --preset release --target vapidash
exec build/release/cli/vapidash serve "$@"
