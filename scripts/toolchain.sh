#!/usr/bin/env bash
# Provides the real Pulumi toolchain in one bin folder outside the repo, cached by version:
#   pulumi, pulumi-language-nodejs, pulumi-resource-pulumi-nodejs, pulumi-resource-kubernetes.
# A `pulumi` already on PATH at the pinned version is reused, and so is any binary of the same version in another
# bin folder of the cache (a changed language host does not rebuild the CLI or the Kubernetes provider); the rest is
# built from Go modules, side by side: the CLI then the language host (they share the Pulumi SDK's packages), the
# Kubernetes provider, and scripts/kube-toolchain.sh's kube-apiserver and etcd (its own bin folder, cache and lock),
# all with one Go build cache and one module cache.
# Progress goes to stderr; the last line on stdout is the Pulumi bin folder, so callers can do BIN=$(scripts/toolchain.sh).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
pin() { node -p "require('$repo/package.json').dependencies['$1']"; }
pulumi_version=$(pin @pulumi/pulumi)
kubernetes_version=$(pin @pulumi/kubernetes)
# The only pulumi-kubernetes provider module version the Go proxy serves; it is release v4.25.0.
kubernetes_module_version=v4.0.0-20260115033456-f47bc2d6f199
[ "$kubernetes_version" = "4.25.0" ] || {
  echo "toolchain: @pulumi/kubernetes is pinned to $kubernetes_version but the provider build recipe is for 4.25.0;" \
    "update kubernetes_module_version in scripts/toolchain.sh to a served commit of that release" >&2
  exit 1
}

host_src="$repo/toolchain/language-host"
host_hash=$(cat "$host_src/main.go" "$host_src/go.mod" "$host_src/go.sum" | sha256sum | cut -c1-12)
cache=${AMB_TOOLCHAIN_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/amb-cce-toolchain}
bin="$cache/bin/pulumi-v$pulumi_version-k8s-v$kubernetes_version-host-$host_hash"
logs="$cache/logs"
mkdir -p "$cache/src" "$logs"

export GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0
source "$repo/scripts/lib/build-step.sh"
share_go_caches

# The Kubernetes API server for the local default and the tests. Started before the Pulumi builds so it builds
# alongside them; without our lock (fd 9), which is the Pulumi part's alone.
kube_pid=""
start_kube_toolchain() {
  bash "$repo/scripts/kube-toolchain.sh" >/dev/null 9>&- &
  kube_pid=$!
}
finish() {
  exec 9>&-
  [ -n "$kube_pid" ] || start_kube_toolchain
  wait "$kube_pid" || exit 1
  echo "$bin"
  exit 0
}

# Serialize concurrent runs (tests and the local job may start together).
exec 9>"$cache/.lock"
flock 9

is_complete() {
  [ -x "$bin/pulumi" ] && [ -x "$bin/pulumi-language-nodejs" ] && [ -x "$bin/pulumi-resource-pulumi-nodejs" ] &&
    [ -x "$bin/pulumi-resource-kubernetes" ] && [ "$("$bin/pulumi" version 2>/dev/null)" = "v$pulumi_version" ]
}
# The dynamic-provider launcher (toolchain/pulumi-resource-pulumi-nodejs) and the watchdog it preloads, installed
# into bin folder $1 when they differ: a bin folder built before gets the current ones too. Replaced by rename, so a
# launcher running now reads on untouched.
install_dynamic_provider_launcher() {
  local file
  for file in pulumi-resource-pulumi-nodejs engine-watchdog.js; do
    cmp -s "$repo/toolchain/$file" "$1/$file" && continue
    cp "$repo/toolchain/$file" "$1/$file.new" && chmod +x "$1/$file.new" && mv -f "$1/$file.new" "$1/$file"
  done
}

if is_complete; then
  install_dynamic_provider_launcher "$bin"
  finish
fi

start_kube_toolchain

staging="$bin.partial"
rm -rf "$staging"
mkdir -p "$staging"

# reuse_cached FILE PATTERN: links FILE from another bin folder matching PATTERN (same version of that binary, so the
# same build) into the staging folder; fails when there is none.
reuse_cached() {
  local candidate
  for candidate in "$cache"/bin/$2/"$1"; do
    [ -x "$candidate" ] && [ "$(dirname "$candidate")" != "$bin" ] || continue
    ln "$(readlink -f "$candidate")" "$staging/$1" 2>/dev/null || cp "$(readlink -f "$candidate")" "$staging/$1"
    say "reusing $1 from $(dirname "$candidate")"
    return 0
  done
  return 1
}

