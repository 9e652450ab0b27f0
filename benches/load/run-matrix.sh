#!/usr/bin/env bash
# The benchmark matrix of BENCHMARKS.md: small and national scale, on SQLite and PostgreSQL.
# Generates the databases that are missing (seed 1), then runs the load benchmark on each and
# keeps the JSON results in target/bench/. The national databases are also run with the shared read
# cache off, so the API's own cost against its floor stays visible.
# Usage: bash benches/load/run-matrix.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_EACH="${1:-3}"
PG="postgres://postgres@127.0.0.1:5432"
mkdir -p target/bench
cargo build --release
cargo bench --bench load --no-run

generate_sqlite() { # scale file
  [ -f "$2" ] || ./target/release/ketnap generate --scale "$1" --seed 1 --database-url "sqlite://$2?mode=rwc"
}
generate_pg() { # scale database
  if ! psql -h 127.0.0.1 -U postgres -lqt | cut -d'|' -f1 | grep -qw "$2"; then
    createdb -h 127.0.0.1 -U postgres "$2"
    ./target/release/ketnap generate --scale "$1" --seed 1 --database-url "$PG/$2"
  fi
}
bench() { # label url
  cargo bench --bench load -- --database-url "$2" --seconds "$SECONDS_EACH" --label "$1" \
    --json "target/bench/$(echo "$1" | tr ' ,' '__').json"
}

generate_sqlite small /tmp/ketnap-bench-small.db
generate_pg small ketnap_bench_small
generate_pg national ketnap_bench_national
generate_sqlite national /tmp/ketnap-bench-national.db

bench "small, SQLite" "sqlite:///tmp/ketnap-bench-small.db?mode=rwc"
bench "small, PostgreSQL" "$PG/ketnap_bench_small"
bench "national, PostgreSQL" "$PG/ketnap_bench_national"
bench "national, SQLite" "sqlite:///tmp/ketnap-bench-national.db?mode=rwc"
export KETNAP_READ_CACHE_ENTRIES=0 # the server the benchmark starts inherits it
bench "national, PostgreSQL, read cache off" "$PG/ketnap_bench_national"
bench "national, SQLite, read cache off" "sqlite:///tmp/ketnap-bench-national.db?mode=rwc"
