#!/usr/bin/env bash
# Seconds per page: `sohoa ingest` against the `tesseract` CLI on the same
# pages, in one run, both two at a time on this machine's cores.
# Usage: bench/ingest_speed.sh [SCAN_DIR]   (default: samples/scans)
# Figures go to stdout; the work folder is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
scans=${1:-samples/scans}
sohoa=build/sohoa
[ -x "$sohoa" ] || { echo "build first: cmake -S . -B build && cmake --build build" >&2; exit 1; }
command -v tesseract >/dev/null || { echo "tesseract CLI missing (scripts/install-deps)" >&2; exit 1; }
jobs=2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }

# The tesseract route as a user would run it: PDFs rasterized with pdftoppm
# at 300 dpi (tesseract cannot read PDF), every page image read with -l vie.
mkdir -p "$work/pages"
t0=$(now)
find "$scans" -type f \( -iname '*.pdf' \) -print0 |
  xargs -0 -r -P "$jobs" -I{} sh -c 'pdftoppm -r 300 -gray -png "$1" "$2/$(basename "$1" .pdf)"' _ {} "$work/pages"
find "$scans" -type f \( -iname '*.png' -o -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.tif' \
  -o -iname '*.tiff' -o -iname '*.webp' \) -exec cp {} "$work/pages/" \;
find "$work/pages" -type f -print0 |
  OMP_THREAD_LIMIT=1 xargs -0 -r -P "$jobs" -I{} tesseract {} {}.out -l vie >/dev/null 2>&1
t1=$(now)
tess_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')

# sohoa: load, OCR, extract and store, into a fresh database.
db="$work/bench.db"
$sohoa units import samples/units.csv --db "$db" >/dev/null
t0=$(now)
$sohoa ingest "$scans" --unit tay-hoa --jobs "$jobs" --db "$db" --json >"$work/ingest.ndjson" || [ $? -eq 3 ]
t1=$(now)
sohoa_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')
pages=$(grep -o '"pages":[0-9]*' "$work/ingest.ndjson" | awk -F: '{n+=$2} END{print n}')

printf 'pages: %d (from %s), %d at a time on %d cores\n' "$pages" "$scans" "$jobs" "$(nproc)"
printf '%-36s %8s %10s\n' reader seconds s/page
awk -v p="$pages" -v t="$tess_s" -v s="$sohoa_s" -v j="$jobs" 'BEGIN{
  printf "%-36s %8.1f %10.2f\n", "tesseract -l vie (pdftoppm for PDF)", t, t/p
  printf "%-36s %8.1f %10.2f\n", "sohoa ingest --jobs " j, s, s/p
  printf "sohoa / tesseract time: %.2f\n", s/t }'
