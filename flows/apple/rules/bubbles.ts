/** The bubbles (receivedMessage, replyMessage) and the images they and the items refer to. */
import { BUILT_IN_KINDS } from "../kinds";
import { asFields, at, entries, isBase64, isText, repeated, shown, textsOf, type Path } from "../read";
import {
  DATA,
  finding,
  INTERACTIVE_DATA,
  missingTexts,
  nonStrings,
  type AppleMessageRule,
  type Finding,
} from "../rule";
import { SOURCES } from "../sources";
import { BUBBLE_STYLES } from "../types";

const RECEIVED: Path = [...INTERACTIVE_DATA, "receivedMessage"];
const REPLY: Path = [...INTERACTIVE_DATA, "replyMessage"];
const IMAGES: Path = [...DATA, "images"];
const OPTIONAL_TEXT_FIELDS = ["subtitle", "secondarySubtitle", "tertiarySubtitle", "imageIdentifier"];

function bubbleFindings(message: unknown, path: Path): Finding[] {
  const bubble = asFields(at(message, path));
  if (bubble === undefined) {
    return [finding(path, `is ${shown(at(message, path))}; a bubble is an object with at least a title.`)];
  }
  return [
    ...missingTexts(bubble, path, ["title"], "bubble"),
    ...nonStrings(bubble, path, OPTIONAL_TEXT_FIELDS),
  ];
}

/** Every place a built-in message names an image, with the name it gives. */
function imageReferences(message: unknown): Array<{ path: Path; identifier: unknown }> {
  const listItems = entries(message, [...DATA, "listPicker", "sections"]).flatMap((section) =>
    entries(message, [...section.path, "items"]),
  );
  const formPages = entries(message, [...DATA, "dynamic", "data", "pages"]);
  const formItems = formPages.flatMap((page) => entries(message, [...page.path, "items"]));
  const sites: Path[] = [
    RECEIVED,
    REPLY,
    [...DATA, "dynamic", "data", "splash"],
    ...listItems.map((item) => item.path),
    ...formItems.map((item) => item.path),
  ];
  return sites.flatMap((site) => {
    const holder = asFields(at(message, site));
    return holder === undefined || holder.imageIdentifier === undefined
      ? []
      : [{ path: [...site, "imageIdentifier"], identifier: holder.imageIdentifier }];
  });
}

export const BUBBLE_RULES: readonly AppleMessageRule[] = [
  {
    id: "bubble.received-message",
    description:
      "interactiveData.receivedMessage, the bubble the customer receives, is an object with a title; its other " +
      "text fields are strings. Apple's quick reply has no bubble.",
    source: SOURCES.interactive,
    appliesTo: [...BUILT_IN_KINDS.filter((kind) => kind !== "quickReply"), "iMessageApp"],
    check: (message) =>
      asFields(at(message, INTERACTIVE_DATA)) === undefined ? [] : bubbleFindings(message, RECEIVED),
  },
  {
    id: "bubble.reply-message",
    description:
      "interactiveData.replyMessage, when given, is an object with a title; its other text fields are strings.",
    source: SOURCES.interactive,
    appliesTo: [...BUILT_IN_KINDS, "iMessageApp"],
    check: (message) => (at(message, REPLY) === undefined ? [] : bubbleFindings(message, REPLY)),
  },
  {
    id: "bubble.style",
    description: `A bubble's style is one of ${BUBBLE_STYLES.join(", ")} (280×65, 280×85, 280×210 pt).`,
    source: SOURCES.receivedMessage,
    appliesTo: BUILT_IN_KINDS,
    check: (message) =>
      [RECEIVED, REPLY].flatMap((path) => {
        const style = asFields(at(message, path))?.style;
        return style === undefined || (BUBBLE_STYLES as readonly unknown[]).includes(style)
          ? []
          : [finding([...path, "style"], `is ${shown(style)}; use one of ${BUBBLE_STYLES.join(", ")}.`)];
      }),
  },
  {
    id: "images.list",
    description:
      "interactiveData.data.images, when given, is a list of { identifier, data } with unique identifiers and the " +
      "image's bytes in base64.",
    source: SOURCES.interactive,
    appliesTo: BUILT_IN_KINDS,
    check: (message) => {
      const images = at(message, IMAGES);
      if (images === undefined) return [];
      if (!Array.isArray(images)) {
        return [finding(IMAGES, `is ${shown(images)}; give a list of { identifier, data } images.`)];
      }
      const listed = entries(message, IMAGES);
      const shapes = listed.flatMap(({ value, path }) => {
        const image = asFields(value);
        if (!isText(image?.identifier)) {
          return [
            finding(
              [...path, "identifier"],
              `is ${shown(image?.identifier)}; give the image an identifier the items can name.`,
            ),
          ];
        }
        return isBase64(image.data)
          ? []
          : [
              finding(
                [...path, "data"],
                `is ${shown(image.data)}; give the image's bytes in base64 (Apple takes images inline).`,
              ),
            ];
      });
      const twice = repeated(textsOf(listed, "identifier")).map((identifier) =>
        finding(
          IMAGES,
          `names the image ${shown(identifier)} more than once; give each image its own identifier.`,
        ),
      );
      return [...shapes, ...twice];
    },
  },
  {
    id: "images.reference",
    description:
      "Every imageIdentifier (bubbles, list picker items, the form's splash and items) names an image of " +
      "interactiveData.data.images.",
    source: SOURCES.interactive,
    appliesTo: BUILT_IN_KINDS,
    check: (message) => {
      const images = at(message, IMAGES);
      if (images !== undefined && !Array.isArray(images)) return []; // images.list says how to fix the list
      const known = new Set(entries(message, IMAGES).map(({ value }) => asFields(value)?.identifier));
      return imageReferences(message)
        .filter(({ identifier }) => !known.has(identifier))
        .map(({ path, identifier }) =>
          finding(
            path,
            `names the image ${shown(identifier)}, which interactiveData.data.images does not hold; add it there or remove the reference.`,
          ),
        );
    },
  },
];
