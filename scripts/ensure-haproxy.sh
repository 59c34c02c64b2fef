#!/usr/bin/env bash
# Installs Debian's haproxy when it is missing, so the edge tests can prove the generated config with the real proxy.
set -euo pipefail

if command -v haproxy >/dev/null 2>&1; then
  haproxy -v | head -n 1
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-haproxy: haproxy is not installed and installing it needs root." >&2
  echo "Fix: run 'sudo apt-get update && sudo apt-get install -y haproxy' (Debian/Ubuntu), then re-run." >&2
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-haproxy: haproxy is not installed and apt-get is not available on this machine." >&2
  echo "Fix: install HAProxy 2.6 or newer with your system's package manager so that 'haproxy' is on PATH." >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y haproxy
haproxy -v | head -n 1
