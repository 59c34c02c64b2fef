/**
 * A capability branch: an Evaluate node that picks its outcome from the customer's device, so a rich send is reached
 * only on a device that shows it and every other device gets the fallback. Its `config.capabilityBranch` declares
 * the branches (first match wins) and the fallback; its `config.script` is generated from that declaration, so what
 * Webex Connect runs and what the gate check reads cannot disagree. Modeled: Webex Connect has no such node; this is
 * our convention on its Evaluate node (docs/flows.md).
 */
import { z } from "zod";
import { CAPABILITIES, IPHONE_OR_IPAD_AGENT, type Capability, type SendRequirement } from "./deviceSupport";
import type { FlowProblem } from "./problems";
import type { FlowNode } from "./schema";

/** The config key of an Evaluate node that makes it a capability branch. */
export const CAPABILITY_BRANCH_FIELD = "capabilityBranch";

const OUTCOME_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const outcomeName = z
  .string()
  .regex(OUTCOME_NAME, 'an outcome name is a letter then letters, digits or _, e.g. "supportsList"');

/** A `$(…)` reference to a field the inbound message or a Receive node gives, e.g. `$(n2.abc.capabilityList)`. */
const referenceTo = (field: string) =>
  z
    .string()
    .regex(
      new RegExp(`^\\$\\(([A-Za-z0-9_]+\\.)+${field}\\)$`),
      `must be a reference to the customer's ${field}, e.g. "$(n2.abc.${field})" (the Start node) or "$(n<Receive node id>.receive.${field})"`,
    );

const branchEntrySchema = z.strictObject({
  /** The outcome taken when the device has every capability listed (and is an iPhone or iPad, if asked). */
  outcome: outcomeName,
  capabilities: z.array(z.enum(CAPABILITIES)),
  iPhoneOrIPad: z.boolean().default(false),
});

const capabilityBranchSchema = z
  .strictObject({
    capabilityList: referenceTo("capabilityList"),
    /** Needed when a branch asks for an iPhone or iPad. */
    deviceAgent: referenceTo("deviceAgent").optional(),
    branches: z
      .array(branchEntrySchema)
      .min(1, "needs at least one branch: the device's capabilities to test"),
    /** The outcome for every other device; it must lead to a text send. */
    fallback: outcomeName,
  })
  .superRefine((branch, ctx) => {
    const names = [...branch.branches.map((entry) => entry.outcome), branch.fallback];
    branch.branches.forEach((entry, index) => {
      if (names.indexOf(entry.outcome) !== index) {
        ctx.addIssue({
          code: "custom",
          path: ["branches", index, "outcome"],
          message: `${JSON.stringify(entry.outcome)} is used twice: give each branch and the fallback its own outcome`,
        });
      }
      if (entry.capabilities.length === 0 && !entry.iPhoneOrIPad) {
        ctx.addIssue({
          code: "custom",
          path: ["branches", index],
          message:
            "asserts nothing (no capabilities, iPhoneOrIPad false), so every device would take it: list the capabilities its sends need",
        });
      }
    });
    if (names.slice(0, -1).includes(branch.fallback)) {
      ctx.addIssue({
        code: "custom",
        path: ["fallback"],
        message: `${JSON.stringify(branch.fallback)} is also a branch's outcome: the fallback needs its own outcome`,
      });
    }
    const deviceBranch = branch.branches.findIndex((entry) => entry.iPhoneOrIPad);
    if (deviceBranch !== -1 && branch.deviceAgent === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["deviceAgent"],
        message: `is missing: branch ${deviceBranch} asks for an iPhone or iPad, which only the customer's deviceAgent tells; set it to "$(n2.abc.deviceAgent)" or the Receive node's`,
      });
    }
  });

/** A capability branch as declared; `iPhoneOrIPad` may be left out (false). */
export type CapabilityBranchInput = z.input<typeof capabilityBranchSchema>;
export type CapabilityBranch = z.output<typeof capabilityBranchSchema>;
export type CapabilityBranchEntry = CapabilityBranch["branches"][number];

