#!/usr/bin/env bash
# Runs Banana on the embedded default (SQLite + a local folder under ./data), building the web
# UI first when it has not been built. Extra arguments go to `banana serve`.
#
# The release build gets the fast JPEG codec: on x86/x86_64, libjpeg-turbo's SIMD kernels
# (mozjpeg-sys) need nasm at build time, so nasm is installed when missing (apt-get, as
# scripts/test.sh does; brew/dnf elsewhere) and the built binary must report
# "JPEG codec: libjpeg-turbo SIMD". A build made before nasm was there is rebuilt once.
# HEIC/HEIF/AVIF link the system libheif: libheif-dev is installed the same way when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f web/dist/index.html ] || [ -n "$(find web/src web/index.html web/package.json -newer web/dist/index.html 2>/dev/null | head -1)" ]; then
  (cd web && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run build)
fi

case "$(uname -m)" in
  x86_64 | amd64 | i?86)
    if ! command -v nasm >/dev/null; then
      echo "run.sh: installing nasm (libjpeg-turbo's SIMD JPEG codec is assembled with it)"
      sudo=""
      [ "$(id -u)" = 0 ] || sudo="sudo"
      if command -v apt-get >/dev/null; then
        $sudo apt-get update -qq && $sudo apt-get install -y -qq nasm >/dev/null || true
      elif command -v brew >/dev/null; then
        brew install nasm || true
      elif command -v dnf >/dev/null; then
        $sudo dnf install -y nasm || true
      fi
      if ! command -v nasm >/dev/null; then
        echo "run.sh: nasm is missing and could not be installed; install it (apt-get install nasm)." >&2
        echo "  Without it the JPEG codec builds without SIMD and thumbnails are 2-3x slower." >&2
        exit 1
      fi
    fi
    ;;
esac

# HEIC/HEIF/AVIF are decoded by the system libheif: its development files are needed to link.
if ! pkg-config --exists libheif 2>/dev/null; then
  echo "run.sh: installing libheif (HEIC/HEIF/AVIF decoding)"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  if command -v apt-get >/dev/null; then
    $sudo apt-get update -qq && $sudo apt-get install -y -qq pkg-config libheif-dev >/dev/null || true
  elif command -v brew >/dev/null; then
    brew install pkg-config libheif || true
  elif command -v dnf >/dev/null; then
    $sudo dnf install -y pkgconf-pkg-config libheif-devel || true
  fi
  if ! pkg-config --exists libheif 2>/dev/null; then
    echo "run.sh: libheif is missing and could not be installed; install it (apt-get install libheif-dev)." >&2
    exit 1
  fi
fi

cargo build --release --locked -p banana
bin=target/release/banana
codec() { "$bin" config 2>/dev/null | sed -n 's/^JPEG codec: //p'; }
case "$(codec)" in
  "" | "libjpeg-turbo SIMD"*) ;;
  *)
    # mozjpeg-sys decided on SIMD when it was first built (before nasm was installed) and
    # cargo does not rebuild it by itself.
    echo "run.sh: the JPEG codec was built without SIMD; rebuilding it with nasm"
    cargo clean --release -p mozjpeg-sys
    cargo build --release --locked -p banana
    ;;
esac
echo "run.sh: JPEG codec: $(codec)"
exec "$bin" serve "$@"
