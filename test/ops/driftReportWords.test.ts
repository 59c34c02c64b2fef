/**
 * The drift report in a person's words: an AMB asset's Webex Engage registration reads as registered to a service
 * or not registered, never as a bare id against an empty string.
 */
import { renderChanges, resourceChanges } from "../../ops/driftReport";
import { AMB_ASSET_TYPE } from "../../lib/facts";

const urn = `urn:pulumi:dev-retail::amb-cce-connect::amb-cce:webexconnect:AmbAsset$${AMB_ASSET_TYPE}::asset`;
const DECLARED = {
  appId: "91b4c6d2-retail",
  accountName: "Retail_Store",
  serviceId: "svc-7",
  dataStream: true,
};

/** The asset as the program declares it, and as the refresh read it after the registration was removed. */
function digest() {
  const live = { ...DECLARED, serviceId: "" };
  return {
    steps: [
      {
        op: "update",
        urn,
        oldState: { urn, type: AMB_ASSET_TYPE, custom: true, inputs: live, outputs: live },
        newState: { urn, type: AMB_ASSET_TYPE, custom: true, inputs: DECLARED },
        diffReasons: ["serviceId"],
      },
    ],
    changeSummary: { update: 1 },
    diagnostics: [],
  };
}

describe("the words of the drift report", () => {
  it("says an Engage registration removed in the portal is no longer registered", () => {
    const markdown = renderChanges(resourceChanges(digest(), "drift"), "drift");
    expect(markdown).toContain(
      "- `serviceId`: registered to Webex Engage with service `svc-7` → not registered",
    );
    expect(markdown).not.toContain("``");
  });

  it("says the same the other way round in a pull request's preview", () => {
    const markdown = renderChanges(resourceChanges(digest(), "preview"), "preview");
    expect(markdown).toContain(
      "- `serviceId`: not registered → registered to Webex Engage with service `svc-7`",
    );
  });
});
