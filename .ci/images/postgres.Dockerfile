# A stand-in for docker.io/library/postgres:15-bookworm on machines without a container registry:
# Debian's PostgreSQL 15 with an entry point that honours the same POSTGRES_USER, POSTGRES_DB and
# POSTGRES_PASSWORD variables and data directory, so compose.yaml runs unchanged against it.
ARG DEBIAN=ketnap-local/debian:bookworm-slim
FROM ${DEBIAN}
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-15 \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /var/lib/postgresql/data /var/run/postgresql \
    && chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql
ENV PATH=/usr/lib/postgresql/15/bin:$PATH PGDATA=/var/lib/postgresql/data
COPY postgres-entrypoint.sh /usr/local/bin/postgres-entrypoint.sh
USER postgres
EXPOSE 5432
ENTRYPOINT ["/usr/local/bin/postgres-entrypoint.sh"]
