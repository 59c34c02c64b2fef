/**
 * Apple's messages in Apple's wire format (the body of `POST /v1/message`, register.apple.com/resources/messages/
 * msp-rest-api), as TypeScript types. The stack file and flow nodes hold the same shapes, so one validator serves all.
 */
import type { JsonValue } from "../schema";

/** The `bid` prefix every interactive message shares: `<prefix>:<team id>:<extension id>`. */
export const BID_PREFIX = "com.apple.messages.MSMessageExtensionBalloonPlugin";
/** Apple's built-in interactive types use this team id and extension id; an iMessage app uses its own. */
export const BUILT_IN_TEAM_ID = "0000000000";
export const BUILT_IN_EXTENSION_ID = "com.apple.icloud.apps.messages.business.extension";
export const BUILT_IN_BID = `${BID_PREFIX}:${BUILT_IN_TEAM_ID}:${BUILT_IN_EXTENSION_ID}`;
/** `interactiveData.data.version`: Apple says it "should be 1.0". */
export const INTERACTIVE_DATA_VERSION = "1.0";
/** `data.dynamic.version` of a form (LivePerson's form template). */
export const FORM_VERSION = "1.1";

export const BUBBLE_STYLES = ["icon", "small", "large"] as const;
export type BubbleStyle = (typeof BUBBLE_STYLES)[number];

/** `receivedMessage` (the bubble the customer receives) and `replyMessage` (the bubble their answer shows). */
export interface Bubble {
  title: string;
  subtitle?: string;
  secondarySubtitle?: string;
  tertiarySubtitle?: string;
  /** Names an image of `data.images`. */
  imageIdentifier?: string;
  style?: BubbleStyle;
}

/** An image of `data.images`: its identifier and its bytes in base64. */
export interface MessageImage {
  identifier: string;
  data: string;
}

/** Attachment metadata of a text message (Apple's attachment dictionary; the upload fields come at send time). */
export interface Attachment {
  name: string;
  mimeType: string;
  /** Bytes; Apple carries attachments up to 100 MB. */
  size: number;
  url?: string;
  key?: string;
  owner?: string;
  "signature-base64"?: string;
}

export interface TextMessage {
  type: "text";
  body: string;
  attachments?: Attachment[];
}

export interface RichLinkImage {
  /** Base64, at most 200 kB decoded. */
  data: string;
  mimeType: string;
}

export interface RichLinkVideo {
  url: string;
  mimeType: string;
}

export interface RichLinkMessage {
  type: "richLink";
  richLinkData: {
    url: string;
    title: string;
    /** An image link has an image; a video link has a video and an image. */
    assets: { image: RichLinkImage; video?: RichLinkVideo };
  };
}

export interface BuiltInData {
  version: typeof INTERACTIVE_DATA_VERSION;
  requestIdentifier: string;
  images?: MessageImage[];
}

/** The envelope of Apple's built-in interactive types, around one feature in `data`. */
export interface BuiltInMessage<Data> {
  type: "interactive";
  interactiveData: {
    bid: typeof BUILT_IN_BID;
    data: BuiltInData & Data;
    receivedMessage: Bubble;
    replyMessage?: Bubble;
  };
}

export interface QuickReplyItem {
  identifier: string;
  title: string;
}

/** Apple's own sample sends a quick reply without bubbles. */
export interface QuickReplyMessage {
  type: "interactive";
  interactiveData: {
    bid: typeof BUILT_IN_BID;
    data: BuiltInData & { "quick-reply": { summaryText: string; items: QuickReplyItem[] } };
  };
}

export interface ListPickerItem {
  identifier: string;
  title: string;
  subtitle?: string;
  imageIdentifier?: string;
  order?: number;
  style?: string;
}

export interface ListPickerSection {
  title?: string;
  order?: number;
  multipleSelection?: boolean;
  items: ListPickerItem[];
}

export type ListPickerMessage = BuiltInMessage<{ listPicker: { sections: ListPickerSection[] } }>;

