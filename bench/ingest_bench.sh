#!/usr/bin/env bash
# Ingest throughput and memory, measured on generated 300 dpi pages with the
# built program, as a district office would run it:
#   - pages per minute with --jobs 1 and --jobs 2 on the same THROUGHPUT_PAGES
#     pages, and the speed-up (target: >= 1.8x on 2 cores);
#   - peak resident memory (from /usr/bin/time -v) of --jobs 2 on MEMORY_PAGES
#     pages and on a quarter of them (target: < 600 MB, and not growing with
#     the batch).
# Usage: bench/ingest_bench.sh [BUILD_DIR] [THROUGHPUT_PAGES] [MEMORY_PAGES]
# Defaults: build, 40, 1000. Needs Debian's `time` package.
set -euo pipefail

BUILD=${1:-build}
THROUGHPUT_PAGES=${2:-40}
MEMORY_PAGES=${3:-1000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
UNITS=${SOHOA_UNITS_CSV:-$ROOT/samples/units.csv}
SOHOA=$(realpath "$BUILD/sohoa")
SAMPLES=$(realpath "$BUILD/sohoa-samples")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sohoa-ingest-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package 'time')" >&2; exit 1; }

# Office-scan degradations; yellow_paper is left out because the generator
# cannot yet put it on a grey PNG.
DEGRADE=${SOHOA_BENCH_DEGRADE:-skew,noise,speckles,blur,uneven_light,grey_paper}

generate() {  # DIR COUNT: one-page degraded PNG scans at 300 dpi
  "$SAMPLES" --out "$1" --count "$2" --seed 7 --profile degraded --degrade "$DEGRADE" \
    --format png --pages 1 --units "$UNITS" >/dev/null
  find "$1" -name '*.truth.json' -delete
}

fresh_db() {  # NAME -> path of a new database with the units imported
  local db="$WORK/$1.db"
  rm -rf "$db" "$db.files" "$db-wal" "$db-shm"
  "$SOHOA" units import "$UNITS" --db "$db" >/dev/null
  echo "$db"
}

# Runs one ingest under /usr/bin/time -v; prints "SECONDS MAX_RSS_KB CPU_SECONDS".
timed_ingest() {  # DIR JOBS DB
  local log="$WORK/time.log"
  /usr/bin/time -v "$SOHOA" ingest "$1" --unit tay-hoa --jobs "$2" --quiet --db "$3" \
    2>"$log" || { [ $? -eq 3 ] || { cat "$log" >&2; exit 1; }; }
  local wall rss cpu
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$log")
  # h:mm:ss or m:ss.cc to seconds
  echo "$(echo "$wall" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }') $rss $cpu"
}

pages_per_minute() { awk -v p="$1" -v s="$2" 'BEGIN { printf "%.1f", p * 60 / s }'; }
# CPU the run got, in cores (1.0 = one core busy all the time). On a machine
# busy with other work, wall-clock speed-up is capped by this.
cores_used() { awk -v c="$1" -v s="$2" 'BEGIN { printf "%.2f", c / s }'; }

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo)," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg)"

generate "$WORK/tp" "$THROUGHPUT_PAGES"
read -r s1 rss1 cpu1 < <(timed_ingest "$WORK/tp" 1 "$(fresh_db jobs1)")
read -r s2 rss2 cpu2 < <(timed_ingest "$WORK/tp" 2 "$(fresh_db jobs2)")
for j in 1 2; do
  s=$([ $j = 1 ] && echo "$s1" || echo "$s2")
  rss=$([ $j = 1 ] && echo "$rss1" || echo "$rss2")
  cpu=$([ $j = 1 ] && echo "$cpu1" || echo "$cpu2")
  echo "throughput --jobs $j: $THROUGHPUT_PAGES pages in ${s} s = $(pages_per_minute "$THROUGHPUT_PAGES" "$s") pages/min," \
    "CPU ${cpu} s ($(awk -v c="$cpu" -v p="$THROUGHPUT_PAGES" 'BEGIN { printf "%.2f", c / p }') s/page)," \
    "$(cores_used "$cpu" "$s") cores used, peak RSS $((rss / 1024)) MB"
done
echo "speed-up --jobs 2 / --jobs 1: $(awk -v a="$s1" -v b="$s2" 'BEGIN { printf "%.2f", a / b }')x (target >= 1.8x)"
rm -rf "$WORK/tp"

QUARTER=$((MEMORY_PAGES / 4 > 0 ? MEMORY_PAGES / 4 : 1))
generate "$WORK/mem" "$MEMORY_PAGES"
mkdir -p "$WORK/mem-quarter"
# awk, not head: head leaving early would kill sort with SIGPIPE, which
# pipefail turns into a silent exit.
find "$WORK/mem" -type f | sort | awk -v n="$QUARTER" 'NR <= n' | xargs -I{} cp {} "$WORK/mem-quarter/"
read -r sq rssq _ < <(timed_ingest "$WORK/mem-quarter" 2 "$(fresh_db memq)")
read -r sm rssm _ < <(timed_ingest "$WORK/mem" 2 "$(fresh_db mem)")
echo "memory --jobs 2: $QUARTER pages peak RSS $((rssq / 1024)) MB (${sq} s)"
echo "memory --jobs 2: $MEMORY_PAGES pages peak RSS $((rssm / 1024)) MB (${sm} s," \
  "$(pages_per_minute "$MEMORY_PAGES" "$sm") pages/min) (target < 600 MB)"