type Located = Omit<FlowProblem, "flow">;

export type CapabilityBranchRead =
  | { readonly ok: true; readonly branch: CapabilityBranch }
  | { readonly ok: false; readonly problems: readonly Located[] };

const capabilityTest = (capability: Capability) =>
  `capabilities.indexOf(${JSON.stringify(capability)}) !== -1`;

/**
 * The Evaluate script a capability branch runs: the customer's capability list (URL-encoded, comma separated,
 * case-insensitive) and device agent, then the branches in order, then the fallback.
 */
export function capabilityBranchScript(input: CapabilityBranchInput): string {
  const branch = capabilityBranchSchema.parse(input);
  const needsDevice = branch.branches.some((entry) => entry.iPhoneOrIPad);
  const lines = [
    `// Generated from ${CAPABILITY_BRANCH_FIELD} (flows/capabilityBranch.ts): change the declaration, not this script.`,
    `var capabilities = decodeURIComponent("${branch.capabilityList}").toUpperCase().split(",").map(function (entry) { return entry.trim(); });`,
    ...(needsDevice
      ? [`var iPhoneOrIPad = /${IPHONE_OR_IPAD_AGENT.source}/i.test("${branch.deviceAgent ?? ""}");`]
      : []),
    ...branch.branches.map((entry) => {
      const tests = [
        ...entry.capabilities.map(capabilityTest),
        ...(entry.iPhoneOrIPad ? ["iPhoneOrIPad"] : []),
      ];
      return `if (${tests.join(" && ")}) return ${JSON.stringify(entry.outcome)};`;
    }),
    `return ${JSON.stringify(branch.fallback)};`,
  ];
  return lines.join("\n");
}

/** An Evaluate node that is a capability branch, its script generated; `outcomes` maps outcome names to node ids. */
export function capabilityBranchNode(node: {
  id: string;
  name: string;
  branch: CapabilityBranchInput;
  outcomes: Record<string, string>;
}): FlowNode {
  return {
    id: node.id,
    type: "evaluate",
    name: node.name,
    version: "1.0",
    config: {
      [CAPABILITY_BRANCH_FIELD]: capabilityBranchSchema.parse(node.branch),
      script: capabilityBranchScript(node.branch),
    },
    outcomes: { ...node.outcomes },
  };
}

function issuePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) => (typeof key === "number" ? `${text}[${key}]` : `${text}.${String(key)}`),
    CAPABILITY_BRANCH_FIELD,
  );
}

/** The node's capability branch, or undefined when the node is not one; problems name the field and the fix. */
export function readCapabilityBranch(node: FlowNode): CapabilityBranchRead | undefined {
  if (node.type !== "evaluate" || !Object.hasOwn(node.config, CAPABILITY_BRANCH_FIELD)) return undefined;
  const where = { nodeId: node.id, nodeName: node.name };
  const parsed = capabilityBranchSchema.safeParse(node.config[CAPABILITY_BRANCH_FIELD]);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => ({
        ...where,
        field: issuePath(issue.path),
        message: `${issue.message}.`,
      })),
    };
  }
  const script = capabilityBranchScript(parsed.data);
  if (node.config.script !== script) {
    return {
      ok: false,
      problems: [
        {
          ...where,
          field: "script",
          message:
            `is not the script generated from ${CAPABILITY_BRANCH_FIELD}, so the platform would branch otherwise than ` +
            `the declaration says. Fix: set it to ${JSON.stringify(script)} (capabilityBranchScript in ` +
            "flows/capabilityBranch.ts), or remove capabilityBranch if this is not a capability branch.",
        },
      ],
    };
  }
  return { ok: true, branch: parsed.data };
}

/** Whether taking `entry` proves the device meets `requirement`. */
export function entryAsserts(entry: CapabilityBranchEntry, requirement: SendRequirement): boolean {
  const capable = requirement.capability === undefined || entry.capabilities.includes(requirement.capability);
  return capable && (!requirement.iPhoneOrIPad || entry.iPhoneOrIPad);
}
