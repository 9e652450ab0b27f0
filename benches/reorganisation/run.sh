#!/usr/bin/env bash
# Times `ketnap reorganise` on a generated database: the 2025 reorganisation of every province
# (districts abolished, communes merged 3 → 1, provinces merged 2 → 1), dated 2025-07-01.
#
#   bash benches/reorganisation/run.sh SCALE [postgres://…/database]
#
# SCALE is small, province or national. Without a PostgreSQL URL the database is a new SQLite
# file under /tmp/ketnap-reorg; with one, that database must exist and be empty. Either way it is
# generated first (`ketnap generate --scale SCALE --seed 1`), so the reorganisation always
# starts from the generated tree. Prints the generation time, the plan's size, the command's
# wall time and peak RSS (GNU time), and the tree afterwards.
set -euo pipefail
scale=${1:?scale: small, province or national}
url=${2:-}
cd "$(dirname "$0")/../.."
cargo build --release --quiet
bin=target/release/ketnap
work=/tmp/ketnap-reorg
mkdir -p "$work"
if [ -z "$url" ]; then
  rm -f "$work/$scale.db" "$work/$scale.db-wal" "$work/$scale.db-shm"
  url="sqlite://$work/$scale.db?mode=rwc"
fi
/usr/bin/time -f "generate: %e s wall, %M KB peak RSS" "$bin" generate --scale "$scale" --seed 1 --database-url "$url" >/dev/null
python3 benches/reorganisation/national_plan.py "$url" "$work/$scale-plan.csv"
/usr/bin/time -f "reorganise: %e s wall, %U s user, %S s system, %M KB peak RSS" \
  "$bin" reorganise --plan "$work/$scale-plan.csv" --database-url "$url"
count="SELECT level, COUNT(*) FROM units WHERE dissolved_on IS NULL GROUP BY level ORDER BY level"
case "$url" in
  sqlite*) sqlite3 "${url#sqlite://}" "$count" 2>/dev/null || sqlite3 "$(echo "${url#sqlite://}" | cut -d'?' -f1)" "$count" ;;
  *) psql "$url" -At -c "$count" ;;
esac
