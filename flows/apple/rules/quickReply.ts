/** Quick reply: two to five options, one choice. */
import { asList, at, entries, repeated, shown, textsOf, type Path } from "../read";
import { DATA, finding, missingTexts, type AppleMessageRule } from "../rule";
import { SOURCES } from "../sources";

const QUICK_REPLY: Path = [...DATA, "quick-reply"];
const ITEMS: Path = [...QUICK_REPLY, "items"];
export const QUICK_REPLY_ITEMS = { min: 2, max: 5 };

export const QUICK_REPLY_RULES: readonly AppleMessageRule[] = [
  {
    id: "quick-reply.items",
    description: `data["quick-reply"].items holds ${QUICK_REPLY_ITEMS.min} to ${QUICK_REPLY_ITEMS.max} options.`,
    source: SOURCES.quickReplyInfobip,
    appliesTo: ["quickReply"],
    check: (message) => {
      const items = asList(at(message, ITEMS));
      if (items === undefined) {
        return [
          finding(
            ITEMS,
            `is ${shown(at(message, ITEMS))}; give a list of ${QUICK_REPLY_ITEMS.min} to ${QUICK_REPLY_ITEMS.max} { identifier, title } options.`,
          ),
        ];
      }
      if (items.length < QUICK_REPLY_ITEMS.min) {
        return [
          finding(
            ITEMS,
            `has ${items.length} option(s); a quick reply offers ${QUICK_REPLY_ITEMS.min} to ${QUICK_REPLY_ITEMS.max}: add options, or send text.`,
          ),
        ];
      }
      return items.length > QUICK_REPLY_ITEMS.max
        ? [
            finding(
              ITEMS,
              `has ${items.length} options; a quick reply offers at most ${QUICK_REPLY_ITEMS.max}: remove ${items.length - QUICK_REPLY_ITEMS.max}, or send a list picker.`,
            ),
          ]
        : [];
    },
  },
  {
    id: "quick-reply.item",
    description:
      'Each quick reply option has a title and an identifier of its own (Apple\'s sample: { "identifier": "1", "title": "item1" }).',
    source: SOURCES.interactive,
    appliesTo: ["quickReply"],
    check: (message) => {
      const items = entries(message, ITEMS);
      const shapes = items.flatMap(({ value, path }) =>
        missingTexts(value, path, ["identifier", "title"], "option"),
      );
      const twice = repeated(textsOf(items, "identifier")).map((identifier) =>
        finding(
          ITEMS,
          `gives the identifier ${shown(identifier)} to more than one option; the answer names the option by it, so make each unique.`,
        ),
      );
      return [...shapes, ...twice];
    },
  },
];
