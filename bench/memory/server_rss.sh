#!/usr/bin/env bash
# The resident memory of a `banana serve` with every model loaded, before and while it analyses
# uploads and after: starts a server on a fresh data folder (SQLite + folder, in-process
# worker), uploads photos one by one through the HTTP API, waits until every analysis job is
# done, and prints VmRSS / VmHWM from /proc at each step plus how the RSS sampled every 0.2 s
# was spread while it worked.
#
# Usage: bench/memory/server_rss.sh [--binary PATH] [--port N] [--per-dir N] DIR...
#   DIR...      folders of photos; the first N of each (sorted by name) are uploaded, in turn.
#               The figures in the closing notes use, in this order:
#                 ~/.cache/banana-ingest-bench/large-12mp  (12 MP photos; bench/ingest/compare.sh makes them)
#                 ~/.cache/banana-eval/text-set            (rendered text; bench/quality/make_text_set.py)
#                 ../shared/data/imagenet-sample
#   --binary    default: target/release/banana (built here when missing)
#   --per-dir   photos taken from each DIR (default 20)
# Extra environment (e.g. BANANA_WORKER_BATCH=1) is passed on to the server.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
bin="" port=8399 per_dir=20 dirs=()
while [ $# -gt 0 ]; do
  case $1 in
    --binary) bin=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --per-dir) per_dir=$2; shift 2 ;;
    -*) echo "unknown option: $1" >&2; exit 2 ;;
    *) dirs+=("$1"); shift ;;
  esac
done
[ ${#dirs[@]} -gt 0 ] || { sed -n 2,16p "$0" >&2; exit 2; }
if [ -z "$bin" ]; then
  bin="${CARGO_TARGET_DIR:-$repo/target}/release/banana"
  [ -x "$bin" ] || (cd "$repo" && cargo build --release --locked -q -p banana)
fi
data=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$data"' EXIT
export BANANA_DATA_DIR=$data BANANA_LISTEN=127.0.0.1:$port BANANA_METRICS_TOKEN=bench
export BANANA_MODELS_DIR=${BANANA_MODELS_DIR:-$HOME/.cache/banana/models}
base=http://127.0.0.1:$port

echo "bench-rss-password" | "$bin" user create --username bench --admin >/dev/null
"$bin" serve >"$data/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 300); do
  curl -sf "$base/readyz" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { cat "$data/serve.log" >&2; exit 1; }
  sleep 0.5
done
curl -sf "$base/readyz" >/dev/null || { echo "server not ready; log: $data/serve.log" >&2; exit 1; }
token=$(curl -sf -H 'Content-Type: application/json' \
  -d '{"username":"bench","password":"bench-rss-password"}' "$base/api/v1/auth/login" \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')

mib() { awk -v k="$1:" '$1 == k {printf "%.0f", $2 / 1024}' "/proc/$server/status"; }
step() { printf '%-28s rss %5s MiB   hwm %5s MiB\n' "$1" "$(mib VmRSS)" "$(mib VmHWM)"; }
pending() {  # jobs queued or running; "?" when /metrics does not answer (keeps waiting)
  local m
  m=$(curl -sf -H "Authorization: Bearer bench" "$base/metrics") || { echo "?"; return; }
  printf '%s\n' "$m" | awk '
    /^banana_jobs\{/ && (/state="queued"/ || /state="running"/) {n += $2}
    END {print n + 0}'
}

sleep 2
step "idle, models loaded"
(while kill -0 "$server" 2>/dev/null; do mib VmRSS; echo; sleep 0.2; done) >"$data/series" 2>/dev/null &
sampler=$!
n=0 failed=0
for dir in "${dirs[@]}"; do
  while IFS= read -r f; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" \
      -F "file=@$f" "$base/api/v1/images")
    [ "$code" = 201 ] || [ "$code" = 200 ] || failed=$((failed + 1))
    n=$((n + 1))
  done < <(find "$dir" -maxdepth 1 -type f \( -iname "*.jp*g" -o -iname "*.png" -o -iname "*.heic" -o -iname "*.tif*" \) \
    | sort | head -n "$per_dir")
  step "after $n uploads"
done
while [ "$(pending)" != 0 ]; do sleep 1; done
kill "$sampler" 2>/dev/null || true
step "every job done"
ticks=$(getconf CLK_TCK)
awk -v t="$ticks" '{sub(/^.*\) /, ""); printf "server CPU so far: user %.1f s, sys %.1f s\n", $12 / t, $13 / t}' "/proc/$server/stat"
sleep 20
step "20 s later"
echo "uploads: $n ($failed not accepted); RSS while working (0.2 s samples), MiB:"
sort -n "$data/series" | awk 'NF {v[++n] = $1} END {
  printf "  median %d   p90 %d   max %d   (%d samples)\n", v[int(n/2)+1], v[int(n*0.9)+1], v[n], n}'
