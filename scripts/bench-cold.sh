#!/usr/bin/env bash
# `npm run bench:cold`: the time from a fresh clone to the first successful `npm run local`, from empty caches.
# A fresh clone of this repo's HEAD (so no node_modules), with AMB_TOOLCHAIN_HOME, GOCACHE, GOMODCACHE and
# PULUMI_HOME pointed at empty folders under one scratch folder: the Go module proxy still serves the modules and npm
# installs from its own cache (~/.npm, as a developer's machine has it). Runs `npm run local` there (npm ci, the
# toolchain builds, the program build and the first `pulumi up`), prints every progress line with the time since the
# clone started, then each step's time, the total, the CPU seconds of the whole tree and the machine's load meanwhile.
# Figures are reported, never asserted; JSON goes to .work/bench/cold.json. The scratch folder (several GB) is removed
# afterwards unless AMB_COLD_KEEP=1. Run it niced on a shared machine: `nice -n 10 npm run bench:cold`.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/amb-cold.XXXXXX")
clone="$scratch/clone"
log="$scratch/cold.log"
mkdir -p "$repo/.work/bench" "$scratch/toolchain" "$scratch/gocache" "$scratch/gomodcache" "$scratch/pulumi-home"

cleanup() {
  [ -n "${load_pid:-}" ] && kill "$load_pid" 2>/dev/null
  if [ "${AMB_COLD_KEEP:-}" = 1 ]; then
    echo "bench:cold: kept $scratch" >&2
  else
    # Module cache files are read-only; go clean removes them.
    GOMODCACHE="$scratch/gomodcache" go clean -modcache 2>/dev/null || chmod -R u+w "$scratch"
    rm -rf "$scratch"
  fi
}
trap cleanup EXIT

# Nothing of the warm toolchain may leak in through PATH (toolchain.sh reuses a `pulumi` it finds there).
clean_path=$(printf '%s' "$PATH" | tr ':' '\n' | grep -v 'amb-cce-toolchain' | paste -sd: -)
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

# The machine's load while it runs (a shared 2-core machine: the figure means little without it).
(
  while :; do
    cut -d' ' -f1 /proc/loadavg >>"$scratch/load"
    sleep 15
  done
) &
load_pid=$!

started=$(date +%s)
stamp() {
  while IFS= read -r line; do
    s=$(($(date +%s) - started))
    printf '[%2dm%02ds] %s\n' $((s / 60)) $((s % 60)) "$line"
  done
}

echo "==> [bench:cold] scratch folder $scratch; nproc $(nproc); load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
set +e
(
  set -e
  git clone --quiet "$repo" "$clone"
  cd "$clone"
  echo "==> [bench:cold] cloned $(git rev-parse --short HEAD)"
  env PATH="$clean_path" AMB_BUILD_STARTED="$started" AMB_TOOLCHAIN_HOME="$scratch/toolchain" \
    GOCACHE="$scratch/gocache" GOMODCACHE="$scratch/gomodcache" PULUMI_HOME="$scratch/pulumi-home" \
    EMULATOR_PORT="$(free_port)" KUBE_APISERVER_PORT="$(free_port)" \
    /usr/bin/time -f '==> [bench:cold] cpu user %U s, system %S s, max rss of one process %M KiB' npm run local
) 2>&1 | stamp | tee "$log"
status=${PIPESTATUS[0]}
set -e
total=$(($(date +%s) - started))
kill "$load_pid" 2>/dev/null || true
load_pid=""

cpu_user=$(sed -n -E 's/.*cpu user ([0-9.]+) s, system ([0-9.]+) s.*/\1/p' "$log" | tail -n 1)
cpu_system=$(sed -n -E 's/.*cpu user ([0-9.]+) s, system ([0-9.]+) s.*/\2/p' "$log" | tail -n 1)
load=$(sort -n "$scratch/load" | awk '{ a[NR] = $1; sum += $1 } END { if (NR) printf "%.1f %.1f %.1f", sum / NR, a[1], a[NR] }')
read -r load_mean load_min load_max <<<"${load:-0 0 0}"
gomod_mb=$(du -sm "$scratch/gomodcache" | cut -f1)
gocache_mb=$(du -sm "$scratch/gocache" | cut -f1)

echo
echo "cold set-up, fresh clone → first successful npm run local ($( [ "$status" -eq 0 ] && echo ok || echo "FAILED, exit $status"))"
echo "steps (time each took; they overlap where built side by side):"
grep -E ': done in [0-9]+s|npm ci|kube-apiserver ready|Update duration|Duration:' "$log" | sed 's/^/  /' || true
printf 'total: %dm%02ds wall; CPU %s s user + %s s system\n' $((total / 60)) $((total % 60)) "$cpu_user" "$cpu_system"
printf 'load average meanwhile (1-minute, sampled every 15 s): mean %s, min %s, max %s on %s cores\n' \
  "$load_mean" "$load_min" "$load_max" "$(nproc)"
printf 'downloaded Go modules %s MB, Go build cache %s MB\n' "$gomod_mb" "$gocache_mb"

OUT="$repo/.work/bench/cold.json" node -e '
const [status, total, user, system, mean, min, max, cores, gomod, gocache, log] = process.argv.slice(1);
const steps = require("fs").readFileSync(log, "utf8").split("\n")
  .map((l) => /^\[\s*(\d+)m(\d+)s\] ==> \[([^\]]+?) \+[^\]]*\] (.*): done in (\d+)s$/.exec(l))
  .filter(Boolean)
  .map((m) => ({ step: m[4], by: m[3], seconds: Number(m[5]), endedAtSeconds: Number(m[1]) * 60 + Number(m[2]) }));
const out = { ok: status === "0", totalSeconds: Number(total), cpuSeconds: { user: Number(user), system: Number(system) },
  loadAverage: { mean: Number(mean), min: Number(min), max: Number(max), cores: Number(cores) },
  goModulesMB: Number(gomod), goBuildCacheMB: Number(gocache), steps, measuredAt: new Date().toISOString() };
require("fs").writeFileSync(process.env.OUT, JSON.stringify(out, null, 2) + "\n");
' "$status" "$total" "${cpu_user:-0}" "${cpu_system:-0}" "$load_mean" "$load_min" "$load_max" "$(nproc)" \
  "$gomod_mb" "$gocache_mb" "$log"
cp "$log" "$repo/.work/bench/cold.log"
echo "log: .work/bench/cold.log"
exit "$status"
