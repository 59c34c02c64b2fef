/**
 * For every rule of APPLE_MESSAGE_RULES: messages that pass it and messages that break it, each break with the field
 * the problem must name. rules.test.ts fails for a rule without both, so a new rule comes with its cases.
 */
import { BUILT_IN_BID } from "../../../flows/apple";
import { changed, EXAMPLES, PNG } from "./examples";

export interface RuleCases {
  readonly passes: readonly unknown[];
  readonly fails: ReadonlyArray<{ readonly message: unknown; readonly field: string }>;
}

const D = ["interactiveData", "data"];
const QR = [...D, "quick-reply"];
const LP = [...D, "listPicker", "sections"];
const EV = [...D, "event"];
const SLOT = [...EV, "timeslots"];
const FORM = [...D, "dynamic", "data"];
const PAGES = [...FORM, "pages"];
const PAY = [...D, "payment", "paymentRequest"];
const OAUTH = [...D, "authenticate", "oauth2"];
const field = (path: ReadonlyArray<string | number>) =>
  path.reduce<string>(
    (text, part) => (typeof part === "number" ? `${text}[${part}]` : text === "" ? part : `${text}.${part}`),
    "",
  );
const fail = (message: unknown, path: ReadonlyArray<string | number>) => ({ message, field: field(path) });

const item = (identifier: string) => ({ identifier, title: `Option ${identifier}` });
const base64Of = (bytes: number) => Buffer.alloc(bytes).toString("base64");
const LONG_ID = "p".repeat(19);

