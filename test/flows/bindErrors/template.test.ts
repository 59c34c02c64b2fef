/** Binding errors in the template itself: a node type the library does not know, an outcome that leads nowhere. */
import { describeBadBindings } from "./badBindings";

describeBadBindings([
  {
    name: "unknown node type in the template",
    template: "AppleMessages_CustomerClose",
    edit: (template) => {
      template.nodes[3].outcomes.onSuccess = "170";
      template.nodes.push({
        id: "170",
        type: "sendSms",
        name: "Send SMS",
        version: "1.0",
        config: {},
        outcomes: {},
      });
    },
    expected: [
      'AppleMessages_CustomerClose: node 170 "Send SMS", field type: "sendSms" is not a node type this library knows (start, evaluate, searchConversation, createConversation, appendConversation, closeConversation, cceCreateTask, cceEndTask, ambMessage, receive, destinationBranch, customEvent); replace the node or add its type to flows/nodeTypes.ts.',
    ],
  },
  {
    name: "dangling outcome in the template",
    template: "AppleMessages_CustomerClose",
    edit: (template) => {
      template.nodes[2].outcomes["500"] = "999";
    },
    expected: [
      'AppleMessages_CustomerClose: node 150 "CCE End Task", field outcomes.500: leads to node 999, which does not exist; point it at an existing node or remove the outcome.',
    ],
  },
]);
