#!/usr/bin/env bash
# `npm run bench`: the benchmarks of bench/run.ts on the local default; figures are reported, never asserted.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
source scripts/setup.sh
npx ts-node --transpile-only bench/run.ts
