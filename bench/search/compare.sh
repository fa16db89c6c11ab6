#!/usr/bin/env bash
# Banana's flat index against FAISS IndexFlatIP on the same random vectors, same thread
# counts, in the same run.
#
#   bench/search/compare.sh [SIZES] [QUERIES] [THREADS]
#   e.g. bench/search/compare.sh 10000,100000,1000000 200 1,2
#
# Builds and runs `search_speed` (Rust) for one size at a time with --dump, then FAISS on the
# files it wrote, then prints p50/p99 side by side with the Banana/FAISS ratio. FAISS comes
# from pip (faiss-cpu, numpy) in a venv the script makes under the cargo target folder.
# CARGO_TARGET_DIR is honoured; the data files (1.5 GB for 1M vectors) are removed after use.
set -euo pipefail

SIZES=${1:-10000,100000,1000000}
NQ=${2:-200}
THREADS=${3:-1,2}
K=10
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$REPO/target}
WORK=$TARGET/bench-search
VENV=$WORK/venv
DATA=$WORK/data
mkdir -p "$WORK"

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import faiss, numpy' 2>/dev/null; then
    echo "making venv $VENV (faiss-cpu, numpy)"
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet faiss-cpu numpy
fi
"$VENV/bin/python" -c 'import faiss, numpy; print("faiss", faiss.__version__, "numpy", numpy.__version__)'

cd "$REPO"
cargo build --release -p banana-search --example search_speed
BIN=$TARGET/release/examples/search_speed

RESULTS=$WORK/results.txt
: >"$RESULTS"
"$BIN" --sizes 0 --queries "$NQ" | tee -a "$RESULTS"
for N in ${SIZES//,/ }; do
    rm -rf "$DATA"
    "$BIN" --sizes "$N" --queries "$NQ" --threads "$THREADS" --k "$K" --skip-embed --dump "$DATA" | tee -a "$RESULTS"
    "$VENV/bin/python" "$HERE/faiss_flat.py" "$DATA" "$N" "$NQ" "$K" "$THREADS" | tee -a "$RESULTS"
    rm -rf "$DATA"
done

echo
echo "| N | threads | Banana exact p50 / p99 ms | Banana int8+rerank p50 / p99 ms | FAISS IndexFlatIP p50 / p99 ms | exact / FAISS (p50, p99) |"
echo "|---|---|---|---|---|---|"
awk '
/^RESULT (banana-exact|banana-int8|faiss) / {
    split($3, a, "="); split($4, b, "="); split($5, c, "="); split($6, d, "=")
    key = a[2] " " b[2]; sys = $2
    p50[sys, key] = c[2]; p99[sys, key] = d[2]
    if (!(key in seen)) { seen[key] = 1; order[++n] = key }
}
END {
    for (i = 1; i <= n; i++) {
        key = order[i]; split(key, kv, " ")
        e50 = p50["banana-exact", key]; e99 = p99["banana-exact", key]
        f50 = p50["faiss", key]; f99 = p99["faiss", key]
        r = (f50 > 0 && f99 > 0) ? sprintf("%.2f, %.2f", e50 / f50, e99 / f99) : "-"
        printf "| %s | %s | %.3f / %.3f | %.3f / %.3f | %.3f / %.3f | %s |\n", kv[1], kv[2], e50, e99, p50["banana-int8", key], p99["banana-int8", key], f50, f99, r
    }
}' "$RESULTS"
