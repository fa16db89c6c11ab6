#!/usr/bin/env bash
# Runs bench_labels.py in its own venv (created on first use).
# Usage: bench/labels-python/run.sh <images dir> <model.onnx> [--threads N] [--dump FILE]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${BANANA_BENCH_VENV:-$HOME/.cache/banana/labels-python-venv}"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import onnxruntime, numpy, PIL" 2>/dev/null; then
    echo "creating venv $venv" >&2
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        onnxruntime==1.32.0 numpy==2.4.6 pillow==13.0.0
fi
exec "$venv/bin/python" "$here/bench_labels.py" "$@"