export const RULE_CASES: Record<string, RuleCases> = {
  "envelope.type": {
    passes: [EXAMPLES.text, EXAMPLES.richLink, EXAMPLES.listPicker],
    fails: [fail("Hello", []), fail({ type: "image", body: "x" }, ["type"]), fail({ body: "x" }, ["type"])],
  },
  "envelope.interactive-data": {
    passes: [EXAMPLES.quickReply, EXAMPLES.iMessageApp],
    fails: [fail({ type: "interactive" }, ["interactiveData"])],
  },
  "envelope.bid": {
    passes: [EXAMPLES.listPicker, EXAMPLES.iMessageApp],
    fails: [
      fail(changed("listPicker", [["interactiveData", "bid"], "business-chat"]), ["interactiveData", "bid"]),
      fail(
        changed("listPicker", [
          ["interactiveData", "bid"],
          BUILT_IN_BID.replace("business.extension", "other"),
        ]),
        ["interactiveData", "bid"],
      ),
      fail(changed("iMessageApp", [["interactiveData", "bid"], "com.example.retail"]), [
        "interactiveData",
        "bid",
      ]),
    ],
  },
  "envelope.feature": {
    passes: [EXAMPLES.timePicker, EXAMPLES.form],
    fails: [
      fail(changed("quickReply", [[...D, "quick-reply"], undefined]), D),
      fail(changed("quickReply", [[...D, "listPicker"], { sections: [] }]), D),
      fail(changed("quickReply", [D, "list"]), D),
    ],
  },
  "envelope.version": {
    passes: [EXAMPLES.form, EXAMPLES.authentication],
    fails: [fail(changed("form", [[...D, "version"], 1]), [...D, "version"])],
  },
  "envelope.request-identifier": {
    passes: [EXAMPLES.applePay],
    fails: [
      fail(changed("applePay", [[...D, "requestIdentifier"], undefined]), [...D, "requestIdentifier"]),
      fail(changed("quickReply", [[...D, "requestIdentifier"], " "]), [...D, "requestIdentifier"]),
    ],
  },
  "bubble.received-message": {
    passes: [EXAMPLES.listPicker, EXAMPLES.iMessageApp, EXAMPLES.quickReply],
    fails: [
      fail(changed("timePicker", [["interactiveData", "receivedMessage"], undefined]), [
        "interactiveData",
        "receivedMessage",
      ]),
      fail(changed("iMessageApp", [["interactiveData", "receivedMessage", "title"], ""]), [
        "interactiveData",
        "receivedMessage",
        "title",
      ]),
      fail(changed("form", [["interactiveData", "receivedMessage", "tertiarySubtitle"], 3]), [
        "interactiveData",
        "receivedMessage",
        "tertiarySubtitle",
      ]),
    ],
  },
  "bubble.reply-message": {
    passes: [EXAMPLES.listPicker, changed("listPicker", [["interactiveData", "replyMessage"], undefined])],
    fails: [
      fail(changed("listPicker", [["interactiveData", "replyMessage"], { subtitle: "Thanks" }]), [
        "interactiveData",
        "replyMessage",
        "title",
      ]),
      fail(changed("applePay", [["interactiveData", "replyMessage", "subtitle"], 5]), [
        "interactiveData",
        "replyMessage",
        "subtitle",
      ]),
    ],
  },
  "bubble.style": {
    passes: [
      EXAMPLES.listPicker,
      changed("timePicker", [["interactiveData", "receivedMessage", "style"], "large"]),
      // Messages ignores the style of an iMessage app's bubble.
      changed("iMessageApp", [["interactiveData", "receivedMessage", "style"], "huge"]),
    ],
    fails: [
      fail(changed("listPicker", [["interactiveData", "receivedMessage", "style"], "medium"]), [
        "interactiveData",
        "receivedMessage",
        "style",
      ]),
    ],
  },
  "images.list": {
    passes: [EXAMPLES.listPicker, EXAMPLES.quickReply],
    fails: [
      fail(changed("listPicker", [[...D, "images"], { logo: PNG }]), [...D, "images"]),
      fail(changed("listPicker", [[...D, "images", 0, "data"], "not base64!"]), [...D, "images", 0, "data"]),
      fail(changed("listPicker", [[...D, "images", 1], { identifier: "logo", data: PNG }]), [...D, "images"]),
      fail(changed("listPicker", [[...D, "images", 1], { data: PNG }]), [...D, "images", 1, "identifier"]),
    ],
  },
  "images.reference": {
    passes: [EXAMPLES.form, EXAMPLES.listPicker],
    fails: [
      fail(changed("listPicker", [[...LP, 0, "items", 0, "imageIdentifier"], "box"]), [
        ...LP,
        0,
        "items",
        0,
        "imageIdentifier",
      ]),
      fail(changed("form", [[...FORM, "splash", "imageIdentifier"], "banner"]), [
        ...FORM,
        "splash",
        "imageIdentifier",
      ]),
      fail(changed("timePicker", [[...D, "images"], undefined]), [
        "interactiveData",
        "receivedMessage",
        "imageIdentifier",
      ]),
    ],
  },
  "text.body": {
    passes: [EXAMPLES.text],
    fails: [
      fail(changed("text", [["body"], ""]), ["body"]),
      fail(changed("text", [["body"], undefined]), ["body"]),
    ],
  },
  "text.attachments": {
    passes: [EXAMPLES.text, changed("text", [["attachments"], undefined])],
    fails: [
      fail(changed("text", [["attachments"], "menu.pdf"]), ["attachments"]),
      fail(changed("text", [["attachments", 0, "size"], "120 kB"]), ["attachments", 0, "size"]),
      fail(changed("text", [["attachments", 0, "mimeType"], undefined]), ["attachments", 0, "mimeType"]),
    ],
  },
  "size.attachment": {
    passes: [changed("text", [["attachments", 0, "size"], 100_000_000])],
    fails: [fail(changed("text", [["attachments", 0, "size"], 100_000_001]), ["attachments", 0, "size"])],
  },
  "rich-link.url": {
    passes: [
      EXAMPLES.richLink,
      changed("richLink", [["richLinkData", "url"], "https://example.com/app/orders/123"]),
    ],
    fails: [
      fail(changed("richLink", [["richLinkData", "url"], "myapp://example.com/amb"]), [
        "richLinkData",
        "url",
      ]),
      fail(changed("richLink", [["richLinkData", "url"], "http://www.example.com"]), ["richLinkData", "url"]),
      fail(changed("richLink", [["richLinkData", "url"], "www.example.com"]), ["richLinkData", "url"]),
    ],
  },
  "rich-link.title": {
    passes: [EXAMPLES.richLink],
    fails: [fail(changed("richLink", [["richLinkData", "title"], undefined]), ["richLinkData", "title"])],
  },
  "rich-link.assets": {
    passes: [
      EXAMPLES.richLink,
      changed("richLink", [
        ["richLinkData", "assets", "video"],
        { url: "https://www.example.com/a.mp4", mimeType: "video/mp4" },
      ]),
    ],
    fails: [
      fail(
        changed("richLink", [
          ["richLinkData", "assets"],
          { video: { url: "https://www.example.com/a.mp4", mimeType: "video/mp4" } },
        ]),
        ["richLinkData", "assets", "image"],
      ),
      fail(changed("richLink", [["richLinkData", "assets", "image", "mimeType"], "text/plain"]), [
        "richLinkData",
        "assets",
        "image",
        "mimeType",
      ]),
      fail(
        changed("richLink", [
          ["richLinkData", "assets", "video"],
          { url: "myapp://video", mimeType: "video/mp4" },
        ]),
        ["richLinkData", "assets", "video", "url"],
      ),
      fail(changed("richLink", [["richLinkData", "assets"], undefined]), ["richLinkData", "assets"]),
    ],
  },
  "rich-link.image-size": {
    passes: [changed("richLink", [["richLinkData", "assets", "image", "data"], base64Of(200_000)])],
    fails: [
      fail(changed("richLink", [["richLinkData", "assets", "image", "data"], base64Of(200_001)]), [
        "richLinkData",
        "assets",
        "image",
        "data",
      ]),
    ],
  },
  "quick-reply.items": {
    passes: [
      changed("quickReply", [[...QR, "items"], ["1", "2"].map(item)]),
      changed("quickReply", [[...QR, "items"], ["1", "2", "3", "4", "5"].map(item)]),
    ],
    fails: [
      fail(changed("quickReply", [[...QR, "items"], [item("1")]]), [...QR, "items"]),
      fail(changed("quickReply", [[...QR, "items"], ["1", "2", "3", "4", "5", "6"].map(item)]), [
        ...QR,
        "items",
      ]),
      fail(changed("quickReply", [[...QR, "items"], undefined]), [...QR, "items"]),
    ],
  },
  "quick-reply.item": {
    passes: [EXAMPLES.quickReply],
    fails: [
      fail(changed("quickReply", [[...QR, "items", 1, "title"], undefined]), [...QR, "items", 1, "title"]),
      fail(changed("quickReply", [[...QR, "items", 2, "identifier"], "1"]), [...QR, "items"]),
    ],
  },
  "list-picker.sections": {
    passes: [EXAMPLES.listPicker],
    fails: [
      fail(changed("listPicker", [LP, []]), LP),
      fail(changed("listPicker", [[...LP, 1, "items"], []]), [...LP, 1, "items"]),
      fail(changed("listPicker", [[...LP, 0, "order"], -1]), [...LP, 0, "order"]),
      fail(changed("listPicker", [[...LP, 1, "title"], 7]), [...LP, 1, "title"]),
    ],
  },
  "list-picker.multiple-selection": {
    passes: [EXAMPLES.listPicker, changed("listPicker", [[...LP, 0, "multipleSelection"], true])],
    fails: [
      fail(changed("listPicker", [[...LP, 0, "multipleSelection"], "yes"]), [...LP, 0, "multipleSelection"]),
      fail(changed("listPicker", [[...D, "listPicker", "multipleSelection"], 1]), [
        ...D,
        "listPicker",
        "multipleSelection",
      ]),
    ],
  },
  "list-picker.item": {
    passes: [EXAMPLES.listPicker],
    fails: [
      fail(changed("listPicker", [[...LP, 0, "items", 1, "title"], undefined]), [
        ...LP,
        0,
        "items",
        1,
        "title",
      ]),
      fail(changed("listPicker", [[...LP, 0, "items", 1, "order"], 1.5]), [...LP, 0, "items", 1, "order"]),
      fail(changed("listPicker", [[...LP, 0, "items", 1, "subtitle"], false]), [
        ...LP,
        0,
        "items",
        1,
        "subtitle",
      ]),
    ],
  },
  "list-picker.unique-item-ids": {
    passes: [EXAMPLES.listPicker],
    fails: [
      fail(changed("listPicker", [[...LP, 1, "items", 0, "identifier"], "track"]), [
        ...LP,
        1,
        "items",
        0,
        "identifier",
      ]),
    ],
  },
  "time-picker.event": {
    passes: [EXAMPLES.timePicker],
    fails: [
      fail(changed("timePicker", [[...EV, "timeslots"], []]), [...EV, "timeslots"]),
      fail(changed("timePicker", [EV, "tomorrow"]), EV),
      fail(changed("timePicker", [[...EV, "title"], 42]), [...EV, "title"]),
    ],
  },
  "time-picker.slot-ids": {
    passes: [EXAMPLES.timePicker],
    fails: [
      fail(changed("timePicker", [[...SLOT, 1, "identifier"], "a"]), SLOT),
      fail(changed("timePicker", [[...SLOT, 1, "identifier"], undefined]), [...SLOT, 1, "identifier"]),
    ],
  },
  "time-picker.start-time": {
    passes: [
      EXAMPLES.timePicker,
      changed("timePicker", [[...SLOT, 0, "startTime"], "2024-02-29T23:59+1400"]),
    ],
    fails: [
      fail(changed("timePicker", [[...SLOT, 0, "startTime"], "2020-04-01T15:30:00Z"]), [
        ...SLOT,
        0,
        "startTime",
      ]),
      fail(changed("timePicker", [[...SLOT, 0, "startTime"], "2021-02-29T10:00+0000"]), [
        ...SLOT,
        0,
        "startTime",
      ]),
      fail(changed("timePicker", [[...SLOT, 1, "startTime"], "2020-04-01 15:30"]), [...SLOT, 1, "startTime"]),
      fail(changed("timePicker", [[...SLOT, 1, "startTime"], "2020-04-01T24:00+0000"]), [
        ...SLOT,
        1,
        "startTime",
      ]),
    ],
  },
  "time-picker.duration": {
    passes: [EXAMPLES.timePicker],
    fails: [
      fail(changed("timePicker", [[...SLOT, 0, "duration"], 0]), [...SLOT, 0, "duration"]),
      fail(changed("timePicker", [[...SLOT, 0, "duration"], "3600"]), [...SLOT, 0, "duration"]),
      fail(changed("timePicker", [[...SLOT, 1, "duration"], 1.5]), [...SLOT, 1, "duration"]),
    ],
  },
  "time-picker.timezone-offset": {
    passes: [
      changed("timePicker", [[...EV, "timezoneOffset"], undefined]),
      changed("timePicker", [[...EV, "timezoneOffset"], 840]),
      changed("timePicker", [[...EV, "timezoneOffset"], -720]),
      changed("timePicker", [[...EV, "timezoneOffset"], 345]),
    ],
    fails: [
      fail(changed("timePicker", [[...EV, "timezoneOffset"], -7]), [...EV, "timezoneOffset"]),
      fail(changed("timePicker", [[...EV, "timezoneOffset"], 900]), [...EV, "timezoneOffset"]),
      fail(changed("timePicker", [[...EV, "timezoneOffset"], "-420"]), [...EV, "timezoneOffset"]),
    ],
  },
  "time-picker.location": {
    passes: [
      EXAMPLES.timePicker,
      changed("timePicker", [[...EV, "location"], undefined]),
      changed("timePicker", [[...EV, "location", "radius"], undefined]),
    ],
    fails: [
      fail(changed("timePicker", [[...EV, "location", "longitude"], undefined]), [
        ...EV,
        "location",
        "longitude",
      ]),
      fail(changed("timePicker", [[...EV, "location", "latitude"], 91]), [...EV, "location", "latitude"]),
      fail(changed("timePicker", [[...EV, "location", "radius"], 0]), [...EV, "location", "radius"]),
      fail(changed("timePicker", [[...EV, "location"], "Main Street"]), [...EV, "location"]),
    ],
  },
  "form.envelope": {
    passes: [EXAMPLES.form],
    fails: [
      fail(changed("form", [[...D, "dynamic", "version"], "1.0"]), [...D, "dynamic", "version"]),
      fail(changed("form", [[...D, "dynamic", "template"], "survey"]), [...D, "dynamic", "template"]),
      fail(changed("form", [[...D, "dynamic"], "form"]), [...D, "dynamic"]),
    ],
  },
  "form.page-ids": {
    passes: [
      changed(
        "form",
        [[...PAGES, 2, "pageIdentifier"], LONG_ID],
        [[...PAGES, 1, "nextPageIdentifier"], LONG_ID],
      ),
    ],
    fails: [
      fail(
        changed(
          "form",
          [[...PAGES, 2, "pageIdentifier"], `${LONG_ID}p`],
          [[...PAGES, 1, "nextPageIdentifier"], `${LONG_ID}p`],
        ),
        [...PAGES, 2, "pageIdentifier"],
      ),
      fail(
        changed(
          "form",
          [[...PAGES, 2, "pageIdentifier"], "name"],
          [[...PAGES, 1, "nextPageIdentifier"], undefined],
        ),
        PAGES,
      ),
      fail(
        changed(
          "form",
          [[...PAGES, 2, "pageIdentifier"], ""],
          [[...PAGES, 1, "nextPageIdentifier"], undefined],
        ),
        [...PAGES, 2, "pageIdentifier"],
      ),
    ],
  },
  "form.page-type": {
    passes: [EXAMPLES.form, changed("form", [[...PAGES, 0, "type"], "picker"])],
    fails: [
      fail(changed("form", [[...PAGES, 1, "type"], "text"]), [...PAGES, 1, "type"]),
      fail(changed("form", [[...PAGES, 2, "type"], "picker"]), [...PAGES, 2, "items"]),
    ],
  },
  "form.start-page": {
    passes: [EXAMPLES.form],
    fails: [
      fail(changed("form", [[...FORM, "startPageIdentifier"], "start"]), [...FORM, "startPageIdentifier"]),
      fail(changed("form", [[...FORM, "startPageIdentifier"], undefined]), [...FORM, "startPageIdentifier"]),
    ],
  },
  "form.next-page": {
    passes: [EXAMPLES.form],
    fails: [
      fail(changed("form", [[...PAGES, 1, "nextPageIdentifier"], "end"]), [
        ...PAGES,
        1,
        "nextPageIdentifier",
      ]),
      fail(changed("form", [[...PAGES, 0, "items", 0, "nextPageIdentifier"], "nowhere"]), [
        ...PAGES,
        0,
        "items",
        0,
        "nextPageIdentifier",
      ]),
    ],
  },
  "form.single-select-next": {
    passes: [
      EXAMPLES.form,
      changed(
        "form",
        [[...PAGES, 0, "multipleSelection"], true],
        [[...PAGES, 0, "nextPageIdentifier"], "name"],
      ),
    ],
    fails: [
      fail(changed("form", [[...PAGES, 0, "nextPageIdentifier"], "name"]), [
        ...PAGES,
        0,
        "nextPageIdentifier",
      ]),
    ],
  },
  "apple-pay.merchant": {
    passes: [EXAMPLES.applePay],
    fails: [
      fail(changed("applePay", [[...PAY, "applePay", "merchantCapabilities"], ["supportsCredit"]]), [
        ...PAY,
        "applePay",
        "merchantCapabilities",
      ]),
      fail(
        changed("applePay", [
          [...PAY, "applePay", "merchantCapabilities"],
          ["supports3DS", "supportsCash"],
        ]),
        [...PAY, "applePay", "merchantCapabilities"],
      ),
      fail(changed("applePay", [[...PAY, "applePay", "merchantIdentifier"], ""]), [
        ...PAY,
        "applePay",
        "merchantIdentifier",
      ]),
      fail(changed("applePay", [[...PAY, "applePay", "supportedNetworks"], []]), [
        ...PAY,
        "applePay",
        "supportedNetworks",
      ]),
      fail(changed("applePay", [[...PAY, "applePay"], undefined]), [...PAY, "applePay"]),
    ],
  },
  "apple-pay.currency": {
    passes: [EXAMPLES.applePay],
    fails: [
      fail(changed("applePay", [[...PAY, "countryCode"], "usa"]), [...PAY, "countryCode"]),
      fail(changed("applePay", [[...PAY, "currencyCode"], "usd"]), [...PAY, "currencyCode"]),
    ],
  },
  "apple-pay.total": {
    passes: [EXAMPLES.applePay],
    fails: [
      fail(changed("applePay", [[...PAY, "total", "amount"], "0.00"]), [...PAY, "total", "amount"]),
      fail(changed("applePay", [[...PAY, "total", "amount"], 3]), [...PAY, "total", "amount"]),
      fail(changed("applePay", [[...PAY, "total", "label"], undefined]), [...PAY, "total", "label"]),
      fail(changed("applePay", [[...PAY, "total"], undefined]), [...PAY, "total"]),
    ],
  },
  "apple-pay.line-items": {
    passes: [EXAMPLES.applePay, changed("applePay", [[...PAY, "lineItems"], undefined])],
    fails: [
      fail(changed("applePay", [[...PAY, "lineItems"], []]), [...PAY, "lineItems"]),
      fail(changed("applePay", [[...PAY, "lineItems", 0, "amount"], "1,50"]), [
        ...PAY,
        "lineItems",
        0,
        "amount",
      ]),
    ],
  },
  "apple-pay.endpoints": {
    passes: [EXAMPLES.applePay],
    fails: [
      fail(
        changed("applePay", [
          [...D, "payment", "endpoints", "paymentGatewayUrl"],
          "http://pay.example.com/gateway",
        ]),
        [...D, "payment", "endpoints", "paymentGatewayUrl"],
      ),
      fail(changed("applePay", [[...D, "payment", "endpoints", "fallbackUrl"], "myapp://pay"]), [
        ...D,
        "payment",
        "endpoints",
        "fallbackUrl",
      ]),
      fail(changed("applePay", [[...D, "payment", "endpoints"], undefined]), [...D, "payment", "endpoints"]),
    ],
  },
  "authentication.oauth2": {
    passes: [EXAMPLES.authentication],
    fails: [
      fail(changed("authentication", [[...OAUTH, "responseType"], "token"]), [...OAUTH, "responseType"]),
      fail(changed("authentication", [[...OAUTH, "scope"], []]), [...OAUTH, "scope"]),
      fail(changed("authentication", [[...OAUTH, "state"], ""]), [...OAUTH, "state"]),
      fail(changed("authentication", [OAUTH, undefined]), OAUTH),
    ],
  },
  "authentication.classic": {
    passes: [EXAMPLES.authentication],
    fails: [
      fail(changed("authentication", [[...OAUTH, "clientSecret"], "s3cr3t-value"]), [
        ...OAUTH,
        "clientSecret",
      ]),
      fail(changed("authentication", [[...OAUTH, "responseEncryptionKey"], "BFz948MTG3OQ0Q69"]), [
        ...OAUTH,
        "responseEncryptionKey",
      ]),
    ],
  },
  "imessage-app.app": {
    passes: [EXAMPLES.iMessageApp, changed("iMessageApp", [["interactiveData", "URL"], undefined])],
    fails: [
      fail(changed("iMessageApp", [["interactiveData", "appId"], "retail"]), ["interactiveData", "appId"]),
      fail(changed("iMessageApp", [["interactiveData", "appName"], undefined]), [
        "interactiveData",
        "appName",
      ]),
      fail(changed("iMessageApp", [["interactiveData", "URL"], 5]), ["interactiveData", "URL"]),
    ],
  },
};
