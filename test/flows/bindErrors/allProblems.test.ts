/** Binding reports every problem of a flow at once, not only the first. */
import { bindFlow, formatProblem, loadTemplate } from "../../../flows";
import { BARE, TASK } from "./badBindings";

describe("bindFlow with bad bindings", () => {
  it("collects every problem at once, each at its node and field", () => {
    const result = bindFlow(loadTemplate("AppleMessages_inbound_flow"), {
      proxyFqdn: "https://cc.example.com:443/",
      callVariables: { cv_1: "x".repeat(41) },
    });
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([
      "AppleMessages_inbound_flow: field serviceId: serviceId is missing: give the id of the Webex Connect service the flow belongs to.",
      'AppleMessages_inbound_flow: node 2 "Start", field trigger.asset: ambAssetId is missing: give the id of the AMB asset in Webex Connect.',
      'AppleMessages_inbound_flow: node 179 "Search Conversation", field ambAccountId: ambAccountId is missing: give the AMB Account ID of the Apple Messages for Business account.',
      'AppleMessages_inbound_flow: node 180 "Create Conversation", field ambAccountId: ambAccountId is missing: give the AMB Account ID of the Apple Messages for Business account.',
      `${TASK} domain: proxyFqdn "https://cc.example.com:443/" has a URL scheme; ${BARE} Use "cc.example.com" instead.`,
      'AppleMessages_inbound_flow: node 211 "Apple Messages For Business", field asset: ambAssetId is missing: give the id of the AMB asset in Webex Connect.',
      `${TASK} callVariables.cv_1: is 41 bytes long; a call variable holds at most 40 bytes (UTF-8). Fix: shorten it.`,
    ]);
  });
});
