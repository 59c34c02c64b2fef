#!/usr/bin/env bash
# Shared set-up for the README's two commands: Node packages, the Pulumi toolchain, kube-apiserver and etcd, the engine's
# environment.
# Source it: it exports PATH and the PULUMI_* variables into the calling script.
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# npm ci only when the lock file changed since the last install (a second run costs nothing).
if ! cmp -s "$repo/package-lock.json" "$repo/node_modules/.package-lock.json.installed" 2>/dev/null; then
  echo "==> [setup] npm ci" >&2
  (cd "$repo" && npm ci --no-audit --no-fund >&2)
  cp "$repo/package-lock.json" "$repo/node_modules/.package-lock.json.installed"
fi

toolchain_bin=$(bash "$repo/scripts/toolchain.sh" | tail -n 1)
# toolchain.sh has built kube-apiserver and etcd too; this only looks their folder up (instant when cached).
kube_bin=$(bash "$repo/scripts/kube-toolchain.sh" | tail -n 1)
export PATH="$toolchain_bin:$kube_bin:$PATH"
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
echo "==> [setup] $(pulumi version) from $toolchain_bin" >&2
