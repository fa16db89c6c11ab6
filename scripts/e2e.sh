#!/usr/bin/env bash
# Runs the web UI's end-to-end browser story (web/e2e/) against a real, fresh `banana serve`:
# SQLite + a local folder in a temporary BANANA_DATA_DIR, the real models, Debian's Chromium.
#
#   scripts/e2e.sh
#
# Environment (all optional):
#   BANANA_MODELS_DIR   model cache (default $HOME/.cache/banana/models; `banana models fetch` fills it)
#   E2E_SCREENSHOTS     where the screenshots go (default web/test-results/e2e-screenshots)
#   E2E_READY_TIMEOUT   seconds to wait for the server and its models (default 120)
#   E2E_KEEP_DATA=1     keep the temporary data folder and server log (printed at the end)
#   E2E_LABEL_TIMEOUT_MS how long labeling may take in the story (default here 60000)
#   BANANA_SAMPLES, CHROMIUM_PATH, E2E_USERNAME, E2E_PASSWORD: passed through to the story (web/README.md)
#
# The story runs twice against the one server: at desktop size (it sets the server up: its
# account is the administrator), then at phone size (390×844, touch) as a second account the
# script adds through the API. Screenshots of the phone run end in `-phone`.
#
# The exit code is 0 when every step of both runs passed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
log() { printf '\n== %s ==\n' "$*"; }

export BANANA_MODELS_DIR=${BANANA_MODELS_DIR:-$HOME/.cache/banana/models}
export E2E_SCREENSHOTS=${E2E_SCREENSHOTS:-$root/web/test-results/e2e-screenshots}
ready_timeout=${E2E_READY_TIMEOUT:-120}
# The script waits for the models before the story starts, so labels come within seconds; a
# minute is plenty and keeps a broken run short.
export E2E_LABEL_TIMEOUT_MS=${E2E_LABEL_TIMEOUT_MS:-60000}

work=$(mktemp -d "${TMPDIR:-/tmp}/banana-e2e.XXXXXX")
server_pid=""
cleanup() {
  local rc=$?
  stop_server
  if [ "${E2E_KEEP_DATA:-}" = 1 ]; then
    echo "kept data folder and server log in $work" >&2
  else
    rm -rf "$work"
  fi
  exit "$rc"
}
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
    || node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

log "browser"
chromium_path=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ ! -x "$chromium_path" ]; then
  echo "installing Debian's chromium"
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
  [ -x "$chromium_path" ] || chromium_path=$(command -v chromium)
fi
export CHROMIUM_PATH=$chromium_path
"$CHROMIUM_PATH" --version 2>/dev/null || true

log "web UI: install and build (debug servers read web/dist at run time)"
(
  cd web
  [ -d node_modules ] || npm ci --no-audit --no-fund
  npm run build
)

log "server: cargo build"
# Note: another cargo build in this checkout holds the target-directory lock ("Blocking waiting
# for file lock"); this step then waits for it.
cargo build --locked -p banana
bin=${CARGO_TARGET_DIR:-$root/target}/debug/banana

log "server: start"
port=$(free_port)
export BANANA_URL=http://127.0.0.1:$port
mkdir -p "$work/data"
# Run from the temporary folder so a `.env` in the repository does not leak into the test server.
(
  cd "$work"
  exec env BANANA_LISTEN=127.0.0.1:$port BANANA_DATA_DIR="$work/data" \
    DATABASE_URL= PSQL_DB_NAME= S3_ENDPOINT_URL= DEMO_MODE=false \
    BANANA_OPEN_REGISTRATION=false BANANA_MODELS_AUTO_FETCH=true \
    "$bin" serve
) >"$work/server.log" 2>&1 &
server_pid=$!
echo "banana serve (pid $server_pid) on $BANANA_URL, data in $work/data, models in $BANANA_MODELS_DIR"

