#!/usr/bin/env bash
# Local stand-ins for the three public images the Dockerfile and compose.yaml name, for a machine
# (like CI's) that reaches Debian's packages and the Rust toolchain's distribution but no container
# registry. Each image is made once and kept:
#   ketnap-local/debian:bookworm-slim  Debian 12 from debootstrap (minbase), imported
#   ketnap-local/rust:1.95             that, with gcc and the pinned Rust 1.95.0 (rustup, minimal),
#                                      trusting this machine's certificates
#   ketnap-local/postgres:15           that, with Debian's PostgreSQL 15 behind an entry point that
#                                      takes the official image's POSTGRES_* variables
# Usage: bash .ci/images.sh   (needs root, docker and debootstrap)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

have() { docker image inspect "$1" >/dev/null 2>&1; }

if ! have ketnap-local/debian:bookworm-slim; then
  rootfs="$(mktemp -d /tmp/ketnap-rootfs.XXXXXX)"
  echo "debootstrap: Debian bookworm (minbase) into $rootfs"
  debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >/tmp/ketnap-debootstrap.log \
    || { tail -20 /tmp/ketnap-debootstrap.log; exit 1; }
  # The same sources the official image has: the release, its updates and security.
  cat > "$rootfs/etc/apt/sources.list" <<'SOURCES'
deb http://deb.debian.org/debian bookworm main
deb http://deb.debian.org/debian bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
SOURCES
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" -c . | docker import - ketnap-local/debian:bookworm-slim
  rm -rf "$rootfs"
fi
if ! have ketnap-local/rust:1.95; then
  # The context carries this machine's trusted certificates, for a network that inspects TLS.
  context="$(mktemp -d /tmp/ketnap-builder.XXXXXX)"
  cp "$here/images/builder.Dockerfile" "$context/Dockerfile"
  cp /etc/ssl/certs/ca-certificates.crt "$context/host-ca-certificates.crt"
  docker build -t ketnap-local/rust:1.95 "$context"
  rm -rf "$context"
fi
have ketnap-local/postgres:15 \
  || docker build -t ketnap-local/postgres:15 -f "$here/images/postgres.Dockerfile" "$here/images"
docker image ls 'ketnap-local/*'
