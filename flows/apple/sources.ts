/**
 * The pages each rule comes from. Apple's own pages are the authority; where Apple's public pages say nothing (the
 * limits of quick replies, the shapes of list pickers, time pickers and forms), the rule rests on an MSP's public
 * documentation of Apple's format, and says so (`apple: false`), so nobody mistakes it for Apple's word.
 */
export interface RuleSource {
  readonly url: string;
  /** Who publishes the page: "Apple", or the third party whose documentation of Apple's format it is. */
  readonly publisher: string;
  readonly apple: boolean;
}

const apple = (url: string): RuleSource => ({ url, publisher: "Apple", apple: true });
const thirdParty = (publisher: string, url: string): RuleSource => ({ url, publisher, apple: false });

export const SOURCES = {
  messagesSent: apple("https://register.apple.com/resources/messages/msp-rest-api/messages-sent"),
  text: apple("https://register.apple.com/resources/messages/msp-rest-api/type-text"),
  interactive: apple("https://register.apple.com/resources/messages/msp-rest-api/type-interactive"),
  receivedMessage: apple("https://developer.apple.com/documentation/businesschatapi/receivedmessage"),
  richLink: apple("https://register.apple.com/resources/messages/msp-rest-api/type-richlink"),
  customInteractive: apple(
    "https://developer.apple.com/documentation/businesschatapi/messages_sent/interactive_messages/custom_interactive_messages/sending_a_custom_interactive_message",
  ),
  applePayRequest: apple("https://developer.apple.com/documentation/businesschatapi/applepaypaymentrequest"),
  applePayJs: apple("https://developer.apple.com/documentation/applepayjs/applepaypaymentrequest"),
  applePaySending: apple(
    "https://developer.apple.com/documentation/businesschatapi/messages_sent/interactive_messages/apple_pay_in_business_chat/sending_an_apple_pay_payment_request",
  ),
  authenticationTutorial: apple(
    "https://register.apple.com/resources/messages/msp-api-tutorial/authentication",
  ),
  authenticationDeprecated: apple(
    "https://register.apple.com/resources/messages/msp-rest-api/authentication-deprecated",
  ),
  quickReplyInfobip: thirdParty(
    "Infobip",
    "https://www.infobip.com/docs/apple-messages-for-business/message-types",
  ),
  listPickerLivePerson: thirdParty(
    "LivePerson",
    "https://developers.liveperson.com/apple-messages-for-business-templates-list-picker-template.html",
  ),
  timePickerLivePerson: thirdParty(
    "LivePerson",
    "https://developers.liveperson.com/apple-messages-for-business-templates-time-picker-template.html",
  ),
  formLivePerson: thirdParty(
    "LivePerson",
    "https://developers.liveperson.com/apple-messages-for-business-templates-form-message-template.html",
  ),
  newAuthenticationRingCentral: thirdParty(
    "RingCentral",
    "https://developers.ringcentral.com/engage/digital/guide/interactions/structured-messages/apple-auth",
  ),
} as const satisfies Record<string, RuleSource>;
