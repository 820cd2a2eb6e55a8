#!/usr/bin/env bash
# Issue 13's speed target, side by side in one run: wall time of
#   tesseract  tesseract -l vie (Debian's fast model), two pages at a time
#   sohoa      build/sohoa ingest --jobs 2 (default model: best where installed)
#   sohoa-fast build/sohoa ingest --jobs 2 --model fast
# on the same generated pages perfectly restored at 300 dpi (bench_pages'
# .known.png: turned upright, skew undone and scaled to 300 dpi from the
# truth, then cleaned), and the CER of each reading. The machine is shared, so
# the readers run in rounds, interleaved, each round's ratios taken against
# the tesseract runs of the same round, with the load average printed
# before every run. sohoa's time includes everything ingest does
# (load, restoration, OCR, metadata, storing original, text and layout);
# the database is created before the clock starts. The pages are run in
# chunks (24 pages) with the readers' order rotating, so load changes are
# shared; each chunk is one `sohoa ingest`, so sohoa's start (models, OSD)
# is paid once per chunk, as tesseract's is once per page.
#
# With --before DIR, DIR/sohoa (another build: a change's baseline) runs
# in the same rounds as readers `before` and `before-fast`, so that a change's
# ratios are measured side by side.
#
# usage: bench/speed_compare.sh [--count N] [--seed S] [--profile P]
#                               [--rounds R] [--chunk N] [--build DIR] [--work DIR]
#                               [--before DIR]
# Defaults: 48 one-page documents, profile degraded, seed 9001 (a seed no
# restoration step was tuned on), 2 rounds, chunks of 24 pages.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
count=48
seed=9001
profile=degraded
rounds=2
chunk_size=24
build="$root/build"
work=""
before=""
while [ $# -gt 0 ]; do
  case "$1" in
    --count) count="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --profile) profile="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --chunk) chunk_size="$2"; shift 2 ;;
    --build) build="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --before) before="$(cd "$2" && pwd)"; shift 2 ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    *) echo "speed_compare.sh: unknown option $1" >&2; exit 1 ;;
  esac
done

# One Tesseract thread per page: pages run two at a time on two cores.
export OMP_THREAD_LIMIT=1
jobs=2
samples="${SOHOA_SAMPLES:-$build/sohoa-samples}"
need=()
for target in sohoa bench_pages ocr_score; do
  [ -x "$build/$target" ] || need+=("$target")
