#!/usr/bin/env bash
# Installs a Debian package when its command is missing, so the tests can run the real program:
#   ensure-apt-package.sh <command> "<version command>" <package>...
set -euo pipefail
# Version lines are taken with `sed -n 1p`, which reads all input: `head -n 1` would end the command early (SIGPIPE,
# exit 141 under pipefail) and fail the test command.
command_name=$1 version_command=$2
shift 2

if command -v "$command_name" >/dev/null 2>&1; then
  bash -c "$version_command" 2>/dev/null | sed -n 1p
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-$command_name: $command_name is not installed and installing it needs root." >&2
  echo "Fix: run 'sudo apt-get update && sudo apt-get install -y $*' (Debian/Ubuntu), then re-run." >&2
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-$command_name: $command_name is not installed and apt-get is not available on this machine." >&2
  echo "Fix: install $command_name with your system's package manager so that '$command_name' is on PATH." >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "$@"
bash -c "$version_command" 2>/dev/null | sed -n 1p
