#!/usr/bin/env bash
# The README's test command: installs what is missing, then lint, type-check and every test suite.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
source scripts/setup.sh
bash scripts/ensure-haproxy.sh
bash scripts/ensure-chromium.sh

echo "==> [test] lint: tsc, eslint, prettier" >&2
npx tsc --noEmit -p tsconfig.json
npx eslint .
npx prettier --check . >/dev/null || { npx prettier --list-different .; exit 1; }

echo "==> [test] architecture: layers, import circles (docs/architecture.md)" >&2
npx ts-node --transpile-only scripts/checkLayers.ts

# Go is needed only to build the toolchain; where it is present, our language host's own tests run too.
if command -v go >/dev/null; then
  echo "==> [test] go vet, go test: toolchain/language-host" >&2
  (cd toolchain/language-host && GOTOOLCHAIN=local go vet ./... && GOTOOLCHAIN=local go test ./...)
fi

echo "==> [test] jest" >&2
npx jest --ci --maxWorkers=2 "$@"
