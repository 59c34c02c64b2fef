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
  it("names the asset it verified and the exact MSP link to open", () => {
    const link =
      "https://business-chat.imiconnect.io/applebusinesschat/login?id=205a1489-7217-4664-9895-9d50452d4d51&name=Retail_Store";
    expect(readinessChecklist(retail)).toEqual([
      `[verified] Apple approved the Messages for Business account: its asset (App ID ${retail.asset.appId}) is "Online" in Webex Connect.`,
      ...manualSteps(link),
    ]);
  });

  it("shows the link's shape when the stack has no MSP link", () => {
    const withoutLink = { ...retail, asset: { ...retail.asset, mspLink: undefined } };
    expect(readinessChecklist(withoutLink)[1]).toBe(
      "[manual, Apple Business Register] the MSP connection was made by opening " +
        "https://business-chat.imiconnect.io/applebusinesschat/login?id=<uuid>&name=Retail_Store.",
    );
  });
});
