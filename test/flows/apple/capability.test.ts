import {
  messageKind,
  parseCapabilityList,
  requiredCapability,
  type DeviceRequirement,
  type MessageKind,
} from "../../../flows/apple";
import { changed, EXAMPLES } from "./examples";

const NEEDS: Record<MessageKind, DeviceRequirement> = {
  text: { capability: undefined, iPhoneOrIPadOnly: false },
  richLink: { capability: undefined, iPhoneOrIPadOnly: false },
  applePay: { capability: undefined, iPhoneOrIPadOnly: false },
  quickReply: { capability: "QUICK", iPhoneOrIPadOnly: false },
  listPicker: { capability: "LIST", iPhoneOrIPadOnly: false },
  timePicker: { capability: "TIME", iPhoneOrIPadOnly: false },
  authentication: { capability: "AUTH2", iPhoneOrIPadOnly: false },
  form: { capability: "FORM", iPhoneOrIPadOnly: true },
  iMessageApp: { capability: undefined, iPhoneOrIPadOnly: true },
};

describe("requiredCapability", () => {
  it.each(Object.entries(NEEDS))("tells what a %s needs of the device", (kind, needs) => {
    expect(messageKind(EXAMPLES[kind as MessageKind])).toBe(kind);
    expect(requiredCapability(EXAMPLES[kind as MessageKind])).toEqual(needs);
  });

  it("asks AUTH of the deprecated classic authentication message", () => {
    const classic = changed("authentication", [
      ["interactiveData", "data", "authenticate", "oauth2", "responseEncryptionKey"],
      "BFz948MTG3OQ0Q69",
    ]);
    expect(requiredCapability(classic)).toEqual({ capability: "AUTH", iPhoneOrIPadOnly: false });
  });

  it.each([
    ["no object", "Hello"],
    ["an unknown type", { type: "carousel" }],
    [
      "interactive data without a feature key",
      changed("quickReply", [["interactiveData", "data", "quick-reply"], undefined]),
    ],
  ])("refuses to guess for %s", (_what, message) => {
    expect(messageKind(message)).toBeUndefined();
    expect(() => requiredCapability(message)).toThrow(/cannot tell which Apple message type this is/);
  });
});

describe("parseCapabilityList", () => {
  it("reads Apple's header: comma separated, any case, spaces around", () => {
    expect([...parseCapabilityList("quick, LIST,Time ,auth2")]).toEqual(["QUICK", "LIST", "TIME", "AUTH2"]);
  });

  it("reads Data Stream's URL-encoded capabilityList", () => {
    expect([...parseCapabilityList("QUICK%2CLIST%2CFORM")]).toEqual(["QUICK", "LIST", "FORM"]);
  });

  it("leaves out values it does not know, and reads a stray % as written", () => {
    expect([...parseCapabilityList("LIST,HOLOGRAM,%,")]).toEqual(["LIST"]);
    expect(parseCapabilityList("").size).toBe(0);
  });
});
