#!/usr/bin/env bash
# Time and peak RSS of report exports (issue 18): the member list of a province of ~90,000 members,
# its ranking and the country's ranking, as XLSX and CSV, on the generated `province` scale (SQLite, release build).
# Each export runs on a fresh server started under `/usr/bin/time -v`, so the peak RSS is that
# one export's (plus the idle server's); the server is stopped by its own pid.
#
#   cargo build --release --bin ketnap && bash benches/reports/run.sh [year]
set -euo pipefail
BIN=${BIN:-${CARGO_TARGET_DIR:-target}/release/ketnap}
YEAR=${1:-2025}
PORT=${PORT:-18787}
DIR=$(mktemp -d)
DB="sqlite://$DIR/province.db?mode=rwc"
"$BIN" generate --scale province --seed 1 --database-url "$DB" 2>/dev/null
head -c 48 /dev/urandom | base64 > "$DIR/secret"
export KETNAP_JWT_SECRET_FILE="$DIR/secret" KETNAP_DATABASE_URL="$DB" KETNAP_RATE_LIMIT_PER_MINUTE=0
TOKEN=$("$BIN" token --subject bench --name Bench --role admin --unit '*' --ttl 1d)
PROVINCE=$(sqlite3 "$DIR/province.db" "SELECT code FROM units WHERE level = 'PROVINCE' ORDER BY code LIMIT 1")
echo "report, seconds, bytes, data rows, peak RSS (KiB)"
for report in members.csv members.xlsx ranking.csv ranking.xlsx national-ranking.csv national-ranking.xlsx; do
  /usr/bin/time -v -o "$DIR/time.txt" "$BIN" serve --listen "127.0.0.1:$PORT" --no-migrate >"$DIR/serve.log" 2>&1 &
  TIMER=$!
  until curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null; do sleep 0.2; done
  OUT="$DIR/out.${report##*.}"
  # The country's ranking takes no unit.
  if [[ $report == national-* ]]; then QUERY="year=$YEAR"; else QUERY="unit=$PROVINCE&year=$YEAR"; fi
  STATS=$(curl -sf -o "$OUT" -w '%{time_total} %{size_download}' -H "Authorization: Bearer $TOKEN" \
    "http://127.0.0.1:$PORT/reports/$report?$QUERY")
  if [[ $report == *.csv ]]; then ROWS=$(( $(wc -l < "$OUT") - 3 )); else ROWS="(xlsx)"; fi
  kill -INT "$(pgrep -P "$TIMER")"
  wait "$TIMER" || true
  RSS=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$DIR/time.txt")
  echo "$report, $STATS, $ROWS, $RSS"
done
rm -rf "$DIR"
