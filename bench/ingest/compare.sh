#!/usr/bin/env bash
# Banana's ingest pipeline against the Python reference (shared/bench/reference-ingest), back to
# back in one run, on the 1000 ImageNet samples and on 100 12 MP photos made from them.
# Prints both speeds, the ratio, and top-1 agreement per file.
#
# Usage: bench/ingest/compare.sh [--workers N] [--all-analyzers]
#   (from anywhere; models from BANANA_MODELS_DIR or ~/.cache/banana/models, which
#   `banana models fetch` fills). --all-analyzers runs OCR, faces and colours on every
#   preview too, as the server does, against the reference's classifier-only pipeline.
set -euo pipefail
workers=2
extra=()
while [ $# -gt 0 ]; do
  case $1 in
    --workers) workers=$2; shift 2 ;;
    --all-analyzers) extra+=(--all-analyzers); shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
repo=$(cd "$(dirname "$0")/../.." && pwd)
shared=$(cd "$repo/../shared" && pwd)
ref="$shared/bench/reference-ingest"
small="$shared/data/imagenet-sample"
cache=${XDG_CACHE_HOME:-$HOME/.cache}
large="$cache/banana-ingest-bench/large-12mp"
venv=${REFERENCE_VENV:-$cache/banana-reference-venv}
models=${BANANA_MODELS_DIR:-$HOME/.cache/banana/models}
model=$(ls "$models"/converted/efficientnet-lite0-*.onnx 2>/dev/null | head -1)
[ -n "$model" ] || { echo "no EfficientNet ONNX file in $models/converted (run: banana models fetch)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$repo/target}

# The reference's venv (run.sh makes it on first use) and the 12 MP set (cached).
if [ ! -x "$venv/bin/python" ]; then
  "$ref/run.sh" "$work" "$model" >/dev/null 2>&1 || true
fi
if [ "$(ls "$large" 2>/dev/null | wc -l)" -lt 100 ]; then
  "$venv/bin/python" "$ref/make_large_set.py" "$small" "$large" --count 100
fi
(cd "$repo" && cargo build --release -q -p banana-bench --example bench_ingest)
bench="$CARGO_TARGET_DIR/release/examples/bench_ingest"

rate() { sed -n 's/.*images_per_s=\([0-9.]*\).*/\1/p' "$1" | head -1; }
cpu() { sed -n 's/^cpu_s=\(.*\)/\1/p' "$1" | tail -1 | awk -F+ '{print $1+$2}'; }
for set in large small; do
  dir=$([ $set = large ] && echo "$large" || echo "$small")
  echo "== $set: $dir"
  # CPU seconds (user+sys, children included) as well as wall time: the machine may be shared.
  TIMEFORMAT="cpu_s=%U+%S"
  { time "$ref/run.sh" "$dir" "$model" --workers "$workers" --out "$work/ref-out" ; } \
    > "$work/ref-$set.txt" 2>&1
  cat "$work/ref-$set.txt"
  { time "$bench" "$dir" --workers "$workers" --threads 1 "${extra[@]}" \
    --tsv "$work/banana-$set.tsv" --out "$work/banana-out" ; } > "$work/banana-$set.txt" 2>&1
  cat "$work/banana-$set.txt"
  "$venv/bin/python" "$repo/bench/ingest/reference_top1.py" "$ref" "$dir" "$model" \
    "$work/ref-$set.tsv" --workers "$workers"
  agree=$(join -t $'\t' <(sort "$work/ref-$set.tsv") <(cut -f1,2 "$work/banana-$set.tsv" | sort) \
    | awk -F'\t' '$2==$3{a++} END{print a+0 "/" NR}')
  r=$(rate "$work/ref-$set.txt"); b=$(rate "$work/banana-$set.txt")
  rc=$(cpu "$work/ref-$set.txt"); bc=$(cpu "$work/banana-$set.txt")
  echo "RESULT $set: reference ${r} images/s, banana ${b} images/s, ratio $(awk "BEGIN{printf \"%.2f\", $b/$r}");" \
    "CPU s: reference $rc, banana $bc, CPU ratio $(awk "BEGIN{printf \"%.2f\", $rc/$bc}"); top-1 agreement $agree"
done
