#!/usr/bin/env bash
# Stack splitting on held-back generated stacks (seeds no test uses): cut
# precision and recall of --split separator and --split auto, the share of
# documents whose page range is right, separator pages kept, and the seconds
# per page splitting adds (codes stage + cut decision) against the page's OCR.
# Usage: bench/split_bench.sh [STACKS [DOCS_PER_STACK [PROFILE]]]
#   defaults: 4 stacks (half with separator sheets), 5..30 documents each
#   at random (give a number to bound the run time), profile degraded.
# Needs build/sohoa-samples and build/split_eval
#   (cmake --build build --target sohoa-samples split_eval).
set -euo pipefail
cd "$(dirname "$0")/.."
stacks=${1:-4}
docs=${2:-}
profile=${3:-degraded}
for p in build/sohoa-samples build/split_eval; do
  [ -x "$p" ] || { echo "build first: cmake --build build --target sohoa-samples split_eval" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
args=(--out "$work/stacks" --stacks "$stacks" --seed 90210 --profile "$profile" --separators mixed)
[ -n "$docs" ] && args+=(--stack-docs "$docs")
build/sohoa-samples "${args[@]}"
OMP_THREAD_LIMIT=1 build/split_eval "$work/stacks"
