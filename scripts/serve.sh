#!/usr/bin/env bash
# Quick start: install what is missing, build the release binary, run `vapidash serve` (arguments pass through).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target vapidash
exec build/release/cli/vapidash serve "$@"
