#!/usr/dist/env bash
# Shared set-up for the README's two commands: Node.js 24, Node packages, the Pulumi toolchain, kube-apiserver,
# kube-controller-manager and etcd, the compiled program (dist/), the engine's environment.
# Source it: it exports PATH and the PULUMI_* variables into the calling script.
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Node.js 24 first on PATH, before anything runs node or npm (npm ci included).
node_bin=$(bash "$repo/scripts/node-toolchain.sh" | tail -n 1) || {
  echo "setup: Node.js 24 could not be provided (the reason is above)" >&2
  exit 1
}
export PATH="$node_bin:$PATH"

# The toolchain (Go builds when cold) runs while npm installs: neither needs the other.
toolchain_out=$(mktemp)
bash "$repo/scripts/toolchain.sh" >"$toolchain_out" &
toolchain_pid=$!

# npm ci only when the lock file changed since the last install (a second run costs nothing).
if ! cmp -s "$repo/package-lock.json" "$repo/node_modules/.package-lock.json.installed" 2>/dev/null; then
  echo "==> [setup] npm ci" >&2
  (cd "$repo" && npm ci --no-audit --no-fund >&2)
  cp "$repo/package-lock.json" "$repo/node_modules/.package-lock.json.installed"
  echo "==> [setup] npm ci: done" >&2
fi

# The program and the providers compiled to dist/, when a source changed since the last build (build/ensureBuilt.js:
# a progress line either way, a second of CPU when nothing changed). It runs while the toolchain builds.
build_ok=true
node "$repo/build/ensureBuilt.js" || build_ok=false

wait "$toolchain_pid" || {
  rm -f "$toolchain_out"
  echo "setup: the toolchain build failed (its step and log are named above)" >&2
  exit 1
}
$build_ok || {
  rm -f "$toolchain_out"
  echo "setup: compiling the program failed (the compiler's errors are above)" >&2
  exit 1
}
toolchain_bin=$(tail -n 1 "$toolchain_out")
rm -f "$toolchain_out"
# toolchain.sh has built kube-apiserver and etcd too; this only looks their folder up (instant when cached).
kube_bin=$(bash "$repo/scripts/kube-toolchain.sh" | tail -n 1)
export PATH="$toolchain_bin:$kube_bin:$PATH"
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
echo "==> [setup] pulumi $(pulumi version) from $toolchain_bin, node $(node --version)" >&2
