#!/usr/bin/env bash
# The README's test command: installs what is missing, then lint, type-check and every test suite.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
source scripts/setup.sh
[ -f scripts/ensure-haproxy.sh ] && bash scripts/ensure-haproxy.sh

echo "==> [test] lint: tsc, eslint, prettier" >&2
npx tsc --noEmit -p tsconfig.json
npx eslint .
npx prettier --check . >/dev/null || { npx prettier --list-different .; exit 1; }

echo "==> [test] jest" >&2
npx jest --ci --maxWorkers=2 "$@"
