#!/usr/bin/env bash
# Installs Debian's haproxy when it is missing, so the edge tests can prove the generated config with the real proxy.
set -euo pipefail
exec bash "$(dirname "${BASH_SOURCE[0]}")/ensure-apt-package.sh" haproxy "haproxy -v" haproxy