# Replace directives of a module's own go.mod that point to other modules (local paths cannot be repeated).
module_replaces() {
  local gomod
  gomod=$(go mod download -json "$1" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);if(j.Error){console.error(j.Error);process.exit(1)}process.stdout.write(j.GoMod)})')
  grep -E '^replace .* => [^.][^ ]* v[0-9]' "$gomod" || true
}

build_cli() {
  local dir="$cache/src/pulumi-cli-$pulumi_version"
  mkdir -p "$dir" && cd "$dir"
  {
    echo "module toolchain.local/pulumi-cli"
    echo
    echo "go 1.25"
    echo
    echo "require ("
    echo "	github.com/pulumi/pulumi/pkg/v3 v$pulumi_version"
    echo "	github.com/pulumi/pulumi/sdk/v3 v$pulumi_version"
    echo ")"
    module_replaces "github.com/pulumi/pulumi/pkg/v3@v$pulumi_version"
  } >go.mod
  go get "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$pulumi_version"
  go build -trimpath -tags osusergo,grpcnotrace \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$pulumi_version" \
    -o "$staging/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
}

build_language_host() {
  cd "$host_src"
  go build -trimpath -ldflags "-X main.version=$pulumi_version" -o "$staging/pulumi-language-nodejs" .
}

build_kubernetes_provider() {
  local module="github.com/pulumi/pulumi-kubernetes/provider/v4@$kubernetes_module_version"
  local dir="$cache/src/pulumi-resource-kubernetes-$kubernetes_version" src
  src=$(go mod download -json "$module" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);if(j.Error){console.error(j.Error);process.exit(1)}process.stdout.write(j.Dir)})')
  rm -rf "$dir" && cp -r "$src" "$dir" && chmod -R u+w "$dir" && cd "$dir"
  # The upstream go.mod points the Kubernetes SDK at a sibling folder; take the same release from the proxy.
  sed -i '\#^replace github.com/pulumi/pulumi-kubernetes/sdk/v4 => \.\./sdk#d' go.mod
  sed -i -E "s#(github.com/pulumi/pulumi-kubernetes/sdk/v4) v[0-9.]+#\1 v$kubernetes_version#" go.mod
  go get "github.com/pulumi/pulumi-kubernetes/sdk/v4@v$kubernetes_version"
  # main.go embeds schema files that generate.go derives from the committed schema.json.
  (cd cmd/pulumi-resource-kubernetes && VERSION=$kubernetes_version go generate ./...)
  go build -trimpath \
    -ldflags "-s -w -X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=v$kubernetes_version" \
    -o "$staging/pulumi-resource-kubernetes" ./cmd/pulumi-resource-kubernetes
}

# An installed CLI at the pinned version comes with its own language host; reuse both.
existing=$(command -v pulumi || true)
if [ -n "$existing" ] && [ "$(pulumi version 2>/dev/null)" = "v$pulumi_version" ] &&
  [ -x "$(dirname "$existing")/pulumi-language-nodejs" ]; then
  say "using the pulumi v$pulumi_version already on PATH ($existing)"
  ln -s "$existing" "$staging/pulumi"
  ln -s "$(dirname "$existing")/pulumi-language-nodejs" "$staging/pulumi-language-nodejs"
else
  say "building pulumi v$pulumi_version from Go modules (cached afterwards)"
  # The CLI first, then the host: the host's packages are the CLI's SDK, compiled by then (one lane, no double work).
  pulumi_lane() {
    reuse_cached pulumi "pulumi-v$pulumi_version-k8s-v*-host-*" || step "build pulumi CLI v$pulumi_version" build_cli
    step "build pulumi-language-nodejs v$pulumi_version" build_language_host
  }
  lane pulumi_lane
fi
install_dynamic_provider_launcher "$staging"

installed_plugin="$HOME/.pulumi/plugins/resource-kubernetes-v$kubernetes_version/pulumi-resource-kubernetes"
if [ -x "$installed_plugin" ]; then
  say "using the installed kubernetes plugin v$kubernetes_version ($installed_plugin)"
  ln -s "$installed_plugin" "$staging/pulumi-resource-kubernetes"
elif ! reuse_cached pulumi-resource-kubernetes "pulumi-v*-k8s-v$kubernetes_version-host-*"; then
  lane step "build pulumi-resource-kubernetes v$kubernetes_version" build_kubernetes_provider
fi
wait_lanes

actual=$("$staging/pulumi" version)
[ "$actual" = "v$pulumi_version" ] || {
  echo "toolchain: built pulumi reports $actual, expected v$pulumi_version" >&2
  exit 1
}
rm -rf "$bin"
mv "$staging" "$bin"
say "ready: $bin"
finish
