#!/usr/bin/env bash
# The README's main job: a full `pulumi up` of the local stack on the embedded default (file backend under .work/).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
source scripts/setup.sh

stack=${STACK:-local}
backend="$repo/.work/local-backend"
mkdir -p "$backend"
export PULUMI_BACKEND_URL="file://$backend"
# The local stack holds no real secret; a fixed passphrase keeps the two commands free of prompts.
export PULUMI_CONFIG_PASSPHRASE=${PULUMI_CONFIG_PASSPHRASE:-local-default-not-secret}

pulumi stack select "$stack" --create --non-interactive >&2
pulumi up --stack "$stack" --yes --non-interactive --skip-preview
pulumi stack output --stack "$stack"
