/**
 * What a customer's device must support to show a message. Apple sends the device's `capability-list` with each
 * message and says the console "should not permit sending a payload to a user that is not supported by the user's
 * device"; Apple Pay and rich links work everywhere; iMessage apps and forms only on iPhone and iPad
 * (register.apple.com/resources/messages/msp-rest-api/common-specs).
 */
import { classify, type MessageKind } from "./kinds";
import { isClassicAuthentication } from "./rules/authentication";

export const CAPABILITIES = ["QUICK", "LIST", "TIME", "AUTH", "AUTH2", "FORM"] as const;
export type Capability = (typeof CAPABILITIES)[number];

export interface DeviceRequirement {
  /** The capability-list value the device must send; undefined when every device shows the message. */
  readonly capability: Capability | undefined;
  /** iMessage apps and forms show on iPhone and iPad only, whatever the capability list says. */
  readonly iPhoneOrIPadOnly: boolean;
}

const REQUIREMENTS: Record<Exclude<MessageKind, "authentication">, DeviceRequirement> = {
  text: { capability: undefined, iPhoneOrIPadOnly: false },
  richLink: { capability: undefined, iPhoneOrIPadOnly: false },
  applePay: { capability: undefined, iPhoneOrIPadOnly: false },
  quickReply: { capability: "QUICK", iPhoneOrIPadOnly: false },
  listPicker: { capability: "LIST", iPhoneOrIPadOnly: false },
  timePicker: { capability: "TIME", iPhoneOrIPadOnly: false },
  form: { capability: "FORM", iPhoneOrIPadOnly: true },
  iMessageApp: { capability: undefined, iPhoneOrIPadOnly: true },
};

/**
 * What the device must support to show `message`. Throws for something that is no Apple message type, so that a
 * gate never lets an unknown payload through as "needs nothing" (validateAppleMessage says what is wrong with it).
 */
export function requiredCapability(message: unknown): DeviceRequirement {
  const kind = classify(message);
  if (kind === undefined || kind === "interactive") {
    throw new Error(
      "cannot tell which Apple message type this is (check its type, bid and data with validateAppleMessage), so " +
        "cannot tell which devices show it",
    );
  }
  if (kind === "authentication") {
    return { capability: isClassicAuthentication(message) ? "AUTH" : "AUTH2", iPhoneOrIPadOnly: false };
  }
  return REQUIREMENTS[kind];
}

/**
 * The capabilities in a `capability-list` header, or in Data Stream's URL-encoded `capabilityList`: comma separated,
 * case-insensitive. Values this library does not know are left out.
 */
export function parseCapabilityList(list: string): ReadonlySet<Capability> {
  let decoded = list;
  try {
    decoded = decodeURIComponent(list);
  } catch {
    // Not URL-encoded after all (a lone "%"): read it as written.
  }
  const known: readonly string[] = CAPABILITIES;
  return new Set(
    decoded
      .split(",")
      .map((value) => value.trim().toUpperCase())
      .filter((value): value is Capability => known.includes(value)),
  );
}
