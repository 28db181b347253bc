#!/usr/bin/env bash
# Bench (not part of the tests): how fast the real window answers (issue 12). Drives the release
# build through WebDriver under Xvfb (tests/e2e/bench_window.py through tests/e2e/run.sh) and prints
# Markdown tables: input → screen p50/p95/p99 over a walk of marks and moves (near the start and near
# the end of the list), open a run → first screen, jump to a section, leave the run, scroll frame
# times, idle CPU and PSS, for the largest seed and a generated 10,000-item checklist, with 50 runs in
# the database. The whole measurement runs once per rendering mode:
#   default         WEBKIT_DISABLE_COMPOSITING_MODE unset: whatever WebKitGTK (or the app, if it
#                   chooses a mode itself) does by default; the tables show what the app process got
#   no-compositing  WEBKIT_DISABLE_COMPOSITING_MODE=1 (WebKitGTK paints without its GL compositor)
#
# Usage: scripts/bench-window.sh [--no-build] [--modes default,no-compositing] [--rendering MODE]
#   --no-build        use target/release/greenlight as it is. Without it the release binary is built
#                     (`npx tauri build --no-bundle`) when it is missing or older than any source file
#                     (ui/, src-tauri/, Cargo.*, package*.json, tauri.conf.json, capabilities/).
#   --modes LIST      which rendering modes to measure, comma-separated (default: both, in that order)
#   --rendering MODE  also pass GREENLIGHT_RENDERING=MODE (compositing|software) to the app
# Environment: GREENLIGHT_BENCH_ENV="NAME=VALUE ..." is passed to the app (through tauri-driver) in
# every mode; BENCH_WINDOW_ITEMS=N sizes the generated checklist (0 skips it); BENCH_WINDOW_PORT
# (default 4454) is the tauri-driver port, so the bench does not collide with an e2e run on 4444.
set -euo pipefail
source "$(dirname "$0")/setup.sh"

BUILD=auto
MODES="default,no-compositing"
EXTRA_ENV=(${GREENLIGHT_BENCH_ENV:-})
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) BUILD=no ;;
    --modes) MODES="$2"; shift ;;
    --rendering) EXTRA_ENV+=("GREENLIGHT_RENDERING=$2"); shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

install_system_packages
install_node_packages
install_test_tools
cd "$ROOT"

APP="$ROOT/target/release/greenlight"
stale() {
  [ ! -x "$APP" ] && return 0
  [ -n "$(find ui src-tauri capabilities Cargo.toml Cargo.lock package.json package-lock.json tauri.conf.json \
    -path ui/dist -prune -o -type f -newer "$APP" -print -quit 2>/dev/null)" ]
}
if [ "$BUILD" = no ]; then
  [ -x "$APP" ] || { echo "--no-build, but there is no $APP" >&2; exit 1; }
  echo "==> using $APP as it is (--no-build)"
elif stale; then
  echo "==> building the release app (npx tauri build --no-bundle)"
  npx tauri build --no-bundle
else
  echo "==> $APP is newer than every source file: not rebuilt"
fi

echo "==> $(git -C "$ROOT" log -1 --format='commit %h (%cs)' 2>/dev/null || echo 'not a git checkout'); binary $(date -r "$APP" '+%F %T')"
for mode in ${MODES//,/ }; do
  case "$mode" in
    default) mode_env=(-u WEBKIT_DISABLE_COMPOSITING_MODE); label="default (WEBKIT_DISABLE_COMPOSITING_MODE unset)" ;;
    no-compositing) mode_env=(WEBKIT_DISABLE_COMPOSITING_MODE=1); label="WEBKIT_DISABLE_COMPOSITING_MODE=1" ;;
    *) echo "unknown mode: $mode (default, no-compositing)" >&2; exit 2 ;;
  esac
  [ "${#EXTRA_ENV[@]}" -gt 0 ] && label="$label, ${EXTRA_ENV[*]}"
  echo "==> measuring: $label"
  env "${mode_env[@]}" "${EXTRA_ENV[@]}" BENCH_WINDOW_LABEL="$label" GREENLIGHT_E2E_PORT="${BENCH_WINDOW_PORT:-4454}" \
    GREENLIGHT_E2E_APP="$APP" GREENLIGHT_E2E_SCRIPT=bench_window.py \
    xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- bash tests/e2e/run.sh
done
