#!/usr/bin/env bash
# HEIC decode ms per photo: Banana (libheif through banana-media's binding; `decode` = the full
# image as RGB, `process` = decode + preview + thumbnail, what an upload costs) beside libheif's
# own `heif-convert` on the same files. heif-convert cannot decode without writing a file, so it
# is timed twice: to JPEG (its fastest output; decode + a full-size JPEG encode) and to PNG.
# Median of --runs per file, then the mean over the files; one thread each (taskset), the
# machine may be shared.
#
# Usage: bench/heic/compare.sh [--runs N] [FILE...]   (default: the four 12 MP phone photos of
#        ../shared/data/exif-samples/heic; needs heif-convert: apt-get install libheif-examples)
set -euo pipefail
runs=5
[ "${1:-}" = "--runs" ] && { runs=$2; shift 2; }
repo=$(cd "$(dirname "$0")/../.." && pwd)
heic="${BANANA_TEST_SHARED_DATA:-$repo/../shared/data}/exif-samples/heic"
if [ $# -eq 0 ]; then
  set -- "$heic/IMG_5195.HEIC" "$heic/mobile/iphone_13_pro_max.HEIC" \
         "$heic/mobile/HMD_Nokia_8.3_5G.heif" "$heic/mobile/HMD_Nokia_8.3_5G_hdr.heif"
fi
command -v heif-convert >/dev/null || { echo "heif-convert is missing (apt-get install libheif-examples)" >&2; exit 1; }
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$repo/target}
(cd "$repo" && cargo build --release -q -p banana-media --example bench_heic)
one=""
command -v taskset >/dev/null && one="taskset -c 0"

echo "== banana-media"
$one "$CARGO_TARGET_DIR/release/examples/bench_heic" --runs "$runs" "$@"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for ext in jpg png; do
  echo "== heif-convert to $ext"
  total=0
  for f in "$@"; do
    times=()
    for _ in $(seq "$runs"); do
      start=$(date +%s%N)
      $one heif-convert "$f" "$work/out.$ext" >/dev/null
      times+=($(( ($(date +%s%N) - start) / 1000000 )))
    done
    med=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( runs / 2 + 1 ))p")
    echo -e "$f\tms=$med"
    total=$((total + med))
  done
  echo "mean over $# files: ms=$((total / $#))"
done
