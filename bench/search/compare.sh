#!/usr/bin/env bash
# Banana's flat index against FAISS IndexFlatIP on the same random vectors, same thread
# counts, alternating in one run; plus Banana's query-embedding timings.
#
#   bench/search/compare.sh [SIZES] [QUERIES] [THREADS] [ROUNDS]
#   e.g. bench/search/compare.sh 10000,100000,1000000 200 1,2 3
#
# FAISS comes from pip (faiss-cpu, numpy) in a venv this script makes under the cargo target
# folder (CARGO_TARGET_DIR is honoured). The vector files (1.5 GB for 1M) are deleted as soon
# as FAISS has loaded them. See compare.py for what is measured and how.
set -euo pipefail

SIZES=${1:-10000,100000,1000000}
NQ=${2:-200}
THREADS=${3:-1,2}
ROUNDS=${4:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$REPO/target}
WORK=$TARGET/bench-search
VENV=$WORK/venv
mkdir -p "$WORK"

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import faiss, numpy' 2>/dev/null; then
    echo "making venv $VENV (faiss-cpu, numpy)"
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet faiss-cpu numpy
fi
"$VENV/bin/python" -c 'import faiss, numpy; print("faiss", faiss.__version__, "numpy", numpy.__version__)'

cd "$REPO"
cargo build --release -p banana-bench --example search_speed
BIN=$TARGET/release/examples/search_speed

"$BIN" --sizes 0 --queries "$NQ"
"$VENV/bin/python" "$HERE/compare.py" "$BIN" "$WORK/data" "$SIZES" "$NQ" "$THREADS" "$ROUNDS"
