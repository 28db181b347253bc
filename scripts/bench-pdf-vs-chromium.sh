#!/usr/bin/env bash
# Bench (not part of the tests): Greenlight's blank PDF of each seed checklist against Chromium's
# print-to-PDF of the same checklist rendered as HTML (same Markdown parser, through the
# greenlight-core example `markdown_to_html`, A4 print stylesheet). Both are timed as whole
# processes, start to PDF written, best and mean of 5 (hyperfine when installed, else a bash loop),
# and both PDFs are measured with pdfinfo. Prints a Markdown table; keeps the HTML, the PDFs and a
# 60 dpi PNG of each first page in $BENCH_OUT (default: a new temporary folder). The first row is
# a one-item checklist: what each tool costs before there is anything to lay out.
#
# Usage: scripts/bench-pdf-vs-chromium.sh [CHECKLIST.md ...]   (default: ../shared/seeds/*.txt)
# BENCH_NO_BUILD=1 reuses the binaries already in target/release.
# Needs chromium (apt-get install -y --no-install-recommends chromium) and poppler-utils.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS=5

if [ "$#" -gt 0 ]; then
  inputs=("$@")
else
  seeds="$ROOT/../shared/seeds"
  if [ ! -d "$seeds" ]; then
    echo "skipped: no seed checklists at $seeds (pass checklist files as arguments instead)"
    exit 0
  fi
  inputs=("$seeds"/*.txt)
fi
for tool in chromium pdfinfo pdftoppm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "skipped: $tool is not installed (apt-get install -y --no-install-recommends chromium poppler-utils)"
    exit 0
  fi
done
for i in "${!inputs[@]}"; do
  [ -f "${inputs[$i]}" ] || { echo "no such checklist: ${inputs[$i]}" >&2; exit 1; }
  inputs[i]="$(realpath "${inputs[$i]}")"
done

cd "$ROOT"
# The release binary as the app ships it (`tauri build` enables custom-protocol, which embeds
# ui/dist), and the HTML renderer.
greenlight="$ROOT/target/release/greenlight"
to_html="$ROOT/target/release/examples/markdown_to_html"
if [ "${BENCH_NO_BUILD:-}" != 1 ] || [ ! -x "$greenlight" ] || [ ! -x "$to_html" ]; then
  [ -f ui/dist/index.html ] || npm run build
  cargo build --release --features custom-protocol
  cargo build --release -p greenlight-core --example markdown_to_html
fi

out="${BENCH_OUT:-$(mktemp -d)}"
mkdir -p "$out"
printf '# Start-up cost\n\n- [ ] One item\n' >"$out/one-item.md"
inputs=("$out/one-item.md" "${inputs[@]}")
export GREENLIGHT_HOME="$out/greenlight-home" # never the user's data
profile="$out/chromium-profile"               # removed before every run: a fresh profile each time
chromium_flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
  --disable-background-networking --disable-component-update --disable-sync
  --user-data-dir="$profile" --no-pdf-header-footer)

# Prints "best mean" in ms for running "$@" $RUNS times after one warm-up run; $prepare runs
# before each run, untimed.
timed() {
  local prepare="$1"
  shift
  if command -v hyperfine >/dev/null 2>&1; then
    local quoted csv="$out/hyperfine.csv"
    quoted="$(printf '%q ' "$@")"
    hyperfine --style none --runs "$RUNS" --warmup 1 --prepare "$prepare" \
      --export-csv "$csv" "$quoted" >/dev/null
    # command,mean,stddev,median,user,system,min,max (seconds)
    awk -F, 'NR == 2 { printf "%.0f %.0f\n", $7 * 1000, $2 * 1000 }' "$csv"
  else
    local best="" total=0 start elapsed run
    bash -c "$prepare"
    "$@" >/dev/null 2>&1
    for run in $(seq "$RUNS"); do
      bash -c "$prepare"
      start=$(date +%s%N)
      "$@" >/dev/null 2>&1
      elapsed=$((($(date +%s%N) - start) / 1000000))
      total=$((total + elapsed))
      if [ -z "$best" ] || [ "$elapsed" -lt "$best" ]; then best=$elapsed; fi
    done
    echo "$best $((total / RUNS))"
  fi
}

pages() { pdfinfo "$1" | awk '/^Pages:/ { print $2 }'; }
kib() { echo $(($(stat -c %s "$1") / 1024)); }
page_size() { pdfinfo "$1" | sed -n 's/^Page size: *//p'; }

echo "timer: $(command -v hyperfine >/dev/null 2>&1 && hyperfine --version || echo 'bash loop, date +%s%N')"
echo "chromium: $(chromium --version 2>/dev/null)"
echo "outputs: $out"
echo
echo "| input | Chromium best / mean ms | pages | KiB | Greenlight best / mean ms | pages | KiB |"
echo "|---|---|---|---|---|---|---|"
for input in "${inputs[@]}"; do
  name="$(basename "${input%.*}")"
  html="$out/$name.html"
  "$to_html" "$input" "$html"
  chrome_pdf="$out/$name-chromium.pdf"
  green_pdf="$out/$name-greenlight.pdf"

  chrome_ms="$(timed "rm -rf '$profile' '$chrome_pdf'" \
    chromium "${chromium_flags[@]}" --print-to-pdf="$chrome_pdf" "file://$html")"
  green_ms="$(timed "rm -f '$green_pdf'" \
    "$greenlight" export --template "$input" --blank --paper a4 --pdf "$green_pdf")"
  read -r c_best c_mean <<<"$chrome_ms"
  read -r g_best g_mean <<<"$green_ms"
  for pdf in "$chrome_pdf" "$green_pdf"; do
    [ -s "$pdf" ] || { echo "$pdf was not written" >&2; exit 1; }
    pdftoppm -r 60 -png -f 1 -l 1 -singlefile "$pdf" "${pdf%.pdf}"
  done
  echo "| $name | $c_best / $c_mean | $(pages "$chrome_pdf") | $(kib "$chrome_pdf") |" \
    "$g_best / $g_mean | $(pages "$green_pdf") | $(kib "$green_pdf") |"
done
echo
echo "page size: Chromium $(page_size "$chrome_pdf"); Greenlight $(page_size "$green_pdf")"
