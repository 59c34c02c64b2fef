#!/usr/bin/env bash
# The README's main job: a full `pulumi up` of the dev-demo stack on the embedded local default — the Webex Connect
# emulator on loopback with a seeded AMB asset, a real kube-apiserver + etcd on loopback (no kubelet or controllers),
# and a file backend, all with their state under .work/. Both servers are stopped, and the temp folder of the pulumi
# commands removed, when the script ends.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
source scripts/setup.sh

stack=dev-demo
port=${EMULATOR_PORT:-8787}
kube_port=${KUBE_APISERVER_PORT:-6443}
work="$repo/.work"
mkdir -p "$work/local-backend" "$work/emulator-local" "$work/kube-local"
export PULUMI_BACKEND_URL="file://$work/local-backend"
# The local stack holds no real secret; a fixed passphrase keeps the two commands free of prompts.
export PULUMI_CONFIG_PASSPHRASE=${PULUMI_CONFIG_PASSPHRASE:-local-default-not-secret}
export WEBEX_CONNECT_TOKEN=emulator-token WEBEX_CONNECT_ORG_ID=emulator-org
export WEBEX_CONNECT_BASE_URL="http://127.0.0.1:$port"

echo "==> [local] starting the Webex Connect emulator on $WEBEX_CONNECT_BASE_URL (state: .work/emulator-local)" >&2
node -r ts-node/register/transpile-only emulator/cli.ts --port "$port" --data-dir "$work/emulator-local" \
  >"$work/emulator-local.log" 2>&1 &
emulator_pid=$!
kube_pid=""
run_temp=""
clean_up() {
  kill "$emulator_pid" 2>/dev/null || true
  if [ -n "$kube_pid" ]; then
    kill "$kube_pid" 2>/dev/null || true
    wait "$kube_pid" 2>/dev/null || true
  fi
  if [ -n "$run_temp" ]; then rm -rf "$run_temp"; fi
}
trap clean_up EXIT
for _ in $(seq 1 100); do
  curl -fs -o /dev/null "$WEBEX_CONNECT_BASE_URL/_emulator/requests" -H "x-emulator-control-token: emulator-control" && break
  kill -0 "$emulator_pid" 2>/dev/null || { cat "$work/emulator-local.log" >&2; exit 1; }
  sleep 0.2
done

echo "==> [local] starting etcd + kube-apiserver on https://127.0.0.1:$kube_port (state: .work/kube-local)" >&2
rm -f "$work/kube-local/kubeconfig"
node -r ts-node/register/transpile-only kube/cli.ts --state-dir "$work/kube-local" --port "$kube_port" \
  >"$work/kube-local.log" 2>&1 &
kube_pid=$!
until [ -s "$work/kube-local/kubeconfig" ]; do
  kill -0 "$kube_pid" 2>/dev/null || {
    echo "local: the local Kubernetes API server did not start:" >&2
    cat "$work/kube-local.log" >&2
    exit 1
  }
  sleep 0.5
done
export KUBECONFIG="$work/kube-local/kubeconfig"
echo "==> [local] kube-apiserver ready; KUBECONFIG=$KUBECONFIG (context amb-local)" >&2

# What Apple registration does: the AMB asset appears in Webex Connect, here already "Online" (409: seeded before).
seed_status=$(curl -s -o "$work/seed.json" -w '%{http_code}' -X POST "$WEBEX_CONNECT_BASE_URL/_emulator/assets" \
  -H "x-emulator-control-token: emulator-control" -H 'content-type: application/json' \
  -d '{"organizationId":"emulator-org","name":"TestAccount_Cisco","appId":"demo-app-0001","ambAccountId":"ca7c8be7-1dec-4580-9668-a92ab0054485","status":"Online"}')
case "$seed_status" in
  2??) echo "==> [local] seeded the AMB asset demo-app-0001 (as Apple registration would)" >&2 ;;
  409) echo "==> [local] the AMB asset demo-app-0001 is already there" >&2 ;;
  *) echo "local: seeding the AMB asset failed with HTTP $seed_status: $(cat "$work/seed.json")" >&2; exit 1 ;;
esac

# The Kubernetes provider leaves a copy of $KUBECONFIG, credentials included, in TMPDIR each time it starts
# (ops/pulumiCli.ts says where): the pulumi commands get a temp folder of their own, removed when the script ends.
run_temp=$(mktemp -d "${TMPDIR:-/tmp}/amb-local-XXXXXX")
export TMPDIR="$run_temp"
pulumi stack select "$stack" --create --non-interactive >&2
pulumi up --stack "$stack" --yes --non-interactive --skip-preview
pulumi stack output --stack "$stack"
# The picture: edge FQDN → Cloud Connect nodes, asset → service → live flows.
pulumi stack output --stack "$stack" --json | node -r ts-node/register/transpile-only scripts/deployedPicture.ts --stack "$stack"
namespace=$(node -p "require('yaml').parse(require('fs').readFileSync('stacks/Pulumi.$stack.yaml', 'utf8')).config['amb-cce-connect:kubernetes'].namespace")
echo "==> [local] Kubernetes objects in namespace $namespace (the API server keeps them in .work/kube-local):" >&2
node -r ts-node/register/transpile-only kube/list.ts --namespace "$namespace"
