#!/usr/bin/env bash
# The paged path the member list report took before it was batched (for a before/after): the
# members report's document, 100 rows a request, over HTTP, paged to the end (needs curl, jq, bc).
#
#   BIN=target/debug/ketnap bash benches/reports/paged.sh
set -euo pipefail
BIN=${BIN:-${CARGO_TARGET_DIR:-target}/release/ketnap}; PORT=${PORT:-18799}; DIR=$(mktemp -d)
DB="sqlite://$DIR/province.db?mode=rwc"
"$BIN" generate --scale province --seed 1 --database-url "$DB" >/dev/null 2>&1
head -c 48 /dev/urandom | base64 > "$DIR/secret"
export KETNAP_JWT_SECRET_FILE="$DIR/secret" KETNAP_DATABASE_URL="$DB" KETNAP_RATE_LIMIT_PER_MINUTE=0
TOKEN=$("$BIN" token --subject bench --name Bench --role admin --unit '*' --ttl 1d)
"$BIN" serve --listen "127.0.0.1:$PORT" --no-migrate >"$DIR/serve.log" 2>&1 &
SERVER=$!
until curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null; do sleep 0.2; done
WITHIN=$(curl -s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"query":"{ provinces(first: 1) { nodes { id } } }"}' "http://127.0.0.1:$PORT/graphql" | jq -r '.data.provinces.nodes[0].id')
Q='query Members($within: ID!, $after: String) { members(within: $within, first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { person { fullName gender dateOfBirth ethnicity } status partySince officialSince cell { code name } } } }'
AFTER=null; PAGES=0; ROWS=0; START=$(date +%s.%N)
while :; do
  BODY=$(jq -nc --arg q "$Q" --arg w "$WITHIN" --argjson a "$AFTER" '{query: $q, variables: {within: $w, after: $a}}')
  R=$(curl -s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "$BODY" "http://127.0.0.1:$PORT/graphql")
  PAGES=$((PAGES+1)); ROWS=$((ROWS + $(echo "$R" | jq '.data.members.nodes | length')))
  [[ $(echo "$R" | jq '.data.members.pageInfo.hasNextPage') == true ]] || break
  AFTER=$(echo "$R" | jq '.data.members.pageInfo.endCursor')
done
END=$(date +%s.%N)
echo "old path over HTTP: $PAGES requests, $ROWS rows, $(echo "$END - $START" | bc) s"
kill -INT $SERVER; wait $SERVER || true; rm -rf "$DIR"
