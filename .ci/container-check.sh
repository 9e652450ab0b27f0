#!/usr/bin/env bash
# Builds the production image from the Dockerfile and runs compose.yaml's stack (PostgreSQL 15,
# ketnap, the token key as a secret) long enough to write and read through it: a token issued
# inside the container, a unit created over HTTP, read back, and the readiness probe. Fails
# (non-zero) on any step. Where no registry is reachable, the public base images are replaced by
# local stand-ins made from Debian's packages (.ci/images.sh); the Dockerfile and compose.yaml are
# used unchanged, through their build arguments and image variables.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"

bash .ci/images.sh
echo "-- docker build (release, pinned toolchain 1.95.0)"
docker build \
  --build-arg BUILDER=ketnap-local/rust:1.95 \
  --build-arg RUNTIME=ketnap-local/debian:bookworm-slim \
  -t ketnap:ci .
docker image ls ketnap:ci

# The stack runs from a scratch folder: compose.yaml as committed, a fresh key and password.
stack="$(mktemp -d /tmp/ketnap-compose.XXXXXX)"
cp compose.yaml "$stack/"
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$stack/ketnap-token.key"
chown 10001 "$stack/ketnap-token.key" && chmod 400 "$stack/ketnap-token.key"
http_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
metrics_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
cat > "$stack/.env" <<ENV
POSTGRES_PASSWORD=ci-$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')
POSTGRES_IMAGE=ketnap-local/postgres:15
KETNAP_IMAGE=ketnap:ci
KETNAP_HTTP_PORT=$http_port
KETNAP_METRICS_PORT=$metrics_port
ENV
compose() { (cd "$stack" && docker-compose -p ketnap-ci "$@"); }
cleanup() {
  status=$?
  if [ $status -ne 0 ]; then compose logs --no-color --tail=50 || true; fi
  compose down -v --remove-orphans >/dev/null 2>&1 || true
  rm -rf "$stack"
  exit $status
}
trap cleanup EXIT

echo "-- compose up"
compose up -d
ketnap_container="$(compose ps -q ketnap)"
for _ in $(seq 1 90); do
  health="$(docker inspect -f '{{.State.Health.Status}}' "$ketnap_container")"
  [ "$health" = healthy ] && break
  sleep 2
done
echo "ketnap container health: $health"
[ "$health" = healthy ] || { echo "FAILED: the ketnap container never became healthy"; exit 1; }

token="$(compose exec -T ketnap ketnap token --subject ci --role admin --unit '*' | tr -d '\r\n')"
[ -n "$token" ] || { echo "FAILED: no token from 'ketnap token' in the container"; exit 1; }

graphql() {
  curl --fail-with-body -sS "http://127.0.0.1:$http_port/graphql" \
    -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$1"
}
created="$(graphql '{"query":"mutation { createUnit(input: {code: \"CI\", name: \"Tỉnh Thử nghiệm\", level: PROVINCE, kind: PROVINCE, establishedOn: \"2020-01-01\"}) { unit { code name } } }"}')"
echo "createUnit: $created"
read_back="$(graphql '{"query":"{ unit(code: \"CI\") { code name } }"}')"
echo "unit(code: \"CI\"): $read_back"
expected='{"data":{"unit":{"code":"CI","name":"Tỉnh Thử nghiệm"}}}'
[ "$read_back" = "$expected" ] || { echo "FAILED: expected $expected"; exit 1; }
curl --fail -sS "http://127.0.0.1:$http_port/readyz" && echo
# The body is read whole before grep looks at it: `curl | grep -m1` under pipefail failed when grep
# stopped reading at its match and curl could not write the rest (curl: (23) Failed writing body).
metrics="$(curl --fail -sS "http://127.0.0.1:$metrics_port/metrics")"
grep -m1 '^ketnap_build_info' <<<"$metrics" \
  || { echo "FAILED: no ketnap_build_info on the metrics port"; exit 1; }
echo "container check passed: image built, stack up, a write and a read through PostgreSQL"
