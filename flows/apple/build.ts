/**
 * Builders: plain functions that return Apple's wire JSON, so a flow's messages are written once, typed, and
 * checked with validateAppleMessage. Optional fields that are not given are left out, not written as undefined.
 * Nothing here invents a value: the request identifier is the caller's (Cisco's samples use "system" for messages a
 * flow sends itself).
 */
import {
  BID_PREFIX,
  BUILT_IN_BID,
  FORM_VERSION,
  INTERACTIVE_DATA_VERSION,
  type ApplePayEndpoints,
  type ApplePayMessage,
  type ApplePayPaymentRequest,
  type Attachment,
  type AuthenticationMessage,
  type Bubble,
  type BuiltInMessage,
  type FormData,
  type FormMessage,
  type IMessageAppMessage,
  type ListPickerMessage,
  type ListPickerSection,
  type MessageImage,
  type QuickReplyItem,
  type QuickReplyMessage,
  type RichLinkImage,
  type RichLinkMessage,
  type RichLinkVideo,
  type TextMessage,
  type TimePickerEvent,
  type TimePickerMessage,
} from "./types";

/** What every built-in interactive message is given besides its feature. */
export interface InteractiveArgs {
  requestIdentifier: string;
  receivedMessage: Bubble;
  replyMessage?: Bubble;
  images?: MessageImage[];
}

/** The object without its undefined fields, so the result is JSON as written. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

function builtIn<Data extends object>(args: InteractiveArgs, feature: Data): BuiltInMessage<Data> {
  return {
    type: "interactive",
    interactiveData: defined({
      bid: BUILT_IN_BID,
      data: defined({
        version: INTERACTIVE_DATA_VERSION,
        requestIdentifier: args.requestIdentifier,
        images: args.images,
        ...feature,
      }),
      receivedMessage: args.receivedMessage,
      replyMessage: args.replyMessage,
    }),
  };
}

export function textMessage(body: string, attachments?: Attachment[]): TextMessage {
  return defined({ type: "text" as const, body, attachments });
}

export function richLink(args: {
  url: string;
  title: string;
  image: RichLinkImage;
  video?: RichLinkVideo;
}): RichLinkMessage {
  return {
    type: "richLink",
    richLinkData: {
      url: args.url,
      title: args.title,
      assets: defined({ image: args.image, video: args.video }),
    },
  };
}

export function quickReply(args: {
  requestIdentifier: string;
  summaryText: string;
  items: QuickReplyItem[];
}): QuickReplyMessage {
  return {
    type: "interactive",
    interactiveData: {
      bid: BUILT_IN_BID,
      data: {
        version: INTERACTIVE_DATA_VERSION,
        requestIdentifier: args.requestIdentifier,
        "quick-reply": { summaryText: args.summaryText, items: args.items },
      },
    },
  };
}

export function listPicker(args: InteractiveArgs & { sections: ListPickerSection[] }): ListPickerMessage {
  return builtIn(args, { listPicker: { sections: args.sections } });
}

export function timePicker(args: InteractiveArgs & { event: TimePickerEvent }): TimePickerMessage {
  return builtIn(args, { event: args.event });
}

export function form(args: InteractiveArgs & { form: FormData }): FormMessage {
  return builtIn(args, { dynamic: { version: FORM_VERSION, template: "form" as const, data: args.form } });
}

export function applePay(
  args: InteractiveArgs & { paymentRequest: ApplePayPaymentRequest; endpoints: ApplePayEndpoints },
): ApplePayMessage {
  return builtIn(args, { payment: { paymentRequest: args.paymentRequest, endpoints: args.endpoints } });
}

/** The new authentication message: the provider's URLs and client id are registered at Apple Business Register. */
export function authentication(
  args: InteractiveArgs & { scope: string[]; state: string },
): AuthenticationMessage {
  return builtIn(args, {
    authenticate: { oauth2: { responseType: "code" as const, scope: args.scope, state: args.state } },
  });
}

/** `com.apple.messages.MSMessageExtensionBalloonPlugin:<team id>:<extension id>`. */
export function interactiveBid(teamId: string, extensionId: string): string {
  return `${BID_PREFIX}:${teamId}:${extensionId}`;
}

export function iMessageApp(args: {
  teamId: string;
  extensionId: string;
  appId: number;
  appName: string;
  url?: string;
  sessionIdentifier?: string;
  receivedMessage: Bubble;
  replyMessage?: Bubble;
}): IMessageAppMessage {
  return {
    type: "interactive",
    interactiveData: defined({
      bid: interactiveBid(args.teamId, args.extensionId),
      appId: args.appId,
      appName: args.appName,
      URL: args.url,
      sessionIdentifier: args.sessionIdentifier,
      receivedMessage: args.receivedMessage,
      replyMessage: args.replyMessage,
    }),
  };
}
