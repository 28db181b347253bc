#!/usr/bin/env bash
# Bench (not part of the tests): builds the release app and measures cold start to first rendered
# UI and resident memory with the largest seed open, under Xvfb. Prints a table.
set -euo pipefail
source "$(dirname "$0")/setup.sh"
install_system_packages
install_node_packages
install_test_tools
cd "$ROOT"
npx tauri build --no-bundle
GREENLIGHT_E2E_APP="$ROOT/target/release/greenlight" GREENLIGHT_E2E_SCRIPT=bench_app.py \
  xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- bash tests/e2e/run.sh
