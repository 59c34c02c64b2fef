/** The AMB asset provider's pure parts: the calls from one asset setting to another, and the not-ready error. */
import { notReadyMessage, type AmbAssetInputs } from "../../providers/ambAsset";
import { claimAsset, settingsPlan, type AssetSettings } from "../../providers/assetClaim";
import type { AmbAsset } from "../../webexconnect";

const registeredTo = (engageServiceId: string | null, dataStream = true): AssetSettings => ({
  engageServiceId,
  dataStream,
});

describe("settingsPlan", () => {
  it.each<[string, AssetSettings, AssetSettings, ReturnType<typeof settingsPlan>]>([
    ["nothing to do", registeredTo("svc-1"), registeredTo("svc-1"), []],
    [
      "register a fresh asset",
      registeredTo(null),
      registeredTo("svc-1"),
      [{ action: "register", serviceId: "svc-1" }],
    ],
    [
      "move to another service: unregister first",
      registeredTo("svc-1"),
      registeredTo("svc-2"),
      [{ action: "unregister" }, { action: "register", serviceId: "svc-2" }],
    ],
    [
      "restore an unregistered asset on destroy",
      registeredTo("svc-1"),
      registeredTo(null),
      [{ action: "unregister" }],
    ],
    [
      "turn Data Stream on",
      registeredTo("svc-1", false),
      registeredTo("svc-1", true),
      [{ action: "dataStream", enabled: true }],
    ],
    [
      "register and turn Data Stream off, registration first",
      registeredTo(null, true),
      registeredTo("svc-1", false),
      [
        { action: "register", serviceId: "svc-1" },
        { action: "dataStream", enabled: false },
      ],
    ],
  ])("%s", (_name, current, target, plan) => {
    expect(settingsPlan(current, target)).toEqual(plan);
  });

  it("takes the asset to the target: applying the plan and planning again leaves nothing to do", () => {
    const states = [null, "svc-1", "svc-2"].flatMap((service) => [
      registeredTo(service, true),
      registeredTo(service, false),
    ]);
    for (const current of states) {
      for (const target of states) {
        const after = settingsPlan(current, target).reduce<AssetSettings>(
          (state, step) =>
            step.action === "unregister"
              ? { ...state, engageServiceId: null }
              : step.action === "register"
                ? { ...state, engageServiceId: step.serviceId }
                : { ...state, dataStream: step.enabled },
          current,
        );
        expect(after).toEqual(target);
      }
    }
  });
});

describe("notReadyMessage", () => {
  const inputs: AmbAssetInputs = {
    appId: "a7f3c1e9-retail",
    accountName: "Retail_Store",
    serviceId: "svc-1",
    dataStream: true,
    owner: "amb-cce-connect/dev-retail",
    mspLink:
      "https://business-chat.imiconnect.io/applebusinesschat/login?id=205a1489-7217-4664-9895-9d50452d4d51",
  };
  const link =
    "https://business-chat.imiconnect.io/applebusinesschat/login?id=205a1489-7217-4664-9895-9d50452d4d51&name=Retail_Store";
  const inReview: AmbAsset = {
    id: "asset-1",
    appId: "a7f3c1e9-retail",
    ambAccountId: "0b6f3a52-7c1d-4e8a-9f20-5d3c8b1a6e47",
    name: "Retail Store",
    accountName: "Retail_Store",
    description: "",
    status: "In review",
    channel: "applebusinesschat",
    channelId: 23,
  };

  it("explains how the asset comes to exist, and gives the exact link to open", () => {
    expect(notReadyMessage(inputs, undefined)).toBe(
      'No AMB asset with App ID "a7f3c1e9-retail" exists in Webex Connect yet. Apple Messages for Business assets ' +
        "cannot be created in Webex Connect. Register the business at Apple Business Register " +
        "(https://register.apple.com), create a Messages for Business account, choose Webex Connect as Messaging " +
        'Service Provider and, after "Connect", open the MSP link with &name=Retail_Store appended (e.g. ' +
        "https://business-chat.imiconnect.io/applebusinesschat/login?id=<uuid>&name=Retail_Store). The asset then " +
        'appears under Assets > Apps with status "In review", then "Online" once Apple approves it. ' +
        `Open ${link} to finish.`,
    );
  });

  it("says to wait for Apple's review of an asset still in review", () => {
    expect(notReadyMessage(inputs, inReview)).toBe(
      'The AMB asset "Retail Store" (App ID a7f3c1e9-retail) is still "In review" at Apple: wait until Apple ' +
        `Business Register shows it "Online", then run again. Open ${link} to finish.`,
    );
  });

  it("leaves the link out when the stack has none", () => {
    expect(notReadyMessage({ ...inputs, mspLink: undefined }, inReview)).toBe(
      'The AMB asset "Retail Store" (App ID a7f3c1e9-retail) is still "In review" at Apple: wait until Apple ' +
        'Business Register shows it "Online", then run again.',
    );
  });
});

describe("claimAsset", () => {
  const THIS = "amb-cce-connect/dev-retail";
  const OTHER = "amb-cce-connect/dev-retail-copy";
  const claimant = { owner: THIS, appId: "a7f3c1e9-retail" };
  const untouched = registeredTo(null, false);
  const asset = (description: string) => ({ name: "Retail Store", description });

  it("records the asset's settings in the marker before anything changes", () => {
    expect(claimAsset(asset("Store 12"), untouched, claimant)).toEqual({
      action: "write",
      prior: untouched,
      description: `Store 12\n[managed by amb-cce-connect: ${THIS}; engage=none; dataStream=off]`,
    });
  });

  it("a re-run after a failed create takes the prior settings from the marker, not from what that run changed", () => {
    const marked = asset(`[managed by amb-cce-connect: ${THIS}; engage=none; dataStream=off]`);
    const changedByFailedRun = registeredTo("svc-of-this-stack", false);
    expect(claimAsset(marked, changedByFailedRun, claimant)).toEqual({ action: "keep", prior: untouched });
  });

  it("refuses an asset another stack owns, naming it and the ways to move ownership", () => {
    const decision = claimAsset(
      asset(`[managed by amb-cce-connect: ${OTHER}; engage=svc-9; dataStream=on]`),
      untouched,
      claimant,
    );
    expect(decision.action).toBe("refuse");
    const message = (decision as { message: string }).message;
    expect(message).toContain(`is managed by stack ${OTHER}`);
    expect(message).toContain("pulumi destroy --stack dev-retail-copy");
    expect(message).toContain(`asset.takeOwnershipFrom: "${OTHER}"`);
  });

  it("takes the asset over on purpose, keeping the original prior settings", () => {
    const decision = claimAsset(
      asset(`Store\n[managed by amb-cce-connect: ${OTHER}; engage=svc-0; dataStream=on]`),
      registeredTo("svc-9", true),
      { ...claimant, takeOwnershipFrom: OTHER },
    );
    expect(decision).toEqual({
      action: "write",
      prior: registeredTo("svc-0", true),
      description: `Store\n[managed by amb-cce-connect: ${THIS}; engage=svc-0; dataStream=on]`,
    });
  });
});
