#!/usr/bin/env bash
# The metrics endpoint's cost on the drill-down, counted in instructions (callgrind), which do not
# depend on what else the two cores are doing: the server runs under callgrind with the metrics
# recorder off and on; after a warm-up its counters are zeroed, it answers N drill-downs of the
# first province (c = 1), and the dump gives the instructions per request. Read cache on (the
# cheapest request, so the recorder's share is largest) and off (KETNAP_READ_CACHE_ENTRIES=0).
# Usage: bash benches/load/metrics-cost.sh [sqlite-database-url] [requests]
set -euo pipefail
cd "$(dirname "$0")/../.."
db="${1:-sqlite:///tmp/ketnap-small.db?mode=rwc}"
requests="${2:-300}"
bin="${KETNAP_BIN:-target/release/ketnap}"
[ -x "$bin" ] || cargo build --release --bin ketnap
command -v valgrind >/dev/null || { echo "valgrind is needed"; exit 1; }
secret="metrics-cost-$(date +%s)-0123456789abcdefghijklmnop"
out="$(mktemp -d /tmp/ketnap-metrics-cost.XXXXXX)"
token="$(KETNAP_JWT_SECRET="$secret" KETNAP_DATABASE_URL="$db" "$bin" token --subject bench --role admin --unit '*' --ttl 1d)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

measure() { # label, extra env...
  local label="$1"; shift
  local port; port="$(free_port)"
  env "$@" KETNAP_JWT_SECRET="$secret" KETNAP_RATE_LIMIT_PER_MINUTE=0 RUST_LOG=warn \
    valgrind --tool=callgrind --callgrind-out-file="$out/$label.%p" "$bin" serve --database-url "$db" \
    --listen "127.0.0.1:$port" >"$out/$label.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/livez" >/dev/null && break; sleep 1; done
  local code
  code="$(curl -sf "http://127.0.0.1:$port/graphql" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"query":"{ provinces(first: 1) { nodes { code } } }"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["provinces"]["nodes"][0]["code"])')"
  local body
  body="$(python3 -c 'import json,sys; print(json.dumps({"query": "query($code: String!, $year: Int!) { unit(code: $code) { code name children(first: 100) { nodes { code name stats(period: { year: $year }) { admissions assignedTarget attainment { ratio percent } } } } } }", "variables": {"code": sys.argv[1], "year": 2025}}))' "$code")"
  for _ in $(seq 1 20); do curl -sf "http://127.0.0.1:$port/graphql" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$body" >/dev/null; done
  callgrind_control -z "$pid" >/dev/null
  for _ in $(seq 1 "$requests"); do
    curl -sf "http://127.0.0.1:$port/graphql" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$body" >/dev/null
  done
  callgrind_control -d "$pid" >/dev/null
  kill "$pid"; wait "$pid" 2>/dev/null || true
  local total
  total="$(cat "$out/$label".*.[0-9]* 2>/dev/null | awk '/^summary:/ {s+=$2} END {print s}')"
  printf '%-28s %14s instructions, %10.0f per request\n' "$label" "$total" "$(echo "$total / $requests" | bc -l)"
}

echo "drill-down of $db, $requests requests after a warm-up of 20, c = 1"
measure "cache on, metrics off"
measure "cache on, metrics on" KETNAP_METRICS_LISTEN=127.0.0.1:0
measure "cache off, metrics off" KETNAP_READ_CACHE_ENTRIES=0
measure "cache off, metrics on" KETNAP_READ_CACHE_ENTRIES=0 KETNAP_METRICS_LISTEN=127.0.0.1:0
rm -rf "$out"
