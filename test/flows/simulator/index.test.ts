import {
  DEFAULT_MAX_STEPS,
  formatSimulation,
  loadTemplate,
  SIMULATED_DEVICES,
  simulateConversation,
  type CustomerMessage,
  type FlowDocument,
  type SimulationInput,
} from "../../../flows";
import {
  FORM_PAYLOAD,
  FORM_TEXT,
  formOverride,
  LIST_PICKER_PAYLOAD,
  listPickerOverride,
  MENU_TEXT,
} from "../richSendFlows";
import { bindOrThrow, VALID_BINDINGS } from "../support";

const ABC_USER = "urn:mbid:simulated-customer";
const APP = "simulated-app-id";
const CONVERSATION = "simulated-conversation-1";
const ALL_CAPABILITIES = "QUICK%2CLIST%2CTIME%2CAUTH%2CAUTH2%2CFORM";
const hello: CustomerMessage = { kind: "text", text: "Hello" };
const onIPhone = (input: Partial<SimulationInput> = {}): SimulationInput => ({
  device: SIMULATED_DEVICES.iphone,
  message: hello,
  ...input,
});
const onMac = (input: Partial<SimulationInput> = {}): SimulationInput => ({
  ...onIPhone(input),
  device: SIMULATED_DEVICES.mac,
});

function inbound(): FlowDocument {
  return bindOrThrow(loadTemplate("AppleMessages_inbound_flow"), {
    ...VALID_BINDINGS,
    callVariables: { cv_channel: "apple" },
    eccVariables: { user_first_message: "$(n2.abc.message)" },
  });
}

const nodesOf = (simulation: ReturnType<typeof simulateConversation>) =>
  simulation.steps.map(
    (step) => `${step.nodeId}:${step.action.kind}${step.outcome === undefined ? "" : `→${step.outcome}`}`,
  );

/** A flow of our own: Start then `nodes`, the first of which Start leads to. */
function flowOf(
  nodes: FlowDocument["nodes"],
  conditions: FlowDocument["trigger"]["conditions"] = [],
): FlowDocument {
  return {
    schemaVersion: 1,
    name: "Simulated",
    description: "",
    serviceId: "service-one",
    trigger: { kind: "channelEvent", event: "incomingMessage", asset: "asset-one", conditions },
    startNodeId: "2",
    variables: [],
    nodes: [
      {
        id: "2",
        type: "start",
        name: "Start",
        version: "1.0",
        config: {},
        outcomes: { onStart: nodes[0].id },
      },
      ...nodes,
    ],
  };
}

const evaluate = (id: string, name: string, script: string, outcomes: Record<string, string>) => ({
  id,
  type: "evaluate",
  name,
  version: "1.0",
  config: { script },
  outcomes,
});

