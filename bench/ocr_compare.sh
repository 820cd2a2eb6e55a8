#!/usr/bin/env bash
# Compares OCR readers on one freshly generated set of damaged scans (skewed,
# upside down or sideways, speckled, unevenly lit, grey, 200 dpi, JPEG-damaged,
# 1-bit Group 4), all in one run, two pages at a time:
#   sohoa      build/sohoa ingest --jobs 2 (restoration + Tesseract), then show --json
#   tesseract  tesseract -l vie on the pages as scanned
#   ocrmypdf   ocrmypdf -l vie --rotate-pages --deskew (installed from Debian here)
#   floor      tesseract -l vie on the pages restored with their known rotation
#              and skew (from the truth), light flattened, median 3
# and prints per reader: CER, skew error (mean and max, pages within ±15°;
# pages skewed further found within 0.5°), orientation accuracy, seconds per
# page (wall time of the whole run / pages).
#
# usage: bench/ocr_compare.sh [--count N] [--seed S] [--profile hard|degraded]
#                             [--build DIR] [--work DIR] [--skip-ocrmypdf]
# Needs build/sohoa, build/sohoa-samples, build/bench_pages, build/ocr_score
# (built here when missing). SOHOA_SAMPLES overrides the generator's path,
# SOHOA_UNITS_CSV the units it uses (default samples/units.csv).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
count=48
seed=2024
profile=hard
build="$root/build"
work=""
skip_ocrmypdf=0
while [ $# -gt 0 ]; do
  case "$1" in
    --count) count="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --profile) profile="$2"; shift 2 ;;
    --build) build="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --skip-ocrmypdf) skip_ocrmypdf=1; shift ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "ocr_compare.sh: unknown option $1" >&2; exit 1 ;;
  esac
done

# One Tesseract thread per page: pages run two at a time on two cores.
export OMP_THREAD_LIMIT=1
jobs=2

if [ "$skip_ocrmypdf" -eq 0 ] && ! command -v ocrmypdf >/dev/null; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "Installing ocrmypdf (Debian) ..." >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq ocrmypdf >/dev/null
fi

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

if [ -z "$work" ]; then
  work="$(mktemp -d /tmp/sohoa-ocr-compare.XXXXXX)"
fi
set_dir="$work/set"
pages_dir="$work/pages"
results="$work/results"
rm -rf "$set_dir" "$pages_dir" "$results" "$work/sohoa.db" "$work/sohoa.db.files"
mkdir -p "$set_dir" "$pages_dir" "$results"/{sohoa,tesseract,ocrmypdf,floor}

units_csv="${SOHOA_UNITS_CSV:-$root/samples/units.csv}"
now() { date +%s.%N; }
elapsed() { awk -v end="$(now)" -v start="$1" 'BEGIN { printf "%.3f\n", end - start }'; }

echo "Generating $count documents (profile $profile, seed $seed) in $set_dir ..." >&2
if ! "$samples" --out "$set_dir" --count "$count" --seed "$seed" --profile "$profile" --pages 1 \
  --units "$units_csv" >&2; then
  # Some generator seeds fail (seen: "linear: vector must have 1 or 2 elements"
  # on colour paper); then make the set one document per seed, skipping those.
  echo "generator failed on the batch; generating one document per seed instead" >&2
  rm -rf "$set_dir" && mkdir -p "$set_dir"
  made=0 s="$seed" skipped=0
  while [ "$made" -lt "$count" ]; do
    if "$samples" --out "$set_dir" --count 1 --seed "$s" --profile "$profile" --pages 1 \
      --units "$units_csv" --prefix "doc$s" >/dev/null 2>&1; then
      made=$((made + 1))
    else
      skipped=$((skipped + 1))
    fi
    s=$((s + 1))
  done
  echo "made $made documents, skipped $skipped failing seeds" >&2
fi

# Pages as sohoa loads them, one PNG each (with dpi), and the truth-restored pages.
for truth in "$set_dir"/*.truth.json; do
  name="$(basename "$truth" .truth.json)"
  file="$(ls "$set_dir/$name".* | grep -v '\.truth\.json$' | head -1)"
  "$build/bench_pages" "$file" "$pages_dir" "$truth"
done
scans=$(ls "$pages_dir"/*-p*.png | grep -v '\.known\.png$')
page_count=$(echo "$scans" | wc -l)
echo "$page_count pages" >&2

# sohoa: the whole folder in one ingest, two workers.
export SOHOA_DB="$work/sohoa.db"
unit="$(grep -o '"unit": *"[^"]*"' "$(ls "$set_dir"/*.truth.json | head -1)" | head -1 | sed 's/.*"\([^"]*\)"$/\1/')"
"$build/sohoa" units import "$units_csv" >/dev/null
echo "sohoa ingest --jobs $jobs ..." >&2
start=$(now)
"$build/sohoa" ingest "$set_dir" --unit "$unit" --jobs "$jobs" --json >"$results/sohoa/ingest.ndjson" || true
elapsed "$start" >"$results/sohoa/seconds"
for truth in "$set_dir"/*.truth.json; do
  name="$(basename "$truth" .truth.json)"
  file="$(ls "$set_dir/$name".* | grep -v '\.truth\.json$' | head -1)"
  sha="$(sha256sum "$file" | cut -c1-64)"
  "$build/sohoa" show "$sha" --json >"$results/sohoa/$name.show.json" 2>/dev/null || true
done

echo "tesseract ..." >&2
start=$(now)
echo "$scans" | xargs -P "$jobs" -I{} sh -c \
  'tesseract "$1" "$2/$(basename "$1" .png)" -l vie >/dev/null 2>&1 || true' _ {} "$results/tesseract"
elapsed "$start" >"$results/tesseract/seconds"

if [ "$skip_ocrmypdf" -eq 0 ]; then
  echo "ocrmypdf ..." >&2
  start=$(now)
  echo "$scans" | xargs -P "$jobs" -I{} sh -c \
    'n="$(basename "$1" .png)"; ocrmypdf -q -l vie --rotate-pages --deskew --jobs 1 \
       --sidecar "$2/$n.txt" "$1" "$2/$n.pdf" >/dev/null 2>&1 || true' _ {} "$results/ocrmypdf"
  elapsed "$start" >"$results/ocrmypdf/seconds"
fi

echo "floor (tesseract on truth-restored pages) ..." >&2
start=$(now)
ls "$pages_dir"/*.known.png | xargs -P "$jobs" -I{} sh -c \
  'tesseract "$1" "$2/$(basename "$1" .known.png)" -l vie >/dev/null 2>&1 || true' _ {} "$results/floor"
elapsed "$start" >"$results/floor/seconds"

readers="sohoa tesseract"
[ "$skip_ocrmypdf" -eq 0 ] && readers="$readers ocrmypdf"
echo
echo "$page_count pages, profile $profile, seed $seed; results in $work"
"$build/ocr_score" "$set_dir" "$results" $readers floor
