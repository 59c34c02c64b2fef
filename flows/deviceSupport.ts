/**
 * What a customer's device must support for an AMB send to show. Apple: devices announce their features in
 * `capability-list` (QUICK, LIST, TIME, AUTH, AUTH2, FORM; case-insensitive, comma separated); "Apple Pay, Rich Links
 * are supported on all devices type and version. iMessage apps and Forms are only supported on iPhone and iPad"
 * (register.apple.com/resources/messages/msp-rest-api/common-specs).
 *
 * `sendRequirement` reads the requirement from the AMB node's messageType. It stands in for flows/apple's
 * `requiredCapability(message)`, which reads it from Apple's payload itself: `RequirementOfSend` is the seam where
 * that function plugs in.
 */
import { isAmbRichMessageType, type AmbRichMessageType } from "./nodeTypes";
import type { JsonValue } from "./schema";

export const CAPABILITIES = ["QUICK", "LIST", "TIME", "AUTH", "AUTH2", "FORM"] as const;
export type Capability = (typeof CAPABILITIES)[number];

export function isCapability(value: unknown): value is Capability {
  return typeof value === "string" && (CAPABILITIES as readonly string[]).includes(value);
}

/** What the device must have: a capability-list value, and for forms and iMessage apps an iPhone or iPad. */
export interface SendRequirement {
  readonly capability?: Capability;
  readonly iPhoneOrIPad: boolean;
}

/** An AMB node's send as the requirement function sees it. */
export interface AmbSend {
  readonly messageType: string;
  readonly payload: JsonValue | undefined;
}

/** The requirement of a send; undefined when every device shows it (text, typing indicators, rich links, Apple Pay). */
export type RequirementOfSend = (send: AmbSend) => SendRequirement | undefined;

const REQUIREMENTS: Record<AmbRichMessageType, SendRequirement | undefined> = {
  quickReply: { capability: "QUICK", iPhoneOrIPad: false },
  listPicker: { capability: "LIST", iPhoneOrIPad: false },
  timePicker: { capability: "TIME", iPhoneOrIPad: false },
  form: { capability: "FORM", iPhoneOrIPad: true },
  authentication: { capability: "AUTH2", iPhoneOrIPad: false },
  classicAuthentication: { capability: "AUTH", iPhoneOrIPad: false },
  iMessageApp: { iPhoneOrIPad: true },
  richLink: undefined,
  applePay: undefined,
};

export const sendRequirement: RequirementOfSend = (send) =>
  isAmbRichMessageType(send.messageType) ? REQUIREMENTS[send.messageType] : undefined;

/** `LIST in the customer's capabilityList`, `FORM in the customer's capabilityList and an iPhone or iPad`. */
export function describeRequirement(requirement: SendRequirement): string {
  const parts = [
    ...(requirement.capability === undefined
      ? []
      : [`${requirement.capability} in the customer's capabilityList`]),
    ...(requirement.iPhoneOrIPad ? ["an iPhone or iPad"] : []),
  ];
  return parts.join(" and ");
}

/**
 * Whether the customer writes from an iPhone or iPad. Webex Connect's Data Stream gives each inbound AMB message a
 * `deviceAgent` (developers.webexconnect.io/reference/data-streams-apple-messages-for-business) but documents no
 * format; modeled: it names the device family (e.g. "iPhone15,2 iOS/17.4", "Mac14,2 macOS/14.4").
 */
export const IPHONE_OR_IPAD_AGENT = /iphone|ipad/i;

/** Whether a device with these capabilities and this agent shows a send with `requirement`. */
export function deviceShows(
  device: { readonly capabilityList: readonly Capability[]; readonly deviceAgent: string },
  requirement: SendRequirement | undefined,
): boolean {
  if (requirement === undefined) return true;
  const capable =
    requirement.capability === undefined || device.capabilityList.includes(requirement.capability);
  return capable && (!requirement.iPhoneOrIPad || IPHONE_OR_IPAD_AGENT.test(device.deviceAgent));
}