export interface TimeSlot {
  identifier: string;
  /** Like `2020-04-01T15:30+0000`. */
  startTime: string;
  /** Seconds. */
  duration: number;
}

export interface EventLocation {
  latitude: number;
  longitude: number;
  /** Metres around the point. */
  radius?: number;
  title?: string;
}

export interface TimePickerEvent {
  identifier?: string;
  title?: string;
  /** Minutes from GMT: slots show in the event's zone; without it, in the customer's. */
  timezoneOffset?: number;
  location?: EventLocation;
  timeslots: TimeSlot[];
}

export type TimePickerMessage = BuiltInMessage<{ event: TimePickerEvent }>;

export const FORM_PAGE_TYPES = ["select", "picker", "datePicker", "input"] as const;
export type FormPageType = (typeof FORM_PAGE_TYPES)[number];

export interface FormItem {
  identifier?: string;
  title?: string;
  value?: string;
  imageIdentifier?: string;
  /** On single-select pages the next page goes on each item. */
  nextPageIdentifier?: string;
}

export interface FormPage {
  /** Unique, shorter than 20 characters. */
  pageIdentifier: string;
  type: FormPageType;
  title?: string;
  subtitle?: string;
  multipleSelection?: boolean;
  items?: FormItem[];
  nextPageIdentifier?: string;
  /** Page options (keyboard type, date format, …), passed to Apple as written. */
  options?: { [key: string]: JsonValue };
}

export interface FormSplash {
  header?: string;
  splashtext?: string;
  buttonTitle?: string;
  imageIdentifier?: string;
}

export interface FormData {
  splash?: FormSplash;
  startPageIdentifier: string;
  showSummary?: boolean;
  pages: FormPage[];
}

export type FormMessage = BuiltInMessage<{
  dynamic: { version: typeof FORM_VERSION; template: "form"; data: FormData };
}>;

export interface ApplePayLineItem {
  label: string;
  /** A decimal string, e.g. "3.00". */
  amount: string;
  type?: "final" | "pending";
}

export interface ApplePayPaymentRequest {
  applePay: { merchantIdentifier: string; merchantCapabilities: string[]; supportedNetworks: string[] };
  countryCode: string;
  currencyCode: string;
  total: ApplePayLineItem;
  lineItems?: ApplePayLineItem[];
  requiredBillingContactFields?: string[];
  requiredShippingContactFields?: string[];
  shippingMethods?: Array<{ identifier: string; label: string; amount: string; detail?: string }>;
  supportedCountries?: string[];
}

export interface ApplePayEndpoints {
  paymentGatewayUrl: string;
  fallbackUrl?: string;
  orderTrackingUrl?: string;
  paymentMethodUpdateUrl?: string;
  shippingContactUpdateUrl?: string;
  shippingMethodUpdateUrl?: string;
}

export type ApplePayMessage = BuiltInMessage<{
  payment: {
    paymentRequest: ApplePayPaymentRequest;
    endpoints: ApplePayEndpoints;
    /** The payment session Apple Pay returns at send time. */
    merchantSession?: { [key: string]: JsonValue };
  };
}>;

/** The new authentication message (iOS 16, macOS 13): it asks for an authorization code only. */
export type AuthenticationMessage = BuiltInMessage<{
  authenticate: { oauth2: { responseType: "code"; scope: string[]; state: string } };
}>;

/** An iMessage app's own interactive message; Messages ignores the bubble's style and image here. */
export interface IMessageAppMessage {
  type: "interactive";
  interactiveData: {
    /** `<prefix>:<team id>:<extension id>` of the app. */
    bid: string;
    appId: number;
    appName: string;
    /** Data passed to the app, e.g. `?order=123`. */
    URL?: string;
    sessionIdentifier?: string;
    receivedMessage: Bubble;
    replyMessage?: Bubble;
  };
}

export type AppleMessage =
  | TextMessage
  | RichLinkMessage
  | QuickReplyMessage
  | ListPickerMessage
  | TimePickerMessage
  | FormMessage
  | ApplePayMessage
  | AuthenticationMessage
  | IMessageAppMessage;