done
[ -x "$samples" ] || need+=(sohoa-samples)
if [ ${#need[@]} -gt 0 ]; then
  cmake -S "$root" -B "$build" >/dev/null
  cmake --build "$build" -j2 --target "${need[@]}" >/dev/null
fi
[ -z "$before" ] || [ -x "$before/sohoa" ] || { echo "no sohoa in $before" >&2; exit 1; }
command -v tesseract >/dev/null || { echo "tesseract CLI missing (scripts/install-deps)" >&2; exit 1; }
[ -n "$work" ] || work="$(mktemp -d /tmp/sohoa-speed-compare.XXXXXX)"
rm -rf "$work"/{set,scans,pages,truth,results,chunks,score}
mkdir -p "$work"/{set,scans,pages,truth,results,chunks}
units_csv="${SOHOA_UNITS_CSV:-$root/samples/units.csv}"
now() { date +%s.%N; }
load() { cut -d' ' -f1 /proc/loadavg; }

echo "Generating $count documents (profile $profile, seed $seed) ..." >&2
"$samples" --out "$work/set" --count "$count" --seed "$seed" --profile "$profile" --pages 1 \
  --units "$units_csv" >/dev/null
for truth in "$work"/set/*.truth.json; do
  name="$(basename "$truth" .truth.json)"
  file="$(ls "$work/set/$name".* | grep -v '\.truth\.json$' | head -1)"
  "$build/bench_pages" "$file" "$work/scans" "$truth"
  mv "$work/scans/$name-p1.known.png" "$work/pages/$name.png"
  # The pages are upright and level now: the truth of what is on them.
  python3 - "$truth" "$work/truth/$name.truth.json" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
for page in doc["pages"]:
    page["rotation"] = 0
    page["skew_deg"] = 0.0
json.dump(doc, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
EOF
done
pages=$(ls "$work"/pages/*.png | wc -l)
unit="$(sed -n '2p' "$units_csv" | cut -d, -f1)"

# The pages in chunks: each round runs every reader on each chunk in turn,
# so a change of the machine's load falls on all readers alike.
i=0
for page in "$work"/pages/*.png; do
  c=$((i / chunk_size))
  mkdir -p "$work/chunks/$c"
  ln "$page" "$work/chunks/$c/"
  i=$((i + 1))
done
chunks=$(ls "$work/chunks" | wc -l)

# sohoa_of READER: the program a sohoa reader runs.
sohoa_of() { case "$1" in before*) echo "$before/sohoa" ;; *) echo "$build/sohoa" ;; esac; }

# run READER ROUND CHUNK: one timed run into results/READER.ROUND; prints its seconds.
run() {
  local reader="$1" round="$2" chunk="$3" out="$work/results/$1.$2" start
  mkdir -p "$out"
  case "$reader" in
    tesseract)
      start=$(now)
      ls "$work/chunks/$chunk"/*.png | xargs -P "$jobs" -I{} sh -c \
        'tesseract "$1" "$2/$(basename "$1" .png)-p1" -l vie >/dev/null 2>&1 || true' _ {} "$out"
      ;;
    sohoa | sohoa-fast | before | before-fast)
      local model=() bin
      bin="$(sohoa_of "$reader")"
      [ "${reader%-fast}" != "$reader" ] && model=(--model fast)
      export SOHOA_DB="$out/sohoa.db"
      [ -f "$SOHOA_DB" ] || "$bin" units import "$units_csv" >/dev/null
      start=$(now)
      "$bin" ingest "$work/chunks/$chunk" --unit "$unit" --jobs "$jobs" "${model[@]}" \
        >/dev/null 2>&1 || true
      ;;
  esac
  awk -v a="$start" -v b="$(now)" 'BEGIN { printf "%.2f\n", b - a }'
}

readers=(tesseract sohoa sohoa-fast)
[ -z "$before" ] || readers+=(before before-fast)
declare -A seconds loads
echo
echo "$pages pages (profile $profile, seed $seed, restored from the truth at 300 dpi), $jobs at a time on $(nproc --all) cores"
echo "in $chunks chunks of up to $chunk_size pages; each round runs the readers on each chunk in turn"
printf '%-6s %-11s %8s %12s\n' round reader seconds "load (1 min)"
for round in $(seq 1 "$rounds"); do
  for reader in "${readers[@]}"; do seconds[$reader.$round]=0; loads[$reader.$round]=""; done
  for chunk in $(seq 0 $((chunks - 1))); do
    # Rotate who goes first from chunk to chunk and round to round.
    shift_by=$(((chunk + round) % ${#readers[@]}))
    order=("${readers[@]:$shift_by}" "${readers[@]:0:$shift_by}")
    for reader in "${order[@]}"; do
      l=$(load)
      s=$(run "$reader" "$round" "$chunk")
      seconds[$reader.$round]=$(awk -v a="${seconds[$reader.$round]}" -v b="$s" 'BEGIN { print a + b }')
      loads[$reader.$round]="${loads[$reader.$round]}${loads[$reader.$round]:+ }$l"
    done
  done
  for reader in "${readers[@]}"; do
    printf '%-6s %-11s %8.2f %12s\n' "$round" "$reader" "${seconds[$reader.$round]}" "${loads[$reader.$round]}"
  done
done
for reader in "${readers[@]}"; do
  for round in $(seq 1 "$rounds"); do echo "${seconds[$reader.$round]}" >"$work/results/$reader.$round/seconds"; done
done

echo
echo "wall time / tesseract's in the same round:"
printf '%-6s' round
for reader in "${readers[@]:1}"; do printf ' %12s' "$reader"; done
echo
for round in $(seq 1 "$rounds"); do
  printf '%-6s' "$round"
  for reader in "${readers[@]:1}"; do
    awk -v t="${seconds[tesseract.$round]}" -v b="${seconds[$reader.$round]}" \
      'BEGIN { printf " %12.2f", b / t }'
  done
  echo
done
sum() { local r t=0; for r in $(seq 1 "$rounds"); do t=$(awk -v a="$t" -v b="${seconds[$1.$r]}" 'BEGIN { print a + b }'); done; echo "$t"; }
printf '%-6s' all
for reader in "${readers[@]:1}"; do
  awk -v t="$(sum tesseract)" -v b="$(sum "$reader")" 'BEGIN { printf " %12.2f", b / t }'
done
echo

# CER of the last round's readings.
for reader in "${readers[@]}"; do
  out="$work/results/$reader.$rounds"
  [ "$reader" = tesseract ] && continue
  export SOHOA_DB="$out/sohoa.db"
  for truth in "$work"/truth/*.truth.json; do
    name="$(basename "$truth" .truth.json)"
    sha="$(sha256sum "$work/pages/$name.png" | cut -c1-64)"
    "$(sohoa_of "$reader")" show "$sha" --json >"$out/$name.show.json" 2>/dev/null || true
  done
done
mkdir -p "$work/score"
for reader in "${readers[@]}"; do ln -sfn "$work/results/$reader.$rounds" "$work/score/$reader"; done
echo
echo "readings of round $rounds; results in $work"
"$build/ocr_score" "$work/truth" "$work/score" "${readers[@]}"
