#!/usr/bin/env bash
# Where the CPU goes while the load benchmark runs one scenario: seconds of CPU used by the
# server, the load generator and all PostgreSQL backends over a 2 s window of the GraphQL phase.
# Divide by the window and the req/s the benchmark prints to get CPU per request.
# Usage: bash benches/load/cpu-split.sh "<scenario name prefix>" [seconds] [concurrency]
# (after `cargo build --release && cargo bench --bench load --no-run`; URL= overrides the database)
set -euo pipefail
cd "$(dirname "$0")/../.."
SCENARIO="$1"; SECONDS_EACH="${2:-4}"; CONCURRENCY="${3:-4}"
URL="${URL:-postgres://postgres@127.0.0.1:5432/ketnap_bench_national}"
BENCH=$(ls -t target/release/deps/load-* | grep -v '\.d$' | head -1)
"$BENCH" --database-url "$URL" --seconds "$SECONDS_EACH" --concurrency "$CONCURRENCY" --only "$SCENARIO" \
  > target/cpu-split.log 2>&1 &
LOAD=$!
SERVER=""
for _ in $(seq 1 120); do SERVER=$(pgrep -f "ketnap serve" | head -1 || true); [ -n "$SERVER" ] && break; sleep 0.5; done
[ -n "$SERVER" ] || { echo "the server did not start"; exit 1; }
sleep 2 # past the warm-up, inside the GraphQL phase
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
postgres_ticks() {
  local total=0 pid
  for pid in $(pgrep -u postgres || true); do total=$((total + $(ticks "$pid"))); done
  echo "$total"
}
s1=$(ticks "$SERVER"); l1=$(ticks "$LOAD"); p1=$(postgres_ticks)
sleep 2
s2=$(ticks "$SERVER"); l2=$(ticks "$LOAD"); p2=$(postgres_ticks)
HZ=$(getconf CLK_TCK)
wait "$LOAD"
grep "^| $SCENARIO" target/cpu-split.log | head -1
awk -v s=$((s2 - s1)) -v l=$((l2 - l1)) -v p=$((p2 - p1)) -v hz="$HZ" 'BEGIN {
  printf "CPU seconds in 2 s: server %.2f, load generator %.2f, PostgreSQL %.2f\n", s / hz, l / hz, p / hz }'
