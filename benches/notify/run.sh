#!/usr/bin/env bash
# Commits and NOTIFY (issue 16, part 3): 32 clients each committing one-row inserts, with no
# NOTIFY, with NOTIFY inside the transaction (what ketnap's mutations did), and with NOTIFY as a
# statement of its own after the commit (what they do now). Usage: bash benches/notify/run.sh [rounds]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
url="${PGURL:-postgres://postgres@127.0.0.1:5432}"
psql "$url/postgres" -qc "CREATE DATABASE ketnap_bench_notify" 2>/dev/null || true
psql "$url/ketnap_bench_notify" -qc "CREATE TABLE IF NOT EXISTS t16_writes (id bigserial PRIMARY KEY, payload text)"
for round in $(seq "${1:-2}"); do
  for script in no-notify in-transaction after-commit; do
    printf 'round %s %-15s ' "$round" "$script"
    pgbench "$url/ketnap_bench_notify" -n -c 32 -j 2 -T 5 -f "$here/$script.sql" 2>&1 | grep -E '^tps' | sed 's/ (without.*//'
  done
done
