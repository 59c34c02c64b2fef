import { capabilityBranchNode } from "../../flows/capabilityBranch";
import { listTemplates, type FlowDocument } from "../../flows";
import { UNKNOWN } from "../../lib/facts";
import { richSendGatedPolicy } from "../../policies/rules/richSendGated";
import { formOverride, listPickerOverride } from "../flows/richSendFlows";
import { boundFlow, liveFlow } from "./fixtures";
import { messagesOf, runResourcePolicy } from "./policyHarness";

const INBOUND = 'LiveFlow "inbound" (AppleMessages_inbound_flow__TestAccount_Cisco)';

function inbound(definition: unknown) {
  return liveFlow("inbound", "AppleMessages_inbound_flow", { definition });
}

function node(flow: FlowDocument, id: string) {
  const found = flow.nodes.find((candidate) => candidate.id === id);
  if (found === undefined) throw new Error(`no node ${id} in ${flow.name}`);
  return found;
}

/** The gated override as bound and deployed, then edited past the validator (by hand, in the portal, …). */
function deployedListPicker(): FlowDocument {
  return boundFlow("AppleMessages_inbound_flow", {}, listPickerOverride({ gated: true }));
}

describe("rich-sends-gated-on-device (mandatory)", () => {
  test("passes every template and an override whose list picker sits behind a branch with a text fallback", async () => {
    for (const template of listTemplates()) {
      const flow = liveFlow(template, template);
      expect(await runResourcePolicy(richSendGatedPolicy, flow)).toEqual({ violations: [] });
    }
    expect(await runResourcePolicy(richSendGatedPolicy, inbound(deployedListPicker()))).toEqual({
      violations: [],
    });
  });

  test("fails an override that sends a list picker with no gate, naming the flow, the node and LIST", async () => {
    const definition = deployedListPicker();
    node(definition, "2").outcomes.onStart = "21";
    const run = await runResourcePolicy(richSendGatedPolicy, inbound(definition));
    expect(messagesOf(run)).toEqual([
      `${INBOUND}: node 21 "Greeting Menu", field messageType: sends a listPicker, which needs LIST in the ` +
        `customer's capabilityList, but the path node 2 "Start" → node 21 "Greeting Menu" reaches it without a ` +
        'capability branch that asserts that. Apple: the agent console "should not permit sending a payload to a ' +
        "user that is not supported by the user's device\" (register.apple.com/resources/messages/msp-rest-api/" +
        "common-specs). Fix: reach this node only through an Evaluate node with capabilityBranch {capabilityList: " +
        '"$(n2.abc.capabilityList)", branches: [{outcome: "supportsList", capabilities: ["LIST"]}], fallback: ' +
        '"text"} and its script from capabilityBranchScript (flows/capabilityBranch.ts), the fallback outcome ' +
        "leading to a text send.",
    ]);
  });

  test("fails a form gated on FORM but not on the device", async () => {
    const definition = boundFlow("AppleMessages_inbound_flow", {}, formOverride({ deviceChecked: true }));
    const formOnly = capabilityBranchNode({
      id: "20",
      name: "Can Show a Form",
      branch: {
        capabilityList: "$(n2.abc.capabilityList)",
        branches: [{ outcome: "supportsForm", capabilities: ["FORM"] }],
        fallback: "text",
      },
      outcomes: { supportsForm: "21", text: "23" },
    });
    definition.nodes = definition.nodes.map((candidate) => (candidate.id === "20" ? formOnly : candidate));
    expect(messagesOf(await runResourcePolicy(richSendGatedPolicy, inbound(definition)))).toEqual([
      expect.stringContaining(
        `${INBOUND}: node 21 "Order Form", field messageType: sends a form, which needs FORM in the customer's ` +
          "capabilityList and an iPhone or iPad, but the path",
      ),
    ]);
  });

  test("checks a graph whose other values are unknown at preview, and skips one whose gate parts are", async () => {
    const assetUnknown = deployedListPicker();
    node(assetUnknown, "2").outcomes.onStart = "21";
    node(assetUnknown, "21").config.asset = UNKNOWN;
    const run = await runResourcePolicy(richSendGatedPolicy, inbound(assetUnknown));
    expect(messagesOf(run)).toEqual([expect.stringContaining('node 21 "Greeting Menu", field messageType')]);
    expect(run.skipped).toBeUndefined();

    const typeUnknown = deployedListPicker();
    node(typeUnknown, "21").config.messageType = UNKNOWN;
    const index = typeUnknown.nodes.findIndex((candidate) => candidate.id === "21");
    expect(await runResourcePolicy(richSendGatedPolicy, inbound(typeUnknown))).toEqual({
      violations: [],
      skipped:
        "this value is not known until `pulumi up` and will be checked then (every known value was checked now): " +
        `${INBOUND} nodes[${index}].config.messageType`,
    });
  });

  test("fails a definition that is not a flow document, saying why", async () => {
    const run = await runResourcePolicy(richSendGatedPolicy, inbound({ name: "broken", nodes: [] }));
    expect(messagesOf(run)).toEqual([
      expect.stringMatching(
        /^LiveFlow "inbound" \(AppleMessages_inbound_flow__TestAccount_Cisco\): its definition is not a flow document, so its sends cannot be checked:\n[\s\S]*schemaVersion[\s\S]*Fix: build the definition with the flow library \(flows\/bind\.ts\)\.$/,
      ),
    ]);
  });
});
