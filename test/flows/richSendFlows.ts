/**
 * Hand-written overrides of the inbound flow that open with a rich send, as a stack keeps them in
 * `flows.overrides`: a list-picker greeting menu and a form intake, with or without a capability branch in front.
 * They hold the template's placeholders and are bound like it.
 */
import { capabilityBranchNode, type CapabilityBranchInput } from "../../flows/capabilityBranch";
import { loadTemplate, type FlowDocument, type FlowNode, type JsonValue } from "../../flows";

/** Apple's built-in interactive types: team id 0000000000 and Apple's business extension. */
const APPLE_BID =
  "com.apple.messages.MSMessageExtensionBalloonPlugin:0000000000:com.apple.icloud.apps.messages.business.extension";

const bubble = (title: string) => ({ title, style: "icon" });

export const LIST_PICKER_PAYLOAD: JsonValue = {
  type: "interactive",
  interactiveData: {
    bid: APPLE_BID,
    data: {
      version: "1.0",
      requestIdentifier: "system",
      listPicker: {
        sections: [
          {
            title: "How can we help?",
            order: 0,
            multipleSelection: false,
            items: [
              { identifier: "hours", title: "Opening hours", order: 0, style: "default" },
              { identifier: "agent", title: "Talk to an agent", order: 1, style: "default" },
            ],
          },
        ],
      },
    },
    receivedMessage: bubble("How can we help?"),
    replyMessage: bubble("Your choice"),
  },
};

export const FORM_PAYLOAD: JsonValue = {
  type: "interactive",
  interactiveData: {
    bid: APPLE_BID,
    data: {
      version: "1.0",
      requestIdentifier: "system",
      dynamic: {
        version: "1.1",
        template: "form",
        data: {
          startPageIdentifier: "order",
          showSummary: false,
          pages: [{ pageIdentifier: "order", type: "input", title: "Your order number" }],
        },
      },
    },
    receivedMessage: bubble("Tell us about your order"),
    replyMessage: bubble("Sent"),
  },
};

export const MENU_TEXT = "How can we help? Reply HOURS for our opening hours or AGENT to talk to an agent.";
export const FORM_TEXT = "Please reply with your order number.";

const amb = (
  id: string,
  name: string,
  config: Record<string, JsonValue>,
  outcomes: Record<string, string>,
) => ({
  id,
  type: "ambMessage",
  name,
  version: "1.0",
  config: { asset: "{{ambAssetId}}", destination: "$(n2.abc.abcUserId)", ...config },
  outcomes,
});

const receive = (id: string, event: string, next: string): FlowNode => ({
  id,
  type: "receive",
  name: "Receive Answer",
  version: "1.0",
  config: { event, from: "$(n2.abc.abcUserId)", timeoutSeconds: 600 },
  outcomes: { onReceive: next },
});

/** The inbound template with `nodes` in front of Search Conversation (179): Start leads to `firstNodeId`. */
function inboundWith(name: string, firstNodeId: string, nodes: FlowNode[]): FlowDocument {
  const flow = loadTemplate("AppleMessages_inbound_flow");
  const start = flow.nodes.find((node) => node.type === "start");
  if (start === undefined) throw new Error("the inbound template has no Start node");
  start.outcomes.onStart = firstNodeId;
  return { ...flow, name, nodes: [...flow.nodes, ...nodes] };
}

export const LIST_BRANCH: CapabilityBranchInput = {
  capabilityList: "$(n2.abc.capabilityList)",
  branches: [{ outcome: "supportsList", capabilities: ["LIST"] }],
  fallback: "text",
};

export const FORM_BRANCH: CapabilityBranchInput = {
  capabilityList: "$(n2.abc.capabilityList)",
  deviceAgent: "$(n2.abc.deviceAgent)",
  branches: [{ outcome: "supportsForm", capabilities: ["FORM"], iPhoneOrIPad: true }],
  fallback: "text",
};

/** A greeting menu: a list picker (node 21) behind a capability branch (node 20) with a text menu as fallback. */
export function listPickerOverride(options: { gated: boolean }): FlowDocument {
  const listPicker = amb(
    "21",
    "Greeting Menu",
    { messageType: "listPicker", payload: LIST_PICKER_PAYLOAD },
    { onSuccess: "22" },
  );
  const textMenu = amb(
    "23",
    "Greeting Menu (text)",
    { messageType: "text", message: MENU_TEXT },
    { onSuccess: "22" },
  );
  const gate = capabilityBranchNode({
    id: "20",
    name: "Can Show a List Picker",
    branch: LIST_BRANCH,
    outcomes: { supportsList: "21", text: "23" },
  });
  const answer = receive("22", "incomingMessage", "179");
  return options.gated
    ? inboundWith("AppleMessages_inbound_flow", "20", [gate, listPicker, textMenu, answer])
    : inboundWith("AppleMessages_inbound_flow", "21", [listPicker, answer]);
}

/** A form intake (node 21) behind a capability branch (node 20): on FORM alone, or on FORM and an iPhone or iPad. */
export function formOverride(options: { deviceChecked: boolean }): FlowDocument {
  const branch: CapabilityBranchInput = options.deviceChecked
    ? FORM_BRANCH
    : {
        capabilityList: "$(n2.abc.capabilityList)",
        branches: [{ outcome: "supportsForm", capabilities: ["FORM"] }],
        fallback: "text",
      };
  return inboundWith("AppleMessages_inbound_flow", "20", [
    capabilityBranchNode({
      id: "20",
      name: "Can Show a Form",
      branch,
      outcomes: { supportsForm: "21", text: "23" },
    }),
    amb("21", "Order Form", { messageType: "form", payload: FORM_PAYLOAD }, { onSuccess: "22" }),
    receive("22", "Interactivemessageresponse: FormMessage", "179"),
    amb("23", "Order Question", { messageType: "text", message: FORM_TEXT }, { onSuccess: "24" }),
    receive("24", "incomingMessage", "179"),
  ]);
}