describe("simulateConversation on the inbound template", () => {
  it("walks a first message to the CCE Create Task node and on to the Receive node, which waits", () => {
    const simulation = simulateConversation(inbound(), onIPhone());
    expect(simulation.steps).toEqual([
      {
        nodeId: "2",
        nodeName: "Start",
        nodeType: "start",
        action: { kind: "started", trigger: "channelEvent incomingMessage", message: hello },
        outcome: "onStart",
      },
      {
        nodeId: "179",
        nodeName: "Search Conversation",
        nodeType: "searchConversation",
        action: { kind: "searchedConversation" },
        outcome: "noConversationFound",
      },
      {
        nodeId: "180",
        nodeName: "Create Conversation",
        nodeType: "createConversation",
        action: { kind: "createdConversation", conversationId: CONVERSATION },
        outcome: "onSuccess",
      },
      {
        nodeId: "150",
        nodeName: "CCE Create Task",
        nodeType: "cceCreateTask",
        action: {
          kind: "createdCceTask",
          task: {
            domain: "cc.example.com",
            taskId: "simulated-flow-instance",
            conversationId: CONVERSATION,
            destination: APP,
            mediaType: "Social",
            mediaChannel: "Apple Messages for Business",
            customerId: ABC_USER,
            preferredOwner: "",
            scriptSelector: "",
          },
          callVariables: { cv_channel: "apple" },
          eccVariables: { user_DR_MediaResourceID: CONVERSATION, user_first_message: "Hello" },
          status: "201",
        },
        outcome: "201",
      },
      {
        nodeId: "2071",
        nodeName: "Append Conversation",
        nodeType: "appendConversation",
        action: {
          kind: "appendedToConversation",
          conversationId: CONVERSATION,
          messageType: "text",
          message: "Hello",
          extras: { capabilityList: ALL_CAPABILITIES },
        },
        outcome: "onSuccess",
      },
      {
        nodeId: "2009",
        nodeName: "Receive",
        nodeType: "receive",
        action: { kind: "waitingForReply", event: "incomingMessage" },
      },
    ]);
    expect(simulation.stop).toEqual({
      kind: "waiting",
      nodeId: "2009",
      message: 'node 2009 "Receive" waits for the customer\'s reply; no scripted reply is left.',
    });
  });

  it("prints the conversation one line per node", () => {
    expect(formatSimulation(simulateConversation(inbound(), onIPhone()))).toBe(
      [
        "AppleMessages_inbound_flow on iPhone:",
        '  node 2 "Start" (start): channelEvent incomingMessage: the customer wrote "Hello" → onStart',
        '  node 179 "Search Conversation" (searchConversation): found no conversation → noConversationFound',
        `  node 180 "Create Conversation" (createConversation): created conversation ${CONVERSATION} → onSuccess`,
        '  node 150 "CCE Create Task" (cceCreateTask): CCE gets a new task (domain cc.example.com, taskId ' +
          `simulated-flow-instance, conversationId ${CONVERSATION}, destination ${APP}, mediaType Social, mediaChannel ` +
          `Apple Messages for Business, customerId ${ABC_USER}); call variables {"cv_channel":"apple"}, ECC variables ` +
          `{"user_DR_MediaResourceID":"${CONVERSATION}","user_first_message":"Hello"}; CCE answers 201 → 201`,
        `  node 2071 "Append Conversation" (appendConversation): the agent's conversation ${CONVERSATION} gets text ` +
          `"Hello", extras {"capabilityList":"${ALL_CAPABILITIES}"} → onSuccess`,
        '  node 2009 "Receive" (receive): waits for the customer (incomingMessage)',
        '  waiting: node 2009 "Receive" waits for the customer\'s reply; no scripted reply is left.',
      ].join("\n"),
    );
  });

  it("takes scripted replies through Receive, Evaluate and Append, one reply per turn", () => {
    const attachment = { name: "receipt.jpeg", mimeType: "image/jpeg", url: "https://example.com/r.jpeg" };
    const simulation = simulateConversation(
      inbound(),
      onIPhone({
        replies: [
          { kind: "text", text: "Where is my order?" },
          { kind: "text", text: "Here is the receipt", attachments: [attachment] },
        ],
      }),
    );
    expect(nodesOf(simulation).slice(5)).toEqual([
      "2009:received→onReceive",
      "13:evaluated→text",
      "2072:appendedToConversation→onSuccess",
      "2009:received→onReceive",
      "13:evaluated→attachment",
      "2072:appendedToConversation→onSuccess",
      "2009:waitingForReply",
    ]);
    expect(simulation.steps[10].action).toEqual({
      kind: "appendedToConversation",
      conversationId: CONVERSATION,
      messageType: "attachment",
      message: "Here is the receipt",
      extras: { capabilityList: ALL_CAPABILITIES, attachments: JSON.stringify([attachment]) },
    });
  });

  it("follows CCE's answer: a failed task sends the apology and the flow ends", () => {
    const simulation = simulateConversation(inbound(), onIPhone({ cceCreateTaskStatus: "503" }));
    expect(nodesOf(simulation).slice(3)).toEqual(["150:createdCceTask→503", "211:sentText→onSuccess"]);
    expect(simulation.steps[4].action).toEqual({
      kind: "sentText",
      text: "Sorry, we cannot reach an agent right now. Please try again later.",
    });
    expect(simulation.stop).toEqual({
      kind: "ended",
      nodeId: "211",
      outcome: "onSuccess",
      message:
        'the flow ended: node 211 "Apple Messages For Business" took outcome "onSuccess", which the flow does not continue.',
    });
  });

  it("appends to the conversation Search Conversation finds, with no new task", () => {
    const conversation = { status: "active" as const, id: "conversation-9", taskId: "task-9" };
    const simulation = simulateConversation(inbound(), onIPhone({ conversation }));
    expect(nodesOf(simulation)).toEqual([
      "2:started→onStart",
      "179:searchedConversation→conversationActive",
      "2071:appendedToConversation→onSuccess",
      "2009:waitingForReply",
    ]);
    expect(simulation.steps[2].action).toMatchObject({ conversationId: "conversation-9" });
  });
});

