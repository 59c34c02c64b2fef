/** Text: a body, and attachments up to 100 MB each. */
import { asFields, asList, at, entries, isText, shown, type Path } from "../read";
import { finding, missingTexts, type AppleMessageRule } from "../rule";
import { SOURCES } from "../sources";

const ATTACHMENTS: Path = ["attachments"];
/** Apple carries attachments "up to 100MB" (counted as 100,000,000 bytes, the stricter reading). */
export const ATTACHMENT_MAX_BYTES = 100_000_000;

export const TEXT_RULES: readonly AppleMessageRule[] = [
  {
    id: "text.body",
    description: "A text message has a non-empty body.",
    source: SOURCES.messagesSent,
    appliesTo: ["text"],
    check: (message) => {
      const body = at(message, ["body"]);
      return isText(body) ? [] : [finding(["body"], `is ${shown(body)}; give the text the customer reads.`)];
    },
  },
  {
    id: "text.attachments",
    description:
      "attachments, when given, is a list of { name, mimeType, size } with size a whole number of bytes.",
    source: SOURCES.text,
    appliesTo: ["text"],
    check: (message) => {
      const attachments = at(message, ATTACHMENTS);
      if (attachments === undefined) return [];
      if (asList(attachments) === undefined) {
        return [finding(ATTACHMENTS, `is ${shown(attachments)}; give a list of { name, mimeType, size }.`)];
      }
      return entries(message, ATTACHMENTS).flatMap(({ value, path }) => {
        const size = asFields(value)?.size;
        const sized =
          Number.isInteger(size) && (size as number) >= 0
            ? []
            : [finding([...path, "size"], `is ${shown(size)}; give the attachment's size in bytes.`)];
        return [...missingTexts(value, path, ["name", "mimeType"], "attachment"), ...sized];
      });
    },
  },
  {
    id: "size.attachment",
    description: `Each attachment is at most 100 MB (${ATTACHMENT_MAX_BYTES} bytes).`,
    source: SOURCES.text,
    appliesTo: ["text"],
    check: (message) =>
      entries(message, ATTACHMENTS).flatMap(({ value, path }) => {
        const size = asFields(value)?.size;
        return typeof size === "number" && size > ATTACHMENT_MAX_BYTES
          ? [
              finding(
                [...path, "size"],
                `is ${size} bytes; Apple carries attachments up to 100 MB: send a smaller file, or a rich link to it.`,
              ),
            ]
          : [];
      }),
  },
];
