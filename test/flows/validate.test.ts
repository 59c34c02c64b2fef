import {
  formatProblem,
  listTemplates,
  loadTemplate,
  validateFlow,
  type FlowDocument,
  type TemplateName,
} from "../../flows";
import { bindOrThrow, VALID_BINDINGS } from "./support";

function bound(name: TemplateName): FlowDocument {
  return bindOrThrow(loadTemplate(name), VALID_BINDINGS);
}

function problems(flow: FlowDocument): string[] {
  return validateFlow(flow).map(formatProblem);
}

function node(flow: FlowDocument, id: string) {
  const found = flow.nodes.find((candidate) => candidate.id === id);
  if (found === undefined) throw new Error(`no node ${id} in ${flow.name}`);
  return found;
}

const CLOSE = "AppleMessages_CustomerClose";
const INBOUND = "AppleMessages_inbound_flow";

describe("validateFlow", () => {
  it.each(listTemplates())("finds nothing wrong in %s once bound", (name) => {
    expect(problems(bound(name))).toEqual([]);
  });

  it("reports a start node id that names no node", () => {
    const flow = bound(CLOSE);
    flow.startNodeId = "99";
    expect(problems(flow)).toEqual([
      `${CLOSE}: field startNodeId: names node 99, which does not exist; set it to the id of the flow's Start node.`,
    ]);
  });

  it("reports a start node that is not a Start node, and the Start node it leaves unreachable", () => {
    const flow = bound(CLOSE);
    flow.startNodeId = "179";
    expect(problems(flow)).toEqual([
      `${CLOSE}: node 179 "Search Conversation", field type: is "searchConversation"; the node startNodeId names must be a Start node.`,
      `${CLOSE}: node 2 "Start", field id: cannot be reached from the start node 179; connect an outcome to it or remove it.`,
    ]);
  });

  it("reports an outcome that leads to no node", () => {
    const flow = bound(CLOSE);
    node(flow, "179").outcomes.conversationActive = "404";
    expect(problems(flow)).toEqual([
      `${CLOSE}: node 179 "Search Conversation", field outcomes.conversationActive: leads to node 404, which does not exist; point it at an existing node or remove the outcome.`,
    ]);
  });

  it("reports an outcome the node type does not have", () => {
    const flow = bound(CLOSE);
    node(flow, "150").outcomes["20200"] = "160";
    expect(problems(flow)).toEqual([
      `${CLOSE}: node 150 "CCE End Task", field outcomes.20200: "20200" is not an outcome of CCE End Task (its outcomes: 200, 201, 400, 403, 404, 500, 502, 503).`,
    ]);
  });

  it("reports a node no outcome leads to", () => {
    const flow = bound(CLOSE);
    delete node(flow, "150").outcomes["200"];
    expect(problems(flow)).toEqual([
      `${CLOSE}: node 160 "Close Conversation", field id: cannot be reached from the start node 2; connect an outcome to it or remove it.`,
    ]);
  });

  it("reports required fields that are absent or empty, nested ones included", () => {
    const flow = bound(INBOUND);
    delete node(flow, "150").config.taskId;
    node(flow, "150").config.mediaType = " ";
    node(flow, "2071").config.extras = {};
    node(flow, "2009").config.timeoutSeconds = null;
    expect(problems(flow)).toEqual([
      `${INBOUND}: node 150 "CCE Create Task", field taskId: is required on CCE Create Task but is not set.`,
      `${INBOUND}: node 150 "CCE Create Task", field mediaType: is required on CCE Create Task but is not set.`,
      `${INBOUND}: node 2071 "Append Conversation", field extras.capabilityList: is required on Append Conversation but is not set.`,
      `${INBOUND}: node 2009 "Receive", field timeoutSeconds: is required on Receive but is not set.`,
    ]);
  });

  it("reports every placeholder left: flow fields, trigger, node names and config", () => {
    const flow = loadTemplate("AppleMessages_webhook_CREATED");
    node(flow, "3").name = "Typing for {{assetName}}";
    expect(problems(flow)).toEqual([
      "AppleMessages_webhook_CREATED: field serviceId: still holds the placeholder {{serviceId}}; bind the flow before uploading it.",
      'AppleMessages_webhook_CREATED: node 2 "Start", field trigger.conditions[0].value: still holds the placeholder {{appId}}; bind the flow before uploading it.',
      'AppleMessages_webhook_CREATED: node 3 "Typing for {{assetName}}", field name: still holds the placeholder {{assetName}}; bind the flow before uploading it.',
      'AppleMessages_webhook_CREATED: node 3 "Typing for {{assetName}}", field asset: still holds the placeholder {{ambAssetId}}; bind the flow before uploading it.',
    ]);
  });

  it("reports a node type it does not know", () => {
    const flow = bound(CLOSE);
    node(flow, "160").type = "closeTicket";
    expect(problems(flow)).toEqual([
      `${CLOSE}: node 160 "Close Conversation", field type: "closeTicket" is not a node type this library knows (start, evaluate, searchConversation, createConversation, appendConversation, closeConversation, cceCreateTask, cceEndTask, ambMessage, receive, destinationBranch, customEvent); replace the node or add its type to flows/nodeTypes.ts.`,
    ]);
  });

  it("reports a node version the library does not model", () => {
    const flow = bound(CLOSE);
    node(flow, "179").version = "1.5";
    expect(problems(flow)).toEqual([
      `${CLOSE}: node 179 "Search Conversation", field version: is "1.5"; this library models Search Conversation v1.4 only: use that version or add the new one to flows/nodeTypes.ts.`,
    ]);
  });

  it("reports duplicate node ids", () => {
    const flow = bound(CLOSE);
    flow.nodes.push({ ...node(flow, "160"), name: "Close Again" });
    expect(problems(flow)).toEqual([
      `${CLOSE}: node 160 "Close Again", field id: is also the id of an earlier node; node ids must be unique.`,
    ]);
  });

  it("reports a channel-event trigger without an asset", () => {
    const flow = bound(CLOSE);
    delete flow.trigger.asset;
    expect(problems(flow)).toEqual([
      `${CLOSE}: node 2 "Start", field trigger.asset: is not set; a channel-event trigger needs the AMB asset whose events start the flow.`,
    ]);
  });

  it("reports a Domain that is not a bare hostname after a hand edit", () => {
    const flow = bound(CLOSE);
    node(flow, "150").config.domain = "https://cc.example.com/";
    expect(problems(flow)).toEqual([
      `${CLOSE}: node 150 "CCE End Task", field domain: "https://cc.example.com/" has a URL scheme; the Domain field takes a bare hostname. Use "cc.example.com" instead.`,
    ]);
  });

  it("reports call and ECC variables that break the CCE rules, leaving $(…) references to run time", () => {
    const flow = bound(INBOUND);
    const task = node(flow, "150");
    task.config.callVariables = { cv_1: "$(n2.abc.abcUserId) and more text than forty bytes", cv_2: 7 };
    task.config.eccVariables = { user_ok: "fine", userName: "x" };
    expect(problems(flow)).toEqual([
      `${INBOUND}: node 150 "CCE Create Task", field callVariables.cv_2: must be a string, not 7.`,
      `${INBOUND}: node 150 "CCE Create Task", field eccVariables.userName: "userName" is not an ECC variable name: ECC variable names start with "user_"; call variables ("cv_…") go in callVariables.`,
    ]);
    task.config.callVariables = ["cv_1"];
    expect(problems(flow)).toEqual([
      `${INBOUND}: node 150 "CCE Create Task", field callVariables: must be an object of cv_… names to values.`,
      `${INBOUND}: node 150 "CCE Create Task", field eccVariables.userName: "userName" is not an ECC variable name: ECC variable names start with "user_"; call variables ("cv_…") go in callVariables.`,
    ]);
  });

  it("reports what an AMB node sends: a known message type, text in message, Apple's payload as an object", () => {
    const flow = bound(INBOUND);
    const send = node(flow, "211");
    send.config.messageType = "carousel";
    expect(problems(flow)).toEqual([
      `${INBOUND}: node 211 "Apple Messages For Business", field messageType: is "carousel", which is not a message type of the AMB node (text, textWithAttachments, typing_start, typing_end, quickReply, listPicker, timePicker, richLink, form, applePay, authentication, classicAuthentication, iMessageApp).`,
    ]);
    send.config.messageType = "text";
    send.config.message = " ";
    expect(problems(flow)).toEqual([
      `${INBOUND}: node 211 "Apple Messages For Business", field message: is required on a text send but is not set: give the text the customer sees.`,
    ]);
    send.config.messageType = "richLink";
    send.config.payload = "https://example.com/store";
    expect(problems(flow)).toEqual([
      `${INBOUND}: node 211 "Apple Messages For Business", field payload: must be Apple's richLink message as an object (the payload the node sends) but is "https://example.com/store"; build it with flows/apple.`,
    ]);
    send.config.payload = {
      type: "richLink",
      richLinkData: { url: "https://example.com/store", title: "Our store" },
    };
    expect(problems(flow)).toEqual([]);
  });
});
