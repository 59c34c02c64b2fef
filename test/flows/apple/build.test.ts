import {
  BUILT_IN_BID,
  interactiveBid,
  listPicker,
  quickReply,
  richLink,
  textMessage,
  validateAppleMessage,
  type MessageKind,
} from "../../../flows/apple";
import { EXAMPLES, PNG } from "./examples";

describe("the builders", () => {
  it("build Apple's own quick reply sample, key for key", () => {
    // register.apple.com's sample code (send_quick_reply): the interactiveData of its payload.
    const sample = {
      type: "interactive",
      interactiveData: {
        bid: "com.apple.messages.MSMessageExtensionBalloonPlugin:0000000000:com.apple.icloud.apps.messages.business.extension",
        data: {
          "quick-reply": {
            summaryText: "summary text 1",
            items: [
              { identifier: "1", title: "item1" },
              { identifier: "2", title: "item2" },
            ],
          },
          version: "1.0",
          requestIdentifier: "3f1c0c3e",
        },
      },
    };
    const built = quickReply({
      requestIdentifier: "3f1c0c3e",
      summaryText: "summary text 1",
      items: [
        { identifier: "1", title: "item1" },
        { identifier: "2", title: "item2" },
      ],
    });
    expect(built).toStrictEqual(sample);
  });

  it("build a list picker in Apple's envelope, leaving out what was not given", () => {
    const built = listPicker({
      requestIdentifier: "system",
      receivedMessage: { title: "Menu", style: "icon" },
      sections: [{ items: [{ identifier: "agent", title: "Talk to an agent" }] }],
    });
    expect(built).toStrictEqual({
      type: "interactive",
      interactiveData: {
        bid: BUILT_IN_BID,
        data: {
          version: "1.0",
          requestIdentifier: "system",
          listPicker: { sections: [{ items: [{ identifier: "agent", title: "Talk to an agent" }] }] },
        },
        receivedMessage: { title: "Menu", style: "icon" },
      },
    });
  });

  it("build text and rich links in Apple's keys (body, richLinkData)", () => {
    expect(textMessage("Hi")).toStrictEqual({ type: "text", body: "Hi" });
    expect(
      richLink({ url: "https://example.com", title: "Us", image: { data: PNG, mimeType: "image/png" } }),
    ).toStrictEqual({
      type: "richLink",
      richLinkData: {
        url: "https://example.com",
        title: "Us",
        assets: { image: { data: PNG, mimeType: "image/png" } },
      },
    });
  });

  it("put an iMessage app's own ids in its bid", () => {
    expect(interactiveBid("A1B2C3D4E5", "com.example.app.ext")).toBe(
      "com.apple.messages.MSMessageExtensionBalloonPlugin:A1B2C3D4E5:com.example.app.ext",
    );
  });

  it.each(Object.keys(EXAMPLES) as MessageKind[])(
    "build a %s that is plain JSON and meets every rule",
    (kind) => {
      const message = EXAMPLES[kind];
      expect(JSON.parse(JSON.stringify(message))).toStrictEqual(message);
      expect(validateAppleMessage(message, kind)).toEqual([]);
    },
  );
});
