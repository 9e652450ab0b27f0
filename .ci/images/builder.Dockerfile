# The builder base for machines that reach Debian's packages and the Rust toolchain's own
# distribution but no container registry: what docker.io/library/rust:1.95-slim-bookworm gives,
# made from the locally imported Debian base (.ci/images.sh). The toolchain is pinned to 1.95.0.
ARG DEBIAN=ketnap-local/debian:bookworm-slim
FROM ${DEBIAN}
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl gcc libc6-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
# The build machine's trusted certificates (its network may inspect TLS): rustup and cargo
# verify the toolchain's and the crates' servers against them.
COPY host-ca-certificates.crt /usr/local/share/host-ca-certificates.crt
ENV RUSTUP_HOME=/usr/local/rustup CARGO_HOME=/usr/local/cargo PATH=/usr/local/cargo/bin:$PATH \
    SSL_CERT_FILE=/usr/local/share/host-ca-certificates.crt \
    CURL_CA_BUNDLE=/usr/local/share/host-ca-certificates.crt \
    CARGO_HTTP_CAINFO=/usr/local/share/host-ca-certificates.crt
RUN curl --proto '=https' --tlsv1.2 -sSf -o /tmp/rustup-init \
        https://static.rust-lang.org/rustup/dist/x86_64-unknown-linux-gnu/rustup-init \
    && chmod +x /tmp/rustup-init \
    && /tmp/rustup-init -y --no-modify-path --profile minimal --default-toolchain 1.95.0 \
    && rm /tmp/rustup-init && rustc --version
