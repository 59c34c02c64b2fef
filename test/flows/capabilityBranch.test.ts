import * as vm from "node:vm";
import { formatProblem } from "../../flows";
import {
  capabilityBranchNode,
  capabilityBranchScript,
  entryAsserts,
  readCapabilityBranch,
  type CapabilityBranchInput,
} from "../../flows/capabilityBranch";
import { FORM_BRANCH, LIST_BRANCH } from "./richSendFlows";

const TIERED: CapabilityBranchInput = {
  capabilityList: "$(n2.abc.capabilityList)",
  deviceAgent: "$(n2.abc.deviceAgent)",
  branches: [
    { outcome: "form", capabilities: ["FORM"], iPhoneOrIPad: true },
    { outcome: "list", capabilities: ["LIST", "QUICK"] },
  ],
  fallback: "text",
};

/** Runs the generated script with the references replaced by the values, as the flow would on the platform. */
function outcomeOf(branch: CapabilityBranchInput, capabilityList: string, deviceAgent: string): unknown {
  const script = capabilityBranchScript(branch)
    .replace("$(n2.abc.capabilityList)", capabilityList)
    .replace("$(n2.abc.deviceAgent)", deviceAgent);
  return vm.runInNewContext(`(function () {\n${script}\n})()`);
}

function problemsOf(branch: unknown): string[] {
  const node = capabilityBranchNode({ id: "20", name: "Gate", branch: LIST_BRANCH, outcomes: {} });
  node.config.capabilityBranch = branch as never;
  const read = readCapabilityBranch(node);
  return read === undefined || read.ok
    ? []
    : read.problems.map((problem) => formatProblem({ flow: "F", ...problem }));
}

describe("capability branches", () => {
  it("generates a script that takes the first branch the device meets, else the fallback", () => {
    expect(outcomeOf(TIERED, "QUICK%2CLIST%2CTIME%2CFORM", "iPhone15,2 iOS/17.4")).toBe("form");
    expect(outcomeOf(TIERED, "quick,list,form", "Mac14,2 macOS/14.4")).toBe("list");
    expect(outcomeOf(TIERED, "LIST", "iPad13,1 iPadOS/17.4")).toBe("text");
    expect(outcomeOf(TIERED, "", "")).toBe("text");
    expect(outcomeOf(LIST_BRANCH, "LIST", "")).toBe("supportsList");
  });

  it("reads the declaration of a node built from it, and nothing from an Evaluate node without one", () => {
    const node = capabilityBranchNode({
      id: "20",
      name: "Gate",
      branch: FORM_BRANCH,
      outcomes: { supportsForm: "21" },
    });
    expect(readCapabilityBranch(node)).toEqual({
      ok: true,
      branch: {
        ...FORM_BRANCH,
        branches: [{ outcome: "supportsForm", capabilities: ["FORM"], iPhoneOrIPad: true }],
      },
    });
    expect(readCapabilityBranch({ ...node, config: { script: 'return "x";' } })).toBeUndefined();
  });

  it("names every problem of a declaration with its field and the fix", () => {
    expect(
      problemsOf({
        capabilityList: "n2.abc.capabilityList",
        branches: [
          { outcome: "text", capabilities: ["LIST"], iPhoneOrIPad: true },
          { outcome: "quick", capabilities: [] },
          { outcome: "x", capabilities: ["CAROUSEL"] },
        ],
        fallback: "text",
      }),
    ).toEqual([
      'F: node 20 "Gate", field capabilityBranch.capabilityList: must be a reference to the customer\'s capabilityList, e.g. "$(n2.abc.capabilityList)" (the Start node) or "$(n<Receive node id>.receive.capabilityList)".',
      'F: node 20 "Gate", field capabilityBranch.branches[2].capabilities[0]: Invalid option: expected one of "QUICK"|"LIST"|"TIME"|"AUTH"|"AUTH2"|"FORM".',
    ]);
    expect(
      problemsOf({
        capabilityList: "$(n2.abc.capabilityList)",
        branches: [
          { outcome: "text", capabilities: ["LIST"], iPhoneOrIPad: true },
          { outcome: "quick", capabilities: [] },
        ],
        fallback: "text",
      }),
    ).toEqual([
      'F: node 20 "Gate", field capabilityBranch.branches[1]: asserts nothing (no capabilities, iPhoneOrIPad false), so every device would take it: list the capabilities its sends need.',
      'F: node 20 "Gate", field capabilityBranch.fallback: "text" is also a branch\'s outcome: the fallback needs its own outcome.',
      'F: node 20 "Gate", field capabilityBranch.deviceAgent: is missing: branch 0 asks for an iPhone or iPad, which only the customer\'s deviceAgent tells; set it to "$(n2.abc.deviceAgent)" or the Receive node\'s.',
    ]);
    expect(
      problemsOf({ capabilityList: "$(n2.abc.capabilityList)", branches: [], fallback: "text" }),
    ).toEqual([
      'F: node 20 "Gate", field capabilityBranch.branches: needs at least one branch: the device\'s capabilities to test.',
    ]);
  });

  it("counts a branch as asserting a requirement only with its capability and, where asked, the device", () => {
    const form = { outcome: "form", capabilities: ["FORM" as const], iPhoneOrIPad: false };
    expect(entryAsserts(form, { capability: "FORM", iPhoneOrIPad: false })).toBe(true);
    expect(entryAsserts(form, { capability: "FORM", iPhoneOrIPad: true })).toBe(false);
    expect(entryAsserts({ ...form, iPhoneOrIPad: true }, { capability: "FORM", iPhoneOrIPad: true })).toBe(
      true,
    );
    expect(entryAsserts(form, { capability: "LIST", iPhoneOrIPad: false })).toBe(false);
    expect(entryAsserts({ ...form, iPhoneOrIPad: true }, { iPhoneOrIPad: true })).toBe(true);
  });
});
