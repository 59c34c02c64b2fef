import { z } from "zod";
import { appleMessageSchema, SOURCES } from "../../../flows/apple";
import { changed, EXAMPLES } from "./examples";

describe("appleMessageSchema", () => {
  it("takes a valid message as it is", () => {
    expect(appleMessageSchema.parse(EXAMPLES.form)).toStrictEqual(EXAMPLES.form);
  });

  it("reports each problem at its path inside the stack file, with the rule and the source", () => {
    const stackSection = z.strictObject({ greeting: appleMessageSchema });
    const broken = changed("quickReply", [
      ["interactiveData", "data", "quick-reply", "items"],
      [{ identifier: "1", title: "Yes" }],
    ]);
    const result = stackSection.safeParse({ greeting: broken });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => ({ path: issue.path, message: issue.message }))).toEqual([
      {
        path: ["greeting", "interactiveData", "data", "quick-reply", "items"],
        message:
          "has 1 option(s); a quick reply offers 2 to 5: add options, or send text. " +
          `(rule quick-reply.items; Infobip, not Apple: ${SOURCES.quickReplyInfobip.url})`,
      },
    ]);
  });

  it("refuses what is not JSON before any rule runs", () => {
    expect(appleMessageSchema.safeParse(undefined).success).toBe(false);
  });
});
