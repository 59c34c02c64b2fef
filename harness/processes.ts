/**
 * The process tree under a `pulumi` run, read from /proc (Linux): which plugins the engine started, and whether they
 * outlive it once it is killed.
 */
import * as fs from "node:fs";

export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** The command line, arguments joined by spaces. */
  command: string;
}

export type PluginRole = "language host" | "program" | "dynamic provider" | "kubernetes provider" | "other";

function readProcess(pid: number): (ProcessInfo & { state: string }) | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name is in parentheses and may itself hold spaces; the fields after it are fixed.
    const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const command = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
    return { pid, ppid: Number(ppid), command, state };
  } catch {
    return undefined; // gone between listing and reading
  }
}

/** Every live process whose chain of parents reaches `root` (root itself excluded). */
export function descendantsOf(root: number): ProcessInfo[] {
  const all = fs
    .readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProcess(Number(name)))
    .filter((info): info is ProcessInfo & { state: string } => info !== undefined && info.state !== "Z");
  const children = new Map<number, ProcessInfo[]>();
  for (const info of all) children.set(info.ppid, [...(children.get(info.ppid) ?? []), info]);
  const found: ProcessInfo[] = [];
  const visit = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      found.push({ pid: child.pid, ppid: child.ppid, command: child.command });
      visit(child.pid);
    }
  };
  visit(root);
  return found;
}

/** Whether the process still runs (a zombie waiting to be reaped has ended). */
export function isRunning(pid: number): boolean {
  const info = readProcess(pid);
  return info !== undefined && info.state !== "Z";
}

/** What a process under the engine is, from its command line. */
export function pluginRole(command: string): PluginRole {
  if (/pulumi-language-nodejs/.test(command)) return "language host";
  if (/@pulumi\/pulumi\/cmd\/run[/ ]|cmd\/run\/index\.js|\/cmd\/run$/.test(command)) return "program";
  if (/dynamic-provider/.test(command)) return "dynamic provider";
  if (/pulumi-resource-kubernetes/.test(command)) return "kubernetes provider";
  return "other";
}

/** SIGKILLs each process (one that has ended meanwhile is skipped). */
export function killAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // ended meanwhile
    }
  }
}

/**
 * SIGKILLs `root` and every process below it, as listed just before: the engine starts each plugin in a process
 * group of its own, so killing the engine's group would leave the plugins running (upstream providers ask the engine
 * whether it is still there only every five minutes).
 */
export function killTree(root: number): void {
  killAll([root, ...descendantsOf(root).map((info) => info.pid)]);
}
