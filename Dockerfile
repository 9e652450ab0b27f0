# ketnap's production image: built with the pinned toolchain, run as a non-root user on a minimal
# Debian base, health-checked on the readiness probe. README "Operations" has the quick start.
#
# BUILDER and RUNTIME name the public images for real deployments; a machine without a
# container registry passes locally made images instead (.ci/images.sh builds them from Debian
# packages): docker build --build-arg BUILDER=… --build-arg RUNTIME=… .

ARG BUILDER=docker.io/library/rust:1.95-slim-bookworm
ARG RUNTIME=docker.io/library/debian:bookworm-slim

FROM ${BUILDER} AS build
WORKDIR /src
# Dependencies first, so a source change does not rebuild them.
COPY Cargo.toml Cargo.lock ./
COPY migration migration
COPY vendor vendor
RUN mkdir -p src benches/load && echo 'fn main() {}' > src/main.rs && touch src/lib.rs \
    && echo 'fn main() {}' > benches/load/main.rs \
    && cargo build --release --locked --bin ketnap
COPY . .
RUN touch src/main.rs src/lib.rs && cargo build --release --locked --bin ketnap \
    && cp target/release/ketnap /usr/local/bin/ketnap

FROM ${RUNTIME}
# pg_dump and pg_restore for `ketnap backup` / `ketnap restore` on PostgreSQL; curl for the
# health check.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl postgresql-client-15 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /var/lib/ketnap --create-home ketnap
COPY --from=build /usr/local/bin/ketnap /usr/local/bin/ketnap
USER ketnap
WORKDIR /var/lib/ketnap
# MALLOC_ARENA_MAX: glibc keeps an arena per thread that allocated under contention, and SQLite's
# pooled connections each run on a thread of their own; two arenas take the national SQLite
# server's peak from 63-67 to 58-59 MiB (BENCHMARKS.md, "SQLite's pool against its memory goal").
ENV KETNAP_LISTEN=0.0.0.0:8000 \
    KETNAP_METRICS_LISTEN=0.0.0.0:9464 \
    KETNAP_LOG_FORMAT=json \
    MALLOC_ARENA_MAX=2
EXPOSE 8000 9464
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD curl --fail --silent http://127.0.0.1:8000/readyz || exit 1
ENTRYPOINT ["/usr/local/bin/ketnap"]
CMD ["serve"]
