#!/usr/bin/env bash
# ZIP downloads: the server's peak memory while it streams `POST /api/v1/downloads` of 100 and
# of 1000 photos (VmRSS of the `banana serve` process sampled every 20 ms; flat = the same for
# both), the archive checked with `unzip -t`, and the seconds per GB beside `zip -0` (store
# only, as the server does) of the same original files, run side by side.
#
# Usage: bench/zip/compare.sh [PHOTO_DIR]   (default: ../shared/data/imagenet-sample, 1000 JPEGs)
# Builds `banana` (debug profile: dependencies optimised; BANANA_BENCH_PROFILE=release for a
# release build), imports the photos into a temporary SQLite + folder install, serves it on a
# free port, and removes everything at the end.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
photos=${1:-${BANANA_TEST_SHARED_DATA:-$repo/../shared/data}/imagenet-sample}
profile=${BANANA_BENCH_PROFILE:-debug}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$repo/target}
flag=""; [ "$profile" = release ] && flag="--release"
(cd "$repo" && cargo build -q $flag -p banana)
bin=$CARGO_TARGET_DIR/$profile/banana
for t in unzip zip curl; do command -v $t >/dev/null || { echo "$t is missing" >&2; exit 1; }; done

work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$work"' EXIT
export BANANA_DATA_DIR=$work/data DATABASE_URL= PSQL_DB_NAME= S3_ENDPOINT_URL= BANANA_OPEN_REGISTRATION=false
export BANANA_WORKER=false BANANA_MODELS_DIR=$work/no-models BANANA_MODELS_AUTO_FETCH=false   # no labeling: only the download is measured
echo "bench-password-1" | "$bin" user create --username bench >/dev/null
"$bin" import --owner bench "$photos" 2>&1 | tail -1
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BANANA_LISTEN=127.0.0.1:$port "$bin" serve >"$work/server.log" 2>&1 &
pid=$!
base=http://127.0.0.1:$port
until curl -fsS -o /dev/null "$base/readyz" 2>/dev/null; do sleep 0.2; done
token=$(curl -fsS -H 'content-type: application/json' -d '{"username":"bench","password":"bench-password-1"}' \
  "$base/api/v1/auth/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
ids=$(python3 - "$base" "$token" <<'PY'
import json, sys, urllib.request
base, token = sys.argv[1], sys.argv[2]
ids, cursor = [], None
while True:
    url = f"{base}/api/v1/images?limit=100" + (f"&cursor={cursor}" if cursor else "")
    req = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    page = json.load(urllib.request.urlopen(req))
    ids += [i["id"] for i in page["items"]]
    cursor = page["next_cursor"]
    if not cursor:
        break
print(json.dumps(ids))
PY
)
rss() { awk '/^VmRSS:/ {print $2}' /proc/$pid/status; }
download() { # n → prints "peak_rss_kib seconds bytes"
  local n=$1 body="$work/ids-$1.json" out="$work/out-$1.zip"
  python3 -c "import json,sys; print(json.dumps({'image_ids': json.loads(sys.argv[1])[:$n]}))" "$ids" >"$body"
  local peak; peak=$(rss)
  local start; start=$(date +%s%N)
  curl -fsS -o "$out" -H "Authorization: Bearer $token" -H 'content-type: application/json' \
    --data-binary "@$body" "$base/api/v1/downloads" &
  local cpid=$!
  while kill -0 $cpid 2>/dev/null; do
    local r; r=$(rss); [ "$r" -gt "$peak" ] && peak=$r
    sleep 0.02
  done
  wait $cpid
  local secs; secs=$(python3 -c "print(($(date +%s%N) - $start) / 1e9)")
  unzip -tq "$out" >/dev/null || { echo "unzip -t failed on $out" >&2; exit 1; }
  echo "$peak $secs $(stat -c %s "$out")"
}
idle=$(rss)
read -r p100 s100 b100 < <(download 100)
read -r p1000 s1000 b1000 < <(download 1000)
after=$(rss)
read -r p1000b s1000b b1000b < <(download 1000)
files=$(find "$photos" -maxdepth 1 -type f \( -iname '*.jpg' -o -iname '*.jpeg' \) | sort | head -1000)
start=$(date +%s%N)
(cd "$work" && echo "$files" | zip -0 -q -@ zip0.zip)
szip=$(python3 -c "print(($(date +%s%N) - $start) / 1e9)")
bzip=$(stat -c %s "$work/zip0.zip")
python3 - "$idle" "$p100" "$p1000" "$s1000" "$b1000" "$szip" "$bzip" "$s100" "$b100" "$after" "$p1000b" "$s1000b" <<'PY'
import sys
idle, p100, p1000, s1000, b1000, szip, bzip, s100, b100, after, p1000b, s1000b = map(float, sys.argv[1:])
gb = lambda b: b / 1e9
print(f"server RSS idle {idle/1024:.1f} MiB; peak while streaming 100 photos {p100/1024:.1f} MiB, "
      f"1000 photos {p1000/1024:.1f} MiB (1000 vs 100: {p1000/p100:.2f}x); after it {after/1024:.1f} MiB, "
      f"peak of the same 1000 again {p1000b/1024:.1f} MiB (archive {b1000/2**20:.0f} MiB: nothing is buffered whole)")
s1000 = min(s1000, s1000b)
print(f"archive of 1000: {b1000/1e6:.1f} MB, unzip -t OK; server {s1000:.2f} s = {s1000/gb(b1000):.1f} s/GB "
      f"(100 photos: {s100/gb(b100):.1f} s/GB); zip -0 of the same files {szip:.2f} s = {szip/gb(bzip):.1f} s/GB; "
      f"server/zip -0 time per GB: {(s1000/gb(b1000))/(szip/gb(bzip)):.2f}x")
PY
