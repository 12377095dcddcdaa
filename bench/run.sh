#!/usr/bin/env bash
# Durable-write throughput (debug create-test-call, VAPI webhook ingest) against the same server's /healthz,
# per sync mode.
#   bench/run.sh [path/to/vapidash]     (default: build/release/cli/vapidash; build it with the release preset)
# Env: DURATION (default 10s), CONNECTIONS (16), WRK_THREADS (2), SERVER_THREADS (2).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
binary=${1:-$here/../build/release/cli/vapidash}
duration=${DURATION:-10s}
connections=${CONNECTIONS:-16}
wrk_threads=${WRK_THREADS:-2}
server_threads=${SERVER_THREADS:-2}

command -v wrk >/dev/null || { echo "bench: wrk is missing: apt-get install wrk" >&2; exit 2; }
[ -x "$binary" ] || { echo "bench: no binary at $binary: cmake --preset release && cmake --build --preset release" >&2; exit 2; }

workdir=$(mktemp -d)
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$workdir"; }
trap cleanup EXIT

start_server() {  # $1 = sync mode; sets server_pid and url
  "$binary" serve --listen 127.0.0.1:0 --db "$workdir/bench-$1.db" --sync "$1" --threads "$server_threads" \
    --log-level warn >"$workdir/serve.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 100); do
    url=$(grep -o 'http://127.0.0.1:[0-9]*' "$workdir/serve.log" | head -1 || true)
    [ -n "$url" ] && return
    sleep 0.1
  done
  echo "bench: the server did not start:" >&2; cat "$workdir/serve.log" >&2; exit 1
}

stop_server() { kill -INT "$server_pid"; wait "$server_pid" || true; server_pid=""; }

# Runs wrk and prints "req/s p50 p99"; fails on any non-2xx answer.
measure() {  # $1 = label, rest = wrk arguments
  local label=$1; shift
  local out
  out=$(wrk --latency -t "$wrk_threads" -c "$connections" -d "$duration" "$@")
  if grep -q "Non-2xx" <<<"$out"; then echo "bench: $label got error answers:" >&2; echo "$out" >&2; exit 1; fi
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  printf '%s %s %s\n' "$rps" "$p50" "$p99"
}

row() {  # sync label rps p50 p99 [ratio]
  printf '%-8s %-26s %12s %10s %10s %8s\n' "$@"
}
ratio() { awk -v w="$1" -v h="$2" 'BEGIN {printf "%.0f%%", 100 * w / h}'; }

mean() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (a + b) / 2}'; }

row sync endpoint "req/s" p50 p99 ratio
for sync in full normal; do
  start_server "$sync"
  # healthz is measured before and after the writes: this machine's speed drifts between runs, and the mean
  # of the two brackets the writes better than either.
  read -r before_rps before_p50 before_p99 < <(measure healthz "$url/healthz")
  read -r create_rps create_p50 create_p99 < <(measure create "$url/api/debug/create-test-call/bench" -s "$here/create_call.lua")
  read -r hook_rps hook_p50 hook_p99 < <(measure webhook "$url/webhooks/vapi/bench" -s "$here/webhook_status.lua")
  read -r after_rps after_p50 after_p99 < <(measure healthz "$url/healthz")
  stop_server
  health_rps=$(mean "$before_rps" "$after_rps")
  row "$sync" "GET /healthz (before)" "$before_rps" "$before_p50" "$before_p99" ""
  row "$sync" "GET /healthz (after)" "$after_rps" "$after_p50" "$after_p99" ""
  row "$sync" "POST create-test-call" "$create_rps" "$create_p50" "$create_p99" "$(ratio "$create_rps" "$health_rps")"
  row "$sync" "POST webhook status-update" "$hook_rps" "$hook_p50" "$hook_p99" "$(ratio "$hook_rps" "$health_rps")"
done
echo "($connections connections, $wrk_threads wrk threads, $server_threads server threads, $duration each;"
echo " ratio = writes / mean of the two healthz runs)"
