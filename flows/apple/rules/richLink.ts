/** Rich link: an https URL, a title, and an image (a video link carries an image too), the image at most 200 kB. */
import { asFields, at, isBase64, isText, shown, type Path } from "../read";
import { finding, type AppleMessageRule, type Finding } from "../rule";
import { SOURCES } from "../sources";
import { httpsUrlMessage, isHttpsUrl } from "./links";

const LINK: Path = ["richLinkData"];
const ASSETS: Path = [...LINK, "assets"];
const IMAGE: Path = [...ASSETS, "image"];
const VIDEO: Path = [...ASSETS, "video"];
/** Apple: "Image binary size must be 200kB or smaller" (counted as 200,000 bytes, the stricter reading). */
export const RICH_LINK_IMAGE_MAX_BYTES = 200_000;

function mimeTypeFinding(asset: unknown, path: Path, family: string, example: string): Finding[] {
  const mimeType = asFields(asset)?.mimeType;
  return typeof mimeType === "string" && mimeType.startsWith(`${family}/`)
    ? []
    : [
        finding(
          [...path, "mimeType"],
          `is ${shown(mimeType)}; give the ${family}'s MIME type, e.g. ${example}.`,
        ),
      ];
}

function imageFindings(message: unknown): Finding[] {
  const image = at(message, IMAGE);
  if (image === undefined) {
    const video = at(message, VIDEO) !== undefined;
    return [
      finding(
        IMAGE,
        video
          ? "is missing; a video rich link carries an image too (Apple shows it until the video plays): add assets.image."
          : "is missing; a rich link carries an image (or a video and an image): add assets.image.",
      ),
    ];
  }
  const data = asFields(image)?.data;
  const bytes = isBase64(data)
    ? []
    : [
        finding(
          [...IMAGE, "data"],
          `is ${shown(data)}; give the image's bytes in base64 (Apple takes rich link images inline).`,
        ),
      ];
  return [...bytes, ...mimeTypeFinding(image, IMAGE, "image", "image/png")];
}

function videoFindings(message: unknown): Finding[] {
  const video = at(message, VIDEO);
  if (video === undefined) return [];
  const url = asFields(video)?.url;
  const link = isHttpsUrl(url) ? [] : [finding([...VIDEO, "url"], httpsUrlMessage(url, "the video"))];
  return [...link, ...mimeTypeFinding(video, VIDEO, "video", "video/mp4")];
}

export const RICH_LINK_RULES: readonly AppleMessageRule[] = [
  {
    id: "rich-link.url",
    description:
      "richLinkData.url is an absolute https URL; custom URL schemes do not work, universal links do.",
    source: SOURCES.richLink,
    appliesTo: ["richLink"],
    check: (message) => {
      const url = at(message, [...LINK, "url"]);
      return isHttpsUrl(url) ? [] : [finding([...LINK, "url"], httpsUrlMessage(url, "the link"))];
    },
  },
  {
    id: "rich-link.title",
    description: "richLinkData.title, the line shown in the transcript, is a non-empty string.",
    source: SOURCES.richLink,
    appliesTo: ["richLink"],
    check: (message) => {
      const title = at(message, [...LINK, "title"]);
      return isText(title)
        ? []
        : [finding([...LINK, "title"], `is ${shown(title)}; give the rich link a title.`)];
    },
  },
  {
    id: "rich-link.assets",
    description:
      "richLinkData.assets has an image { data (base64), mimeType image/… }; a video link also has a video " +
      "{ url (https), mimeType video/… }.",
    source: SOURCES.richLink,
    appliesTo: ["richLink"],
    check: (message) =>
      asFields(at(message, ASSETS)) === undefined
        ? [finding(ASSETS, `is ${shown(at(message, ASSETS))}; give assets { image: { data, mimeType } }.`)]
        : [...imageFindings(message), ...videoFindings(message)],
  },
  {
    id: "rich-link.image-size",
    description: `The rich link's image is at most ${RICH_LINK_IMAGE_MAX_BYTES / 1000} kB (Apple optimises it to 240×240 px).`,
    source: SOURCES.richLink,
    appliesTo: ["richLink"],
    check: (message) => {
      const data = asFields(at(message, IMAGE))?.data;
      if (!isBase64(data)) return [];
      const bytes = Buffer.byteLength(data, "base64");
      return bytes <= RICH_LINK_IMAGE_MAX_BYTES
        ? []
        : [
            finding(
              [...IMAGE, "data"],
              `holds ${bytes} bytes; Apple takes at most ${RICH_LINK_IMAGE_MAX_BYTES} (200 kB): scale it to 240×240 px or compress it.`,
            ),
          ];
    },
  },
];
