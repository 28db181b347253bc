#!/usr/bin/env bash
# Installs what Greenlight needs on Debian/Ubuntu, skipping whatever is already there.
# Sourced by run-app.sh and test-all.sh; safe to run again.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Tauri build deps, the e2e driver and X server, keychain, PDF and image tools, and the real
# servers the probe tests start on loopback (Redis, PostgreSQL, Prometheus).
SYSTEM_PACKAGES=(
  build-essential curl wget file pkg-config libssl-dev libxdo-dev
  libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev
  webkit2gtk-driver xvfb dbus dbus-x11 gnome-keyring libsecret-tools
  poppler-utils qpdf imagemagick python3-venv sqlite3 openssl
  redis-server postgresql prometheus
)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_system_packages() {
  local missing=()
  for package in "${SYSTEM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "==> installing system packages: ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

install_rust() {
  if ! command -v cargo >/dev/null 2>&1; then
    echo "==> installing Rust (rustup)"
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal -c clippy,rustfmt
    # shellcheck disable=SC1091
    source "$HOME/.cargo/env"
  fi
}

install_node_packages() {
  if ! command -v npm >/dev/null 2>&1; then
    echo "==> installing Node.js and npm"
    as_root apt-get install -y -qq nodejs npm >/dev/null
  fi
  if [ ! -d "$ROOT/node_modules" ] || [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
    echo "==> installing npm packages"
    # `npm install` (not `npm ci`): npm 11 leaves other platforms' optional @tauri-apps/cli-*
    # binaries out of the lock file, which `npm ci` then rejects. Versions still come from the lock.
    (cd "$ROOT" && npm install --no-audit --no-fund)
  fi
}

install_test_tools() {
  if ! command -v tauri-driver >/dev/null 2>&1; then
    echo "==> installing tauri-driver"
    cargo install tauri-driver --version '^2' --locked
  fi
  if ! command -v cargo-deny >/dev/null 2>&1; then
    echo "==> installing cargo-deny"
    cargo install cargo-deny --version '^0.20' --locked
  fi
  local venv="$ROOT/target/e2e-venv"
  if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import selenium" 2>/dev/null; then
    echo "==> installing the e2e client (selenium) in $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet 'selenium==4.38.0'
  fi
}
