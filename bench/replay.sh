#!/usr/bin/env bash
# Replay as a load simulation: the 20-concurrent-calls scenario, repeated and in parallel, on an embedded
# server. Reports wall time, where the runs' time went (waiting on windows and feeds, sending requests, the
# rest: replay's own work) and webhook step percentiles, then the same sequentially for replay's overhead
# per step.
#   bench/replay.sh [path/to/vapidash]  (default: build/release/cli/vapidash; build it with the release preset)
# Env: REPEAT (default 50), PARALLEL (10).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
binary=${1:-$here/../build/release/cli/vapidash}
repeat=${REPEAT:-50}
parallel=${PARALLEL:-10}
scenario=$here/../scenarios/twenty-concurrent-calls.json
[ -x "$binary" ] || { echo "bench: no binary at $binary: cmake --preset release && cmake --build --preset release" >&2; exit 2; }

report() {
  python3 -c '
import json, sys
d = json.load(sys.stdin); runs = d["runs"]
total = sum(r["took_ms"] for r in runs); waited = sum(r["waited_ms"] for r in runs)
sending = sum(r["sending_ms"] for r in runs); steps = sum(len(r["steps"]) for r in runs)
hooks = sorted(s["took_us"] for r in runs for s in r["steps"] if s["action"] == "webhook")
pct = lambda p: hooks[min(len(hooks) - 1, int(len(hooks) * p))]
passed, failed, wall = d["passed"], d["failed"], d["took_ms"]
print(f"{sys.argv[1]}: {passed} passed, {failed} failed, {steps} steps in {wall} ms wall")
print(f"  of {total} ms summed over runs: waiting {100 * waited / total:.0f} %, sending {100 * sending / total:.0f} %,"
      f" replay itself {100 * (total - waited - sending) / total:.0f} % ({1000 * (total - waited - sending) / steps:.0f} us per step)")
print(f"  webhook step p50 {pct(0.5)} us, p99 {pct(0.99)} us")
' "$1"
}

"$binary" replay "$scenario" --embedded --repeat "$repeat" --parallel "$parallel" --json |
  report "--repeat $repeat --parallel $parallel"
"$binary" replay "$scenario" --embedded --repeat 20 --parallel 1 --json | report "--repeat 20 --parallel 1"
