#!/usr/bin/env bash
# Search quality through the HTTP API on a fresh embedded install (SQLite + folder): imports
# the 1000 ImageNet samples and the rendered text set, runs every analyzer to completion, serves,
# and prints P@10 / recall per query family (eval_http.py), hybrid and keyword-only.
#
# Usage: bench/quality/run_http_eval.sh [BANANA_BINARY] [PORT]
#   BANANA_BINARY  default target/release/banana (pass another build to compare versions)
#   TEXT_SET       folder of the rendered text set (default ~/.cache/banana-eval/text-set;
#                  made with make_text_set.py when missing, which needs Pillow: EVAL_PYTHON)
# Models come from BANANA_MODELS_DIR (default ~/.cache/banana/models).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$repo/target/release/banana}
port=${2:-8790}
shared=$(cd "$repo/../shared" && pwd)
py=${EVAL_PYTHON:-python3}
text=${TEXT_SET:-$HOME/.cache/banana-eval/text-set}
if [ ! -f "$text/truth.json" ]; then
  "$py" "$repo/bench/quality/make_text_set.py" "$shared/data/imagenet-sample" "$text"
fi
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
server=
export BANANA_DATA_DIR=$work BANANA_MODELS_DIR=${BANANA_MODELS_DIR:-$HOME/.cache/banana/models}
export BANANA_LISTEN=127.0.0.1:$port BANANA_LOG_FORMAT=text RUST_LOG=warn
echo "eval-password-1" | "$bin" user create --username eval --admin >/dev/null
"$bin" import "$shared/data/imagenet-sample" --owner eval >/dev/null
"$bin" import "$text" --owner eval >/dev/null 2>&1 || true   # truth.json is not an image
"$bin" reanalyze >/dev/null
"$bin" serve --no-worker > "$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$port/api/v1/info" >/dev/null 2>&1 && break
  sleep 0.5
done
"$py" "$repo/bench/quality/eval_http.py" "http://127.0.0.1:$port" eval eval-password-1 \
  --json "${EVAL_JSON:-$work/eval.json}"
