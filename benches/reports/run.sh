#!/usr/bin/env bash
# Time and peak RSS of report exports (issue 18): the member list of a province of ~90,000 members,
# its ranking and the country's ranking, as XLSX and CSV, on a generated scale (SQLite, release build).
# Each export runs on a fresh server started under `/usr/bin/time -v`, so the peak RSS is that
# one export's (plus the idle server's) and the first download is cold (nothing cached by the
# server); with REPEAT=n the same server then serves it n−1 more times (warm, the peak RSS
# covering them all). The server is stopped by its own pid.
#
#   cargo build --release --bin ketnap && bash benches/reports/run.sh [year]
#   SCALE=national REPORTS="national-ranking.csv national-ranking.xlsx" bash benches/reports/run.sh 2025
#
# SCALE (default province) is `ketnap generate --scale`; DB_FILE names an SQLite file to use
# instead of generating one (kept afterwards); otherwise the database is generated in a temporary
# directory (TMPDIR) and deleted at the end.
set -euo pipefail
BIN=${BIN:-${CARGO_TARGET_DIR:-target}/release/ketnap}
YEAR=${1:-2025}
PORT=${PORT:-18787}
SCALE=${SCALE:-province}
REPEAT=${REPEAT:-1}
REPORTS=${REPORTS:-members.csv members.xlsx ranking.csv ranking.xlsx national-ranking.csv national-ranking.xlsx}
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
if [[ -n ${DB_FILE:-} ]]; then
  FILE=$DB_FILE
else
  FILE="$DIR/$SCALE.db"
  START=$(date +%s.%N)
  "$BIN" generate --scale "$SCALE" --seed 1 --database-url "sqlite://$FILE?mode=rwc" >/dev/null 2>&1
  echo "generated --scale $SCALE in $(echo "$(date +%s.%N) - $START" | bc) s, $(du -h "$FILE" | cut -f1)"
fi
DB="sqlite://$FILE?mode=rwc"
head -c 48 /dev/urandom | base64 > "$DIR/secret"
export KETNAP_JWT_SECRET_FILE="$DIR/secret" KETNAP_DATABASE_URL="$DB" KETNAP_RATE_LIMIT_PER_MINUTE=0
TOKEN=$("$BIN" token --subject bench --name Bench --role admin --unit '*' --ttl 1d)
PROVINCE=$(sqlite3 "$FILE" "SELECT code FROM units WHERE level = 'PROVINCE' ORDER BY code LIMIT 1")
echo "report, run, seconds, bytes, data rows, peak RSS (KiB)"
for report in $REPORTS; do
  /usr/bin/time -v -o "$DIR/time.txt" "$BIN" serve --listen "127.0.0.1:$PORT" --no-migrate >"$DIR/serve.log" 2>&1 &
  TIMER=$!
  until curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null; do sleep 0.2; done
  OUT="$DIR/out.${report##*.}"
  # The country's ranking takes no unit.
  if [[ $report == national-* ]]; then QUERY="year=$YEAR"; else QUERY="unit=$PROVINCE&year=$YEAR"; fi
  LINES=()
  for run in $(seq 1 "$REPEAT"); do
    STATS=$(curl -sf -o "$OUT" -w '%{time_total} %{size_download}' -H "Authorization: Bearer $TOKEN" \
      "http://127.0.0.1:$PORT/reports/$report?$QUERY")
    if [[ $report == *.csv ]]; then ROWS=$(( $(wc -l < "$OUT") - 3 )); else ROWS="(xlsx)"; fi
    if [[ $run == 1 ]]; then WHICH=cold; else WHICH="warm $run"; fi
    LINES+=("$report, $WHICH, $STATS, $ROWS")
  done
  kill -INT "$(pgrep -P "$TIMER")"
  wait "$TIMER" || true
  RSS=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$DIR/time.txt")
  for line in "${LINES[@]}"; do echo "$line, $RSS"; done
done
