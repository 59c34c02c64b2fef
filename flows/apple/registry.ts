/** Every rule the validator applies, in one list: tests, docs and the emulator enumerate it. */
import type { AppleMessageRule } from "./rule";
import { APPLE_PAY_RULES } from "./rules/applePay";
import { AUTHENTICATION_RULES } from "./rules/authentication";
import { BUBBLE_RULES } from "./rules/bubbles";
import { ENVELOPE_RULES } from "./rules/envelope";
import { FORM_RULES } from "./rules/form";
import { IMESSAGE_APP_RULES } from "./rules/iMessageApp";
import { LIST_PICKER_RULES } from "./rules/listPicker";
import { QUICK_REPLY_RULES } from "./rules/quickReply";
import { RICH_LINK_RULES } from "./rules/richLink";
import { TEXT_RULES } from "./rules/text";
import { TIME_PICKER_RULES } from "./rules/timePicker";

export const APPLE_MESSAGE_RULES: readonly AppleMessageRule[] = [
  ...ENVELOPE_RULES,
  ...BUBBLE_RULES,
  ...TEXT_RULES,
  ...RICH_LINK_RULES,
  ...QUICK_REPLY_RULES,
  ...LIST_PICKER_RULES,
  ...TIME_PICKER_RULES,
  ...FORM_RULES,
  ...APPLE_PAY_RULES,
  ...AUTHENTICATION_RULES,
  ...IMESSAGE_APP_RULES,
];

export function appleMessageRule(id: string): AppleMessageRule | undefined {
  return APPLE_MESSAGE_RULES.find((rule) => rule.id === id);
}