describe("simulateConversation on gated rich sends", () => {
  const menu = () => bindOrThrow(listPickerOverride({ gated: true }), VALID_BINDINGS);
  const agent: CustomerMessage = {
    kind: "answer",
    to: "listPicker",
    text: "Talk to an agent",
    payload: { listPicker: { sections: [{ items: [{ identifier: "agent" }] }] } },
    requestIdentifier: "system",
  };

  it("shows the list picker on an iPhone, and its answer reaches CCE", () => {
    const simulation = simulateConversation(menu(), onIPhone({ replies: [agent] }));
    expect(nodesOf(simulation).slice(0, 4)).toEqual([
      "2:started→onStart",
      "20:evaluated→supportsList",
      "21:sentRichPayload→onSuccess",
      "22:received→onReceive",
    ]);
    expect(simulation.steps[2].action).toEqual({
      kind: "sentRichPayload",
      messageType: "listPicker",
      payload: LIST_PICKER_PAYLOAD,
      shown: true,
    });
    expect(nodesOf(simulation)).toContain("150:createdCceTask→201");
  });

  it("sends the text fallback on a Mac without LIST", () => {
    const simulation = simulateConversation(menu(), onMac());
    expect(nodesOf(simulation)).toEqual([
      "2:started→onStart",
      "20:evaluated→text",
      "23:sentText→onSuccess",
      "22:waitingForReply",
    ]);
    expect(simulation.steps[2].action).toEqual({ kind: "sentText", text: MENU_TEXT });
  });

  it("shows a form on an iPhone and falls back to text on a Mac without FORM", () => {
    const form = bindOrThrow(formOverride({ deviceChecked: true }), VALID_BINDINGS);
    const iPhone = simulateConversation(form, onIPhone());
    expect(iPhone.steps[2].action).toEqual({
      kind: "sentRichPayload",
      messageType: "form",
      payload: FORM_PAYLOAD,
      shown: true,
    });
    expect(iPhone.stop).toMatchObject({ kind: "waiting", nodeId: "22" });
    const mac = simulateConversation(form, onMac());
    expect(nodesOf(mac)).toEqual([
      "2:started→onStart",
      "20:evaluated→text",
      "23:sentText→onSuccess",
      "24:waitingForReply",
    ]);
    expect(mac.steps[2].action).toEqual({ kind: "sentText", text: FORM_TEXT });
  });

  it("takes the fallback for a form on an iPad-less device that lists FORM: the device check holds", () => {
    const form = bindOrThrow(formOverride({ deviceChecked: true }), VALID_BINDINGS);
    const macWithForm = {
      ...SIMULATED_DEVICES.iphone,
      name: "Mac with FORM",
      deviceAgent: "Mac14,2 macOS/14.4",
    };
    expect(nodesOf(simulateConversation(form, onIPhone({ device: macWithForm })))[1]).toBe(
      "20:evaluated→text",
    );
  });

  it("prints the rich send on an iPhone and the fallback on a Mac", () => {
    expect(formatSimulation(simulateConversation(menu(), onIPhone()))).toContain(
      '  node 21 "Greeting Menu" (ambMessage): the customer sees a listPicker → onSuccess',
    );
    expect(formatSimulation(simulateConversation(menu(), onMac())).split("\n").slice(2, 4)).toEqual([
      '  node 20 "Can Show a List Picker" (evaluate): decided "text" → text',
      `  node 23 "Greeting Menu (text)" (ambMessage): the customer sees ${JSON.stringify(MENU_TEXT)} → onSuccess`,
    ]);
    const iMessageApp = bindOrThrow(formOverride({ deviceChecked: true }), VALID_BINDINGS);
    iMessageApp.nodes.find((node) => node.id === "21")!.config.messageType = "iMessageApp";
    iMessageApp.nodes.find((node) => node.id === "2")!.outcomes.onStart = "21";
    expect(formatSimulation(simulateConversation(iMessageApp, onMac()))).toContain(
      "(ambMessage): sends an iMessageApp the customer's device cannot show (it needs an iPhone or iPad) → onSuccess",
    );
  });

  it("shows what an ungated send does on a device that cannot show it", () => {
    const ungated = listPickerOverride({ gated: false });
    const simulation = simulateConversation(ungated, onMac());
    expect(simulation.steps[1].action).toEqual({
      kind: "sentRichPayload",
      messageType: "listPicker",
      payload: LIST_PICKER_PAYLOAD,
      shown: false,
      needs: "LIST in the customer's capabilityList",
    });
  });

  it("stops with the node named when a reply does not fit what the Receive node waits for", () => {
    const form = bindOrThrow(formOverride({ deviceChecked: true }), VALID_BINDINGS);
    const simulation = simulateConversation(form, onIPhone({ replies: [{ kind: "text", text: "12345" }] }));
    expect(simulation.stop).toEqual({
      kind: "failed",
      nodeId: "22",
      message:
        'node 22 "Receive Answer": it waits for "Interactivemessageresponse: FormMessage", an answer to an ' +
        'interactive message, but the customer\'s next scripted reply is the text "12345": script an answer ' +
        '({kind: "answer", …}) for this node.',
    });
  });

  it("takes the Receive node's timeout when the customer does not reply", () => {
    const flow = menu();
    flow.nodes.find((node) => node.id === "22")!.outcomes.onTimeout = "211";
    const simulation = simulateConversation(flow, onMac({ replies: [{ kind: "noReply" }] }));
    expect(nodesOf(simulation).slice(3)).toEqual(["22:replyTimedOut→onTimeout", "211:sentText→onSuccess"]);
  });
});

