#!/usr/bin/env bash
# Runs Banana on the embedded default (SQLite + a local folder under ./data), building the web
# UI first when it has not been built. Extra arguments go to `banana serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f web/dist/index.html ] || [ -n "$(find web/src web/index.html web/package.json -newer web/dist/index.html 2>/dev/null | head -1)" ]; then
  (cd web && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run build)
fi
exec cargo run --release --locked -p banana -- serve "$@"
