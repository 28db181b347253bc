#!/usr/bin/env bash
# Runs the end-to-end tests inside an X display and a D-Bus session (see scripts/test-all.sh):
# starts tauri-driver on a fresh data folder, runs the Selenium suite (or the script named by
# GREENLIGHT_E2E_SCRIPT, e.g. bench_app.py; arguments pick tests, e.g. Walkthrough.test_x or
# preflight_e2e), stops the driver. The suite is walkthrough.py plus every *_e2e.py module.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
APP="${GREENLIGHT_E2E_APP:-$ROOT/target/debug/greenlight}"
[ -x "$APP" ] || { echo "no app binary at $APP: build it first" >&2; exit 1; }

export GREENLIGHT_HOME
GREENLIGHT_HOME="$(mktemp -d)"
export GREENLIGHT_E2E_APP="$APP"
export HOME="$GREENLIGHT_HOME/home"  # a fresh HOME: no old keyring, no user config
mkdir -p "$HOME"

# A real, unlocked Secret Service for the keychain tests; the locked-keychain test locks it and
# unlocks it again with this password.
export GREENLIGHT_E2E_KEYRING_PASSWORD=greenlight-e2e
eval "$(echo -n "$GREENLIGHT_E2E_KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL

# GREENLIGHT_E2E_PORT moves the driver off 4444 (and WebKitWebDriver to the port after it), so a
# bench can run while the e2e suite does; the suite itself always uses 4444.
PORT="${GREENLIGHT_E2E_PORT:-4444}"
export GREENLIGHT_E2E_PORT="$PORT"
tauri-driver --port "$PORT" --native-port "$((PORT + 1))" --native-driver /usr/bin/WebKitWebDriver >"$GREENLIGHT_HOME/tauri-driver.log" 2>&1 &
DRIVER_PID=$!
trap 'kill "$DRIVER_PID" 2>/dev/null || true' EXIT

for _ in $(seq 1 50); do
  curl -sf "http://127.0.0.1:$PORT/status" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -sf "http://127.0.0.1:$PORT/status" >/dev/null || { cat "$GREENLIGHT_HOME/tauri-driver.log" >&2; exit 1; }

"$ROOT/target/e2e-venv/bin/python" "$ROOT/tests/e2e/${GREENLIGHT_E2E_SCRIPT:-suite.py}" "$@"
