/** One valid message of every type, built with the builders; rule cases change one field of them. */
import {
  applePay,
  authentication,
  form,
  iMessageApp,
  listPicker,
  quickReply,
  richLink,
  textMessage,
  timePicker,
  type AppleMessage,
  type MessageKind,
} from "../../../flows/apple";
import { cloneJson } from "../../../lib/json";

/** A 1×1 PNG. */
export const PNG =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

const bubbles = {
  receivedMessage: {
    title: "How can we help?",
    subtitle: "Pick one",
    imageIdentifier: "logo",
    style: "icon" as const,
  },
  replyMessage: { title: "Thanks", style: "small" as const },
  images: [{ identifier: "logo", data: PNG }],
};

export const EXAMPLES: Record<MessageKind, AppleMessage> = {
  text: textMessage("Hello from Retail", [{ name: "menu.pdf", mimeType: "application/pdf", size: 120_000 }]),
  richLink: richLink({
    url: "https://www.example.com/store",
    title: "Our store",
    image: { data: PNG, mimeType: "image/png" },
  }),
  quickReply: quickReply({
    requestIdentifier: "system",
    summaryText: "Which do you prefer?",
    items: [
      { identifier: "1", title: "Billing" },
      { identifier: "2", title: "Delivery" },
      { identifier: "3", title: "An agent" },
    ],
  }),
  listPicker: listPicker({
    requestIdentifier: "system",
    ...bubbles,
    sections: [
      {
        title: "Orders",
        order: 0,
        multipleSelection: false,
        items: [
          { identifier: "track", title: "Track an order", order: 0, imageIdentifier: "logo" },
          { identifier: "return", title: "Return an item", subtitle: "Within 30 days", order: 1 },
        ],
      },
      { title: "People", items: [{ identifier: "agent", title: "Talk to an agent" }] },
    ],
  }),
  timePicker: timePicker({
    requestIdentifier: "system",
    ...bubbles,
    event: {
      identifier: "visit",
      title: "Book a visit",
      timezoneOffset: -420,
      location: { latitude: 37.7725, longitude: -122.4311, radius: 200, title: "Main Street store" },
      timeslots: [
        { identifier: "a", startTime: "2020-04-01T15:30+0000", duration: 3600 },
        { identifier: "b", startTime: "2020-04-02T08:30-0700", duration: 1800 },
      ],
    },
  }),
  form: form({
    requestIdentifier: "system",
    ...bubbles,
    form: {
      splash: { header: "Before we connect you", buttonTitle: "Start", imageIdentifier: "logo" },
      startPageIdentifier: "topic",
      showSummary: true,
      pages: [
        {
          pageIdentifier: "topic",
          type: "select",
          title: "Topic",
          items: [
            { identifier: "billing", title: "Billing", value: "billing", nextPageIdentifier: "name" },
            {
              identifier: "other",
              title: "Other",
              value: "other",
              imageIdentifier: "logo",
              nextPageIdentifier: "name",
            },
          ],
        },
        { pageIdentifier: "name", type: "input", title: "Your name", nextPageIdentifier: "when" },
        { pageIdentifier: "when", type: "datePicker", title: "Since when?" },
      ],
    },
  }),
  applePay: applePay({
    requestIdentifier: "system",
    ...bubbles,
    paymentRequest: {
      applePay: {
        merchantIdentifier: "merchant.com.example.retail",
        merchantCapabilities: ["supports3DS", "supportsCredit"],
        supportedNetworks: ["visa", "masterCard"],
      },
      countryCode: "US",
      currencyCode: "USD",
      total: { label: "Example Retail", amount: "3.00", type: "final" },
      lineItems: [
        { label: "Adoption fee", amount: "3.50" },
        { label: "Discount", amount: "-0.50" },
      ],
    },
    endpoints: {
      paymentGatewayUrl: "https://pay.example.com/gateway",
      fallbackUrl: "https://www.example.com/pay",
    },
  }),
  authentication: authentication({
    requestIdentifier: "system",
    ...bubbles,
    scope: ["profile"],
    state: "n-0S6_WzA2Mj",
  }),
  iMessageApp: iMessageApp({
    teamId: "A1B2C3D4E5",
    extensionId: "com.example.retail.MessagesExtension",
    appId: 1234567890,
    appName: "Example Retail",
    url: "?order=123",
    receivedMessage: { title: "Your order", subtitle: "Tap to open" },
  }),
};

type Path = ReadonlyArray<string | number>;

/** A copy of the example of `kind` with each value at its path replaced, or removed where the value is undefined. */
export function changed(kind: MessageKind, ...edits: Array<[Path, unknown]>): unknown {
  const copy = cloneJson(EXAMPLES[kind]) as unknown;
  for (const [path, value] of edits) {
    let holder = copy as Record<string | number, unknown>;
    for (const segment of path.slice(0, -1)) holder = holder[segment] as Record<string | number, unknown>;
    const last = path[path.length - 1];
    if (value !== undefined) holder[last] = value;
    else if (Array.isArray(holder) && typeof last === "number") holder.splice(last, 1);
    else delete holder[last];
  }
  return copy;
}
