#!/usr/bin/env bash
# Provides a real kube-apiserver, kube-controller-manager and etcd in one bin folder outside the repo, cached by
# version, built from Go modules (no Debian package ships them). No kubelet or scheduler, so workloads are stored and
# validated but never run; the controller manager runs the garbage collector and the namespace controller, so deletes
# (foreground deletion included) finish. scripts/toolchain.sh starts this alongside its Pulumi builds; it has its own
# lock and bin folder.
# Progress goes to stderr; the last line on stdout is the bin folder.
set -euo pipefail

kubernetes_version=1.37.2
etcd_version=3.7.3
# Each k8s.io/<x> staging module of k8s.io/kubernetes v1.X.Y is published as k8s.io/<x> v0.X.Y.
staging_version=v0.${kubernetes_version#1.}

cache=${AMB_TOOLCHAIN_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/amb-cce-toolchain}
bin="$cache/bin/kubernetes-v$kubernetes_version-etcd-v$etcd_version"
logs="$cache/logs"
mkdir -p "$cache/src" "$logs"

export GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0
source "$(dirname "${BASH_SOURCE[0]}")/lib/build-step.sh"
step_label=kube-toolchain
share_go_caches

exec 8>"$cache/.kube-lock"
flock 8

# Outputs are compared whole, not piped to `grep -q`: with pipefail an early grep exit would fail the check.
is_complete() {
  [ -x "$bin/kube-apiserver" ] && [ -x "$bin/kube-controller-manager" ] && [ -x "$bin/etcd" ] &&
    [ "$("$bin/kube-apiserver" --version 2>/dev/null)" = "Kubernetes v$kubernetes_version" ] &&
    [ "$("$bin/kube-controller-manager" --version 2>/dev/null)" = "Kubernetes v$kubernetes_version" ] &&
    [[ $'\n'"$("$bin/etcd" --version 2>/dev/null)"$'\n' == *$'\n'"etcd Version: $etcd_version"$'\n'* ]]
}
if is_complete; then
  echo "$bin"
  exit 0
fi
command -v go >/dev/null || {
  echo "kube-toolchain: Go ≥ 1.26 is needed to build kube-apiserver, kube-controller-manager v$kubernetes_version and" \
    "etcd v$etcd_version (no package ships them); install Go or put the three binaries in $bin" >&2
  exit 1
}

staging="$bin.partial"
rm -rf "$staging"
mkdir -p "$staging"

# wrapper_module DIR MODULE_PATH IMPORT...: a throwaway module whose tools.go imports each IMPORT, so `go mod tidy`
# pulls them in.
wrapper_module() {
  local dir=$1 module=$2 import
  shift 2
  mkdir -p "$dir"
  {
    printf '//go:build tools\n\npackage tools\n\n'
    for import in "$@"; do printf 'import _ "%s"\n' "$import"; done
  } >"$dir/tools.go"
  printf 'module %s\n\ngo 1.26\n' "$module" >"$dir/go.mod"
}

prepare_kube_apiserver() {
  local dir="$cache/src/kube-apiserver-$kubernetes_version" gomod
  rm -rf "$dir"
  wrapper_module "$dir" toolchain.local/kube-apiserver k8s.io/kubernetes/cmd/kube-apiserver/app \
    k8s.io/kubernetes/cmd/kube-controller-manager/app
  cd "$dir"
  gomod=$(go mod download -json "k8s.io/kubernetes@v$kubernetes_version" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);if(j.Error){console.error(j.Error);process.exit(1)}process.stdout.write(j.GoMod)})')
  {
    printf '\nrequire k8s.io/kubernetes v%s\n\n' "$kubernetes_version"
    # k8s.io/kubernetes replaces its staging modules with local folders; a dependent takes the published ones.
    sed -n -E "s#^[[:space:]]*(k8s\.io/[a-z0-9-]+) => \./staging/src/k8s\.io/[a-z0-9-]+\$#replace \1 => \1 $staging_version#p" "$gomod"
    grep -E '^replace .* => [^.][^ ]* v[0-9]' "$gomod" || true
  } >>go.mod
  grep -q "^replace k8s.io/api => k8s.io/api $staging_version" go.mod || {
    echo "no staging replaces found in $gomod" >&2
    return 1
  }
  go mod tidy
}

build_kube_apiserver() {
  cd "$cache/src/kube-apiserver-$kubernetes_version"
  local minor=${kubernetes_version#1.}
  minor=${minor%%.*}
  local stamp=""
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    stamp+=" -X $pkg.gitVersion=v$kubernetes_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    stamp+=" -X $pkg.gitTreeState=clean"
  done
  # One go build for both: they share most of k8s.io/kubernetes, compiled once.
  go build -trimpath -ldflags "-s -w$stamp" -o "$staging/" k8s.io/kubernetes/cmd/kube-apiserver \
    k8s.io/kubernetes/cmd/kube-controller-manager
}

prepare_etcd() {
  local dir="$cache/src/etcd-$etcd_version"
  rm -rf "$dir"
  wrapper_module "$dir" toolchain.local/etcd go.etcd.io/etcd/server/v3/etcdmain
  cd "$dir"
  printf '\nrequire go.etcd.io/etcd/server/v3 v%s\n' "$etcd_version" >>go.mod
  go mod tidy
}

build_etcd() {
  cd "$cache/src/etcd-$etcd_version"
  go build -trimpath -ldflags "-s -w" -o "$staging/etcd" go.etcd.io/etcd/server/v3
}

say "building etcd v$etcd_version, kube-apiserver and kube-controller-manager v$kubernetes_version from Go modules" \
  "(cold: about 13 CPU-minutes, 7 minutes on 2 idle cores, over 30 under load; cached afterwards)"
# Side by side: each binary's module download overlaps the other's compile (one Go build cache for both).
etcd_lane() {
  step "fetch etcd v$etcd_version modules" prepare_etcd
  step "build etcd v$etcd_version" build_etcd
}
kube_apiserver_lane() {
  step "fetch kube-apiserver v$kubernetes_version modules" prepare_kube_apiserver
  step "build kube-apiserver and kube-controller-manager v$kubernetes_version" build_kube_apiserver
}
lane etcd_lane
lane kube_apiserver_lane
wait_lanes

for server in kube-apiserver kube-controller-manager; do
  [ "$("$staging/$server" --version)" = "Kubernetes v$kubernetes_version" ] || {
    echo "kube-toolchain: built $server reports '$("$staging/$server" --version)'," \
      "expected Kubernetes v$kubernetes_version" >&2
    exit 1
  }
done
rm -rf "$bin"
mv "$staging" "$bin"
say "ready: $bin"
echo "$bin"
