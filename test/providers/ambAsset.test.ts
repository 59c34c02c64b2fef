/** The AMB asset provider's pure parts: the calls from one asset setting to another, and the not-ready error. */
import {
  notReadyMessage,
  settingsPlan,
  type AmbAssetInputs,
  type AssetSettings,
} from "../../providers/ambAsset";
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
