#!/bin/sh
# Renders `sohoa progress --format html` for a database and screenshots it
# with headless Chromium (Debian package `chromium`), to look at the page as
# a browser shows it, offline.
# Usage: bench/progress_html_screenshot.sh [DB] [OUT_DIR]
#   DB defaults to the progress benchmark's database, OUT_DIR to a temp dir.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
sohoa=${SOHOA_BIN:-$here/build/sohoa}
db=${1:-${SOHOA_BENCH_DIR:-/tmp/sohoa-bench}/progress-1M.db}
out=${2:-$(mktemp -d)}
mkdir -p "$out"

start=$(date +%s.%N)
"$sohoa" progress --db "$db" --format html --out "$out/progress.html"
end=$(date +%s.%N)
echo "progress --format html: $(echo "$end - $start" | bc) s, $(wc -c < "$out/progress.html") bytes"

if grep -Eq '<(script|link|img)|url\(' "$out/progress.html"; then
  echo "progress.html fetches something: not self-contained" >&2
  exit 1
fi

profile=$(mktemp -d)
# --no-network style flags: the page must render with nothing fetched.
chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --no-first-run --disable-sync --user-data-dir="$profile" \
  --window-size=1000,1600 --screenshot="$out/progress.png" "file://$out/progress.html" \
  >/dev/null 2>&1
rm -rf "$profile"
echo "screenshot: $out/progress.png ($(wc -c < "$out/progress.png") bytes)"
