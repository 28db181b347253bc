#!/usr/bin/env bash
# Runs the given command inside a private D-Bus session with a fresh HOME and an unlocked
# gnome-keyring, so keychain tests reach a real Secret Service:
#   src-tauri/crates/secrets/tests/with-keyring.sh cargo test -p greenlight-secrets
# Needs: dbus-run-session (dbus), gnome-keyring; secret-tool (libsecret-tools) for lookups.
set -euo pipefail
if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi
for tool in dbus-run-session gnome-keyring-daemon; do
  command -v "$tool" >/dev/null || { echo "$0: $tool is not installed (apt-get install -y dbus gnome-keyring)" >&2; exit 3; }
done
fresh_home="$(mktemp -d)"
trap 'rm -rf "$fresh_home"' EXIT
# Cargo and rustup live under the real HOME: keep them reachable after HOME changes.
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}" RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
export HOME="$fresh_home" XDG_DATA_HOME="$fresh_home/.local/share" XDG_RUNTIME_DIR="$fresh_home/run"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
# Inside the session: start the daemon with a known password (that unlocks a new login keyring),
# then run the command; the daemon ends with the session. The locked-keychain test unlocks the
# keyring again with the same password.
export GREENLIGHT_TEST_KEYRING_PASSWORD=greenlight-test
exec dbus-run-session -- bash -c '
  set -euo pipefail
  eval "$(echo -n "$GREENLIGHT_TEST_KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets)" >/dev/null
  export GNOME_KEYRING_CONTROL
  "$@"
' with-keyring "$@"
