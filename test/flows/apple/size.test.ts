import {
  interactiveDataBytes,
  listPicker,
  RESPONSE_BY_REFERENCE_BYTES,
  responseComesByReference,
  timePicker,
} from "../../../flows/apple";
import { changed, EXAMPLES } from "./examples";

describe("responseComesByReference", () => {
  it("expects a list picker with images to answer by reference (its response carries the images)", () => {
    expect(interactiveDataBytes(EXAMPLES.listPicker)).toBeLessThan(RESPONSE_BY_REFERENCE_BYTES);
    expect(responseComesByReference(EXAMPLES.listPicker)).toBe(true);
  });

  it("expects a small list picker without images, and a quick reply, to answer inline", () => {
    expect(
      responseComesByReference(changed("listPicker", [["interactiveData", "data", "images"], undefined])),
    ).toBe(false);
    expect(responseComesByReference(EXAMPLES.quickReply)).toBe(false);
  });

  it("expects any interactive message over 10 KB to answer by reference, and one at the line inline", () => {
    const sized = (bytes: number) => {
      const message = timePicker({
        requestIdentifier: "system",
        receivedMessage: { title: "Book" },
        event: {
          title: "",
          timeslots: [{ identifier: "a", startTime: "2020-04-01T15:30+0000", duration: 60 }],
        },
      });
      message.interactiveData.data.event.title = "x".repeat(bytes - interactiveDataBytes(message));
      return message;
    };
    expect(interactiveDataBytes(sized(RESPONSE_BY_REFERENCE_BYTES))).toBe(RESPONSE_BY_REFERENCE_BYTES);
    expect(responseComesByReference(sized(RESPONSE_BY_REFERENCE_BYTES))).toBe(false);
    expect(responseComesByReference(sized(RESPONSE_BY_REFERENCE_BYTES + 1))).toBe(true);
  });

  it("expects no interactive response to text or a rich link", () => {
    expect(responseComesByReference(EXAMPLES.text)).toBe(false);
    expect(responseComesByReference(EXAMPLES.richLink)).toBe(false);
    expect(
      responseComesByReference(
        listPicker({ requestIdentifier: "r", receivedMessage: { title: "t" }, sections: [], images: [] }),
      ),
    ).toBe(false);
  });
});
