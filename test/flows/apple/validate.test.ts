import { formatAppleMessageProblems, SOURCES, validateAppleMessage } from "../../../flows/apple";
import { changed } from "./examples";

const LP = ["interactiveData", "data", "listPicker", "sections"];

describe("validateAppleMessage", () => {
  it("lists every problem of a message at once, each with its field, fix, rule and page", () => {
    const menu = changed(
      "listPicker",
      [
        ["interactiveData", "bid"],
        "com.apple.messages.MSMessageExtensionBalloonPlugin:0000000000:com.example.menu",
      ],
      [["interactiveData", "receivedMessage", "style"], "medium"],
      [[...LP, 1, "items", 0, "identifier"], "track"],
      [[...LP, 0, "items", 1, "imageIdentifier"], "box"],
    );
    expect(formatAppleMessageProblems(validateAppleMessage(menu, "greeting menu")).split("\n")).toEqual([
      'greeting menu: field interactiveData.bid: uses Apple\'s team id 0000000000 with the extension "com.example.menu"; ' +
        "Apple's built-in types take exactly com.apple.messages.MSMessageExtensionBalloonPlugin:0000000000:com.apple.icloud.apps.messages.business.extension, " +
        `an iMessage app its own team id. (rule envelope.bid; Apple: ${SOURCES.interactive.url})`,
      'greeting menu: field interactiveData.receivedMessage.style: is "medium"; use one of icon, small, large. ' +
        `(rule bubble.style; Apple: ${SOURCES.receivedMessage.url})`,
      'greeting menu: field interactiveData.data.listPicker.sections[0].items[1].imageIdentifier: names the image "box", ' +
        "which interactiveData.data.images does not hold; add it there or remove the reference. " +
        `(rule images.reference; Apple: ${SOURCES.interactive.url})`,
      'greeting menu: field interactiveData.data.listPicker.sections[1].items[0].identifier: repeats the identifier "track" ' +
        "of an earlier item; the answer names items by identifier, so give each its own. " +
        `(rule list-picker.unique-item-ids; LivePerson, not Apple: ${SOURCES.listPickerLivePerson.url})`,
    ]);
  });

  it("names the whole message when it is no object", () => {
    expect(formatAppleMessageProblems(validateAppleMessage(["Hi"], "node 12 message"))).toBe(
      'node 12 message: the message: is ["Hi"]; a message is an object with a "type" (text, richLink, interactive). ' +
        `(rule envelope.type; Apple: ${SOURCES.messagesSent.url})`,
    );
  });

  it("never shows a client secret it refuses", () => {
    const classic = changed("authentication", [
      ["interactiveData", "data", "authenticate", "oauth2", "clientSecret"],
      "s3cr3t-value",
    ]);
    const text = formatAppleMessageProblems(validateAppleMessage(classic, "sign in"));
    expect(text).toContain("field interactiveData.data.authenticate.oauth2.clientSecret");
    expect(text).not.toContain("s3cr3t-value");
  });

  it("shortens long values, such as base64 images, in its messages", () => {
    const message = changed("richLink", [["richLinkData", "url"], `myapp://${"x".repeat(500)}`]);
    const [problem] = validateAppleMessage(message, "link");
    expect(problem.message.length).toBeLessThan(250);
    expect(problem.message).toContain('is "myapp://xxx');
    expect(problem.message).toContain("…");
  });
});
