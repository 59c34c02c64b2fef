#!/usr/bin/env bash
# `npm run bench:kill-recovery`: 20 runs of kill -9 at random points of a fresh `pulumi up`, each followed by the
# documented recovery (bench/killRecovery.ts). KILL_RUNS and KILL_SEED change the number of runs and the kill points.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
source scripts/setup.sh
npx ts-node --transpile-only bench/killRecovery.ts