wait_for() { # description, then a command that succeeds when ready
  local what=$1; shift
  local deadline=$((SECONDS + ready_timeout))
  until "$@"; do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "banana serve exited while waiting for $what; its log:" >&2
      tail -n 50 "$work/server.log" >&2
      return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "timed out after ${ready_timeout}s waiting for $what; server log:" >&2
      tail -n 50 "$work/server.log" >&2
      return 1
    fi
    sleep 0.5
  done
}
readyz() { curl -fsS -o /dev/null "$BANANA_URL/readyz" 2>/dev/null; }
models_ready() {
  local state
  state=$(curl -fsS "$BANANA_URL/api/v1/info" 2>/dev/null \
    | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{console.log(JSON.parse(s).models.state)}catch{console.log("?")}})')
  if [ "$state" = failed ]; then
    echo "models failed to load: $(curl -fsS "$BANANA_URL/api/v1/info")" >&2
    kill "$server_pid" 2>/dev/null || true
    return 1
  fi
  [ "$state" = ready ]
}
wait_for "/readyz" readyz
echo "/readyz OK"
wait_for 'models state "ready" in /api/v1/info' models_ready
echo "info: $(curl -fsS "$BANANA_URL/api/v1/info")"

log "end-to-end story (screenshots in $E2E_SCREENSHOTS)"
rm -rf "$E2E_SCREENSHOTS"
mkdir -p "$E2E_SCREENSHOTS"
# The desktop run sets the server up with this account (the administrator); the phone run signs in
# as a second one, added below, so it starts from an empty library of its own.
export E2E_USERNAME=${E2E_USERNAME:-e2e$(date +%s)}
export E2E_PASSWORD=${E2E_PASSWORD:-e2e-correct-horse-battery}
phone_user=${E2E_USERNAME}-phone
set +e
(cd web && E2E_VIEWPORT=desktop npm run e2e) 2>&1 | tee "$work/e2e.log"
rc=${PIPESTATUS[0]}
set -e

add_phone_user() {
  local token
  token=$(curl -fsS -X POST -H 'Content-Type: application/json' \
      -d "{\"username\":\"$E2E_USERNAME\",\"password\":\"$E2E_PASSWORD\"}" "$BANANA_URL/api/v1/auth/login" \
    | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).token))') || return 1
  curl -fsS -o /dev/null -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$phone_user\",\"password\":\"$E2E_PASSWORD\",\"is_admin\":true}" "$BANANA_URL/api/v1/admin/users"
}
log "end-to-end story at phone size (390×844, touch), as $phone_user"
rc_phone=1
if add_phone_user; then
  set +e
  (cd web && E2E_VIEWPORT=phone E2E_USERNAME=$phone_user npm run e2e) 2>&1 | tee "$work/e2e-phone.log"
  rc_phone=${PIPESTATUS[0]}
  set -e
else
  echo "could not add the account $phone_user (did the desktop run set the server up?)" | tee "$work/e2e-phone.log"
  echo "# fail 1" >>"$work/e2e-phone.log"
fi
[ "$rc" -ne 0 ] || rc=$rc_phone
if ! kill -0 "$server_pid" 2>/dev/null; then
  echo "banana serve is no longer running (it stopped during the story); the end of its log:"
  tail -n 20 "$work/server.log"
  [ "$rc" -ne 0 ] || rc=1
fi
stop_server
if [ "$rc" -ne 0 ]; then
  log_copy=${TMPDIR:-/tmp}/banana-e2e-server.log
  cp "$work/server.log" "$log_copy" && echo "server log: $log_copy"
fi
echo "e2e exit code: $rc (whole run ${SECONDS}s; screenshots in $E2E_SCREENSHOTS)"
# Close with the test runner's summaries (# tests / # pass / # fail / # skipped).
for run in desktop phone; do
  f=$work/e2e.log
  [ "$run" = desktop ] || f=$work/e2e-phone.log
  echo "-- $run:"
  grep -E '^# (tests|suites|pass|fail|cancelled|skipped|todo) [0-9]+$' "$f" 2>/dev/null || echo "# fail 1"
done
exit "$rc"
