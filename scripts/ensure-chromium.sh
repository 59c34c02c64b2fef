#!/usr/bin/env bash
# Installs Debian's chromium when it is missing, so the diagram test can render a flow's Mermaid picture to PNG with
# a real headless browser (mermaid's own browser bundle from node_modules; no network).
set -euo pipefail
exec bash "$(dirname "${BASH_SOURCE[0]}")/ensure-apt-package.sh" chromium "chromium --version" chromium fonts-dejavu-core
