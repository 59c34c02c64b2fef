# Progress and named build steps for the toolchain scripts. Source it after setting `logs` (a folder) and, optionally,
# `step_label` (the prefix of progress lines).
say() { printf '==> [%s] %s\n' "${step_label:-toolchain}" "$*" >&2; }

# step NAME COMMAND...: runs a build step with its output in a log; on failure names the step and shows the log's tail.
step() {
  local name=$1 log
  shift
  log="$logs/$(echo "$name" | tr -c 'a-zA-Z0-9\n' '-').log"
  say "$name (log: $log)"
  local started=$SECONDS
  # A subshell outside any condition, so `set -e` holds inside the step (a failing command in the middle stops it).
  set +e
  (
    set -e
    "$@"
  ) >"$log" 2>&1
  local status=$?
  set -e
  if [ "$status" -ne 0 ]; then
    echo "${step_label:-toolchain}: step '$name' failed. Last lines of $log:" >&2
    tail -n 25 "$log" >&2
    exit 1
  fi
  say "$name: done in $((SECONDS - started))s"
}
