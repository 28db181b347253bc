#!/usr/bin/env bash
# Installs whatever is missing, then runs every check: formatting, lints, type checks, Rust
# unit and integration tests, UI unit tests, and the end-to-end test of the real window.
set -euo pipefail
source "$(dirname "$0")/setup.sh"
install_system_packages
install_rust
install_node_packages
install_test_tools
cd "$ROOT"

# One feature set everywhere, so tests, clippy and the e2e binary share one build.
FEATURES=(--features custom-protocol)

step() { echo; echo "==> $*"; }

step "UI: type check, lint, formatting, unit tests, build"
npm run check
npm run lint
npm run format:check
npm run test
npm run build

step "Rust: formatting"
cargo fmt --all --check

step "Rust: clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets "${FEATURES[@]}" -- -D warnings

step "Rust: unit and integration tests (inside a D-Bus session with an unlocked gnome-keyring)"
bash src-tauri/crates/secrets/tests/with-keyring.sh cargo test --workspace "${FEATURES[@]}"

step "Generated TypeScript bindings are committed and current"
if ! git diff --exit-code --stat -- ui/src/lib/bindings; then
  echo "ui/src/lib/bindings changed when the tests regenerated them: commit the new bindings" >&2
  exit 1
fi
if [ -n "$(git status --porcelain -- ui/src/lib/bindings)" ]; then
  git status --porcelain -- ui/src/lib/bindings >&2
  echo "new binding files were generated: commit them" >&2
  exit 1
fi

step "Supply chain: cargo-deny (licences, bans, sources, advisories) and npm audit"
bash scripts/supply-chain.sh

step "End to end: the real window under Xvfb (tauri-driver + WebKitWebDriver)"
cargo build --workspace "${FEATURES[@]}"  # a no-op after the tests: same features, same binary
xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- bash tests/e2e/run.sh

echo
echo "All checks passed."
