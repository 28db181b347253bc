#!/usr/bin/env bash
# Installs whatever is missing, then builds and opens Greenlight (development mode, hot reload).
set -euo pipefail
source "$(dirname "$0")/setup.sh"
install_system_packages
install_rust
install_node_packages
cd "$ROOT"
exec npx tauri dev
