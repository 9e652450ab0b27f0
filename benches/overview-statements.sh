#!/usr/bin/env bash
# One cold province overview (examples/province_overview.graphql, P01's 2025) with PostgreSQL's
# statement log on around it, after a warm-up request for P02; prints the request's time and its
# statements' durations, slowest first (BENCHMARKS.md, "Admissions by profile").
#
# Usage: benches/overview-statements.sh SERVER_BIN [HOW_MANY]
# Environment: DB (the generated national database), PG_LOG (the server's log file), TOKEN_BIN
# (the binary that issues the token, default SERVER_BIN), KETNAP_NO_MIGRATE=true to run an older
# build on a newer database. Needs psql with the right to ALTER SYSTEM.
set -eu
BIN=$1
DB=${DB:-postgres://postgres@127.0.0.1:5432/ketnap_bench_national}
PG_LOG=${PG_LOG:-$(ls /var/log/postgresql/postgresql-*-main.log | head -1)}
EXAMPLE=$(dirname "$0")/../examples/province_overview.graphql
export KETNAP_JWT_SECRET=${KETNAP_JWT_SECRET:-0123456789abcdef0123456789abcdef0123456789}
TOKEN=$(${TOKEN_BIN:-$BIN} token --subject bench --role admin --unit '*' --database-url "$DB" 2>/dev/null)
"$BIN" serve --database-url "$DB" --listen 127.0.0.1:18080 --read-cache-entries 0 >/tmp/overview-statements-serve.log 2>&1 &
PID=$!
trap 'kill $PID' EXIT
for _ in $(seq 1 50); do curl -s -o /dev/null http://127.0.0.1:18080/health && break; sleep 0.3; done
body() { python3 -c 'import json,sys;print(json.dumps({"query":open(sys.argv[1]).read(),"variables":{"code":sys.argv[2],"year":2025}}))' "$EXAMPLE" "$1"; }
ask() { curl -s -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -d "$(body "$1")" http://127.0.0.1:18080/graphql -o "$2"; }
ask P02 /dev/null
psql -qU postgres -h 127.0.0.1 -c "ALTER SYSTEM SET log_min_duration_statement = 0" -c "SELECT pg_reload_conf()" >/dev/null
sleep 0.5
START=$(wc -l < "$PG_LOG")
T0=$(date +%s.%N)
ask P01 /tmp/overview-statements.json
T1=$(date +%s.%N)
psql -qU postgres -h 127.0.0.1 -c "ALTER SYSTEM RESET log_min_duration_statement" -c "SELECT pg_reload_conf()" >/dev/null
echo "request: $(python3 -c "print(round(($T1-$T0)*1000,1))") ms; errors: $(python3 -c 'import json;print(len(json.load(open("/tmp/overview-statements.json")).get("errors",[])))')"
tail -n +$((START + 1)) "$PG_LOG" | grep -o "duration: [0-9.]* ms  [a-z]*[^:]*: .\{0,160\}" | sort -t' ' -k2 -rn | head -"${2:-14}"
