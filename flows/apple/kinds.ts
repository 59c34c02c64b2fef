/** Which of Apple's message types a message is, read from its `type`, its `bid` and the feature key in its data. */
import { asFields, at, type Fields } from "./read";
import { BID_PREFIX, BUILT_IN_TEAM_ID } from "./types";

export const BUILT_IN_KINDS = [
  "quickReply",
  "listPicker",
  "timePicker",
  "form",
  "applePay",
  "authentication",
] as const;
export type BuiltInKind = (typeof BUILT_IN_KINDS)[number];
export type MessageKind = "text" | "richLink" | BuiltInKind | "iMessageApp";

/** The key inside `interactiveData.data` that makes a built-in interactive message one type or another. */
export const FEATURE_KEYS: Readonly<Record<string, BuiltInKind>> = {
  "quick-reply": "quickReply",
  listPicker: "listPicker",
  event: "timePicker",
  dynamic: "form",
  payment: "applePay",
  authenticate: "authentication",
};

/** An iMessage app's `bid`: the prefix, a 10-character team id, the app extension's bundle id. */
const APP_BID = new RegExp(
  `^${BID_PREFIX.replaceAll(".", "\\.")}:([A-Z0-9]{10}):([A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+)$`,
);

export function parseAppBid(bid: unknown): { teamId: string; extensionId: string } | undefined {
  const match = typeof bid === "string" ? APP_BID.exec(bid) : null;
  return match === null ? undefined : { teamId: match[1], extensionId: match[2] };
}

/** The feature keys present in a built-in message's data. */
export function featureKeys(data: Fields | undefined): string[] {
  return data === undefined ? [] : Object.keys(FEATURE_KEYS).filter((key) => Object.hasOwn(data, key));
}

/**
 * The message's type; "interactive" for an interactive message whose type cannot be told (no feature key, or two),
 * undefined for something that is no Apple message at all. An iMessage app is told by its own team id in the bid,
 * or by naming an app without Apple's data envelope; any other interactive message by its feature key, so a wrong bid
 * on a list picker still gets the list picker's rules.
 */
export function classify(message: unknown): MessageKind | "interactive" | undefined {
  const type = asFields(message)?.type;
  if (type === "text" || type === "richLink") return type;
  if (type !== "interactive") return undefined;
  const app = parseAppBid(at(message, ["interactiveData", "bid"]));
  if (app !== undefined && app.teamId !== BUILT_IN_TEAM_ID) return "iMessageApp";
  const interactive = asFields(at(message, ["interactiveData"]));
  const keys = featureKeys(asFields(interactive?.data));
  if (keys.length === 1) return FEATURE_KEYS[keys[0]];
  // An app's message has no data envelope but names the app: so a mistyped bid still gets the app's rules.
  const namesAnApp =
    interactive?.data === undefined &&
    (interactive?.appId !== undefined || interactive?.appName !== undefined);
  return namesAnApp ? "iMessageApp" : "interactive";
}

/** The message's type, or undefined when it is no well-formed Apple message (validateAppleMessage says why). */
export function messageKind(message: unknown): MessageKind | undefined {
  const kind = classify(message);
  return kind === "interactive" ? undefined : kind;
}
