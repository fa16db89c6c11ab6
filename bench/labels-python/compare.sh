#!/usr/bin/env bash
# Rust (banana-vision) against ONNX Runtime from Python on the same ONNX file, same images,
# same thread count, in one run; prints both reports, the inference-time ratio and how often
# the two agree on the top-1 class.
#
# The machine may be busy (other builds): the two are run alternately ROUNDS times (default 3)
# and the best median of each side is compared.
# Usage: bench/labels-python/compare.sh [images dir] [threads]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
dir="${1:-$repo/../shared/data/imagenet-sample}"
threads="${2:-1}"
rounds="${ROUNDS:-3}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"
(cd "$repo" && cargo build --release --quiet -p banana-bench --example bench_labels 2>/dev/null) ||
    (cd "$repo" && cargo build --release -p banana-bench --example bench_labels)
rust_bin="$CARGO_TARGET_DIR/release/examples/bench_labels"

infer() { sed -n 's/.*inference=\([0-9.]*\) .*/\1/p' "$1"; }
for i in $(seq 1 "$rounds"); do
    echo "== round $i: Rust (banana-vision, ort) threads=$threads"
    "$rust_bin" "$dir" --threads "$threads" --dump "$out/rust.tsv" | tee "$out/rust.txt"
    infer "$out/rust.txt" >> "$out/rust.ms"
    model="$(sed -n 's/^onnx_model=//p' "$out/rust.txt")"
    echo "== round $i: Python (onnxruntime) threads=$threads"
    "$here/run.sh" "$dir" "$model" --threads "$threads" --dump "$out/python.tsv" | tee "$out/python.txt"
    infer "$out/python.txt" >> "$out/python.ms"
done

r="$(sort -g "$out/rust.ms" | head -1)"; p="$(sort -g "$out/python.ms" | head -1)"
agree="$(paste "$out/rust.tsv" "$out/python.tsv" | awk -F'\t' '$1==$3 && $2==$4 {a++} END {printf "%d/%d", a, NR}')"
echo "== inference, best median ms per image over $rounds rounds: rust=$r python=$p ratio(rust/python)=$(awk -v r="$r" -v p="$p" 'BEGIN {printf "%.3f", r/p}')"
echo "== top-1 agreement rust vs python: $agree"
