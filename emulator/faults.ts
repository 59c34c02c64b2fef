/**
 * Fault injection for tests: per route (and method), a status (e.g. 429 with Retry-After, 5xx), a
 * dropped connection, or latency, fired a number of times or with a probability drawn from a
 * seedable RNG. Phase "after" applies the fault once the request has been processed, which is how
 * a lost response to a successful write looks to a client.
 */
import { z } from "zod";
import { ROUTE_NAMES } from "../webexconnect/routes";

/** mulberry32: small, fast and good enough to make fault runs repeatable from a seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const faultAction = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("status"),
    status: z.number().int().min(400).max(599),
    retryAfterSeconds: z.number().int().min(0).optional(),
    /** Body message; lets tests check that clients scrub what servers echo. */
    message: z.string().optional(),
  }),
  z.object({ type: z.literal("drop") }),
  z.object({ type: z.literal("latency"), ms: z.number().int().min(0).max(60_000) }),
]);

export const faultRuleInput = z
  .strictObject({
    route: z.enum(ROUTE_NAMES as [string, ...string[]]).optional(),
    method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]).optional(),
    action: faultAction,
    phase: z.enum(["before", "after"]).default("before"),
    /** Fire this many times, then stop. */
    count: z.number().int().min(1).optional(),
    /** Fire with this probability on each matching request. */
    probability: z.number().min(0).max(1).optional(),
  })
  .refine((rule) => rule.phase === "before" || rule.action.type !== "latency", {
    message: "latency applies before processing: use phase before",
    path: ["phase"],
  })
  .refine(
    (rule) => rule.phase === "before" || !(rule.action.type === "status" && rule.action.status === 429),
    {
      message: "a 429 means the request was not processed: use phase before",
      path: ["phase"],
    },
  );

export type FaultRuleInput = z.input<typeof faultRuleInput>;
export type FaultRule = z.output<typeof faultRuleInput> & { id: number; fired: number };
export type FaultPhase = FaultRule["phase"];
export type FaultAction = FaultRule["action"];

export interface FiredFaults {
  latencyMs: number;
  /** The first status or drop that fired, if any. */
  terminal: FaultAction | undefined;
}

export function createFaultInjector(random: () => number) {
  let rules: FaultRule[] = [];
  let nextId = 1;

  function add(input: z.output<typeof faultRuleInput>): FaultRule {
    const rule: FaultRule = { ...input, id: nextId++, fired: 0 };
    rules.push(rule);
    return rule;
  }

  function fires(rule: FaultRule, route: string, method: string, phase: FaultPhase): boolean {
    if (
      rule.phase !== phase ||
      (rule.route && rule.route !== route) ||
      (rule.method && rule.method !== method)
    )
      return false;
    if (rule.count !== undefined && rule.fired >= rule.count) return false;
    return rule.probability === undefined || random() < rule.probability;
  }

  /** Latency rules add up; of status/drop rules the first that fires wins. */
  function fire(route: string, method: string, phase: FaultPhase): FiredFaults {
    const result: FiredFaults = { latencyMs: 0, terminal: undefined };
    for (const rule of rules) {
      if (rule.action.type !== "latency" && result.terminal) break;
      if (!fires(rule, route, method, phase)) continue;
      rule.fired++;
      if (rule.action.type === "latency") result.latencyMs += rule.action.ms;
      else result.terminal = rule.action;
    }
    return result;
  }

  return {
    add,
    fire,
    list: (): readonly FaultRule[] => rules,
    clear: () => {
      rules = [];
    },
  };
}

export type FaultInjector = ReturnType<typeof createFaultInjector>;
