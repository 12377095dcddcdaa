#!/usr/bin/env bash
# Install what is missing, build with warnings as errors, and run the whole test suite.
#   scripts/test.sh            dev preset (Debug, ASan+UBSan, warnings as errors)
#   scripts/test.sh tsan       the in-process suites (unit, integration) under ThreadSanitizer
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-dev}
scripts/install-deps.sh --test
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
ctest --preset "$preset" --parallel 2