describe("simulateConversation's limits", () => {
  it("cuts a flow that loops forever after DEFAULT_MAX_STEPS steps, naming the loop", () => {
    const flow = flowOf([
      evaluate("10", "Ask Again", 'return "again";', { again: "11" }),
      evaluate("11", "And Again", 'return "again";', { again: "10" }),
    ]);
    const simulation = simulateConversation(flow, onIPhone());
    expect(simulation.steps).toHaveLength(DEFAULT_MAX_STEPS);
    expect(simulation.stop).toEqual({
      kind: "stepLimit",
      message:
        `stopped after ${DEFAULT_MAX_STEPS} steps without reaching the end of the flow or a Receive node with no ` +
        'reply left: it loops through node 11 "And Again" → node 10 "Ask Again" → node 11 "And Again". Fix: give ' +
        "the loop a way out (an outcome that ends the flow, or a Receive node that waits for the customer).",
    });
    expect(simulateConversation(flow, onIPhone({ maxSteps: 5 })).steps).toHaveLength(5);
  });

  it("stops on a script that fails, returns no outcome or never returns", () => {
    const stopOf = (script: string) =>
      simulateConversation(flowOf([evaluate("10", "Decide", script, {})]), onIPhone()).stop;
    expect(stopOf("return missing.value;")).toEqual({
      kind: "failed",
      nodeId: "10",
      message: 'node 10 "Decide": its script failed: missing is not defined.',
    });
    expect(stopOf("var x = 1;")).toEqual({
      kind: "failed",
      nodeId: "10",
      message:
        'node 10 "Decide": its script returned nothing; an Evaluate script returns the name of the outcome to take.',
    });
    expect(stopOf("while (true) {}")).toMatchObject({
      kind: "failed",
      message: expect.stringContaining('node 10 "Decide": its script failed: Script execution timed out'),
    });
  });

  it("stops on a reference to a node the conversation has not passed", () => {
    const append = {
      id: "10",
      type: "appendConversation",
      name: "Append",
      version: "1.0",
      config: { conversationId: "$(n180.conversation.id)", messageType: "text", message: "x", extras: {} },
      outcomes: {},
    };
    expect(simulateConversation(flowOf([append]), onIPhone()).stop).toEqual({
      kind: "failed",
      nodeId: "10",
      message:
        'node 10 "Append": $(n180.conversation.id) is not set at this point of the conversation: node 180 has not run on the way here.',
    });
  });

  it("starts only when the trigger's conditions hold for the inbound message", () => {
    const flow = flowOf(
      [evaluate("10", "Decide", 'return "done";', {})],
      [{ field: "abc.requestIdentifier", operator: "notequals", value: "system" }],
    );
    const answer: CustomerMessage = {
      kind: "answer",
      to: "form",
      text: "Sent",
      payload: [],
      requestIdentifier: "system",
    };
    expect(simulateConversation(flow, onIPhone({ message: answer }))).toEqual({
      flow: "Simulated",
      device: "iPhone",
      steps: [],
      stop: {
        kind: "notStarted",
        message: "the flow does not start: the inbound message does not meet its trigger conditions.",
      },
    });
    expect(
      nodesOf(simulateConversation(flow, onIPhone({ message: { ...answer, requestIdentifier: "agent-7" } }))),
    ).toEqual(["2:started→onStart", "10:evaluated→done"]);
  });

  it("refuses a flow no customer message starts", () => {
    expect(() => simulateConversation(loadTemplate("AppleMessages_webhook_CREATED"), onIPhone())).toThrow(
      "AppleMessages_webhook_CREATED starts on a webhook (CREATED); the simulator runs flows a customer's message " +
        "starts (trigger kind channelEvent).",
    );
  });
});
