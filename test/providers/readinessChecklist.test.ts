/** What is still done by hand at Apple and in Webex Engage, as the stack reports it after each run. */
import * as path from "node:path";
import { readinessChecklist } from "../../components/ambChannel";
import { parseStackConfig, type StackConfig } from "../../config/stackConfig";
import { rawOfFile, STACKS_DIR } from "../config/support";

const retail: StackConfig = parseStackConfig(rawOfFile(path.join(STACKS_DIR, "Pulumi.staging-retail.yaml")));

const manualSteps = (link: string) => [
  `[manual, Apple Business Register] the MSP connection was made by opening ${link}.`,
  "[manual, Apple Business Register] tester Apple IDs are added and testing instructions sent (internal test accounts).",
  "[manual, Apple Business Register] Optional Integrations and branding reviewed for a commercial account.",
  '[manual, Webex Engage] the asset shows in the Engage portal (registered by this stack to service "AMB Retail_Store (staging)").',
];

describe("readinessChecklist", () => {
  it("says the asset's status was read at the last up or refresh, not by a preview, and gives the exact MSP link", () => {
    const link =
      "https://business-chat.imiconnect.io/applebusinesschat/login?id=205a1489-7217-4664-9895-9d50452d4d51&name=Retail_Store";
    expect(readinessChecklist(retail, "Online")).toEqual([
      `[read from Webex Connect at the last up or refresh, not by a preview] the asset (App ID ${retail.asset.appId}) was "Online": Apple approved the Messages for Business account.`,
      ...manualSteps(link),
    ]);
  });

  it("claims no approval for a status other than Online", () => {
    expect(readinessChecklist(retail, "Offline")[0]).toBe(
      `[read from Webex Connect at the last up or refresh, not by a preview] the asset (App ID ${retail.asset.appId}) was "Offline", not "Online": Apple has not approved the account yet.`,
    );
  });

  it("shows the link's shape when the stack has no MSP link", () => {
    const withoutLink = { ...retail, asset: { ...retail.asset, mspLink: undefined } };
    expect(readinessChecklist(withoutLink, "Online")[1]).toBe(
      "[manual, Apple Business Register] the MSP connection was made by opening " +
        "https://business-chat.imiconnect.io/applebusinesschat/login?id=<uuid>&name=Retail_Store.",
    );
  });
});
