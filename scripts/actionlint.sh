#!/usr/bin/env bash
# Lints the GitHub workflows with actionlint, built from its Go module into a cache folder outside the repo keyed by
# version (the machines reach the Go module proxy but no release downloads). A second run costs a fraction of a second.
#   bash scripts/actionlint.sh [actionlint flags]   # lints .github/workflows/*.yml
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
version=v1.7.12
cache=${AMB_TOOLCHAIN_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/amb-cce-toolchain}
bin="$cache/bin/actionlint-$version"

mkdir -p "$cache/bin"
exec 9>"$cache/.actionlint.lock"
flock 9
if [ ! -x "$bin/actionlint" ]; then
  echo "==> [actionlint] building github.com/rhysd/actionlint/cmd/actionlint@$version into $bin" >&2
  rm -rf "$bin.partial"
  GOTOOLCHAIN=local CGO_ENABLED=0 GOBIN="$bin.partial" GOFLAGS=-mod=mod \
    go install -trimpath "github.com/rhysd/actionlint/cmd/actionlint@$version" >&2
  mv "$bin.partial" "$bin"
fi
flock -u 9

cd "$repo"
exec "$bin/actionlint" "$@"
