import { bindFlow, formatProblem, validateFlow, type FlowDocument } from "../../flows";
import { capabilityBranchNode, capabilityBranchScript } from "../../flows/capabilityBranch";
import { deviceGateProblems } from "../../flows/gate";
import { formOverride, LIST_BRANCH, listPickerOverride } from "./richSendFlows";
import { bindOrThrow, VALID_BINDINGS } from "./support";

const FLOW = "AppleMessages_inbound_flow";
const APPLE =
  "Apple: the agent console \"should not permit sending a payload to a user that is not supported by the user's " +
  'device" (register.apple.com/resources/messages/msp-rest-api/common-specs).';

function bindProblems(flow: FlowDocument): string[] {
  const result = bindFlow(flow, VALID_BINDINGS);
  return result.ok ? [] : result.problems.map(formatProblem);
}

function node(flow: FlowDocument, id: string) {
  const found = flow.nodes.find((candidate) => candidate.id === id);
  if (found === undefined) throw new Error(`no node ${id} in ${flow.name}`);
  return found;
}

describe("rich sends gated on the device", () => {
  it("refuses an override that sends a list picker with no capability branch, naming the node, LIST and the fix", () => {
    expect(bindProblems(listPickerOverride({ gated: false }))).toEqual([
      `${FLOW}: node 21 "Greeting Menu", field messageType: sends a listPicker, which needs LIST in the customer's ` +
        `capabilityList, but the path node 2 "Start" → node 21 "Greeting Menu" reaches it without a capability ` +
        `branch that asserts that. ${APPLE} Fix: reach this node only through an Evaluate node with ` +
        'capabilityBranch {capabilityList: "$(n2.abc.capabilityList)", branches: [{outcome: "supportsList", ' +
        'capabilities: ["LIST"]}], fallback: "text"} and its script from capabilityBranchScript ' +
        "(flows/capabilityBranch.ts), the fallback outcome leading to a text send.",
    ]);
  });

  it("accepts the same list picker behind a capability branch on LIST with a text fallback", () => {
    expect(bindProblems(listPickerOverride({ gated: true }))).toEqual([]);
  });

  it("refuses a form gated on FORM but not on the device: forms need an iPhone or iPad too", () => {
    const problems = bindProblems(formOverride({ deviceChecked: false }));
    expect(problems).toEqual([
      expect.stringContaining(
        `${FLOW}: node 21 "Order Form", field messageType: sends a form, which needs FORM in the customer's ` +
          'capabilityList and an iPhone or iPad, but the path node 2 "Start" → node 20 "Can Show a Form" → node 21 ' +
          '"Order Form" reaches it without a capability branch that asserts that.',
      ),
    ]);
    expect(problems[0]).toContain(
      'deviceAgent: "$(n2.abc.deviceAgent)", branches: [{outcome: "supportsForm", capabilities: ["FORM"], ' +
        "iPhoneOrIPad: true}]",
    );
    expect(bindProblems(formOverride({ deviceChecked: true }))).toEqual([]);
  });

  it("refuses a send that one path reaches through the branch and another around it", () => {
    const flow = bindOrThrow(listPickerOverride({ gated: true }), VALID_BINDINGS);
    // Create Conversation's failure now shows the list picker again, past no branch.
    node(flow, "180").outcomes.onFailure = "21";
    expect(deviceGateProblems(flow).map(formatProblem)).toEqual([
      expect.stringContaining(
        'node 21 "Greeting Menu", field messageType: sends a listPicker, which needs LIST in the customer\'s ' +
          'capabilityList, but the path node 2 "Start" → node 20 "Can Show a List Picker" → node 23 "Greeting Menu ' +
          '(text)" → node 22 "Receive Answer" → node 179 "Search Conversation" → node 180 "Create Conversation" → ' +
          'node 21 "Greeting Menu" reaches it',
      ),
    ]);
  });

  it("does not count an outcome that asserts another capability than the send needs", () => {
    const flow = bindOrThrow(listPickerOverride({ gated: true }), VALID_BINDINGS);
    const quick = {
      ...LIST_BRANCH,
      branches: [{ outcome: "supportsList", capabilities: ["QUICK" as const] }],
    };
    Object.assign(node(flow, "20").config, {
      capabilityBranch: quick,
      script: capabilityBranchScript(quick),
    });
    expect(validateFlow(flow).map(formatProblem)).toEqual([
      expect.stringContaining(
        'node 21 "Greeting Menu", field messageType: sends a listPicker, which needs LIST',
      ),
    ]);
  });

  it("refuses a branch whose fallback is not listed or reaches no text send, and then counts it as no gate", () => {
    const unlisted = bindOrThrow(listPickerOverride({ gated: true }), VALID_BINDINGS);
    delete node(unlisted, "20").outcomes.text;
    delete node(unlisted, "23").outcomes.onSuccess;
    const messages = validateFlow(unlisted).map(formatProblem);
    expect(messages).toContain(
      `${FLOW}: node 23 "Greeting Menu (text)", field id: cannot be reached from the start node 2; connect an outcome to it or remove it.`,
    );
    expect(messages).toContain(
      `${FLOW}: node 20 "Can Show a List Picker", field capabilityBranch.fallback: names the outcome "text", which ` +
        "the node does not list, so a device without the capabilities would end the conversation with nothing " +
        "sent. Fix: add outcomes.text leading to a text send.",
    );
    expect(messages).toContainEqual(
      expect.stringContaining('node 21 "Greeting Menu", field messageType: sends a'),
    );

    const noText = bindOrThrow(listPickerOverride({ gated: true }), VALID_BINDINGS);
    node(noText, "20").outcomes.text = "22";
    node(noText, "211").config.messageType = "typing_end";
    expect(validateFlow(noText).map(formatProblem)).toEqual([
      `${FLOW}: node 23 "Greeting Menu (text)", field id: cannot be reached from the start node 2; connect an outcome to it or remove it.`,
      `${FLOW}: node 20 "Can Show a List Picker", field capabilityBranch.fallback: outcome "text" leads to node 22, ` +
        "from which no text send is reached, so a device without the capabilities would get nothing it can show. " +
        'Fix: lead the fallback to an AMB node with messageType "text".',
      expect.stringContaining('node 21 "Greeting Menu", field messageType: sends a listPicker'),
    ]);
  });

  it("refuses a capability branch whose script is not the one its declaration generates", () => {
    const flow = bindOrThrow(listPickerOverride({ gated: true }), VALID_BINDINGS);
    node(flow, "20").config.script = 'return "supportsList";';
    const messages = validateFlow(flow).map(formatProblem);
    expect(messages[0]).toBe(
      `${FLOW}: node 20 "Can Show a List Picker", field script: is not the script generated from capabilityBranch, ` +
        "so the platform would branch otherwise than the declaration says. Fix: set it to " +
        `${JSON.stringify(capabilityBranchScript(LIST_BRANCH))} (capabilityBranchScript in flows/capabilityBranch.ts), ` +
        "or remove capabilityBranch if this is not a capability branch.",
    );
    expect(messages[1]).toContain('node 21 "Greeting Menu", field messageType: sends a listPicker');
  });

  it("needs no branch for sends every device shows: text, typing, rich links, Apple Pay", () => {
    const flow = bindOrThrow(listPickerOverride({ gated: true }), VALID_BINDINGS);
    node(flow, "2").outcomes.onStart = "21";
    for (const messageType of ["richLink", "applePay"]) {
      Object.assign(node(flow, "21").config, { messageType });
      expect(deviceGateProblems(flow)).toEqual([]);
    }
  });

  it("gates an iMessage app on the device alone", () => {
    const flow = bindOrThrow(formOverride({ deviceChecked: true }), VALID_BINDINGS);
    node(flow, "21").config.messageType = "iMessageApp";
    expect(deviceGateProblems(flow)).toEqual([]);
    const listOnly = capabilityBranchNode({
      id: "20",
      name: "Can Show a List Picker",
      branch: { ...LIST_BRANCH, branches: [{ outcome: "supportsForm", capabilities: ["LIST"] }] },
      outcomes: { supportsForm: "21", text: "23" },
    });
    flow.nodes = flow.nodes.map((candidate) => (candidate.id === "20" ? listOnly : candidate));
    expect(deviceGateProblems(flow).map(formatProblem)).toEqual([
      expect.stringContaining(
        'node 21 "Order Form", field messageType: sends an iMessageApp, which needs an iPhone or iPad, but',
      ),
    ]);
  });
});
