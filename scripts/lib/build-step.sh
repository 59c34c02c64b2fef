# Progress and named build steps for the toolchain scripts. Source it after setting `logs` (a folder) and, optionally,
# `step_label` (the prefix of progress lines).
#
# Every progress line carries the time since the set-up began (AMB_BUILD_STARTED, epoch seconds, exported so the
# kube-toolchain started by toolchain.sh counts from the same start): `==> [toolchain +3m05s] …`.
export AMB_BUILD_STARTED=${AMB_BUILD_STARTED:-$(date +%s)}

elapsed() {
  local s=$(($(date +%s) - AMB_BUILD_STARTED))
  if [ "$s" -ge 60 ]; then printf '%dm%02ds' $((s / 60)) $((s % 60)); else printf '%ds' "$s"; fi
}
say() { printf '==> [%s +%s] %s\n' "${step_label:-toolchain}" "$(elapsed)" "$*" >&2; }

# One Go build cache and one module cache for every build of the set-up (the Pulumi CLI, our language host, the
# Kubernetes provider, kube-apiserver and etcd share modules such as the Pulumi SDK, gRPC and the Kubernetes client):
# Go's defaults unless GOCACHE / GOMODCACHE are set, pinned once here so every child build sees the same folders.
share_go_caches() {
  command -v go >/dev/null || return 0
  GOCACHE=${GOCACHE:-$(go env GOCACHE)}
  GOMODCACHE=${GOMODCACHE:-$(go env GOMODCACHE)}
  export GOCACHE GOMODCACHE
}

# Seconds between "still running" lines of a long step, so a 30-minute build does not look hung.
step_heartbeat=${AMB_STEP_HEARTBEAT:-120}

# step NAME COMMAND...: runs a build step with its output in a log; on failure names the step and shows the log's tail.
step() {
  local name=$1 log
  shift
  log="$logs/$(echo "$name" | tr -c 'a-zA-Z0-9\n' '-').log"
  say "$name: started (log: $log)"
  local started=$SECONDS
  # The heartbeat kills its own sleep when stopped and holds none of the callers' lock files (fds 8, 9): a sleep left
  # behind would keep the toolchain lock taken for up to a heartbeat after the build.
  (
    trap 'kill "$nap" 2>/dev/null; exit 0' TERM
    while :; do
      sleep "$step_heartbeat" &
      nap=$!
      wait "$nap"
      say "$name: still running after $((SECONDS - started))s"
    done
  ) 8>&- 9>&- &
  local heartbeat=$!
  # A subshell outside any condition, so `set -e` holds inside the step (a failing command in the middle stops it).
  set +e
  (
    set -e
    "$@"
  ) >"$log" 2>&1
  local status=$?
  set -e
  kill "$heartbeat" 2>/dev/null || true
  wait "$heartbeat" 2>/dev/null || true
  if [ "$status" -ne 0 ]; then
    echo "${step_label:-toolchain}: step '$name' failed after $((SECONDS - started))s. Last lines of $log:" >&2
    tail -n 25 "$log" >&2
    exit 1
  fi
  say "$name: done in $((SECONDS - started))s"
}

# lane COMMAND...: runs COMMAND (usually a function calling `step` one or more times) in the background, so
# independent builds run side by side; `wait_lanes` waits for all of them and fails if any failed (each failed
# step has named itself and shown its log).
lane_pids=()
lane() {
  "$@" &
  lane_pids+=("$!")
}
wait_lanes() {
  local pid failed=0
  for pid in "${lane_pids[@]}"; do
    wait "$pid" || failed=1
  done
  lane_pids=()
  [ "$failed" -eq 0 ] || exit 1
}
