#!/usr/bin/env bash
# Installs Debian's chromium when it is missing, so the diagram test can render a flow's Mermaid picture to PNG with
# a real headless browser (mermaid's own browser bundle from node_modules; no network).
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  chromium --version 2>/dev/null | head -n 1
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-chromium: chromium is not installed and installing it needs root." >&2
  echo "Fix: run 'sudo apt-get update && sudo apt-get install -y chromium' (Debian/Ubuntu), then re-run." >&2
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: chromium is not installed and apt-get is not available on this machine." >&2
  echo "Fix: install Chromium with your system's package manager so that 'chromium' is on PATH." >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends chromium fonts-dejavu-core
chromium --version 2>/dev/null | head -n 1
