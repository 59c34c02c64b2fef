/**
 * Where a run's CPU and memory go, read from /proc (Linux). `sampleTreeCpu` samples the processes under a root process
 * (this one, say, while it runs pulumi commands) and adds up each one's user + system time by what it is: the pulumi
 * CLI, or a role of harness/processes.ts. A process is counted at its last sample, so the time it spent after that
 * sample (at most one interval) and processes that lived less than one interval are missed: compare the sum with the
 * total the kernel gives for reaped children (`cpuOfChildren`). `residentMiB` is a process's resident memory.
 */
import * as fs from "node:fs";
import { descendantsOf, pluginRole } from "./processes";

/** Clock ticks per second of /proc/<pid>/stat's CPU fields (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;
/** Bytes per page of /proc/<pid>/statm (4 KiB on x86-64 and arm64 Linux as configured here). */
const PAGE_BYTES = 4096;

/** CPU seconds (user + system) a process has used so far, or undefined once it is gone. */
export function cpuSecondsOf(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15 of the whole line.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

export type CpuRole = ReturnType<typeof pluginRole> | "pulumi CLI";

/** What a process is, from its command line. */
export function cpuRole(command: string): CpuRole {
  const role = pluginRole(command);
  return role === "other" && /^(\S*\/)?pulumi\s/.test(command) ? "pulumi CLI" : role;
}

export interface TreeCpu {
  /** CPU seconds by role, summed over the processes seen. */
  byRole: Partial<Record<CpuRole, number>>;
  /** How many processes of each role were seen. */
  processes: Partial<Record<CpuRole, number>>;
}

/** Samples the processes under `root` every `intervalMs` until `stop()`, which returns what was seen. */
export function sampleTreeCpu(root: number, intervalMs = 50): { stop(): TreeCpu } {
  const seen = new Map<number, { role: CpuRole; seconds: number }>();
  const sample = () => {
    for (const child of descendantsOf(root)) {
      const seconds = cpuSecondsOf(child.pid);
      if (seconds !== undefined) seen.set(child.pid, { role: cpuRole(child.command), seconds });
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      const cpu: TreeCpu = { byRole: {}, processes: {} };
      for (const { role, seconds } of seen.values()) {
        cpu.byRole[role] = (cpu.byRole[role] ?? 0) + seconds;
        cpu.processes[role] = (cpu.processes[role] ?? 0) + 1;
      }
      return cpu;
    },
  };
}

/** A process's resident memory in MiB (from /proc/<pid>/statm), or undefined once it is gone. */
export function residentMiB(pid: number): number | undefined {
  try {
    const pages = Number(fs.readFileSync(`/proc/${pid}/statm`, "utf8").split(" ")[1]);
    return (pages * PAGE_BYTES) / (1024 * 1024);
  } catch {
    return undefined;
  }
}

/** CPU seconds of this process's reaped children so far (from /proc/self/stat's cutime and cstime). */
export function cpuOfChildren(): number {
  const stat = fs.readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND;
}
